/* run as: 0:0
 * Who may keep a set-user-id bit: a file's owner may set it with chmod, but a
 * write or a chown by anyone but root clears it -- otherwise whoever may write
 * a set-user-id program could run their own code with its owner's authority. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "errname.h"

static void mode_of(const char *what)
{
	struct stat sb;
	stat("f", &sb);
	printf("%-28s mode %04o\n", what, (unsigned)(sb.st_mode & 07777));
}

int main(void)
{
	int fd = open("f", O_CREAT | O_WRONLY, 0755);
	close(fd);
	chown("f", 1000, 1000);
	chmod("f", 04755);
	mode_of("root: chmod 04755");
	setegid(100);
	seteuid(1000);                          /* the owner, without privilege */
	fd = open("f", O_WRONLY);
	write(fd, "x", 1);
	close(fd);
	mode_of("owner: write 1 byte");
	printf("owner: chmod 04755          %s\n", TRY(chmod("f", 04755)));
	mode_of("");
	printf("owner: chown to group 100   %s\n", TRY(chown("f", (uid_t)-1, 100)));
	mode_of("");
	seteuid(0);
	chmod("f", 04755);
	fd = open("f", O_WRONLY);
	write(fd, "x", 1);
	close(fd);
	mode_of("root: chmod 04755, write");
	return 0;
}
