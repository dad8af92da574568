/*
 * clock_gettime.c: the time without a system call, when the kernel allows.
 *
 * The time CSR counts ticks since boot, and U-mode may read it (rdtime).
 * The kernel publishes how to turn ticks into time in its shared page, a
 * read-only page mapped into every process (FreeBSD's struct vdso_timekeep;
 * Linux calls it the vDSO data), and tells crt0 its address in the auxiliary
 * vector (AT_TIMEKEEP). The layout is oskit/kernel/structs.py's TIMEKEEP:
 *
 *   0  tk_magic        0x6B656574656D6974: this really is a timekeep page
 *   8  tk_gen          0 while the kernel rewrites the page; then a new value
 *  12  tk_enabled      0: the kernel wants the system call (fast_gettime off)
 *  16  tk_timebase_hz  ticks per second
 *  24  tk_boot_sec     CLOCK_REALTIME when the counter was 0: seconds
 *  32  tk_boot_nsec    ... and nanoseconds
 *
 * Then  seconds since boot = ticks / hz,  nanoseconds = (ticks % hz) * 1e9 / hz
 * (split so that nothing overflows 64 bits), and CLOCK_REALTIME adds the boot
 * time. Any other clock, or no usable page, falls back to the system call:
 * the answers are the same, only slower.
 */
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

struct vdso_timekeep {
    uint64_t tk_magic;
    volatile uint32_t tk_gen;
    uint32_t tk_enabled;
    uint64_t tk_timebase_hz;
    int64_t  tk_boot_sec;
    int64_t  tk_boot_nsec;
};
#define TIMEKEEP_MAGIC 0x6B656574656D6974ULL

extern const void *__timekeep;          /* from auxv AT_TIMEKEEP (start.c) */
int __sys_clock_gettime(clockid_t clock_id, struct timespec *tp);
int __sys_gettimeofday(struct timeval *tp, struct timezone *tzp);

/* One consistent reading of the page and the counter, or 0 if the page cannot be used.
 * The generation count is read before and after: 0, or a change, means the kernel
 * was rewriting the page meanwhile (on another hart), so read it all again. */
static int timekeep_read(uint64_t *ticks, uint64_t *hz, int64_t *boot_sec, int64_t *boot_nsec)
{
    const struct vdso_timekeep *tk = __timekeep;
    if (tk == NULL || tk->tk_magic != TIMEKEEP_MAGIC)
        return 0;
    for (;;) {
        uint32_t gen = tk->tk_gen;
        __asm__ volatile("fence r, r" ::: "memory");   /* the fields after the count */
        if (!tk->tk_enabled)
            return 0;
        *hz = tk->tk_timebase_hz;
        *boot_sec = tk->tk_boot_sec;
        *boot_nsec = tk->tk_boot_nsec;
        __asm__ volatile("rdtime %0" : "=r"(*ticks));
        __asm__ volatile("fence r, r" ::: "memory");   /* the count after the fields */
        if (gen != 0 && gen == tk->tk_gen && *hz != 0)
            return 1;
    }
}

int clock_gettime(clockid_t clock_id, struct timespec *tp)
{
    int realtime = clock_id == CLOCK_REALTIME || clock_id == CLOCK_REALTIME_PRECISE
                || clock_id == CLOCK_REALTIME_FAST || clock_id == CLOCK_SECOND;
    int uptime = clock_id == CLOCK_MONOTONIC || clock_id == CLOCK_MONOTONIC_PRECISE
              || clock_id == CLOCK_MONOTONIC_FAST || clock_id == CLOCK_UPTIME
              || clock_id == CLOCK_UPTIME_PRECISE || clock_id == CLOCK_UPTIME_FAST;
    uint64_t ticks, hz;
    int64_t boot_sec, boot_nsec;

    if (!(realtime || uptime) || !timekeep_read(&ticks, &hz, &boot_sec, &boot_nsec))
        return __sys_clock_gettime(clock_id, tp);
    int64_t sec = (int64_t)(ticks / hz);
    int64_t nsec = (int64_t)((ticks % hz) * 1000000000ULL / hz);
    if (realtime) {
        sec += boot_sec;
        nsec += boot_nsec;
        if (nsec >= 1000000000) {
            nsec -= 1000000000;
            sec++;
        }
    }
    if (clock_id == CLOCK_SECOND)
        nsec = 0;
    tp->tv_sec = sec;
    tp->tv_nsec = nsec;
    return 0;
}

int gettimeofday(struct timeval *tp, struct timezone *tzp)
{
    const struct vdso_timekeep *tk = __timekeep;
    struct timespec ts;
    if (tk == NULL || tk->tk_magic != TIMEKEEP_MAGIC || !tk->tk_enabled)
        return __sys_gettimeofday(tp, tzp);
    if (tp != NULL) {
        clock_gettime(CLOCK_REALTIME, &ts);
        tp->tv_sec = ts.tv_sec;
        tp->tv_usec = ts.tv_nsec / 1000;
    }
    if (tzp != NULL)
        tzp->tz_minuteswest = tzp->tz_dsttime = 0;
    return 0;
}
