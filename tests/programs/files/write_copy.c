/* write copies the bytes when it is called: changing the buffer afterwards
 * changes nothing in the file or the pipe. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[16];
    char back[16] = {0};
    int fds[2];
    pipe(fds);
    strcpy(buf, "original");
    write(fds[1], buf, 8);
    strcpy(buf, "CHANGED!");
    read(fds[0], back, 8);
    printf("pipe gives: %s\n", back);

    int fd = open("copy.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
    strcpy(buf, "first");
    write(fd, buf, 5);
    memset(buf, 'X', 5);
    lseek(fd, 0, SEEK_SET);
    memset(back, 0, sizeof back);
    read(fd, back, 5);
    printf("file gives: %s\n", back);
    close(fd);
    unlink("copy.out");
    return 0;
}
