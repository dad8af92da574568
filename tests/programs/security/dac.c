/* run as: 0:0
 * Discretionary access control: the mode bits of a file decide, for its owner,
 * its group and everyone else (only the one class that applies is checked);
 * only the owner (or root) may chmod; only root may give a file away; umask
 * takes bits off new files; in a sticky directory only a file's owner may
 * remove it. The program switches its effective ids to act as user 1000. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include "errname.h"

static const char *opens(const char *path, int flags)
{
	int fd = open(path, flags);
	if (fd < 0)
		return errname(errno);
	close(fd);
	return "OK";
}

/* (with_gid 0: a new file's group is the creator's egid on Linux, the directory's on BSD) */
static void mode_of(const char *path, int with_gid)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		printf("  stat %s: %s\n", path, errname(errno));
	else
		printf("  %s: mode %04o uid %d gid %d\n", path, (unsigned)(sb.st_mode & 07777),
		       (int)sb.st_uid, with_gid ? (int)sb.st_gid : -1);
}

static void as(uid_t u, gid_t g)
{
	if (seteuid(0) != 0 || setegid(g) != 0 || seteuid(u) != 0)
		printf("cannot become %d:%d\n", (int)u, (int)g);
}

int main(void)
{
	mkdir("d", 0777);
	chmod("d", 0777);
	mkdir("s", 0777);
	chmod("s", 01777);                       /* sticky, like /tmp */

	printf("umask(077) was %03o\n", (unsigned)umask(077));
	int fd = open("d/secret", O_CREAT | O_WRONLY, 0666);
	close(fd);
	mode_of("d/secret", 1);                     /* 0666 & ~077 = 0600 */
	printf("umask(022) was %03o\n", (unsigned)umask(022));

	as(1000, 1000);
	printf("as 1000: open secret r  %s\n", opens("d/secret", O_RDONLY));
	printf("as 1000: access secret  %s (real uid 0)\n", TRY(access("d/secret", R_OK)));
	printf("as 1000: chmod secret   %s\n", TRY(chmod("d/secret", 0644)));
	printf("as 1000: chown secret   %s\n", TRY(chown("d/secret", 1000, 1000)));
	fd = open("d/mine", O_CREAT | O_WRONLY, 0640);
	printf("as 1000: create mine    %s\n", fd >= 0 ? "OK" : errname(errno));
	close(fd);
	mode_of("d/mine", 0);
	printf("as 1000: chmod mine     %s\n", TRY(chmod("d/mine", 0604)));
	printf("as 1000: chown mine 0   %s\n", TRY(chown("d/mine", 0, (gid_t)-1)));

	as(0, 0);
	printf("as root: open mine w    %s\n", opens("d/mine", O_WRONLY));
	printf("as root: chown mine     %s\n", TRY(chown("d/mine", 1000, 100)));
	mode_of("d/mine", 1);                    /* 0604: others may read, group may not */
	as(2000, 100);
	printf("as 2000:100: open mine r %s (group class: no r)\n", opens("d/mine", O_RDONLY));
	as(2000, 2000);
	printf("as 2000:2000: open mine r %s (other class: r)\n", opens("d/mine", O_RDONLY));
	printf("as 2000:2000: open mine w %s\n", opens("d/mine", O_WRONLY));
	as(1000, 1000);
	chmod("d/mine", 0004);
	printf("as 1000: open own 0004 r %s (owner class: nothing)\n", opens("d/mine", O_RDONLY));

	as(0, 0);
	fd = open("s/roots", O_CREAT | O_WRONLY, 0666);
	close(fd);
	as(1000, 1000);
	printf("as 1000: unlink s/roots  %s (sticky)\n", TRY(unlink("s/roots")));
	as(0, 0);
	printf("as root: unlink s/roots  %s\n", TRY(unlink("s/roots")));
	printf("as root: exec d/secret   ");
	fflush(stdout);
	char *argv[] = {"secret", NULL};
	execv("d/secret", argv);
	printf("%s (no x bit)\n", errname(errno));
	return 0;
}
