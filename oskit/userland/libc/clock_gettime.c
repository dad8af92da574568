/*
 * clock_gettime.c: the time without a system call, when the kernel allows.
 *
 * The time CSR counts ticks since boot, and U-mode may read it (rdtime).
 * The kernel publishes how to turn ticks into time in a read-only page it
 * maps into every process (FreeBSD calls it the timekeep page; Linux, the
 * vDSO data) and tells crt0 its address in the auxiliary vector:
 *
 *   0  tk_magic        0x6B656574656D6974: this really is a timekeep page
 *   8  tk_timebase_hz  ticks per second
 *  16  tk_boot_sec     CLOCK_REALTIME seconds when the counter was 0
 *
 * Then  seconds since boot = ticks / hz,  nanoseconds = (ticks % hz) * 1e9 / hz
 * (split so that nothing overflows 64 bits), and CLOCK_REALTIME adds
 * tk_boot_sec. Any other clock, or no timekeep page, falls back to the
 * system call: the answers are the same, only slower.
 */
#include <stdint.h>
#include <time.h>

struct vdso_timekeep {
    uint64_t tk_magic;
    uint64_t tk_timebase_hz;
    uint64_t tk_boot_sec;
};
#define TIMEKEEP_MAGIC 0x6B656574656D6974ULL

extern const void *__timekeep;          /* from auxv AT_TIMEKEEP (start.c) */
int __sys_clock_gettime(clockid_t clock_id, struct timespec *tp);

int clock_gettime(clockid_t clock_id, struct timespec *tp)
{
    const struct vdso_timekeep *tk = __timekeep;
    int realtime = clock_id == CLOCK_REALTIME || clock_id == CLOCK_REALTIME_PRECISE
                || clock_id == CLOCK_REALTIME_FAST || clock_id == CLOCK_SECOND;
    int uptime = clock_id == CLOCK_MONOTONIC || clock_id == CLOCK_MONOTONIC_PRECISE
              || clock_id == CLOCK_MONOTONIC_FAST || clock_id == CLOCK_UPTIME
              || clock_id == CLOCK_UPTIME_PRECISE || clock_id == CLOCK_UPTIME_FAST;

    if (tk == NULL || tk->tk_magic != TIMEKEEP_MAGIC || tk->tk_timebase_hz == 0 || !(realtime || uptime))
        return __sys_clock_gettime(clock_id, tp);

    uint64_t ticks, hz = tk->tk_timebase_hz;
    __asm__ volatile("rdtime %0" : "=r"(ticks));
    tp->tv_sec = ticks / hz;
    tp->tv_nsec = (long)((ticks % hz) * 1000000000ULL / hz);
    if (realtime)
        tp->tv_sec += tk->tk_boot_sec;
    if (clock_id == CLOCK_SECOND)
        tp->tv_nsec = 0;
    return 0;
}
