"""Golden VM programs: each tests/programs/vm/NAME.c checks one promise of the virtual memory system.

Every NAME.expected was produced by compiling the same program natively with
the host's gcc and running it on Linux (tests/programs/check_native.py vm),
so a pass means oskit's VM behaves there as a real UNIX does. The tests
below the parametrized one look inside the kernel (k.vmstats, rusage) while
such a program runs.
"""

from pathlib import Path

import pytest
from golden import run_golden

import oskit
from oskit.toolchain import build

HERE = Path(__file__).resolve().parents[1] / "programs" / "vm"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))
RAM_MIB = {"pressure": 4, "cow_pressure": 4}   # programs that must run with little RAM


def run_program(name: str, harts: int = 1):
    return run_golden(HERE / f"{name}.c", harts=harts, ram_mib=RAM_MIB.get(name, 128),
                      max_instructions=200_000_000)


@pytest.mark.parametrize("name", PROGRAMS)
def test_vm_program_matches_unix(name):
    """The program prints on oskit exactly what it printed natively on Linux."""
    out, p, k = run_program(name)
    assert out == (HERE / f"{name}.expected").read_text()


FREEBSD_ERRORS = r"""
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#define SHOW(what, call) do { errno = 0; void *r_ = (call); \
    printf("%s: %s\n", what, r_ == MAP_FAILED ? strerror(errno) : "OK"); } while (0)
int main(void)
{
    SHOW("shared and private", mmap(0, 4096, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANON, -1, 0));
    SHOW("neither shared nor private", mmap(0, 4096, PROT_READ, MAP_ANON, -1, 0));
    SHOW("anon with an fd", mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON, 0, 0));
    SHOW("anon with an offset", mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 4096));
    SHOW("unknown prot bit", mmap(0, 4096, 0x80, MAP_PRIVATE | MAP_ANON, -1, 0));
    SHOW("MAP_EXCL without MAP_FIXED", mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON | MAP_EXCL, -1, 0));
    char *p = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0);
    SHOW("MAP_EXCL over a mapping", mmap(p, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON | MAP_FIXED | MAP_EXCL, -1, 0));
    SHOW("MAP_FIXED at page 0", mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0));
    SHOW("64 TiB", mmap(0, 1L << 46, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0));
    return 0;
}
"""


def test_mmap_argument_errors_follow_freebsd():
    """Checks where Linux differs (MAP_SHARED|MAP_PRIVATE is MAP_SHARED_VALIDATE there): FreeBSD's EINVAL/ENOMEM."""
    k = oskit.boot(programs=False)
    k.install_program("/bin/e", build({"e.c": FREEBSD_ERRORS}, mode="user", name="e").read_bytes())
    p = k.spawn("/bin/e")
    k.run(until=p.exited, max_instructions=20_000_000)
    assert p.stdout == "".join(f"{what}: {err}\n" for what, err in [
        ("shared and private", "Invalid argument"), ("neither shared nor private", "Invalid argument"),
        ("anon with an fd", "Invalid argument"), ("anon with an offset", "Invalid argument"),
        ("unknown prot bit", "Invalid argument"), ("MAP_EXCL without MAP_FIXED", "Invalid argument"),
        ("MAP_EXCL over a mapping", "Invalid argument"), ("MAP_FIXED at page 0", "Invalid argument"),
        ("64 TiB", "Cannot allocate memory")])


def test_two_harts_run_the_vm_programs_with_shootdowns():
    """Several VM programs at once on two harts: right output each, and every IPI's flush carried out."""
    k = oskit.boot(programs=False, harts=2)
    names = ["segv", "shared_fork", "minflt", "mincore"]
    for n in names:
        k.install_program(f"/bin/{n}", build([HERE / f"{n}.c"], mode="user", name=n).read_bytes())
    procs = [k.spawn(f"/bin/{n}", cwd="/tmp") for n in names]
    r = k.run(until=lambda: all(p.exited() for p in procs), max_instructions=100_000_000)
    assert r.reason == "until" and k.panic_report is None
    for n, p in zip(names, procs):
        assert p.stdout == (HERE / f"{n}.expected").read_text(), n
    s = k.vmstats
    assert s.ipis > 0 and s.ipi_flushes + sum(len(b) for b in k.tlb_mailbox) == s.ipis


MADVISE = r"""
#include <stdio.h>
#include <sys/mman.h>
static const char *in(char *p) { unsigned char v; mincore(p, 4096, (void *)&v); return v & 1 ? "in" : "out"; }
int main(void)
{
    char *p = mmap(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    p[0] = 'a'; p[4096] = 'b';
    printf("DONTNEED: %d, page %s\n", madvise(p, 4096, MADV_DONTNEED), in(p));
    printf("contents kept: %c\n", p[0]);
    printf("FREE: %d, page %s\n", madvise(p + 4096, 4096, MADV_FREE), in(p + 4096));
    printf("after FREE reads %d\n", p[4096]);
    return 0;
}
"""


def test_madvise_dontneed_keeps_contents_and_free_lets_them_go():
    """FreeBSD semantics: MADV_DONTNEED only unmaps (data stays); MADV_FREE drops private anonymous pages."""
    k = oskit.boot(programs=False)
    k.install_program("/bin/m", build({"m.c": MADVISE}, mode="user", name="m").read_bytes())
    p = k.spawn("/bin/m")
    k.run(until=p.exited, max_instructions=20_000_000)
    assert p.stdout == ("DONTNEED: 0, page in\ncontents kept: a\n"
                        "FREE: 0, page out\nafter FREE reads 0\n")


DEV_ZERO = r"""
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    int fd = open("/dev/zero", O_RDWR);
    int *shared = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int *private = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("zeros: %d %d\n", shared[10], private[10]);
    if (fork() == 0) { shared[0] = 7; private[0] = 7; _exit(0); }
    wait(0);
    printf("after the child wrote: shared %d, private %d\n", shared[0], private[0]);
    int console = open("/dev/console", O_RDONLY);
    printf("console: %s\n", mmap(0, 4096, PROT_READ, MAP_SHARED, console, 0) == MAP_FAILED ? "refused" : "mapped");
    return 0;
}
"""


def test_dev_zero_maps_as_anonymous_memory():
    """mmap of /dev/zero is zero-filled anonymous memory (shared or private); other devices are refused."""
    k = oskit.boot(programs=False)
    k.install_program("/bin/z", build({"z.c": DEV_ZERO}, mode="user", name="z").read_bytes())
    p = k.spawn("/bin/z")
    k.run(until=p.exited, max_instructions=20_000_000)
    assert p.stdout == "zeros: 0 0\nafter the child wrote: shared 7, private 0\nconsole: refused\n"


def test_rusage_maxrss_is_the_resident_peak_in_kib():
    """ru_maxrss (kept by vm_fault) is the peak resident set in KiB: at least the 64 pages minflt touched."""
    out, p, k = run_program("minflt")
    assert p.rusage.maxrss >= 64 * 4


HUGE = r"""
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
int main(void)
{
    long size = 64L << 30;                     /* 64 GiB of address space, lazily */
    char *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    p[0] = 1; p[size - 1] = 2;
    long n = 256L << 20 >> 12;                 /* mincore over the first 256 MiB */
    unsigned char *vec = malloc(n);
    int r = mincore(p, n << 12, (void *)vec);
    long in = 0;
    for (long i = 0; i < n; i++) in += vec[i] & 1;
    printf("mincore %d: %ld of %ld pages in core; last page %c\n", r, in, n, p[size - 1] + '0');
    printf("munmap: %d\n", munmap(p, size));
    return 0;
}
"""


def test_huge_sparse_mapping_costs_what_is_resident():
    """64 GiB mapped, two pages touched: mincore, munmap and exit take time for resident pages only."""
    k = oskit.boot(programs=False)
    k.install_program("/bin/h", build({"h.c": HUGE}, mode="user", name="h").read_bytes())
    p = k.spawn("/bin/h")
    r = k.run(until=p.exited, max_instructions=50_000_000)
    assert r.reason == "until"
    assert p.stdout == "mincore 0: 1 of 65536 pages in core; last page 2\nmunmap: 0\n"
