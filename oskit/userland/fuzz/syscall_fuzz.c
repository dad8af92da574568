/*
 * syscall_fuzz.c: random system calls with hostile arguments, to show that
 * no program can break the kernel ("everything the book shows is true").
 *
 *      syscall_fuzz SEED WORKERS CALLS TIMEOUT_MS
 *
 * The process started is the *supervisor*. It makes no random call itself:
 * it forks WORKERS workers, one after the other, and each worker makes CALLS
 * random system calls, then exits. A worker may do anything to itself (unmap
 * its own stack, block every signal, sleep for ever, set a handler at a
 * garbage address): the supervisor arms an alarm of TIMEOUT_MS (emulated
 * time) for each worker and kills it with SIGKILL when the alarm rings. At
 * the end it prints one line the Python driver reads:
 *
 *      fuzz: workers W exited E signalled S timeouts T
 *
 * The driver (tools/fuzz_syscalls.py) counts the calls and their errnos
 * from the kernel's own trace, so a worker keeps no statistics: whatever it
 * wrecks in its own memory, nothing is lost.
 *
 * What keeps the supervisor alive: three out of four workers drop root
 * (setgid/setuid 1000) before the first random call, so kill(-1, SIGKILL)
 * cannot reach the root supervisor; a worker that stays root (to reach
 * root-only paths: setuid, setgroups, chown, raising limits) sends real
 * signals only to itself, to processes younger than itself (its children,
 * and other workers' children) and to init, and its destructive file
 * calls (unlink, rename, rmdir, link, chmod, chown, open with O_TRUNC) get
 * paths under /tmp/f only. Every other argument is fair game.
 *
 * The worker uses its own ecall (sc() below), not libc's stubs: a random call
 * may leave the thread's TLS (where errno lives) unmapped, and only the
 * registers are sure to survive.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define VM_MAXUSER      0x4000000000UL          /* the end of the user half (param.py) */
#define KERNBASE        0xffffffc000000000UL    /* the kernel half: trampoline */
#define DMAP_BASE       0xffffffd000000000UL    /* the direct map of RAM */
#define PAGE            4096UL
#define ARENA_PAGES     16                      /* the worker's playground for mmap and friends */
#define FUZZ_UID        1000

/* -- randomness: xorshift64*, seeded from argv, so a run can be repeated ------------ */
static unsigned long rng_state;

static unsigned long rnd(void)
{
    unsigned long x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DUL;
}

static unsigned long pick(unsigned long n) { return rnd() % n; }
static int one_in(unsigned long n) { return pick(n) == 0; }

/* -- the raw system call: t0 = number, a0..a5 = arguments; returns a0, *err = t0 ------- */
static long sc(long n, long a0, long a1, long a2, long a3, long a4, long a5, long *err)
{
    register long r0 __asm__("a0") = a0;
    register long r1 __asm__("a1") = a1;
    register long r2 __asm__("a2") = a2;
    register long r3 __asm__("a3") = a3;
    register long r4 __asm__("a4") = a4;
    register long r5 __asm__("a5") = a5;
    register long t0 __asm__("t0") = n;
    __asm__ volatile("ecall" : "+r"(r0), "+r"(r1), "+r"(t0) : "r"(r2), "r"(r3), "r"(r4), "r"(r5) : "memory");
    *err = t0;
    return r0;
}

/* -- the worker's memory: what a "valid" pointer points at ------------------------------ */
static char buf[8192];                  /* bss: writable */
static char *arena;                     /* ARENA_PAGES - 1 mapped pages, then a hole */
static unsigned long arena_top;         /* the first unmapped byte after the arena */
static int root;                        /* this worker kept uid 0 */
static long fds[16];                    /* descriptors calls returned (valid-looking ones) */
static unsigned long maps[8];           /* addresses mmap returned */
static char thread_stacks[4][8192] __attribute__((aligned(16)));
static char thread_tls[4][256] __attribute__((aligned(16)));
static long thread_state[4];
static unsigned thread_next;

/* Paths a call may get. The "safe" ones are all a root worker may destroy. */
static const char *const safe_paths[] = {
    "/tmp/f/a", "/tmp/f/b", "/tmp/f/d", "/tmp/f/d/e", "/tmp/f/new", "/tmp/f/a/x", "/tmp/f",
    "/tmp/f/d/../a", "/tmp/f//b", "/tmp/f/nonexistent/x",
};
static const char *const other_paths[] = {
    "/", ".", "..", "", "/dev/null", "/dev/zero", "/dev", "/sbin/init", "/bin", "/tmp",
    "/nonexistent", "a", "d/e", "/dev/null/x", "/bin/syscall_fuzz",
};

/* -- hostile values -------------------------------------------------------------------- */
static unsigned long any_number(void)
{
    static const unsigned long pool[] = {
        0, 1, 2, 3, 7, 8, 63, 64, 255, 4095, 4096, 4097, 65536, 0x7fffffff, 0x80000000,
        0xffffffff, 0x100000000UL, 0x100000003UL, 0x7fffffffffffffffUL, 0x8000000000000000UL,
        -1UL, -2UL, -4096UL, -100UL, 1UL << 38, 1UL << 40, 0xffffffff00000000UL,
    };
    switch (pick(4)) {
    case 0: return pool[pick(sizeof pool / sizeof pool[0])];
    case 1: return pick(64);
    case 2: return rnd();
    default: return (long)(int)rnd();           /* a random int, sign-extended */
    }
}

static unsigned long hostile_pointer(void)
{
    switch (pick(18)) {
    case 0: return 0;                                           /* NULL */
    case 1: return 1 + pick(PAGE - 1);                          /* page 0 */
    case 2: return KERNBASE + pick(4) * PAGE + pick(PAGE);      /* kernel text */
    case 3: return DMAP_BASE + pick(128UL << 20);               /* any kernel data */
    case 4: return DMAP_BASE + 0x2000 + 16 * pick(0x10000);     /* the kmalloc heap: ucreds, trap frames */
    case 5: return VM_MAXUSER - 1 - pick(64);                   /* straddles the end of the user half */
    case 6: return VM_MAXUSER + pick(3) * PAGE;                 /* just above it */
    case 7: return VM_MAXUSER - PAGE + (pick(2) ? 0 : pick(PAGE));     /* the shared page: read-only */
    case 8: return (unsigned long)&sc + pick(512);              /* my own text: read-only */
    case 9: return (unsigned long)safe_paths[0] + pick(64);     /* my rodata: read-only */
    case 10: return arena_top - 1 - pick(64);                   /* runs into the unmapped hole */
    case 11: return arena_top + pick(4 * PAGE);                 /* the hole itself */
    case 12: return 1UL << (39 + pick(25));                     /* not canonical */
    case 13: return pick(1UL << 38) | 1;                        /* anywhere in the user half, misaligned */
    case 14: return maps[pick(8)] + pick(3) * PAGE;             /* where mmap put something, maybe gone */
    case 15: return -1UL - pick(4096);
    case 16: return rnd();
    default: return (unsigned long)buf + 1 + 2 * pick(100);     /* misaligned but valid */
    }
}

static unsigned long pointer(void)
{
    if (one_in(3))
        return hostile_pointer();
    switch (pick(3)) {
    case 0: return (unsigned long)buf + (pick(4) ? 8 * pick(512) : pick(4096));
    case 1: return (unsigned long)arena + 8 * pick((ARENA_PAGES - 1) * PAGE / 8 - 64);
    default: { static char stack_like[512]; return (unsigned long)stack_like + 8 * pick(32); }
    }
}

static unsigned long size(void)
{
    static const unsigned long pool[] = {
        0, 1, 2, 7, 8, 16, 64, 104, 128, 255, 256, 4095, 4096, 4097, 8192, 65536, 1UL << 20,
        1UL << 30, 1UL << 38, 1UL << 40, -1UL, -2UL, -4096UL, 0x7fffffffffffffffUL,
        0x8000000000000000UL, VM_MAXUSER,
    };
    return one_in(4) ? any_number() : pool[pick(sizeof pool / sizeof pool[0])];
}

static long fd(void)
{
    switch (pick(8)) {
    case 0: case 1: case 2: return fds[pick(16)];               /* one a call returned */
    case 3: return pick(4);
    case 4: { static const long bad[] = {-1, -100, 63, 64, 1023, 1024, 0x7fffffff, 0x100000003L, -2};
              return bad[pick(9)]; }
    case 5: return (long)any_number();
    default: return pick(24);
    }
}

static unsigned long path(int destructive)
{
    if (destructive && root)                                    /* keep /sbin/init and /dev alive */
        return (unsigned long)safe_paths[pick(sizeof safe_paths / sizeof safe_paths[0])];
    switch (pick(6)) {
    case 0: case 1: return (unsigned long)safe_paths[pick(sizeof safe_paths / sizeof safe_paths[0])];
    case 2: return (unsigned long)other_paths[pick(sizeof other_paths / sizeof other_paths[0])];
    case 3: {                                                   /* a long one, maybe with no NUL at all */
        char *s = buf + 4096;
        unsigned long n = pick(2) ? 200 + pick(2000) : 4095;
        memset(s, 'x', n);
        memcpy(s, "/tmp/f/", 7);
        s[n] = one_in(4) ? 'y' : 0;
        return (unsigned long)s;
    }
    case 4: return arena_top - 1 - pick(16);                    /* a string running into the hole */
    default: return hostile_pointer();
    }
}

static unsigned long mm_address(void)
{
    if (one_in(4))
        return hostile_pointer();
    return (unsigned long)arena + pick(ARENA_PAGES) * PAGE + (one_in(8) ? pick(PAGE) : 0);
}

static unsigned long mm_length(void)
{
    return one_in(4) ? size() : (1 + pick(ARENA_PAGES)) * PAGE - (one_in(8) ? pick(PAGE) : 0);
}

static long sig(void)
{
    return one_in(8) ? (long)any_number() : (long)pick(34);
}

/* A buffer of garbage the kernel may read as a struct (timespec, itimerval, rlimit, ...):
 * small numbers mostly, so that some of them make sense. */
static unsigned long struct_in(void)
{
    if (one_in(4))
        return pointer();
    long *w = (long *)(buf + 8 * pick(256));
    for (int i = 0; i < 8; i++)
        w[i] = pick(3) ? (long)pick(1000) : (long)any_number();
    return (unsigned long)w;
}

/* -- threads: a thread runs a few random calls and ends with thr_exit -------------- */
static void one_call(int depth);

static void thread_main(void *arg)
{
    long err, *state = arg;
    for (int i = 0; i < 3; i++)
        one_call(1);
    sc(SYS_thr_exit, (long)state, 0, 0, 0, 0, 0, &err);
    for (;;)                                    /* thr_exit with a bad pointer still ends the thread */
        sc(SYS_thr_exit, 0, 0, 0, 0, 0, 0, &err);
}

static unsigned long thr_param(void)
{
    if (one_in(3))
        return struct_in();                     /* garbage: start_func anywhere */
    unsigned slot = thread_next++ % 4;
    long *p = (long *)(buf + 2048);
    memset(p, 0, 104);
    p[0] = (long)thread_main;
    p[1] = (long)&thread_state[slot];
    p[2] = (long)thread_stacks[slot];
    p[3] = sizeof thread_stacks[slot];
    p[4] = (long)thread_tls[slot];
    p[5] = sizeof thread_tls[slot];
    p[6] = one_in(4) ? (long)hostile_pointer() : (long)buf;   /* child_tid */
    p[7] = one_in(4) ? (long)hostile_pointer() : 0;           /* parent_tid */
    return (unsigned long)p;
}

static unsigned long handler(void)
{
    long *sa = (long *)(buf + 3072);            /* struct sigaction: handler, flags, mask */
    static const long handlers[] = {0, 1, (long)thread_main, 0xdead, (long)VM_MAXUSER - PAGE};
    sa[0] = pick(4) ? handlers[pick(3)] : handlers[3 + pick(2)];
    sa[1] = pick(2) ? (long)(pick(128)) : (long)any_number();
    sa[2] = pick(2) ? 0 : (long)any_number();
    sa[3] = 0;
    return one_in(4) ? pointer() : (unsigned long)sa;
}

/* -- one random call ------------------------------------------------------------------ */
static void one_call(int depth)
{
    long a[6], err = 0;
    for (int i = 0; i < 6; i++)
        a[i] = (long)any_number();              /* unused registers hold garbage too */
    long n;
    switch (pick(76)) {
    case 0: n = SYS_read; a[0] = fd(); a[1] = pointer(); a[2] = size(); break;
    case 1: case 2: n = SYS_write; a[0] = fd(); a[1] = pointer(); a[2] = size(); break;
    case 3: case 4: n = SYS_open; a[2] = pick(0777);
        a[1] = pick(2) ? (long)(pick(4) | (pick(2) ? O_CREAT : 0) | (pick(4) ? 0 : O_TRUNC)
                                | (one_in(4) ? O_EXCL | O_NONBLOCK | O_APPEND : 0)
                                | (one_in(4) ? O_DIRECTORY | O_CLOEXEC : 0)) : (long)any_number();
        a[0] = path(a[1] & (O_TRUNC | 3)); break;
    case 5: case 6: n = SYS_close; a[0] = fd(); break;
    case 7: n = SYS_wait4; a[0] = one_in(2) ? -1 : (long)any_number(); a[1] = pointer();
        a[2] = pick(2) ? 1 /* WNOHANG */ : (long)any_number(); a[3] = pointer(); break;
    case 8: n = SYS_link; a[0] = path(0); a[1] = path(1); break;
    case 9: n = SYS_unlink; a[0] = path(1); break;
    case 10: n = SYS_chdir; a[0] = path(0); break;
    case 11: n = SYS_fchdir; a[0] = fd(); break;
    case 12: n = SYS_chmod; a[0] = path(1); a[1] = pick(2) ? (long)pick(07777) : (long)any_number(); break;
    case 13: n = SYS_chown; a[0] = path(1); a[1] = pick(2) ? (long)pick(1002) : (long)any_number();
        a[2] = pick(2) ? (long)pick(1002) : (long)any_number(); break;
    case 14: n = SYS_break; a[0] = pick(2) ? (long)hostile_pointer() : (long)mm_address(); break;
    case 15: n = SYS_getpid; break;
    case 16: n = SYS_setuid; a[0] = pick(2) ? (long)pick(1002) : (long)any_number(); break;
    case 17: n = pick(2) ? SYS_getuid : SYS_geteuid; break;
    case 18: n = SYS_access; a[0] = path(0); a[1] = pick(2) ? (long)pick(8) : (long)any_number(); break;
    case 19: n = SYS_kill; a[1] = sig();
        a[0] = pick(2) ? (long)any_number() : (long)pick(200);
        if (root && a[1] != 0) {                /* a root worker signals only itself, younger processes */
            long me = sc(SYS_getpid, 0, 0, 0, 0, 0, 0, &err);  /* and init, which must survive anything */
            if ((int)a[0] < me && (int)a[0] != 1)   /* (never a supervisor or a group: the kernel reads */
                a[0] = one_in(4) ? 1 : me;          /*  an int, so 0xffffffff is -1, every process) */
        }
        break;
    case 20: n = pick(2) ? SYS_getppid : SYS_issetugid; break;
    case 21: n = SYS_dup; a[0] = fd(); break;
    case 22: n = pick(2) ? SYS_getegid : SYS_getgid; break;
    case 23: n = SYS_ioctl; a[0] = fd(); a[2] = pointer();
        a[1] = pick(2) ? (long)(0x40000000UL | 0x80000000UL | (pick(256) << 16) | ('t' << 8) | pick(128))
                       : (long)any_number(); break;
    case 24: if (!one_in(8)) return;            /* rarely: execve replaces the worker */
        n = SYS_execve; a[0] = path(0); a[1] = pointer(); a[2] = pointer(); break;
    case 25: n = SYS_umask; a[0] = (long)any_number(); break;
    case 26: n = SYS_msync; a[0] = mm_address(); a[1] = mm_length(); a[2] = pick(2) ? (long)pick(4) : (long)any_number(); break;
    case 27: case 28: n = SYS_munmap; a[0] = mm_address(); a[1] = mm_length(); break;
    case 29: case 30: n = SYS_mprotect; a[0] = mm_address(); a[1] = mm_length();
        a[2] = pick(4) ? (long)pick(8) : (long)any_number(); break;
    case 31: n = SYS_madvise; a[0] = mm_address(); a[1] = mm_length();
        a[2] = pick(4) ? (long)pick(12) : (long)any_number(); break;
    case 32: n = SYS_mincore; a[0] = mm_address(); a[1] = mm_length(); a[2] = pointer(); break;
    case 33: n = SYS_getgroups; a[0] = pick(2) ? (long)pick(20) : (long)any_number(); a[1] = pointer(); break;
    case 34: n = SYS_setgroups; a[0] = pick(2) ? (long)pick(20) : (long)any_number(); a[1] = struct_in(); break;
    case 35: n = SYS_setitimer; a[0] = pick(2) ? (long)pick(3) : (long)any_number(); a[1] = struct_in(); a[2] = pointer();
        if (pick(2)) { long *t = (long *)a[1]; if ((unsigned long)t - (unsigned long)buf < sizeof buf - 32)
                           t[0] = t[1] = t[2] = 0; }    /* often: cancel, or a long timer */
        break;
    case 36: n = SYS_getitimer; a[0] = pick(2) ? (long)pick(3) : (long)any_number(); a[1] = pointer(); break;
    case 37: n = SYS_dup2; a[0] = fd(); a[1] = fd(); break;
    case 38: case 39: n = SYS_fcntl; a[0] = fd(); a[1] = pick(4) ? (long)pick(16) : (long)any_number();
        a[2] = pick(2) ? (long)pick(70) : (long)any_number(); break;
    case 40: n = SYS_gettimeofday; a[0] = pointer(); a[1] = pointer(); break;
    case 41: n = SYS_getrusage; a[0] = pick(2) ? (long)pick(3) - 1 : (long)any_number(); a[1] = pointer(); break;
    case 42: n = SYS_rename; a[0] = path(1); a[1] = path(1); break;
    case 43: n = SYS_mkdir; a[0] = path(1); a[1] = pick(2) ? (long)pick(0777) : (long)any_number(); break;
    case 44: n = SYS_rmdir; a[0] = path(1); break;
    case 45: n = pick(2) ? SYS_setgid : SYS_setegid; a[0] = pick(2) ? (long)pick(1002) : (long)any_number(); break;
    case 46: n = SYS_seteuid; a[0] = pick(2) ? (long)pick(1002) : (long)any_number(); break;
    case 47: n = SYS_getrlimit; a[0] = pick(4) ? (long)pick(16) : (long)any_number(); a[1] = pointer(); break;
    case 48: n = SYS_setrlimit; a[0] = pick(4) ? (long)pick(16) : (long)any_number(); a[1] = struct_in(); break;
    case 49: n = SYS_clock_gettime; a[0] = pick(2) ? (long)pick(16) : (long)any_number(); a[1] = pointer(); break;
    case 50: n = SYS_nanosleep; a[0] = struct_in(); a[1] = pointer();
        if (!one_in(8)) { long *t = (long *)(buf + 512); t[0] = 0; t[1] = (long)pick(200000); a[0] = (long)t; }
        break;
    case 51: n = SYS___getcwd; a[0] = pointer(); a[1] = size(); break;
    case 52: n = SYS_sched_yield; break;
    case 53: n = SYS_sigprocmask; a[0] = pick(2) ? (long)pick(4) : (long)any_number(); a[1] = struct_in(); a[2] = pointer(); break;
    case 54: if (!one_in(16)) return;            /* sigsuspend waits for a signal: often a hang */
        n = SYS_sigsuspend; a[0] = struct_in(); break;
    case 55: n = SYS_sigpending; a[0] = pointer(); break;
    case 56: case 57: n = SYS_sigaction; a[0] = sig(); a[1] = handler(); a[2] = pointer(); break;
    case 58: n = SYS_sigreturn; a[0] = one_in(2) ? struct_in() : hostile_pointer(); break;
    case 59: n = SYS_thr_self; a[0] = pointer(); break;
    case 60: n = SYS_thr_kill; a[0] = pick(2) ? -1 : (long)any_number(); a[1] = pick(2) ? 0 : sig(); break;
    case 61: n = SYS__umtx_op; a[0] = pointer(); a[1] = pick(4) ? (long)pick(24) : (long)any_number();
        a[2] = (long)any_number(); a[3] = pointer(); a[4] = struct_in(); break;
    case 62: if (depth > 0) return;
        n = SYS_thr_new; a[0] = thr_param(); a[1] = pick(4) ? 104 : (long)any_number(); break;
    case 63: case 64: case 65: n = SYS_mmap; a[0] = pick(2) ? 0 : mm_address(); a[1] = mm_length();
        a[2] = pick(4) ? (long)pick(8) : (long)any_number();
        a[3] = pick(4) ? (long)((pick(2) ? MAP_PRIVATE : MAP_SHARED) | (pick(2) ? MAP_ANON : 0)
                               | (one_in(3) ? MAP_FIXED : 0) | (one_in(6) ? MAP_EXCL : 0))
                       : (long)any_number();
        a[4] = (a[3] & MAP_ANON) && pick(4) ? -1 : fd();
        a[5] = pick(2) ? 0 : (long)size(); break;
    case 66: n = SYS_lseek; a[0] = fd(); a[1] = (long)size(); a[2] = pick(4) ? (long)pick(4) : (long)any_number(); break;
    case 67: case 68: n = SYS_openat; a[0] = pick(2) ? -100 : fd(); a[1] = path(0);
        a[2] = pick(2) ? (long)(pick(4) | O_CREAT) : (long)any_number(); a[3] = pick(0777);
        if (root && (a[2] & (O_TRUNC | 3))) a[1] = path(1);
        break;
    case 69: if (one_in(8)) {                   /* a burst: pipes until the kernel says no (kmem, EMFILE) */
            for (int i = 0; i < 40 && !err; i++)
                sc(SYS_pipe2, (long)buf, 0, 0, 0, 0, 0, &err);
            return;
        }
        n = SYS_pipe2; a[0] = pointer(); a[1] = pick(2) ? (long)(pick(2) ? O_NONBLOCK : 0) : (long)any_number(); break;
    case 70: n = SYS_fstat; a[0] = fd(); a[1] = pointer(); break;
    case 71: n = SYS_fstatat; a[0] = pick(2) ? -100 : fd(); a[1] = path(0); a[2] = pointer(); a[3] = pick(2) ? 0 : (long)any_number(); break;
    case 72: n = SYS_getdirentries; a[0] = fd(); a[1] = pointer(); a[2] = size(); a[3] = pointer(); break;
    case 73: if (depth > 0) return;
        n = SYS_fork; break;
    case 74: if (!one_in(16)) return;           /* rarely: the worker ends itself */
        n = one_in(2) ? SYS_exit : SYS_thr_exit; a[0] = (long)any_number(); break;
    default: {                                  /* a number that is no system call */
        static const long bad[] = {0, 8, 11, 26, 42, 66, 555, 1000, -1, 0x7fffffff, 0x100000014L};
        n = bad[pick(11)]; break;
    }
    }
    long r = sc(n, a[0], a[1], a[2], a[3], a[4], a[5], &err);
    if (err)
        return;
    if (n == SYS_fork && r == 0) {              /* the child: a few calls of its own, then away */
        rng_state ^= 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < 4; i++)
            one_call(1);
        sc(SYS_exit, 0, 0, 0, 0, 0, 0, &err);
    }
    if (n == SYS_open || n == SYS_openat || n == SYS_dup || n == SYS_dup2 || (n == SYS_fcntl && a[1] == 0))
        fds[pick(16)] = r;
    else if (n == SYS_pipe2 && a[0] - (long)buf < (long)sizeof buf - 8 && a[0] >= (long)buf && !(a[0] & 3)) {
        int *two = (int *)a[0];
        fds[pick(16)] = two[0];
        fds[pick(16)] = two[1];
    } else if (n == SYS_mmap)
        maps[pick(8)] = (unsigned long)r;
}

/* -- the worker ------------------------------------------------------------------------ */
static void worker(unsigned long seed, int calls)
{
    long err;
    rng_state = seed * 0x9E3779B97F4A7C15UL + 1;
    /* No console for the worker: a read of fd 0 would wait for typing for ever. */
    int null = open("/dev/null", O_RDWR);
    for (int i = 0; i < 3; i++)
        dup2(null, i);
    root = one_in(4);
    if (!root && (setgid(FUZZ_UID) != 0 || setuid(FUZZ_UID) != 0))
        _exit(99);
    arena = mmap(0, ARENA_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (arena == MAP_FAILED)
        _exit(98);
    munmap(arena + (ARENA_PAGES - 1) * PAGE, PAGE);     /* a hole right after the arena */
    arena_top = (unsigned long)arena + (ARENA_PAGES - 1) * PAGE;
    for (unsigned long i = 0; i < (ARENA_PAGES - 1) * PAGE; i += 8)
        *(unsigned long *)(arena + i) = pick(4) ? pick(256) : rnd();
    memset((char *)arena_top - 64, 'q', 64);            /* strings with no NUL before the hole */
    /* Make it live longer: its first stack pages resident (a random setrlimit(RLIMIT_STACK)
     * then bites only deeper), and every signal that can be ignored ignored (the
     * supervisor ignores all but these two for it; a random sigaction may change that). */
    volatile char stack[64 * 1024];
    for (unsigned long i = 0; i < sizeof stack; i += PAGE)
        stack[i] = 0;
    signal(SIGALRM, SIG_IGN);
    signal(SIGCHLD, SIG_IGN);
    for (int i = 0; i < 16; i++)
        fds[i] = i < 3 ? i : -1;
    for (int i = 0; i < 8; i++)
        maps[i] = (unsigned long)arena;
    for (int i = 0; i < calls; i++)
        one_call(0);
    sc(SYS_exit, 0, 0, 0, 0, 0, 0, &err);
}

/* -- the supervisor ------------------------------------------------------------------- */
static volatile int alarm_rang;

static void on_alarm(int signo)
{
    (void)signo;
    alarm_rang = 1;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s SEED WORKERS CALLS TIMEOUT_MS\n", argc ? argv[0] : "syscall_fuzz");
        return 2;
    }
    unsigned long seed = strtoul(argv[1], 0, 0);
    int workers = atoi(argv[2]), calls = atoi(argv[3]);
    long timeout_ms = atol(argv[4]);

    mkdir("/tmp/f", 0777);
    mkdir("/tmp/f/d", 0777);
    chmod("/tmp/f", 0777);
    int f = open("/tmp/f/a", O_WRONLY | O_CREAT, 0666);
    write(f, "some bytes in a file that workers may map\n", 42);
    close(f);

    for (int s = 1; s < 32; s++)                /* ignored here, so in every worker (fork keeps it) */
        if (s != SIGKILL && s != SIGSTOP && s != SIGALRM && s != SIGCHLD)
            signal(s, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;                   /* no SA_RESTART: wait4 ends with EINTR */
    sigaction(SIGALRM, &sa, 0);

    int exited = 0, signalled = 0, timeouts = 0;
    for (int w = 0; w < workers; w++) {
        pid_t pid = fork();
        if (pid == 0)
            worker(seed * 100003 + w, calls);
        if (pid < 0) {
            printf("fuzz: fork failed\n");
            continue;
        }
        struct itimerval it;
        memset(&it, 0, sizeof it);
        it.it_value.tv_sec = timeout_ms / 1000;
        it.it_value.tv_usec = (timeout_ms % 1000) * 1000;
        alarm_rang = 0;
        setitimer(ITIMER_REAL, &it, 0);
        int status = 0, killed = 0;
        for (;;) {
            pid_t r = waitpid(pid, &status, 0);
            if (r == pid || (r < 0 && errno != EINTR))
                break;
            if (alarm_rang && !killed) {
                kill(pid, SIGKILL);             /* it hangs (or sleeps for ever): end it */
                killed = 1;
            }
        }
        memset(&it, 0, sizeof it);
        setitimer(ITIMER_REAL, &it, 0);
        if (killed)
            timeouts++;
        else if (WIFSIGNALED(status))
            signalled++;
        else
            exited++;
        while (waitpid(-1, &status, WNOHANG) > 0)       /* a worker's orphans came to init, not here */
            ;
    }
    printf("fuzz: workers %d exited %d signalled %d timeouts %d\n", workers, exited, signalled, timeouts);
    return 0;
}
