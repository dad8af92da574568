"""The invocation path (notebooks/06-invocation.ipynb): measurements and exercise checks.

Measurements (used by the chapter and by bench/invocation.py, so the figures the
book prints and the benchmark's are made the same way):

    measure_clock(k, n)        clock_gettime per call: instructions, cycles, host µs, system calls
    measure_sbi(k, n)          one SBI call from the kernel: guest instructions and host µs
    sbi_trace(k)               the traps and returns of one SBI call (S -> M -> S)
    timer_traffic(timer)       the same sleeping program under timer="sstc" and timer="sbi"

Checks (each runs the real kernel and never raises on a bad answer):

    check_fallback_calls(answer, k)    system calls made by a mix of page-served and syscall clocks
    check_sbi_trap(answers, k)         the cause, mode and return instruction of an SBI call
    check_breakpoint_arg(answer, k)    a register's value at write()'s entry
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import oskit
from oskit.book.checks import RUN_LIMIT, Verdict, _as_int, _install, _not_answered
from oskit.firmware.sbi import EXT_BASE

# -- measurements ---------------------------------------------------------------------------------

CLOCK_LOOP = r"""
#include <stdlib.h>
#include <time.h>
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    struct timespec ts;
    for (long i = 0; i < n; i++) clock_gettime(CLOCK_MONOTONIC, &ts);
    return 0;
}
"""


@dataclass(frozen=True)
class CallCost:
    """What one call costs, as the difference of two runs divided by the difference in calls."""

    how: str
    instructions: float     # guest instructions executed (user + trampoline + firmware)
    cycles: float           # mcycle: instructions plus the kernel's Python work (kern/ktime.py model)
    host_us: float          # host microseconds (this computer running the emulator and the Python kernel)
    syscalls: float         # system calls made per call


def _one_run(k, argv) -> tuple[int, int, float, int]:
    p = k.spawn("/bin/clockloop", argv)
    harts = k.machine.harts
    c0 = sum(h.csr.read("mcycle") for h in harts)
    t0 = time.perf_counter()
    r = k.run(until=p.exited, max_instructions=200_000_000)
    host = time.perf_counter() - t0
    if not p.exited() or p.exit_status != 0:
        raise RuntimeError(f"clockloop {argv}: {r.reason}, status {p.exit_status}")
    calls = len(k.trace.syscalls(pid=p.pid, name="clock_gettime"))
    return r.instructions, sum(h.csr.read("mcycle") for h in harts) - c0, host, calls


def measure_clock(k, n: int = 2000) -> list[CallCost]:
    """clock_gettime(CLOCK_MONOTONIC) per call, through the shared page and through the system call.

    Each figure: a run of 2n calls minus a run of n, divided by n (boot, exec and exit
    cancel out); a warm-up run first, so the emulator's translated blocks exist.
    """
    if "clockloop" not in k.vfs.root.entries["bin"].entries:
        _install(k, "clockloop", CLOCK_LOOP)
    out = []
    for how, on in (("shared page", True), ("system call", False)):
        k.sharedpage.set_fast_gettime(on)
        _one_run(k, ["clockloop", str(n // 4)])
        a = _one_run(k, ["clockloop", str(n)])
        b = _one_run(k, ["clockloop", str(2 * n)])
        ins, cyc, host, calls = ((y - x) / n for x, y in zip(a, b))
        out.append(CallCost(how, ins, cyc, host * 1e6, calls))
    k.sharedpage.set_fast_gettime(True)
    return out


def measure_sbi(k, n: int = 300) -> CallCost:
    """One SBI call made by the kernel (BASE get_spec_version): guest instructions and host µs."""
    hart = k.machine.harts[0]
    k.sbi.call(hart, EXT_BASE, 0)                      # warm-up
    i0, c0 = hart.instret, hart.csr.read("mcycle")
    t0 = time.perf_counter()
    for _ in range(n):
        k.sbi.call(hart, EXT_BASE, 0)
    host = time.perf_counter() - t0
    return CallCost("SBI call", (hart.instret - i0) / n, (hart.csr.read("mcycle") - c0) / n, host / n * 1e6, 0)


def sbi_trace(k) -> list[str]:
    """The traps and returns one SBI call makes, one line each, as the machine's events report them."""
    lines = []
    mode = "USHM"

    def on_trap(e):
        lines.append(f"trap   cause {e.cause} ({'interrupt' if e.interrupt else 'exception'}) "
                     f"{mode[e.from_priv]} -> {mode[e.to_priv]}  epc {e.epc:#x}")

    def on_xret(e):
        lines.append(f"{e.kind}   {mode[e.from_priv]} -> {mode[e.to_priv]}  to {e.pc:#x}")

    ev = k.machine.events
    ev.subscribe("trap", on_trap)
    ev.subscribe("xret", on_xret)
    try:
        k.sbi.call(k.machine.harts[0], EXT_BASE, 0)
    finally:
        ev.unsubscribe("trap", on_trap)
        ev.unsubscribe("xret", on_xret)
    return lines


SLEEPER = r"""
#include <time.h>
int main(void) {
    struct timespec t = {0, 1000000};
    for (int i = 0; i < 10; i++) nanosleep(&t, 0);
    return 0;
}
"""


def timer_traffic(timer: str) -> dict:
    """A program that sleeps 1 ms ten times, on a kernel booted with ``timer``: what it cost."""
    k = oskit.boot(programs=False, timer=timer)
    _install(k, "sleeper", SLEEPER)
    m_traps = []
    fn = k.machine.events.subscribe("trap", lambda e: m_traps.append(e) if e.to_priv == 3 else None)
    p = k.spawn("/bin/sleeper")
    r = k.run(until=p.exited, max_instructions=RUN_LIMIT)
    k.machine.events.unsubscribe("trap", fn)
    return {"timer": timer, "exit": p.exit_status, "instructions": r.instructions,
            "sbi calls": k.sbi.calls, "traps to M": len(m_traps),
            "machine timer interrupts": k.firmware.counts.get("MTI", 0)}


# -- checks ---------------------------------------------------------------------------------------

MIXED_CLOCKS = r"""
#include <time.h>
int main(void) {
    struct timespec ts;
    for (int i = 0; i < 100; i++) clock_gettime(CLOCK_MONOTONIC, &ts);
    for (int i = 0; i < 5; i++) clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    for (int i = 0; i < 20; i++) clock_gettime(CLOCK_REALTIME, &ts);
    return 0;
}
"""


def check_fallback_calls(answer, k) -> Verdict:
    """Exercise: how many clock_gettime system calls does MIXED_CLOCKS make with the shared page on?"""
    if answer is None:
        return _not_answered("set `answer` to the number of clock_gettime system calls")
    n, why = _as_int(answer, "answer")
    if why:
        return Verdict(False, why)
    _install(k, "mixed", MIXED_CLOCKS)
    k.sharedpage.set_fast_gettime(True)
    p = k.spawn("/bin/mixed")
    k.run(until=p.exited, max_instructions=RUN_LIMIT)
    truth = len(k.trace.syscalls(pid=p.pid, name="clock_gettime"))
    if n == truth:
        return Verdict(True, f"{truth}: the trace of the run shows {truth} clock_gettime calls.",
                       ["CLOCK_MONOTONIC and CLOCK_REALTIME are computed from the shared page and rdtime;",
                        "a process's CPU time is known only to the kernel, so CLOCK_PROCESS_CPUTIME_ID traps."])
    hint = ("every call traps only when the page is off" if n == 125 else
            "the page cannot tell a process how much CPU it used" if n == 0 else
            "look at which clocks libc's clock_gettime.c computes itself")
    return Verdict(False, f"{n} is not what the trace shows.", [hint])


def check_sbi_trap(answers, k) -> Verdict:
    """Exercise: an SBI call's trap: answers = {"cause": int, "handled_in": "M"/"S", "returns_with": str}."""
    if not isinstance(answers, dict) or not answers:
        return _not_answered('fill in answers = {"cause": ..., "handled_in": ..., "returns_with": ...}')
    traps, xrets = [], []
    ev = k.machine.events
    t = ev.subscribe("trap", traps.append)
    x = ev.subscribe("xret", xrets.append)
    try:
        k.sbi.call(k.machine.harts[0], EXT_BASE, 0)
    finally:
        ev.unsubscribe("trap", t)
        ev.unsubscribe("xret", x)
    truth = {"cause": traps[0].cause, "handled_in": "USHM"[traps[0].to_priv], "returns_with": xrets[0].kind}
    wrong = []
    for key, value in truth.items():
        given = answers.get(key)
        if isinstance(given, str):
            given = given.strip()
            if key == "handled_in":
                given = given.upper()[:1]
        if given != value:
            wrong.append(f"{key}: you said {answers.get(key)!r}; the machine says {value!r}")
    if not wrong:
        return Verdict(True, f"cause {truth['cause']} (ecall from S-mode), handled in M-mode, back with "
                             f"{truth['returns_with']}: a system call one level down.")
    return Verdict(False, f"{len(wrong)} of 3 not yet right.", wrong)


WRITE_HELLO = r"""
#include <unistd.h>
int main(void) { write(1, "hello, breakpoint\n", 18); return 0; }
"""


def check_breakpoint_arg(answer, k, register: str = "a2") -> Verdict:
    """Exercise: stopped at write()'s entry in WRITE_HELLO, what does ``register`` hold?"""
    if answer is None:
        return _not_answered(f"set `answer` to the value of {register} at write()'s entry")
    n, why = _as_int(answer, "answer")
    if why:
        return Verdict(False, why)
    _install(k, "hello_bp", WRITE_HELLO)
    p = k.spawn("/bin/hello_bp")
    k.breakpoints.on_syscall("write", pid=p.pid)
    try:
        r = k.run(until=p.exited, max_instructions=RUN_LIMIT)
        if r.reason != "breakpoint":
            return Verdict(False, f"the program never stopped at write (run: {r.reason}); nothing to compare")
        truth = k.breakpoints.stop.registers[register]
        k.breakpoints.clear()
        k.run(until=p.exited, max_instructions=RUN_LIMIT)
    finally:
        k.breakpoints.clear()
    if n == truth:
        return Verdict(True, f"{register} = {truth}: write's third argument, the byte count, as the ABI says.")
    return Verdict(False, f"{register} held {truth} at the stop, not {n}.",
                   ["arguments go in a0, a1, a2, ... in order: write(fd, buf, nbyte)"])
