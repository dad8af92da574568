/* run as: 0:0
 * The POSIX rules for changing ids, starting as root: root may set any id;
 * once the effective uid is not 0 only the real or saved uid may come back;
 * setuid() by root sets all three uids, after which there is no way back. */
#ifdef __linux__
#include <grp.h>               /* setgroups: <unistd.h> on BSD */
#endif
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>
#include "errname.h"

static void show(const char *what, const char *result)
{
	printf("%-16s %-6s uid=%d euid=%d gid=%d egid=%d\n", what, result,
	       (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid());
}

int main(void)
{
	gid_t g[1] = {50};
	show("start", "");
	show("setgroups({50})", TRY(setgroups(1, g)));
	show("setegid(100)", TRY(setegid(100)));
	show("seteuid(1000)", TRY(seteuid(1000)));      /* root for a while no more */
	show("setuid(2000)", TRY(setuid(2000)));        /* not real, saved or effective */
	show("seteuid(2000)", TRY(seteuid(2000)));
	show("setgid(300)", TRY(setgid(300)));          /* not root now */
	show("setgroups({})", TRY(setgroups(0, NULL)));
	show("seteuid(0)", TRY(seteuid(0)));            /* the real uid is still 0 */
	show("setgid(200)", TRY(setgid(200)));          /* root: real, effective, saved */
	show("setegid(100)", TRY(setegid(100)));        /* root may take any group */
	show("setuid(1000)", TRY(setuid(1000)));        /* root: all three uids */
	show("seteuid(0)", TRY(seteuid(0)));            /* no way back */
	show("setuid(0)", TRY(setuid(0)));
	show("setgid(0)", TRY(setgid(0)));              /* 0 is none of our gids */
	show("setegid(200)", TRY(setegid(200)));        /* the real gid: allowed */
	show("setgid(200)", TRY(setgid(200)));
	show("setgroups({50})", TRY(setgroups(1, g)));
	return 0;
}
