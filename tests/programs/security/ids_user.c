/* run as: 1000:1000
 * An ordinary user may not become anyone else: every id call that names
 * another id fails with EPERM, and nothing changes. Naming its own ids works. */
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
	gid_t g[1] = {0};
	show("start", "");
	show("setuid(0)", TRY(setuid(0)));
	show("seteuid(0)", TRY(seteuid(0)));
	show("setgid(0)", TRY(setgid(0)));
	show("setegid(0)", TRY(setegid(0)));
	show("setgroups({0})", TRY(setgroups(1, g)));
	show("setuid(1000)", TRY(setuid(1000)));
	show("seteuid(1000)", TRY(seteuid(1000)));
	show("setgid(1000)", TRY(setgid(1000)));
	show("setegid(1000)", TRY(setegid(1000)));
	return 0;
}
