/* unistd.h: the classic UNIX system calls, and small helpers built on them. */
#ifndef _UNISTD_H_
#define _UNISTD_H_

#include <sys/types.h>

#define STDIN_FILENO    0
#define STDOUT_FILENO   1
#define STDERR_FILENO   2

#define SEEK_SET        0               /* lseek: from the start */
#define SEEK_CUR        1               /*        from the current offset */
#define SEEK_END        2               /*        from the end */

#define F_OK            0               /* access: does it exist? */
#define X_OK            0x01            /*         may I execute it? */
#define W_OK            0x02            /*         write it? */
#define R_OK            0x04            /*         read it? */

extern char **environ;                  /* "NAME=value" strings, NULL-terminated */

/* processes */
pid_t   fork(void);
int     execve(const char *path, char *const argv[], char *const envp[]);
int     execv(const char *path, char *const argv[]);
int     execvp(const char *file, char *const argv[]);      /* searches $PATH */
int     execl(const char *path, const char *arg, ...);      /* args end with (char *)NULL */
int     execlp(const char *file, const char *arg, ...);
int     execle(const char *path, const char *arg, ...);     /* ..., NULL, char *const envp[] */
void    _exit(int status) __attribute__((noreturn));
pid_t   getpid(void);
pid_t   getppid(void);
uid_t   getuid(void);
uid_t   geteuid(void);
gid_t   getgid(void);
gid_t   getegid(void);
int     setuid(uid_t uid);
int     setgid(gid_t gid);
int     seteuid(uid_t euid);
int     setegid(gid_t egid);
int     getgroups(int gidsetsize, gid_t grouplist[]);
int     setgroups(int ngroups, const gid_t *gidset);
int     issetugid(void);

/* files and descriptors */
ssize_t read(int fd, void *buf, size_t nbytes);
ssize_t write(int fd, const void *buf, size_t nbytes);
int     close(int fd);
int     dup(int fd);
int     dup2(int from, int to);
int     pipe(int fildes[2]);
int     pipe2(int fildes[2], int flags);
off_t   lseek(int fd, off_t offset, int whence);
int     access(const char *path, int mode);
int     chdir(const char *path);
int     fchdir(int fd);
char   *getcwd(char *buf, size_t size);
int     unlink(const char *path);
int     link(const char *path, const char *link);
int     rmdir(const char *path);
int     chown(const char *path, uid_t owner, gid_t group);
int     isatty(int fd);

/* system configuration: sysconf(_SC_PAGESIZE) and friends (FreeBSD's names and numbers) */
#define _SC_ARG_MAX             1
#define _SC_CHILD_MAX           2
#define _SC_CLK_TCK             3
#define _SC_NGROUPS_MAX         4
#define _SC_OPEN_MAX            5
#define _SC_PAGESIZE            47
#define _SC_PAGE_SIZE           _SC_PAGESIZE
#define _SC_NPROCESSORS_CONF    57
#define _SC_NPROCESSORS_ONLN    58
long    sysconf(int name);
int     getpagesize(void);

/* memory */
int     brk(const void *addr);
void   *sbrk(intptr_t incr);

/* options: getopt(argc, argv, "ab:c") returns 'a', 'b' (optarg = its value), ..., -1 at the end */
extern char *optarg;
extern int optind, opterr, optopt, optreset;
int     getopt(int argc, char *const argv[], const char *optstring);

int     pause(void);                    /* sleep until a signal handler has run */

/* any system call by number (one without a libc stub yet): -1 and errno on failure */
long    syscall(long number, ...);

/* time */
unsigned int sleep(unsigned int seconds);
unsigned int alarm(unsigned int seconds);  /* SIGALRM after seconds (0 cancels); returns what was left */
int     usleep(useconds_t microseconds);

#endif /* !_UNISTD_H_ */
