/* System calls fail with -1 and errno: EBADF, ENOENT, EFAULT, ECHILD, EINVAL, ESRCH. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#define TRY(expr) do { errno = 0; long r = (long)(expr); \
	printf("%-40s -> %ld %s\n", #expr, r, errname(r < 0 ? errno : 0)); } while (0)

int main(void)
{
	char buf[8];
	setvbuf(stdout, NULL, _IONBF, 0);	/* printf and write(1) interleave as written */
	TRY(close(-1));
	TRY(close(57));
	TRY(write(57, "x", 1));
	TRY(read(-3, buf, 1));
	TRY(open("/no/such/file", O_RDONLY));
	TRY(write(1, (char *)16, 5));
	int p[2];
	pipe(p);
	write(p[1], "abc", 3);
	TRY(read(p[0], (char *)0, 3));
	TRY(open((char *)8, O_RDONLY));
	TRY(waitpid(-1, 0, 0));
	TRY(kill(999999, 0));
	TRY(kill(getpid(), 1000));
	TRY(write(1, "ok\n", 3));
	return 0;
}
