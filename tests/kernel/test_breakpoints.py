"""Breakpoints (kern/breakpoints.py): stop at a system call's entry, or at a user address (Sdtrig)."""

import pytest
from elftools.elf.elffile import ELFFile

import oskit
from oskit.book.checks_kernel import elf_code
from oskit.kernel.riscv import cpu
from oskit.toolchain import build

SRC = r"""
#include <stdio.h>
#include <unistd.h>
__attribute__((noinline)) long twice(long x) { return 2 * x; }
static volatile long n = 3;              /* volatile: a real loop, not unrolled */
int main(void) {
    long s = 0;
    for (long i = 1; i <= n; i++) s += twice(i);
    getppid();
    printf("sum %ld\n", s);
    return 0;
}
"""


def setup(harts=1):
    k = oskit.boot(programs=False, harts=harts)
    elf = build({"bp.c": SRC}, mode="user", name="bp")
    k.install_program("/bin/bp", elf.read_bytes())
    with open(elf, "rb") as f:
        syms = {s.name: s["st_value"] for s in ELFFile(f).get_section_by_name(".symtab").iter_symbols()}
    return k, syms["twice"]


@pytest.mark.parametrize("harts", [1, 2])
def test_a_syscall_breakpoint_stops_before_the_call_with_its_arguments(harts):
    """The run stops at getppid's ecall (t0 = 39, sepc on the ecall); the call has not run; on going on it does."""
    k, _ = setup(harts)
    p = k.spawn("/bin/bp")
    k.breakpoints.on_syscall("getppid", pid=p.pid)
    r = k.run(until=p.exited, max_instructions=20_000_000)
    assert r.reason == "breakpoint"
    stop = k.breakpoints.stop
    assert (stop.kind, stop.what, stop.pid) == ("syscall", "getppid", p.pid)
    assert stop.registers["t0"] == 39
    assert k.trace.syscalls(pid=p.pid, name="getppid") == []
    assert p.threads[0].frame.sepc == stop.pc
    r = k.run(until=p.exited, max_instructions=20_000_000)
    assert r.reason == "until" and p.stdout == "sum 12\n"
    assert len(k.trace.syscalls(pid=p.pid, name="getppid")) == 1


@pytest.mark.parametrize("harts", [1, 2])
def test_an_address_breakpoint_stops_at_every_call_of_a_function(harts):
    """A trigger on twice(): three stops, a0 = 1, 2, 3; the program then ends as without them."""
    k, twice = setup(harts)
    p = k.spawn("/bin/bp")
    k.breakpoints.at(twice, pid=p.pid)
    args = []
    while True:
        r = k.run(until=p.exited, max_instructions=20_000_000)
        if r.reason != "breakpoint":
            break
        stop = k.breakpoints.stop
        assert stop.kind == "address" and stop.pc == twice
        args.append(stop.registers["a0"])
    assert args == [1, 2, 3]
    assert p.stdout == "sum 12\n" and p.exit_status == 0


def test_an_ebreak_of_the_program_itself_is_still_sigtrap():
    """A breakpoint that is not ours (the program's own ebreak) kills with SIGTRAP, as before."""
    k = oskit.boot(programs=False)
    k.install_program("/bin/eb", build({"eb.c": "int main(void){ __asm__ volatile(\"ebreak\"); return 0; }"},
                                       mode="user").read_bytes())
    k.breakpoints.at(0x1234)
    p = k.spawn("/bin/eb")
    r = k.run(until=p.exited, max_instructions=5_000_000)
    assert r.reason == "until" and p.signaled == 5


def test_too_many_address_breakpoints_is_a_clear_error():
    """The hart's triggers but one (kept for stepping) are breakpoints: one more says so."""
    k = oskit.boot(programs=False)
    for a in range(cpu.TRIGGERS):
        k.breakpoints.at(0x10000 + 4 * a)
    with pytest.raises(ValueError, match="hardware triggers"):
        k.breakpoints.at(0x20000)
    k.breakpoints.clear()
    assert k.breakpoints.addresses == {}


def _code(k, symbol, count=40):
    return elf_code(k.vfs.read_file("/bin/bp"), symbol, count)


def _stops(k, p):
    n = 0
    while k.run(until=p.exited, max_instructions=20_000_000).reason == "breakpoint":
        n += 1
    return n


def test_stepping_over_a_breakpoint_on_a_return_follows_the_jump():
    """A breakpoint on twice()'s ret fires on each of the 3 calls: the step goes to ra, not to pc + 4."""
    k, _ = setup()
    ret = next(pc for pc, text in _code(k, "twice") if text == "ret")
    p = k.spawn("/bin/bp")
    k.breakpoints.at(ret, pid=p.pid)
    assert _stops(k, p) == 3
    assert p.stdout == "sum 12\n"


def test_stepping_over_a_breakpoint_on_a_branch_follows_the_comparison():
    """A breakpoint on main's loop branch fires on every pass (taken or not), and the program's result is right."""
    k, _ = setup()
    branch = next(pc for pc, text in _code(k, "main") if text.split()[0] in ("blt", "bge", "bne", "beq", "bltu", "bgeu"))
    p = k.spawn("/bin/bp")
    k.breakpoints.at(branch, pid=p.pid)
    assert _stops(k, p) >= 3
    assert p.stdout == "sum 12\n"
