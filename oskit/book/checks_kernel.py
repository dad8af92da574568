"""Checks for the exercises of chapters 3, 4 and 7 (notebooks/03-*, 04-*, 07-*), and two helpers.

Like chapters 0-2's checks (``checks.py``, whose ``Verdict`` they return), each
``check_...()`` takes the reader's answer, finds the truth by running the real
kernel, and says what is right or wrong and why. A check never raises on a bad
answer.

    chapter 3   check_abi(answers, k)              which registers carry a call's number, arguments, result
                check_nanosleep_restart(answer, k) does SA_RESTART restart an interrupted nanosleep?
                check_new_syscall(k)               the reader's own system call, number 555
    chapter 4   check_fork_lines(answer, k)        how many lines fork(); fork(); printf() prints
                check_wait_status(answer, k)       the raw wait4 status of a child that exits with 3
                check_copy_semantics(answer, k)    what a reader of a pipe gets after the writer reused its buffer
                check_atomic_counter(k, path)      the reader's lock-free counter: right total on two harts
    chapter 7   check_fault_count(answer, k)       page faults when every other page of a mapping is touched
                check_cow_copies(answer, k)        pages copied when a child writes after fork
                check_sweep_order(answer)          in order or at random: which thrashes more (4 MiB RAM)

    helpers     elf_code(elf, symbol, count)       a function's first instructions, disassembled, from an ELF
                run_program(k, name, source, argv) compile, install and run a C program to its end

The programs the checks run are C strings in this file, so a reader can see
exactly what was measured.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from elftools.elf.elffile import ELFFile

import oskit
from oskit.book.checks import RUN_LIMIT, Verdict, _as_int, _install, _not_answered, _run
from oskit.kernel.kern import syscalls_table
from oskit.kernel.kern.syscall import HANDLERS
from oskit.machine.decode import disassemble
from oskit.toolchain import CompileError

# -- helpers -------------------------------------------------------------------------------------


def elf_code(elf: bytes, symbol: str, count: int) -> list[tuple[int, str]]:
    """The first ``count`` instructions of ``symbol`` in the ELF image ``elf``: [(address, text)].

    Raises KeyError naming the symbol when the ELF does not define it.
    """



    f = ELFFile(io.BytesIO(elf))
    table = f.get_section_by_name(".symtab")
    found = [s["st_value"] for s in table.iter_symbols() if s.name == symbol] if table else []
    if not found:
        raise KeyError(f"symbol {symbol!r} is not defined in this ELF")
    addr = found[0]
    for seg in f.iter_segments():
        if seg["p_type"] == "PT_LOAD" and seg["p_vaddr"] <= addr < seg["p_vaddr"] + seg["p_filesz"]:
            data = seg.data()
            out = []
            for pc in range(addr, addr + 4 * count, 4):
                off = pc - seg["p_vaddr"]
                out.append((pc, disassemble(int.from_bytes(data[off:off + 4], "little"), pc=pc, aliases=True)))
            return out
    raise KeyError(f"symbol {symbol!r} ({addr:#x}) is not inside a loaded segment")


def run_program(kernel, name: str, source: str, argv=None):
    """Compile C ``source`` into /bin/NAME of ``kernel`` and run it to its end: (proc, None) or (None, why)."""
    try:
        path = _install(kernel, name, source)
    except CompileError as e:
        return None, f"{name} did not compile: {e}"
    return _run(kernel, path, argv or [name])


def _choice(answer, options: dict, what: str):
    """(normalized answer, None) if answer is one of options' keys, else (None, why not)."""
    if not isinstance(answer, str) or answer.strip().lower() not in options:
        return None, f"{what}: expected one of {', '.join(repr(o) for o in options)}, found {answer!r}"
    return answer.strip().lower(), None


# -- chapter 3 -----------------------------------------------------------------------------------

ABI_PROGRAM = r"""
#include <unistd.h>
int main(void) {
    char c;
    write(1, "ok\n", 3);      /* succeeds: 3 */
    read(-1, &c, 1);          /* fails: EBADF (9) */
    return 0;
}
"""
ABI_TRUTH = {"number": "t0", "first_arg": "a0", "third_arg": "a2", "error_flag": "t0", "errno": "a0"}
ABI_WHAT = {
    "number": "the system-call number at the ecall",
    "first_arg": "the first argument (write's fd)",
    "third_arg": "the third argument (write's byte count)",
    "error_flag": "the register that says 'failed' (1) or 'succeeded' (0) after the call",
    "errno": "the errno value after a failed call",
}
_REGS = {"ra", "sp", "gp", "tp", *(f"t{i}" for i in range(7)), *(f"a{i}" for i in range(8)),
         "s0", "fp", *(f"s{i}" for i in range(1, 12))}


def check_abi(answers, kernel) -> Verdict:
    """Exercise 3.1: name the registers of FreeBSD's RISC-V system-call ABI (measured on a real call)."""
    if answers is None or not isinstance(answers, dict) or all(v is None for v in answers.values()):
        return _not_answered("fill in the dictionary with register names like 'a1'")
    missing = [k for k in ABI_TRUTH if k not in answers]
    if missing:
        return Verdict(False, f"the dictionary lacks {', '.join(missing)}",
                       ["keys expected: " + ", ".join(ABI_TRUTH)])
    frames = {}

    def entry(ev):
        if ev.record.name == "write" and "entry" not in frames:
            frames["entry"] = kernel.procs[ev.record.pid].main_thread.frame.as_dict()

    def ret(ev):
        if ev.record.name == "read" and "failed" not in frames:
            frames["failed"] = kernel.procs[ev.record.pid].main_thread.frame.as_dict()

    kernel.probes.subscribe("syscall_entry", entry)
    kernel.probes.subscribe("syscall_return", ret)
    try:
        p, why = run_program(kernel, "abi", ABI_PROGRAM)
    finally:
        kernel.probes.unsubscribe("syscall_entry", entry)
        kernel.probes.unsubscribe("syscall_return", ret)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    measured = {"number": ("entry", 4), "first_arg": ("entry", 1), "third_arg": ("entry", 3),
                "error_flag": ("failed", 1), "errno": ("failed", 9)}
    details, ok = [], True
    for key, truth in ABI_TRUTH.items():
        given = answers[key]
        when, value = measured[key]
        frame = frames.get(when, {})
        name = given.strip().lower() if isinstance(given, str) else given
        if name not in _REGS:
            ok = False
            details.append(f"{key}: expected a register name like 'a0', found {given!r}")
        elif name == truth:
            details.append(f"{key}: {truth}, right: {WHEN[when]} it held {frame.get(truth)} ({ABI_WHAT[key]})")
        else:
            ok = False
            details.append(f"{key}: you said {name}, which held {frame.get(name, '?')} {WHEN[when]}; "
                           f"{ABI_WHAT[key]} was {value}")
    if ok:
        return Verdict(True, "that is FreeBSD's RISC-V system-call ABI.", details)
    return Verdict(False, "some registers are not the ones the kernel used", details)


WHEN = {"entry": "at write's ecall", "failed": "after read(-1) returned"}

NANOSLEEP_PROGRAM = r"""
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static void on_usr1(int sig) { (void)sig; }
int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t parent = getpid();
    if (fork() == 0) {                        /* the child signals its parent 1 ms later */
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    struct timespec ten = {0, 10000000}, left = {0, 0};
    int r = nanosleep(&ten, &left);
    printf("%s\n", r == 0 ? "restarted" : errno == EINTR ? "eintr" : strerror(errno));
    return 0;
}
"""


def check_nanosleep_restart(answer, kernel) -> Verdict:
    """Exercise 3.2: under SA_RESTART, does a signal make nanosleep fail with EINTR or restart it?"""
    if answer is None:
        return _not_answered('set `answer` to "eintr" or "restarted"')
    answer, why = _choice(answer, {"eintr": 0, "restarted": 0}, "answer")
    if why:
        return Verdict(False, why)
    p, why = run_program(kernel, "napper", NANOSLEEP_PROGRAM)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    truth = p.stdout.strip()
    calls = [f"{r.call} = {r.result_text()}" for r in kernel.trace.syscalls(pid=p.pid, name="nanosleep")]
    why = ("nanosleep is one of the calls that are never restarted (POSIX): a restart would sleep the "
           "full time again from the start, so it fails with EINTR and writes the time left into its "
           "second argument, and the caller decides")
    if answer == truth:
        return Verdict(True, f"the program printed {truth!r}.", calls + [why])
    return Verdict(False, f"you said {answer!r}; the program printed {truth!r}", calls + [why])


NEW_SYSCALL_NUMBER = 555
NEW_SYSCALL_PROGRAM = r"""
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
    long r = syscall(555, 21);
    printf("double_it(21) = %ld\n", r);
    errno = 0;
    r = syscall(555, -5);
    printf("double_it(-5) = %ld, errno %d\n", r, errno);
    return 0;
}
"""
NEW_SYSCALL_OUTPUT = "double_it(21) = 42\ndouble_it(-5) = -1, errno 22\n"


def check_new_syscall(kernel) -> Verdict:
    """Exercise 3.3: system call 555, double_it(int x), returns 2x, and fails with EINVAL when x < 0."""
    info = syscalls_table.SYSCALLS.get(NEW_SYSCALL_NUMBER)
    if info is None:
        return Verdict(False, f"the loaded table has no call number {NEW_SYSCALL_NUMBER} yet", [
            "add a line to syscalls.master's text and load it with makesyscalls.load(makesyscalls.generate(text))"])
    problems = []
    if info.name != "double_it":
        problems.append(f"call {NEW_SYSCALL_NUMBER} is named {info.name!r}; expected 'double_it'")
    if [a.ctype for a in info.args] != ["int"]:
        problems.append(f"its arguments are {[a.ctype + ' ' + a.name for a in info.args]}; expected one int")
    if "double_it" not in HANDLERS:
        problems.append("no handler is registered: decorate `def sys_double_it(td, x)` with @syscall")
    if problems:
        return Verdict(False, "the table or the handler is not right yet", problems)
    p, why = run_program(kernel, "doubler", NEW_SYSCALL_PROGRAM)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    calls = [f"{r.call} = {r.result_text()}" for r in kernel.trace.syscalls(pid=p.pid, name="double_it")]
    if p.stdout != NEW_SYSCALL_OUTPUT:
        return Verdict(False, "the program calling it printed something else", calls + [
            f"it printed {p.stdout!r}", f"expected {NEW_SYSCALL_OUTPUT!r}",
            "a negative x must fail: raise SyscallError(errno.EINVAL); libc then returns -1 and sets errno 22"])
    return Verdict(True, "your system call works, through the same path as every other.", calls)


# -- chapter 4 -----------------------------------------------------------------------------------

FORK_PROGRAM = r"""
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    fork();
    fork();
    printf("hello from %d\n", getpid());
    while (wait(NULL) > 0)
        ;
    return 0;
}
"""


def check_fork_lines(answer, kernel) -> Verdict:
    """Exercise 4.1: how many lines FORK_PROGRAM (fork(); fork(); printf) prints."""
    if answer is None:
        return _not_answered("set `answer` to the number of lines you expect")
    answer, why = _as_int(answer, "answer")
    if why:
        return Verdict(False, why)
    start = len(kernel.machine.uart.output.text)
    p, why = run_program(kernel, "forkfork", FORK_PROGRAM)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    lines = kernel.machine.uart.output.text[start:].splitlines()
    forks = [f"pid {r.pid}: {r.call} = {r.result_text()}" for r in kernel.trace.syscalls(name="fork")
             if r.pid >= p.pid]
    why = ("each fork returns twice, once in each process, and both go on to the next line: "
           "after the first fork 2 processes run the second one, which makes 4, and each prints once")
    if answer == len(lines):
        return Verdict(True, f"{len(lines)} lines.", lines + [why])
    return Verdict(False, f"you said {answer}; the console shows {len(lines)} lines", lines + forks + [why])


WAIT_PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    pid_t child = fork();
    if (child == 0)
        exit(3);
    int status;
    wait4(child, &status, 0, NULL);
    printf("%d\n", status);
    return 0;
}
"""


def check_wait_status(answer, kernel) -> Verdict:
    """Exercise 4.2: the raw status wait4 stores for a child that called exit(3)."""
    if answer is None:
        return _not_answered("set `answer` to the int you expect in `status`")
    answer, why = _as_int(answer, "answer")
    if why:
        return Verdict(False, why)
    p, why = run_program(kernel, "waiter", WAIT_PROGRAM)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    truth = int(p.stdout.strip())
    why = [f"status = {truth} = {truth:#06x}: the exit code sits in bits 8-15 (WEXITSTATUS(status) = "
           f"{(truth >> 8) & 0xff}), and the low 7 bits are 0, which WIFEXITED reads as 'exited normally'; "
           "a signal would put its number in the low bits instead"]
    if answer == truth:
        return Verdict(True, f"status is {truth}.", why)
    if answer == 3:
        return Verdict(False, "3 is what WEXITSTATUS(status) gives, not the raw status", why)
    return Verdict(False, f"you said {answer}; wait4 stored {truth}", why)


COPY_PROGRAM = r"""
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    int fds[2];
    pipe(fds);
    char buf[6] = "apple";
    write(fds[1], buf, 5);          /* write returns: the kernel has what it needs */
    strcpy(buf, "melon");           /* reuse the buffer at once */
    if (fork() == 0) {
        char got[6] = {0};
        read(fds[0], got, 5);
        write(1, got, 5);
        write(1, "\n", 1);
        _exit(0);
    }
    wait(NULL);
    return 0;
}
"""


def check_copy_semantics(answer, kernel) -> Verdict:
    """Exercise 4.3: what the reader prints after the writer overwrote its buffer once write returned."""
    if answer is None:
        return _not_answered('set `answer` to "apple" or "melon"')
    answer, why = _choice(answer, {"apple": 0, "melon": 0}, "answer")
    if why:
        return Verdict(False, why)
    start = len(kernel.machine.uart.output.text)
    p, why = run_program(kernel, "copier", COPY_PROGRAM)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    truth = kernel.machine.uart.output.text[start:].strip()
    why = ("write copied the five bytes into the pipe's buffer in the kernel (copyin) before it returned; "
           "the user buffer is the program's again the moment write returns (copy semantics)")
    if answer == truth:
        return Verdict(True, f"the reader got {truth!r}.", [why])
    return Verdict(False, f"you said {answer!r}; the reader printed {truth!r}", [why])


ATOMIC_THREADS, ATOMIC_ROUNDS = 4, 10_000


def check_atomic_counter(kernel, path: str = "/bin/atomic") -> Verdict:
    """Exercise 4.4: the reader's program counts to 40,000 with 4 threads and no mutex, on two harts.

    The program at ``path`` on ``kernel`` is copied to a fresh two-hart kernel and run there;
    right when it prints "counter = 40000", made 4 threads (thr_new) and slept on no lock
    (at most one _umtx_op per pthread_join).
    """

    try:
        elf = kernel.vfs.read_file(path)
    except Exception as e:                   # no such file, a directory, ...
        return Verdict(False, f"no program at {path}: run your %%c cell first", [str(e)])
    smp = oskit.boot(harts=2, programs=False)
    smp.install_program("/bin/atomic", elf)
    p, why = _run(smp, "/bin/atomic")
    if p is None:
        return Verdict(False, "your program did not run to its end on two harts", [why])
    calls = Counter(r.name for r in smp.trace.syscalls(pid=p.pid))
    m = re.search(r"counter = (-?\d+)", p.stdout)
    if m is None:
        return Verdict(False, "the program must print \"counter = N\"", [f"it printed {p.stdout!r}"])
    total, want = int(m.group(1)), ATOMIC_THREADS * ATOMIC_ROUNDS
    facts = [f"{calls['thr_new']} threads made, {calls['_umtx_op']} _umtx_op calls, exit status {p.exit_status}"]
    if calls["thr_new"] != ATOMIC_THREADS:
        return Verdict(False, f"expected {ATOMIC_THREADS} threads (pthread_create), found {calls['thr_new']}", facts)
    if total != want:
        return Verdict(False, f"counter = {total}, not {want}: updates were lost", facts +
                       ["counter++ is a load, an add and a store; another hart can store between them. "
                        "__atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED) does all three as one instruction"])
    if calls["_umtx_op"] > ATOMIC_THREADS:
        return Verdict(False, "the total is right, but threads slept on a lock: this is the mutex version", facts)
    return Verdict(True, f"counter = {total} on two harts, without a lock.", facts +
                   ["the compiler turned __atomic_fetch_add into amoadd.d: the memory system does the "
                    "load, add and store as one indivisible step, so no other hart can come between them"])


# -- chapter 7 -----------------------------------------------------------------------------------

TOUCH_PROGRAM = r"""
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    char *p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    for (int i = 0; i < 16; i += 2)
        p[i * 4096] = 1;              /* every other page */
    p[4096 * 0 + 100] = 2;            /* again the first page */
    return 0;
}
"""


def _faults_in(kernel, pid: int, lo: int, hi: int, probe_log) -> list:
    return [ev for ev in probe_log if ev.pid == pid and lo <= ev.va < hi]


def _mmap_range(kernel, pid: int):
    """The first anonymous mmap region a process made, from the trace: (start, end) or None."""
    for r in kernel.trace.syscalls(pid=pid, name="mmap"):
        if r.result is not None and not r.errno:
            return r.result, r.result + r.args[1]
    return None


def check_fault_count(answer, kernel) -> Verdict:
    """Exercise 7.1: page faults in a 16-page mapping when every other page is written, then page 0 again."""
    if answer is None:
        return _not_answered("set `answer` to the number of page faults in the mapping")
    answer, why = _as_int(answer, "answer")
    if why:
        return Verdict(False, why)
    log = []
    kernel.probes.subscribe("fault", log.append)
    try:
        p, why = run_program(kernel, "toucher", TOUCH_PROGRAM)
    finally:
        kernel.probes.unsubscribe("fault", log.append)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    span = _mmap_range(kernel, p.pid)
    faults = _faults_in(kernel, p.pid, *span, log) if span else []
    pages = sorted({(ev.va - span[0]) // 4096 for ev in faults}) if span else []
    details = [f"faults at pages {pages} of the mapping ({len(faults)} in all, each '{faults[0].how}')"
               if faults else "no faults seen in the mapping",
               "mmap only records the region; each page gets a frame at its first touch, and the second "
               "write to page 0 finds its page-table entry already there: no fault"]
    if answer == len(faults):
        return Verdict(True, f"{len(faults)} faults.", details)
    return Verdict(False, f"you said {answer}; the kernel took {len(faults)} faults in the mapping", details)


COW_PROGRAM = r"""
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    for (int i = 0; i < 8; i++)
        p[i * 4096] = 'a';             /* the parent fills all 8 pages */
    if (fork() == 0) {
        int sum = 0;
        for (int i = 0; i < 8; i++)
            sum += p[i * 4096];        /* the child reads all 8 ... */
        for (int i = 0; i < 3; i++)
            p[i * 4096] = 'b';         /* ... and writes 3 */
        _exit(sum & 1);
    }
    wait(NULL);
    return 0;
}
"""


def check_cow_copies(answer, kernel) -> Verdict:
    """Exercise 7.2: how many pages of the mapping are copied when the child reads 8 and writes 3."""
    if answer is None:
        return _not_answered("set `answer` to the number of pages copied")
    answer, why = _as_int(answer, "answer")
    if why:
        return Verdict(False, why)
    log = []
    kernel.probes.subscribe("fault", log.append)
    try:
        p, why = run_program(kernel, "cower", COW_PROGRAM)
    finally:
        kernel.probes.unsubscribe("fault", log.append)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    span = _mmap_range(kernel, p.pid)
    child = [ev for ev in log if ev.pid != p.pid and span and span[0] <= ev.va < span[1]]
    copies = [ev for ev in child if ev.how == "copy"]
    details = [f"the child's faults in the mapping: {[ev.how for ev in child]}",
               "after fork both processes map the same frames read-only; reads share them, and only "
               "a write faults and gets a private copy of that one page"]
    if answer == len(copies):
        return Verdict(True, f"{len(copies)} pages copied.", details)
    return Verdict(False, f"you said {answer}; the kernel copied {len(copies)} pages", details)


SWEEP_PROGRAM = r"""
#include <stdlib.h>
#include <sys/mman.h>
int main(int argc, char **argv) {
    long pages = atol(argv[1]);
    int random = argv[2][0] == 'r';
    char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    unsigned long x = 12345;
    for (int pass = 0; pass < 4; pass++)
        for (long i = 0; i < pages; i++) {
            long page = i;
            if (random) {                      /* a fixed pseudo-random sequence (an LCG) */
                x = x * 6364136223846793005UL + 1442695040888963407UL;
                page = (x >> 33) % pages;
            }
            p[page * 4096] += 1;
        }
    return 0;
}
"""
SWEEP_PAGES = 1000


def measure_sweep_order(pages: int = SWEEP_PAGES) -> dict:
    """Faults served from swap when SWEEP_PROGRAM makes 4 passes over `pages` pages, in order and at
    random, each on a fresh kernel with 4 MiB of RAM: {"order": n, "random": n}."""
    out = {}
    for mode in ("order", "random"):
        small = oskit.boot(ram_mib=4, programs=False)
        log = []
        small.probes.subscribe("fault", log.append)
        p, why = run_program(small, "sweeper", SWEEP_PROGRAM, ["sweeper", str(pages), mode])
        if p is None:
            raise RuntimeError(f"measure_sweep_order: {why}")
        out[mode] = sum(ev.pid == p.pid and ev.how == "swap" for ev in log)
    return out


def check_sweep_order(answer) -> Verdict:
    """Exercise 7.3: with 4 MiB of RAM and 1000 pages, do random passes take more or fewer swap-ins than ordered ones?"""
    if answer is None:
        return _not_answered('set `answer` to "more" or "fewer"')
    answer, why = _choice(answer, {"more": 0, "fewer": 0}, "answer")
    if why:
        return Verdict(False, why)
    try:
        n = measure_sweep_order()
    except RuntimeError as e:
        return Verdict(False, "the check could not run its program", [str(e)])
    truth = "fewer" if n["random"] < n["order"] else "more"
    details = [f"in order: {n['order']} faults served from swap; at random: {n['random']}",
               "in order, the page the clock evicts is always the one touched longest ago, which is exactly "
               "the next one the loop needs; at random, a page touched recently is likely to be touched "
               "again before the clock comes round to it, so most accesses still hit"]
    if answer == truth:
        return Verdict(True, f"random passes take {truth} swap-ins.", details)
    return Verdict(False, f"you said {answer}; random passes take {truth}", details)


__all__ = ["Verdict", "RUN_LIMIT", "elf_code", "run_program", "check_abi", "check_nanosleep_restart",
           "check_new_syscall", "check_fork_lines", "check_wait_status", "check_copy_semantics",
           "check_fault_count", "check_cow_copies", "check_sweep_order", "measure_sweep_order"]
