/* pwd: print the working directory (the kernel's __getcwd walks ".." up to "/"). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char buf[1024];
    if (getcwd(buf, sizeof buf) == NULL) {
        fprintf(stderr, "pwd: %s\n", strerror(errno));
        return 1;
    }
    printf("%s\n", buf);
    return 0;
}
