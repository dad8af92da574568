"""Bugs found with the system-call fuzzer (tools/fuzz_syscalls.py), one regression test each.

Each test runs the smallest C program that showed the bug, checks what it
prints against what a UNIX kernel answers, and then checks every kernel
invariant (oskit/kernel/kern/invariants.py).
"""

from __future__ import annotations

import pytest

import oskit
import oskit.kernel
from oskit.kernel.kern.invariants import check_invariants
from oskit.machine.sv39 import PTE_X
from oskit.toolchain import build


def run(source: str, name: str, ram_mib: int = 128):
    """Build ``source``, run it as root in /tmp on a fresh kernel; returns (stdout, kernel)."""
    k = oskit.boot(programs=False, ram_mib=ram_mib)
    k.install_program(f"/bin/{name}", build({f"{name}.c": source}, mode="user", name=name).read_bytes())
    p = k.spawn(f"/bin/{name}", cwd="/tmp")
    r = k.run(until=p.exited, max_instructions=50_000_000)
    assert r.reason == "until" and k.panic_report is None, (r, k.panic_report)
    return p.stdout, k


SHARED_PAGE = r"""
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
int main(void)
{
    char *shared = (char *)0x4000000000UL - 4096;      /* SHAREDPAGE: sigcode and the vDSO clock */
    int r = mprotect(shared, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    printf("mprotect rwx: %s\n", r ? strerror(errno) : "OK");
    r = mprotect(shared, 4096, PROT_READ);
    printf("mprotect r: %s\n", r ? strerror(errno) : "OK");
    return 0;
}
"""


def test_the_shared_page_cannot_be_made_writable():
    """mprotect may not add PROT_WRITE to the page every process shares: EACCES, as FreeBSD (max R|X).

    Found while giving the fuzzer its hostile addresses (the shared page is one), by
    reading exec.py; no fuzz run had hit it: mprotect(SHAREDPAGE, 4096, RW) succeeded, and the next
    store changed the signal trampoline and the clock of every process.
    """
    out, k = run(SHARED_PAGE, "shared_page")
    assert out == "mprotect rwx: Permission denied\nmprotect r: OK\n"
    assert check_invariants(k) == []


NEGATIVE_OFFSET = r"""
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0666);
    char data[8192];
    memset(data, 'A', 4096);
    memset(data + 4096, 'B', 4096);
    write(fd, data, sizeof data);
    char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, -4096);
    printf("shared at -4096: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
    p = mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, -8192);
    printf("private at -8192: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
    struct stat st;
    fstat(fd, &st);
    printf("size %ld\n", (long)st.st_size);
    return 0;
}
"""


def test_mmap_of_a_file_at_a_negative_offset_is_einval():
    """mmap(fd, pos < 0) is EINVAL: no byte of a file lies before offset 0.

    Found while choosing the fuzzer's hostile offsets (by trying one by hand, not by a
    fuzz run): the page index went negative and Python's negative
    indexing mapped the *end* of the file; a store and msync there wrote into it.
    """
    out, k = run(NEGATIVE_OFFSET, "negative_offset")
    assert out == "shared at -4096: Invalid argument\nprivate at -8192: Invalid argument\nsize 8192\n"
    assert check_invariants(k) == []


FOREVER = r"""
#include <time.h>
int main(void)
{
    struct timespec ts = {0x7fffffffffffffffL, 0};     /* LONG_MAX seconds: past any 64-bit clock */
    return nanosleep(&ts, 0);
}
"""


def test_a_sleep_past_the_64_bit_clock_waits_for_ever_without_moving_it():
    """nanosleep(LONG_MAX s) sleeps for ever: the machine goes idle, and its clock does not jump.

    Found while choosing the fuzzer's hostile timespecs (by trying one by hand; in a
    fuzz run other deadlines hid it): the deadline, written to the 64-bit stimecmp, wrapped to
    an earlier time; the idle machine moved mtime to it (near 2**64: 58,000 years
    on) and then took timer interrupts for ever, finding nothing due.
    """
    k = oskit.boot(programs=False)
    k.install_program("/bin/forever", build({"forever.c": FOREVER}, mode="user", name="forever").read_bytes())
    p = k.spawn("/bin/forever")
    r = k.run(until=p.exited, max_instructions=5_000_000)
    assert r.reason == "idle", r
    assert k.machine.clint.mtime < k.timebase_hz          # under one emulated second went by
    assert check_invariants(k) == []


KILL_INIT = r"""
#include <signal.h>
#include <stdio.h>
int main(void)
{
    int sigs[] = {SIGQUIT, SIGTERM, SIGSTOP, SIGKILL};
    for (int i = 0; i < 4; i++)
        printf("kill(1, %d) = %d\n", sigs[i], kill(1, sigs[i]));
    return 0;
}
"""


def test_root_cannot_kill_init_with_a_signal():
    """kill(1, sig) by root succeeds but takes no default action on init: the system stays up.

    Found by the fuzzer: a root worker's kill(1, SIGQUIT) ended init, and the
    kernel panicked ("init died"). FreeBSD's issignal() takes no default
    action on init; init sees only the signals it catches.
    """
    out, k = run(KILL_INIT, "kill_init")
    assert out == "".join(f"kill(1, {s}) = 0\n" for s in (3, 15, 17, 9))
    r = k.run(max_instructions=2_000_000)
    assert k.panic_report is None and k.procs[1].xstat is None and not k.procs[1].stopped, r
    assert check_invariants(k) == []


HUGE_ARGV = r"""
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void)
{
    size_t n = 200 * 1024;                        /* one string, under ARG_MAX (256 KiB) alone */
    char *s = mmap(0, n + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    memset(s, 'a', n);
    static char *argv[4097];
    for (int i = 0; i < 4096; i++)                /* ...4096 times: 800 MiB */
        argv[i] = s;
    printf("execve: %d %s\n", execve("/bin/huge_argv", argv, 0), strerror(errno));
    return 0;
}
"""


def test_execve_stops_copying_arguments_at_arg_max():
    """execve with 4096 pointers to one 200 KiB string: E2BIG after copying about ARG_MAX bytes, not 800 MiB.

    Found while choosing the fuzzer's hostile execve arguments (by reading the
    code, not by a fuzz run): every string was copied into the kernel (Python
    memory) before the total was checked against ARG_MAX, so one unprivileged
    call made the host allocate about 1 GiB.
    """
    out, k = run(HUGE_ARGV, "huge_argv")
    assert out == "execve: -1 Argument list too long\n"
    copied_cycles = k.kclock.total["copy"]          # kern/ktime.py: about 0.77 cycle per byte copied
    assert copied_cycles < 4 * 256 * 1024, copied_cycles
    assert check_invariants(k) == []


HEAP_FULL = r"""
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void)
{
    int fds[2], sync[2];
    for (int c = 0; c < 8; c++) {                 /* 8 children fill the kernel heap with pipe buffers */
        pipe(sync);
        if (fork() == 0) {
            while (pipe(fds) == 0)
                ;
            write(sync[1], "x", 1);
            pause();
        }
        char ch;
        read(sync[0], &ch, 1);
        close(sync[0]);
        close(sync[1]);
    }
    while (pipe(fds) == 0)                        /* ...and so does the parent: not a byte left */
        ;
    int n = 0, r;
    while ((r = fork()) > 0)
        n++;
    if (r == 0) {
        pause();
        _exit(0);
    }
    printf("fork: %s\n", strerror(errno));
    printf("seteuid: %s\n", seteuid(1000) ? strerror(errno) : "OK");   /* needs a copy of the ucred */
    kill(0, SIGKILL);                             /* the whole group, this process too */
    return 0;
}
"""


def test_a_full_kernel_heap_makes_fork_and_seteuid_fail_not_panic():
    """With the kernel heap full (pipe buffers), fork and seteuid fail with ENOMEM; the kernel goes on.

    Found while fuzzing on a small machine (--ram 6), by asking what a full kernel
    heap does to the calls that allocate (the fuzz run itself never filled it):
    kmalloc's OutOfMemory escaped from fork (struct proc, trap frame) and from the
    copy of a shared credential, and the kernel panicked. A fork that fails
    half-way now gives back all it took (invariants: no leaked frame or heap block).
    """
    out, k = run(HEAP_FULL, "heap_full", ram_mib=6)
    assert out == "fork: Cannot allocate memory\nseteuid: Cannot allocate memory\n"
    assert check_invariants(k) == []


def test_a_failed_spawn_gives_back_its_kernel_memory():
    """k.spawn of a missing program raises SpawnError and leaves no struct proc or ucred behind."""
    k = oskit.boot(programs=False)
    with pytest.raises(oskit.kernel.SpawnError):
        k.spawn("/bin/nonexistent")
    assert check_invariants(k) == []


EXEC_NO_FRAMES = r"""
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    char *args[] = {"exec_no_frames", "again", 0};
    if (argc > 1)
        return 0;
    execve("/bin/exec_no_frames", args, 0);
    printf("execve: %s\n", strerror(errno));
    return 0;
}
"""


def test_execve_without_a_free_frame_fails_with_enomem():
    """execve when not one frame is free (for the new page table): ENOMEM, the caller goes on; no panic.

    Found by review after the fork case (test above): the new address space's
    root page table was allocated outside any check, so OutOfMemory escaped.
    The frames are taken away by probes for exactly the duration of the call.
    """
    k = oskit.boot(programs=False)
    k.install_program("/bin/exec_no_frames",
                      build({"e.c": EXEC_NO_FRAMES}, mode="user", name="exec_no_frames").read_bytes())
    hog: list[int] = []

    def take_every_frame(ev):
        if ev.record.name == "execve":
            for page in k.vm_pages.values():
                page.busy = True                   # the pager may evict nothing (the caller's pages stay)
            while k.pmem.free:
                hog.append(k.pmem.alloc_frame("test: hog"))

    def give_them_back(ev):
        if ev.record.name == "execve":
            for pa in hog:
                k.pmem.free_frame(pa)
            hog.clear()
            for page in k.vm_pages.values():
                page.busy = False

    k.probes.subscribe("syscall_entry", take_every_frame)
    k.probes.subscribe("syscall_return", give_them_back)
    p = k.spawn("/bin/exec_no_frames")
    r = k.run(until=p.exited, max_instructions=20_000_000)
    assert r.reason == "until" and k.panic_report is None, r
    assert p.stdout == "execve: Cannot allocate memory\n"
    assert check_invariants(k) == []


EXEC_ONLY = r"""
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void)
{
    char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    p[0] = 1;                                     /* resident, PTE R|W */
    printf("mprotect: %d\n", mprotect(p, 4096, PROT_EXEC));
    fflush(stdout);
    pause();                                      /* stay alive: the test looks at the page table */
    return 0;
}
"""


def test_mprotect_from_rw_to_exec_only_leaves_no_reserved_pte():
    """mprotect(rw- -> --x) of a resident page: its PTE goes (or keeps X); never V without R, W, X.

    Found by the fuzzer's checks inside a round: clearing R and W left a valid
    PTE with no rights at all, which Sv39 reads as a pointer to a next-level
    table; the page-table walkers (Pmap.mappings, the widgets) took the page's
    data for PTEs.
    """
    k = oskit.boot(programs=False)
    k.install_program("/bin/exec_only", build({"x.c": EXEC_ONLY}, mode="user", name="exec_only").read_bytes())
    p = k.spawn("/bin/exec_only")
    r = k.run(until=lambda: p.stdout.endswith("\n"), max_instructions=20_000_000)
    assert r.reason == "until" and p.stdout == "mprotect: 0\n"
    k.run(max_instructions=100_000)                   # on into pause()
    entry = next(e for e in p.vmspace.entries if e.name == "mmap")
    pte = p.vmspace.pmap.lookup(entry.start)
    assert pte is None or pte & PTE_X
    assert check_invariants(k) == []
