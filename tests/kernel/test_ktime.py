"""Kernel time (kern/ktime.py): the kernel's work takes emulated time, billed as system time."""

from pathlib import Path

import pytest
from golden import run_golden

import oskit
from oskit.kernel.kern.ktime import COPY_CYCLES_PER_PAGE, COSTS
from oskit.kernel.riscv import cpu
from oskit.toolchain import build

PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "time"

LOOP = r"""
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
static long stime_us(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
}
int main(void) {
    struct timespec a, b;
    long s0 = stime_us();
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 5000; i++) getppid();
    clock_gettime(CLOCK_MONOTONIC, &b);
    long s1 = stime_us();
    printf("%ld %ld\n", (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec), (s1 - s0) * 1000);
    return 0;
}
"""

# Each figure is the least of four tries on fresh pages (a page fault and the 4 KiB each time,
# as when it was measured): a timer interrupt can land in one try, not in all of them.
MEMCOST = r"""
#include <stdio.h>
#include <string.h>
static char a[4][4096] __attribute__((aligned(4096))), b[4][4096] __attribute__((aligned(4096)));
static inline unsigned long instret(void) { unsigned long x; __asm__ volatile("rdinstret %0" : "=r"(x)); return x; }
int main(void) {
    unsigned long zero = -1UL, copy = -1UL;
    for (int i = 0; i < 4; i++) {
        unsigned long t0 = instret(); memset(a[i], 0, 4096);
        unsigned long t1 = instret(); memcpy(b[i], a[i], 4096);
        unsigned long t2 = instret();
        if (t1 - t0 < zero) zero = t1 - t0;
        if (t2 - t1 < copy) copy = t2 - t1;
    }
    printf("%lu %lu\n", zero, copy);
    return 0;
}
"""


def run_c(k, source: str, name: str):
    k.install_program(f"/bin/{name}", build({f"{name}.c": source}, mode="user", name=name).read_bytes())
    p = k.spawn(f"/bin/{name}")
    k.run(until=p.exited, max_instructions=50_000_000)
    assert p.exit_status == 0, p.stdout
    return p


def test_a_program_that_lives_in_the_kernel_has_system_time_as_on_linux():
    """3,000 64 KiB reads and 20,000 getppid(): ru_stime > 0 and > ru_utime, as Linux reports (was 0)."""
    out, p, k = run_golden(PROGRAMS / "systime.c", max_instructions=200_000_000)
    assert out == (PROGRAMS / "systime.expected").read_text()
    assert p.rusage.stime_ticks > p.rusage.utime_ticks > 0


def test_system_time_is_the_same_on_every_run():
    """The cost model is deterministic: two runs bill the same system and user time."""
    runs = [run_golden(PROGRAMS / "systime.c", max_instructions=200_000_000)[1].rusage for _ in range(2)]
    assert (runs[0].stime_ticks, runs[0].utime_ticks) == (runs[1].stime_ticks, runs[1].utime_ticks)


def test_kernel_work_moves_the_clock_by_the_time_it_bills():
    """5,000 getppid() take longer by the clock with the model on; the extra is the system time billed."""
    elapsed, stime = {}, {}
    for on in (False, True):
        k = oskit.boot(programs=False)
        k.kclock.enabled = on
        elapsed[on], stime[on] = map(int, run_c(k, LOOP, "loop").stdout.split())   # both in ns
    assert stime[False] == 0
    per_call = COSTS["trap"] + COSTS["syscall"]                 # cycles: 10 a tick, 100 ns a tick
    assert stime[True] >= 5000 * per_call * 10
    # The loop's extra time is the system time it was billed (both read by the program itself),
    # within the clock's rounding: mtime moves once per scheduler round.
    assert abs((elapsed[True] - elapsed[False]) - stime[True]) <= 0.01 * stime[True]


def test_the_measured_costs_are_what_this_machine_measures():
    """page_zero and page_copy are memset/memcpy of 4 KiB as counted by instret on this machine."""
    k = oskit.boot(programs=False)
    for hart in k.machine.harts:
        cpu.set_user_counters(hart, cycle=False, instret=True)        # let the program read instret
    zero, copy = map(int, run_c(k, MEMCOST, "memcost").stdout.split())
    assert (zero, copy) == (COSTS["page_zero"], COSTS["page_copy"]) == (COSTS["page_zero"], COPY_CYCLES_PER_PAGE)


@pytest.mark.parametrize("harts", [1, 2])
def test_cycle_counts_the_kernels_work_and_instret_does_not(harts):
    """mcycle - minstret on a hart is exactly the cycles the kernel spent there."""
    k = oskit.boot(programs=False, harts=harts)
    run_c(k, LOOP, "loop")
    spent = sum(h.csr.read("mcycle") - h.csr.read("minstret") for h in k.machine.harts)
    assert spent > 5000 * (COSTS["trap"] + COSTS["syscall"])
    assert spent == sum(k.kclock.total.values())
