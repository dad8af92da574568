"""The shared page (kern/sharedpage.py): sigcode and the vDSO clock, read by libc without a trap."""

from pathlib import Path

import pytest
from golden import run_golden

import oskit
from oskit.kernel.param import SHAREDPAGE
from oskit.kernel.structs import TIMEKEEP, VDSO_TIMEKEEP_OFFSET
from oskit.toolchain import build

PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "time"
NSEC = 1_000_000_000


def make(source: str, name: str, **boot):
    k = oskit.boot(programs=False, **boot)
    k.install_program(f"/bin/{name}", build({f"{name}.c": source}, mode="user").read_bytes())
    return k


def run(k, name: str, uid: int = 0, limit: int = 50_000_000):
    p = k.spawn(f"/bin/{name}", uid=uid, gid=uid)
    r = k.run(until=p.exited, max_instructions=limit)
    assert k.panic_report is None and r.reason == "until", r
    return p


@pytest.mark.parametrize("harts", [1, 2])
@pytest.mark.parametrize("name", ["clocks_agree", "settime_user"])
def test_clock_programs_print_what_linux_prints(name, harts):
    """Monotonic never goes back, gettimeofday agrees with clock_gettime, errors as on Linux (golden)."""
    uid = 1000 if name == "settime_user" else 0
    out, _p, _k = run_golden(PROGRAMS / f"{name}.c", harts=harts, uid=uid, gid=uid)
    assert out == (PROGRAMS / f"{name}.expected").read_text()


CALLS = r"""
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
int main(void) {
    struct timespec ts; struct timeval tv;
    for (int i = 0; i < 10; i++) clock_gettime(CLOCK_MONOTONIC, &ts);
    for (int i = 0; i < 5; i++) gettimeofday(&tv, 0);
    printf("%d\n", ts.tv_sec >= 0);
    return 0;
}
"""


def test_clock_gettime_makes_no_system_call_while_the_page_is_on():
    """With fast_gettime on, 10 clock_gettime and 5 gettimeofday make no system call; off, 15."""
    k = make(CALLS, "calls")
    p = run(k, "calls")
    assert [r.name for r in k.trace.syscalls(pid=p.pid) if "time" in r.name] == []
    k.sharedpage.set_fast_gettime(False)
    p = run(k, "calls")
    names = [r.name for r in k.trace.syscalls(pid=p.pid) if "time" in r.name]
    assert names == ["clock_gettime"] * 10 + ["gettimeofday"] * 5


SETTIME = r"""
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
int main(int argc, char **argv) {
    struct timespec t = {2000000000, 500000000}, now;
    struct timeval tv;
    if (argc > 1) { struct timeval s = {1900000000, 250000}; return settimeofday(&s, 0); }
    if (clock_settime(CLOCK_REALTIME, &t) != 0) return 1;
    clock_gettime(CLOCK_REALTIME, &now);
    gettimeofday(&tv, 0);
    printf("%lld %d %lld\n", (long long)now.tv_sec, now.tv_nsec >= 500000000, (long long)tv.tv_sec);
    return 0;
}
"""


def test_setting_the_clock_is_seen_by_the_page_readers():
    """Root's clock_settime moves CLOCK_REALTIME for libc's page readers at once, and for the next process."""
    k = make(SETTIME, "settime")
    p = run(k, "settime")
    assert p.stdout == "2000000000 1 2000000000\n"
    assert k.trace.syscalls(pid=p.pid, name="clock_gettime") == []     # read from the page
    tk = k.sharedpage.read()
    assert tk["tk_boot_sec"] * NSEC + tk["tk_boot_nsec"] < 2_000_000_000 * NSEC + 500_000_000 and tk["tk_gen"] == k.sharedpage.gen != 0
    p2 = k.spawn("/bin/settime", ["settime", "again"])
    k.run(until=p2.exited)
    assert p2.exit_status == 0
    real = k.sharedpage.boottime_ns + k.machine.clint.mtime * NSEC // k.timebase_hz
    assert 1_900_000_000 * NSEC <= real < 1_900_000_001 * NSEC


WRITE_PAGE = r"""
#include <stdio.h>
extern const void *__timekeep;
int main(void) {
    printf("%s\n", __timekeep ? "page" : "none");
    fflush(stdout);
    *(volatile long *)__timekeep = 0;     /* the kernel's clock data: read-only */
    printf("wrote it\n");
    return 0;
}
"""


def test_the_page_is_read_only_for_the_user():
    """A store into the timekeep data is a SIGSEGV, and the page still holds the kernel's data."""
    k = make(WRITE_PAGE, "wpage")
    before = k.sharedpage.read()
    p = run(k, "wpage")
    assert p.stdout == "page\n" and p.signaled == 11
    assert k.sharedpage.read() == before


def test_auxv_points_at_the_timekeep_data():
    """AT_TIMEKEEP is SHAREDPAGE + VDSO_TIMEKEEP_OFFSET; the page holds the magic and the timebase."""
    k = oskit.boot(programs=False)
    tk = k.sharedpage.read()
    assert k.sharedpage.timekeep_pa % 4096 == VDSO_TIMEKEEP_OFFSET
    assert tk["tk_magic"] == 0x6B656574656D6974 and tk["tk_timebase_hz"] == k.timebase_hz
    assert (tk["tk_boot_sec"], tk["tk_boot_nsec"], tk["tk_enabled"]) == (1_767_225_600, 0, 1)
    assert SHAREDPAGE + VDSO_TIMEKEEP_OFFSET == 0x3FFFFFF000 + 0x800


# A reader that compares CLOCK_REALTIME - CLOCK_MONOTONIC (the boot time libc used) with the two
# boot times the test's writer alternates between, and a naive reader that reads the page's two
# boot-time words without the generation count.
RACE = r"""
#include <stdint.h>
#include <stdio.h>
#include <time.h>
extern const void *__timekeep;
#define A_NS (1000LL * 1000000000 + 999999000)
#define B_NS (1001LL * 1000000000)
static int sane(long long d) {      /* within 200 us after A or B (the two reads are apart) */
    return (d >= A_NS && d < A_NS + 200000) || (d >= B_NS && d < B_NS + 200000);
}
int main(void) {
    const volatile int64_t *boot = (const volatile int64_t *)((const char *)__timekeep + 24);
    int torn_libc = 0, torn_naive = 0;
    for (int i = 0; i < 3000; i++) {          /* the naive reader first: it never waits */
        long long sec = boot[0];
        for (volatile int j = 0; j < 5; j++) { }
        long long nb = sec * 1000000000LL + boot[1];
        if (nb != A_NS && nb != B_NS) torn_naive++;
    }
    for (int i = 0; i < 3000; i++) {          /* then libc's, which retries */
        struct timespec rt, mono;
        clock_gettime(CLOCK_MONOTONIC, &mono);
        clock_gettime(CLOCK_REALTIME, &rt);
        long long d = (rt.tv_sec - mono.tv_sec) * 1000000000LL + rt.tv_nsec - mono.tv_nsec;
        if (!sane(d)) torn_libc++;
    }
    printf("libc %d naive %d\n", torn_libc, torn_naive);
    return 0;
}
"""


@pytest.mark.parametrize("harts", [1, 2])
def test_readers_retry_while_a_writer_rewrites_the_page(harts):
    """A slow writer tears the page word by word: libc's reader (generation count) never mixes two
    updates; a naive reader of the same words does (so the test can fail)."""
    k = make(RACE, "race", harts=harts)
    sp = k.sharedpage
    sp.set_realtime(1000 * NSEC + 999_999_000, 0)
    p = k.spawn("/bin/race")
    gen_at = sp.timekeep_pa + TIMEKEEP.offset("tk_gen")
    sec_at = sp.timekeep_pa + TIMEKEEP.offset("tk_boot_sec")
    nsec_at = sp.timekeep_pa + TIMEKEEP.offset("tk_boot_nsec")
    bus = k.machine.bus
    values = [(1001, 0), (1000, 999_999_000)]
    gen, step = sp.gen, 0
    while not p.exited():
        sec, nsec = values[step % 2]
        step += 1
        bus.write_bytes(gen_at, (0).to_bytes(4, "little"))          # 1: "being updated"
        k.run(until=p.exited, max_instructions=37 * harts)
        bus.write_bytes(sec_at, sec.to_bytes(8, "little"))           # 2: one word ...
        k.run(until=p.exited, max_instructions=53 * harts)
        bus.write_bytes(nsec_at, nsec.to_bytes(8, "little"))         # 3: ... then the other
        k.run(until=p.exited, max_instructions=41 * harts)
        gen = gen % 0xFFFF_FFFF + 1
        bus.write_bytes(gen_at, gen.to_bytes(4, "little"))           # 4: a new generation
        k.run(until=p.exited, max_instructions=211)
        assert step < 100_000 and k.panic_report is None
    libc, naive = (int(w) for w in p.stdout.split()[1::2])
    assert libc == 0
    assert naive > 0
