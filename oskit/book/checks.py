"""Checks for the exercises of chapters 0, 1 and 2 (notebooks/00-*, 01-*, 02-*).

Each ``check_...()`` takes the reader's answer (and, where the truth must be
measured, a kernel), finds the truth by running the real machine or kernel,
and returns a ``Verdict``: ``ok`` plus lines that say what is right or wrong
and why. A check never raises on a bad answer: a string where a number was
expected is itself a verdict ("expected an int, found 'ten'").

    chapter 0   check_counting(k, path)          a program the reader wrote with %%c
                check_write_count(answer, k)     how many write(2) calls three printf lines make
    chapter 1   check_trap_causes(answers, k)    scause for five one-instruction programs
                check_division(answers)          RISC-V's div/rem results for x / 0 and overflow
    chapter 2   check_step_order(order)          the six steps of a trap, in order
                check_sscratch(answer, k)        what sscratch holds while a process runs
                check_frame_offset(answer)       where the trampoline stores a0 in the trap frame

The programs the checks run are C strings in this file, so a reader can see
exactly what was measured. Exercises 0.1, 0.2 and 2.3 have seeded variants
(oskit/book/variant.py): without a seed they ask what the book's text says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oskit.book import variant
from oskit.kernel.kernel import SpawnError
from oskit.kernel.param import dmap
from oskit.kernel.structs import REGNAMES, TRAPFRAME
from oskit.machine import Machine
from oskit.magic import compile_into
from oskit.toolchain import build, symbols

M64 = (1 << 64) - 1
RUN_LIMIT = 5_000_000          # instructions a check lets a program run before giving up


@dataclass
class Verdict:
    """The outcome of a check: ``ok``, a one-line summary, and details (why)."""

    ok: bool
    summary: str
    details: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        mark = "✔ right:" if self.ok else "✘ not yet:"
        return "\n".join([f"{mark} {self.summary}"] + [f"  - {d}" for d in self.details])


def _not_answered(what: str) -> Verdict:
    return Verdict(False, f"no answer yet: {what}, then run this cell again.")


def _as_int(value, name: str) -> tuple[int | None, str | None]:
    """(value, None) if value is an int (bools are not), else (None, why not)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None, f"{name}: expected an int, found {value!r}"
    return value, None


def _run(kernel, path: str, argv=None):
    """Spawn path on kernel and run it to its end; returns (proc, None) or (None, why it could not)."""
    try:
        p = kernel.spawn(path, argv or [path.rsplit("/", 1)[-1]])
    except SpawnError as e:
        return None, str(e)
    r = kernel.run(until=p.exited, max_instructions=RUN_LIMIT)
    if not p.exited():
        return None, f"{path} did not finish within {RUN_LIMIT:,} instructions (run: {r.reason})"
    return p, None


def _install(kernel, name: str, source: str) -> str:
    """Compile C source into /bin/NAME of kernel (as %%c does); returns the path."""
    return compile_into(kernel, name, source)


# -- chapter 0 ------------------------------------------------------------------------------------

def counting_target() -> int:
    """Exercise 0.1's N: the program counts 1 to N and exits with status N (5 unless seeded)."""
    return variant.value("0.1")


def check_counting(kernel, path: str = "/bin/count") -> Verdict:
    """Exercise 0.1: the program at path prints 1 to N, one per line, and exits with status N."""
    n = counting_target()
    expected_output = "".join(f"{i}\n" for i in range(1, n + 1))
    p, why = _run(kernel, path)
    if p is None:
        return Verdict(False, f"could not run {path}", [why, "run the %%c cell that builds it first"])
    problems = []
    if p.stdout != expected_output:
        problems.append(f"it printed {p.stdout!r}; expected {expected_output!r} "
                        "(one number per line, each line ending in \\n)")
    if p.exit_status != n:
        how = (f"a signal ended it ({p.exit_reason})" if p.exit_status is not None and p.exit_status < 0
               else f"it exited with status {p.exit_status}")
        problems.append(f"{how}; expected status {n}: the value main returns "
                        "becomes the exit status")
    if problems:
        return Verdict(False, f"{path} does not do what was asked yet", problems)
    return Verdict(True, f"{path} printed 1..{n} and exited with status {n}.")


LINE_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def hello_lines_program(lines: int) -> str:
    """A program that prints LINES lines to the console, one printf each (exercise 0.2)."""
    calls = "".join(f'    printf("{word}\\n");\n' for word in LINE_WORDS[:lines])
    return f"#include <stdio.h>\nint main(void) {{\n{calls}    return 0;\n}}\n"


HELLO3 = hello_lines_program(3)


def check_write_count(answer, kernel) -> Verdict:
    """Exercise 0.2: how many write(2) calls a program printing N lines with printf makes (HELLO3: N = 3)."""
    if answer is None:
        return _not_answered("set `answer` to the number of write system calls you expect")
    answer, why = _as_int(answer, "answer")
    if why:
        return Verdict(False, why)
    lines = variant.value("0.2")
    name = f"hello{lines}"
    path = _install(kernel, name, hello_lines_program(lines))
    p, why = _run(kernel, path)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    writes = [r for r in kernel.trace.syscalls(pid=p.pid) if r.name == "write"]
    calls = [f"{r.call} = {r.result_text()}" for r in writes]
    if answer == len(writes):
        return Verdict(True, f"{name} made {len(writes)} write calls.",
                       calls + ["stdout is a terminal (the console), so stdio flushes at each newline: "
                                "one write per line"])
    return Verdict(False, f"you said {answer}; the kernel saw {len(writes)} write calls", calls + [
        "printf does not call write itself: it fills stdio's buffer, which is flushed at each "
        "newline when stdout is a terminal (line buffering), and only when full or at exit otherwise"])


# -- chapter 1 ------------------------------------------------------------------------------------

# One instruction each, at the global label `here`: the trap the check looks for is the one
# whose sepc is `here`. Everything before it (the C runtime starting up) traps too.
TRAP_PROGRAMS = {
    "null_store": ("store to address 0", "sd zero, 0(zero)"),
    "kernel_load": ("load from the kernel's half (0xffffffc000000000)",
                    "li t1, 0xffffffc000000000\n.globl here\nhere: ld t1, 0(t1)"),
    "illegal_csr": ("read sstatus from U-mode", "csrr t1, sstatus"),
    "breakpoint": ("ebreak", "ebreak"),
    "syscall": ("getpid through ecall (t0 = 20)", "li t0, 20\n.globl here\nhere: ecall"),
}
CAUSE_WHY = {
    15: "store page fault: no valid user mapping at the address for a store",
    13: "load page fault: the page is mapped, but without the U bit a U-mode access faults",
    2: "illegal instruction: S-mode CSRs are out of reach from U-mode",
    3: "breakpoint: ebreak exists to trap (debuggers plant it)",
    8: "environment call from U-mode: the system call instruction",
}


def _trap_program(insn: str) -> str:
    body = insn if ".globl here" in insn else f".globl here\nhere: {insn}"
    lines = "\\n".join(body.split("\n"))
    return ("int main(void) {\n"
            f'    __asm__ volatile("{lines}" ::: "t0", "t1", "a0", "memory");\n'
            "    return 0;\n}\n")


def measure_trap_causes(kernel) -> dict[str, int | None]:
    """Run each TRAP_PROGRAMS program on kernel; the scause of the trap taken at `here` (None: none)."""
    out = {}
    for name, (_, insn) in TRAP_PROGRAMS.items():
        elf = build({f"trap_{name}.c": _trap_program(insn)}, mode="user", name=f"trap_{name}")
        here = symbols(elf)["here"]
        kernel.install_program(f"/bin/trap_{name}", elf.read_bytes())
        seen = []

        def on_trap(ev, seen=seen, here=here):
            if not ev.interrupt and ev.epc == here:
                seen.append(ev.cause)

        kernel.probes.subscribe("trap", on_trap)
        try:
            _run(kernel, f"/bin/trap_{name}")
        finally:
            kernel.probes.unsubscribe("trap", on_trap)
        out[name] = seen[0] if seen else None
    return out


def check_trap_causes(answers: dict, kernel) -> Verdict:
    """Exercise 1.1: the scause each TRAP_PROGRAMS program's instruction traps with."""
    if not isinstance(answers, dict) or any(v is None for v in answers.values()):
        return _not_answered("fill in an scause number for every program in `answers`")
    truth = measure_trap_causes(kernel)
    details, ok = [], True
    for name, (what, _) in TRAP_PROGRAMS.items():
        got = answers.get(name)
        real = truth[name]
        value, why = _as_int(got, name)
        if why:
            details.append(why)
            ok = False
        elif value == real:
            details.append(f"{name} ({what}): {real}, right: {CAUSE_WHY.get(real, '')}")
        else:
            ok = False
            details.append(f"{name} ({what}): you said {value}, the hart set scause = {real}: "
                           f"{CAUSE_WHY.get(real, '')}")
    extra = sorted(set(answers) - set(TRAP_PROGRAMS))
    if extra:
        ok = False
        details.append(f"unknown program name(s) {extra}; expected {sorted(TRAP_PROGRAMS)}")
    return Verdict(ok, "every cause is right." if ok else "some causes differ from what the hart did",
                   details)


DIVISION_SOURCE = r"""
#include "bare.h"
/* One instruction each, so the compiler cannot decide the answer itself. */
long divide(long a, long b)    { long q; __asm__ volatile("div %0, %1, %2" : "=r"(q) : "r"(a), "r"(b)); return q; }
long remainder(long a, long b) { long r; __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
int main(void) { return 0; }
"""
INT64_MIN = -(1 << 63)
DIVISION_CASES = {
    "7 / 0": ("divide", 7, 0), "7 % 0": ("remainder", 7, 0),
    "-7 / 0": ("divide", -7, 0), "-7 % 0": ("remainder", -7, 0),
    "INT64_MIN / -1": ("divide", INT64_MIN, -1), "INT64_MIN % -1": ("remainder", INT64_MIN, -1),
}


def _signed(v: int) -> int:
    return v - (1 << 64) if v >> 63 else v


def run_division() -> tuple[dict[str, int], list]:
    """Each DIVISION_CASES case computed by div/rem on a bare machine: (results, traps taken)."""
    m = Machine()
    img = m.load_elf(build({"division.c": DIVISION_SOURCE}, mode="bare", name="division"))
    m.run()                              # crt0 sets up the stack and trap vector; main returns at once
    traps = []
    m.events.subscribe("trap", traps.append)
    hart = m.harts[0]
    results = {case: _signed(hart.call(img.symbols[fn], a, b))
               for case, (fn, a, b) in DIVISION_CASES.items()}
    return results, traps


def check_division(answers: dict) -> Verdict:
    """Exercise 1.2: what div and rem leave in the result register (signed), or "trap"."""
    if not isinstance(answers, dict) or any(v is None for v in answers.values()):
        return _not_answered("fill in a number (or \"trap\") for every case in `answers`")
    results, traps = run_division()
    details, ok = [], True
    for case, real in results.items():
        got = answers.get(case)
        if got == real and not isinstance(got, bool):
            details.append(f"{case} = {real}: right")
        elif got == "trap":
            ok = False
            details.append(f"{case}: no trap (the hart took {len(traps)}): the result register holds {real}")
        else:
            ok = False
            details.append(f"{case}: you said {got!r}, the hart computed {real}")
    if not ok:
        details.append("RISC-V defines a result instead of trapping: x / 0 = -1 (all ones), "
                       "x % 0 = x, and INT64_MIN / -1 overflows to INT64_MIN with remainder 0")
    return Verdict(ok, "all six results are right." if ok else "some results differ from the hart's",
                   details)


# -- chapter 2 ------------------------------------------------------------------------------------

STEP_CHOICES = {
    "A": "the trampoline loads the 31 registers back from a trap frame",
    "B": "the hardware copies pc to sepc, sets scause and stval, and jumps to stvec",
    "C": "sret returns to sepc, in the mode sstatus.SPP names",
    "D": "the trampoline stores the 31 registers and sepc into the thread's trap frame",
    "E": "the scheduler may choose another thread: satp and sscratch change",
    "F": "trap() in Python handles the cause (a system call, a fault, an interrupt)",
}
STEP_ORDER = ("B", "D", "F", "E", "A", "C")
STEP_WHY = {
    "B": "only the hardware can enter the kernel: it saves the pc before anything else runs",
    "D": "the registers still hold the program's values and must be saved before kernel code uses them",
    "F": "with the registers safe, the kernel can do the work the trap asked for",
    "E": "after the work, the kernel decides who runs next (maybe the same thread)",
    "A": "the chosen thread's registers are loaded from its frame",
    "C": "the last instruction: back to user mode at the saved pc",
}


def check_step_order(order) -> Verdict:
    """Exercise 2.1: the letters of STEP_CHOICES in the order a trap goes through them."""
    if order is None:
        return _not_answered("set `order` to the six letters in order, e.g. \"BDFEAC\"")
    if isinstance(order, str):
        order = [c for c in order.upper() if not c.isspace() and c != ","]
    if not isinstance(order, (list, tuple)) or sorted(order) != sorted(STEP_ORDER):
        return Verdict(False, f"expected each of the letters {', '.join(sorted(STEP_CHOICES))} "
                       f"exactly once, found {order!r}")
    details = []
    for i, (got, want) in enumerate(zip(order, STEP_ORDER), start=1):
        if got == want:
            details.append(f"step {i}: {want}, right ({STEP_CHOICES[want]})")
        else:
            details.append(f"step {i}: you put {got}; it is {want}: {STEP_WHY[want]}")
    ok = tuple(order) == STEP_ORDER
    return Verdict(ok, "the six steps are in order." if ok else "some steps are out of order", details)


SSCRATCH_CHOICES = {
    "a": "the program's stack pointer",
    "b": "the kernel (DMAP) address of the running thread's trap frame",
    "c": "the address of the trap vector, like stvec",
    "d": "nothing useful: the kernel writes it only inside a trap",
}
SSCRATCH_SPIN = r"""
int main(void) { volatile unsigned long n = 0; for (long i = 0; i < 400000; i++) n += i; return 0; }
"""


def check_sscratch(answer, kernel) -> Verdict:
    """Exercise 2.2: which SSCRATCH_CHOICES letter says what sscratch holds while a process runs.

    The truth is measured: a spinning process is run until the hart is in U-mode, then
    sscratch is compared with the thread's trap frame address (through the DMAP).
    """
    if answer is None:
        return _not_answered("set `answer` to one of " + ", ".join(repr(c) for c in SSCRATCH_CHOICES))
    if not isinstance(answer, str) or answer.lower() not in SSCRATCH_CHOICES:
        return Verdict(False, f"expected one of {', '.join(map(repr, SSCRATCH_CHOICES))}, found {answer!r}")
    path = _install(kernel, "spin_sscratch", SSCRATCH_SPIN)
    p = kernel.spawn(path, ["spin_sscratch"])
    hart = kernel.machine.harts[0]
    for _ in range(100):                 # run in slices until the process is on the hart in U-mode
        kernel.run(until=p.exited, max_instructions=5_000)
        if int(hart.priv) == 0 and kernel.percpu[0].curthread.proc is p:
            break
    sscratch = hart.csr.read("sscratch")
    frame = dmap(p.main_thread.frame_addr)
    facts = [f"in U-mode, pid {p.pid}: sscratch = {sscratch:#x}, sp = {hart.x[2]:#x}, "
             f"stvec = {hart.csr.read('stvec'):#x}",
             f"pid {p.pid}'s trap frame: physical {p.main_thread.frame_addr:#x}, "
             f"kernel virtual {frame:#x}"]
    kernel.run(until=p.exited, max_instructions=RUN_LIMIT)
    if sscratch != frame:
        return Verdict(False, "the measurement did not find the frame address in sscratch", facts)
    if answer.lower() == "b":
        return Verdict(True, "sscratch holds the thread's trap frame address.", facts + [
            "the trampoline's first instruction swaps it with sp, so it has somewhere to store "
            "registers without first overwriting one"])
    return Verdict(False, f"({answer}) {SSCRATCH_CHOICES[answer.lower()]}: not what the hart holds", facts + [
        "the scheduler writes sscratch at every switch (step 4), so it always points at the "
        "frame of the thread about to run"])


def frame_register() -> str:
    """Exercise 2.3's register: the one whose offset is asked (a0 unless seeded)."""
    return variant.value("2.3")


def check_frame_offset(answer) -> Verdict:
    """Exercise 2.3: the byte offset of a register (a0 unless seeded) in struct trapframe."""
    reg = frame_register()
    if answer is None:
        return _not_answered(f"set `answer` to the offset of {reg} in bytes")
    answer, why = _as_int(answer, "answer")
    if why:
        return Verdict(False, why)
    real = TRAPFRAME.fields[reg].offset
    number = 1 + REGNAMES.index(reg)       # REGNAMES starts at x1 (ra)
    reason = (f"x0 is not saved (it is always zero), so x(n) is at 8 * (n - 1); {reg} is x{number}: "
              f"8 * {number - 1} = {real}")
    if answer == real:
        return Verdict(True, f"{reg} is at offset {real}.", [reason])
    return Verdict(False, f"you said {answer}; {reg} is at offset {real}", [reason])
