/* run as: 1000:1000
 * Resource limits as an ordinary user: a lower RLIMIT_NOFILE stops open()
 * with EMFILE; a hard limit can be lowered but never raised again (EPERM);
 * RLIMIT_NPROC stops fork() with EAGAIN once the user has that many processes. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

static const char *setlim(int which, long soft, long hard)
{
	struct rlimit rl = {soft, hard};
	return TRY(setrlimit(which, &rl));
}

int main(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	printf("RLIMIT_NOFILE %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
	printf("soft 8:            %s\n", setlim(RLIMIT_NOFILE, 8, 64));
	int n = 0, fd;
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		n++;
	printf("opened %d more, then %s\n", n, errname(errno));
	for (fd = 3; fd < 8; fd++)
		close(fd);
	printf("hard 128:          %s\n", setlim(RLIMIT_NOFILE, 8, 128));
	printf("hard 32:           %s\n", setlim(RLIMIT_NOFILE, 16, 32));
	printf("hard 64 again:     %s\n", setlim(RLIMIT_NOFILE, 16, 64));
	getrlimit(RLIMIT_NOFILE, &rl);
	printf("RLIMIT_NOFILE %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);

	printf("RLIMIT_NPROC 3:    %s\n", setlim(RLIMIT_NPROC, 3, 3));
	int p[2];
	pipe(p);
	int kids = 0;
	for (int i = 0; i < 10; i++) {
		pid_t pid = fork();
		if (pid == 0) {                 /* wait until the parent is done forking */
			char c;
			close(p[1]);
			read(p[0], &c, 1);
			_exit(0);
		}
		if (pid < 0) {
			printf("fork %d: %s\n", i + 1, errname(errno));
			break;
		}
		kids++;
	}
	close(p[1]);
	while (wait(NULL) > 0)
		;
	printf("%d children\n", kids);
	return 0;
}
