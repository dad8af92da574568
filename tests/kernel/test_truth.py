"""What the book shows is what happens: SUM only inside the copy routines, a tracer without side effects."""

import oskit
from oskit.kernel.param import VM_MAXUSER_ADDRESS
from oskit.kernel.riscv import cpu
from oskit.toolchain import build

COPIES = r"""
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    char buf[64];
    int fd = open("/dev/zero", O_RDONLY);
    read(fd, buf, sizeof buf);                                  /* copyout into the stack */
    write(1, "hello\n", 6);                                     /* copyin from .rodata */
    /* A string on a page that is mapped but was never touched, and an unmapped one. */
    char *fresh = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    int r1 = open(fresh + 4096, O_RDONLY);                      /* "" : ENOENT, after a page-in */
    int r2 = open((const char *)0x5000, O_RDONLY);              /* EFAULT: nothing mapped there */
    int r3 = read(fd, (char *)0xffffffd000000000UL, 8);         /* a kernel address: EFAULT */
    printf("%d %d %d\n", r1, r2, r3);
    return 0;
}
"""


def run(trace: bool, probe=None):
    k = oskit.boot(programs=False)
    k.trace.enabled = trace
    if probe is not None:
        probe(k)
    k.install_program("/bin/copies", build({"copies.c": COPIES}, mode="user", name="copies").read_bytes())
    p = k.spawn("/bin/copies")
    k.run(until=p.exited)
    assert p.exit_status == 0 and p.stdout.endswith("-1 -1 -1\n"), p.stdout
    return k, p


def test_sum_is_set_only_inside_the_copy_routines():
    """sstatus.SUM is clear at every trap from user mode and at every system call's entry and return."""
    seen = []

    def watch(k):
        hart = k.machine.harts[0]
        for kind in ("trap", "syscall_entry", "syscall_return"):
            k.probes.subscribe(kind, lambda ev, kind=kind: seen.append((kind, cpu.sum_is_set(hart))))
    run(True, watch)
    assert len(seen) > 20 and not any(on for _, on in seen), [s for s in seen if s[1]][:3]


def test_copies_translate_as_the_supervisor_with_sum():
    """During a copy the hart is in the process's address space with SUM set; a kernel address is refused first."""
    k = oskit.boot(programs=False)
    windows = []
    hart = k.machine.harts[0]
    real = hart.translate

    def spy(va, access, priv=None):
        windows.append((priv, cpu.sum_is_set(hart), va < VM_MAXUSER_ADDRESS))
        return real(va, access, priv)
    hart.translate = spy
    k.install_program("/bin/copies", build({"copies.c": COPIES}, mode="user", name="copies").read_bytes())
    p = k.spawn("/bin/copies")
    k.run(until=p.exited)
    assert p.stdout.endswith("-1 -1 -1\n")
    assert windows and all(w == (1, True, True) for w in windows), set(windows)


def test_tracing_changes_nothing_the_program_or_the_vm_can_see():
    """With the tracer on or off: the same instructions, faults, resident pages and clock."""
    (k1, p1), (k2, p2) = run(False), run(True)
    assert k2.trace.syscalls(pid=p2.pid)                     # it did trace
    for attr in ("faults", "segv", "zero_fills", "mapped"):
        assert getattr(k1.vmstats, attr) == getattr(k2.vmstats, attr), attr
    assert (p1.rusage.minflt, p1.rusage.majflt) == (p2.rusage.minflt, p2.rusage.majflt)
    assert k1.machine.instructions == k2.machine.instructions
    assert k1.machine.clint.mtime == k2.machine.clint.mtime


def test_the_trace_shows_unreadable_strings_as_addresses():
    """Strings are read when the call has copied them in; one that never could be is shown as its address."""
    k, p = run(True)
    opens = [r.call for r in k.trace.syscalls(pid=p.pid, name="open")]
    assert opens[0] == 'open("/dev/zero", O_RDONLY)'
    assert opens[1:] == ['open("", O_RDONLY)', 'open(0x5000, O_RDONLY)'], opens
