/* suidwho: a set-user-id program to study. It is installed owned by root with
 * mode 04755 (see oskit/kernel/security/boot.py, INSTALL_MODES), so whoever runs it
 * gets root's authority as its *effective* user id, while the *real* user id
 * still says who started it.
 *
 *   suidwho          print the ids, drop the privilege for a while and take it
 *                    back (the saved user id remembers root), then drop it for
 *                    good (after which taking it back fails with EPERM)
 *   suidwho FILE     also try to read FILE: once with the program's authority
 *                    (open, effective uid) and once asking whether the *caller*
 *                    may (access, real uid) -- the difference is the whole
 *                    story of the confused deputy
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void ids(const char *when)
{
    printf("%-22s uid=%d euid=%d gid=%d egid=%d issetugid=%d\n", when,
           (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid(), issetugid());
}

static void try_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    printf("open(%s) with euid %d: %s\n", path, (int)geteuid(), fd >= 0 ? "ok" : strerror(errno));
    if (fd >= 0)
        close(fd);
    int r = access(path, R_OK);
    printf("access(%s, R_OK) for uid %d: %s\n", path, (int)getuid(), r == 0 ? "ok" : strerror(errno));
}

int main(int argc, char **argv)
{
    uid_t privileged = geteuid(), caller = getuid();
    ids("started:");
    if (argc > 1)
        try_file(argv[1]);
    if (seteuid(caller) == 0)
        ids("seteuid(caller):");
    if (seteuid(privileged) == 0)
        ids("seteuid(saved):");
    else
        printf("seteuid(%d): %s\n", (int)privileged, strerror(errno));
    if (setuid(caller) == 0)
        ids("setuid(caller):");
    if (seteuid(privileged) != 0)
        printf("seteuid(%d) after setuid: %s\n", (int)privileged, strerror(errno));
    else
        ids("seteuid(saved) again:");
    return 0;
}
