"""Checks for the exercises of chapters 8, 9 and 10 (notebooks/08-*, 09-*, 10-*).

Same contract as checks.py (chapters 0-2): each ``check_...()`` takes the
reader's answer, finds the truth by running the real kernel or machine, and
returns a ``Verdict`` (prints "✔ right:" or "✘ not yet:" with the reasons).
A check never raises on a bad answer, nor when the reader's code breaks the
kernel it is tried on: that is a verdict too.

    chapter 8   check_setuid_steps(answers, k)     what each id call of a set-user-id program returns
                check_refused_forks(answer, k)     how many forks the audit trail shows refused, and why
                check_hogs_to_starve(answer)       how many ordinary pipe hogs fill a 1 MiB kernel heap
    chapter 9   check_padding_bytes(answer)        which bytes of struct lab_info are padding
                check_zeroing_patch(zeroing)       zeroing(pmem): a new pmem.alloc_frame that stops the reuse leak
    chapter 10   check_copyout_patch(fn)            a replacement for the weak copyout stops ucred_zero
                check_euid_exploit(k, path)        an exploit that makes only the effective uid 0
                check_supervisor_rules(answers)    may S/U mode load/store/fetch a U page (SUM on/off)
"""

from __future__ import annotations

import oskit
from oskit.book.checks import Verdict, _as_int, _install, _not_answered
from oskit.kernel.errno import errno_name
from oskit.kernel.kern.resource import KMEM_PER_PROC
from oskit.kernel.kernel import SpawnError
from oskit.kernel.structs import UCRED
from oskit.lab import weaknesses
from oskit.lab.labdev import LAB_INFO
from oskit.machine.mmu import PTE_R, PTE_U, PTE_V, PTE_W, PTE_X, allowed
from oskit.machine.trap import Priv
from oskit.toolchain import build

RUN_LIMIT = 10_000_000          # instructions a check lets a program run before giving up
ATTACKER_UID = 1001


# -- chapter 8 ------------------------------------------------------------------------------------

SETUID_STEPS = r"""
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

static void step(const char *name, int r)
{
    printf("%s %s\n", name, r == 0 ? "ok" : errno == EPERM ? "EPERM" : "other");
}

int main(void)
{
    step("1 seteuid(1000)", seteuid(1000));
    step("2 seteuid(0)", seteuid(0));
    step("3 setuid(1000)", setuid(1000));
    step("4 seteuid(0)", seteuid(0));
    step("5 setuid(0)", setuid(0));
    return 0;
}
"""


def check_setuid_steps(answers, kernel) -> Verdict:
    """Exercise 8.1: "ok" or "EPERM" for each id call of a set-user-id root program run by uid 1000.

    The truth: SETUID_STEPS is built, installed as /tmp/setuid_steps (root, mode 04755)
    and run as uid 1000 on ``kernel``.
    """
    keys = [line.split('"')[1] for line in SETUID_STEPS.splitlines() if line.strip().startswith("step(\"")]
    if not isinstance(answers, dict) or any(answers.get(key) is None for key in keys):
        return _not_answered('fill in "ok" or "EPERM" for every step in `answers`')
    elf = build({"setuid_steps.c": SETUID_STEPS}, mode="user", name="setuid_steps").read_bytes()
    kernel.vfs.install_file("/tmp/setuid_steps", elf, 0o4755, uid=0, gid=0)
    p = kernel.spawn("/tmp/setuid_steps", ["setuid_steps"], uid=1000, gid=1000)
    kernel.run(until=p.exited, max_instructions=RUN_LIMIT)
    truth = {line.rsplit(" ", 1)[0]: line.rsplit(" ", 1)[1] for line in p.stdout.splitlines()}
    if set(truth) != set(keys):
        return Verdict(False, "the measuring program did not run to its end", [repr(p.stdout)])
    wrong = [f"{key}: you said {answers[key]!r}, the kernel says {truth[key]}"
             for key in keys if str(answers[key]).strip() != truth[key]]
    if wrong:
        return Verdict(False, f"{len(wrong)} of {len(keys)} steps wrong", wrong +
                       ["the ids start as real 1000, effective 0, saved 0 (the set-user-id exec)"])
    return Verdict(True, f"all {len(keys)} steps as the kernel does them.",
                   ["seteuid moves only the effective uid between real and saved; setuid by root sets all three, "
                    "so root's authority is gone for good"])


def check_refused_forks(answer, kernel) -> Verdict:
    """Exercise 8.3: (how many fork calls of uid 1000 failed, the errno's name), from kernel's audit trail."""
    if answer is None:
        return _not_answered("set `answer` to (number of refused forks, errno name), e.g. (3, \"EPERM\")")
    if not (isinstance(answer, tuple) and len(answer) == 2):
        return Verdict(False, f"expected a pair (count, errno name), found {answer!r}")
    refused = kernel.audit.records(call="fork", uid=1000, failed=True)
    names = sorted({errno_name(r.errno) for r in refused})
    count, name = answer
    problems = []
    if count != len(refused):
        problems.append(f"count: you said {count!r}, the trail holds {len(refused)} refused forks of uid 1000")
    if [str(name)] != names:
        problems.append(f"errno: you said {name!r}, the trail says {', '.join(names) or 'none'}")
    if problems:
        return Verdict(False, "not what the audit trail says", problems +
                       ["k.audit.records(call=..., uid=..., failed=True) gives the records; each has .errno"])
    return Verdict(True, f"{len(refused)} forks refused with {names[0]}.",
                   ["EAGAIN: the limit is a condition that may pass (when one of the processes exits), "
                    "not a permission"])


# A hog that an ordinary user may run: it opens pipes until the kernel says no, reports, and then
# holds them (pause) so that the next hog, and the victim, find the kernel heap as it left it.
PIPE_HOLDER = r"""
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    int n = 0, fds[2];
    while (pipe(fds) == 0)
        n++;
    printf("%d pipes, then %s\n", n, strerror(errno));
    fflush(stdout);
    pause();
    return 0;
}
"""

PIPE_VICTIM = r"""
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    printf("%s\n", pipe(fds) == 0 ? "ok" : strerror(errno));
    return 0;
}
"""

HOG_MACHINE_MIB = 16          # RAM of the check's machine: its kernel heap is 1 MiB
MOST_HOGS = 32


def measure_hogs_to_starve() -> tuple[int | None, list[str]]:
    """Start PIPE_HOLDERs (uid 1000, default limits) one by one on a fresh 16 MiB kernel until a
    victim (uid 2000) is refused a pipe. Returns (how many hogs that took, what each hog printed)."""
    k = oskit.boot(programs=False, ram_mib=HOG_MACHINE_MIB)
    holder = _install(k, "holder", PIPE_HOLDER)
    victim = _install(k, "victim", PIPE_VICTIM)
    said = []
    for n in range(1, MOST_HOGS + 1):
        hog = k.spawn(holder, ["holder"], uid=1000, gid=1000)
        k.run(until=lambda: "\n" in hog.stdout or hog.exited(), max_instructions=RUN_LIMIT)
        said.append(hog.stdout.strip() or f"(nothing; exit status {hog.exit_status})")
        v = k.spawn(victim, ["victim"], uid=2000, gid=2000)
        k.run(until=v.exited, max_instructions=RUN_LIMIT)
        if v.stdout.strip() != "ok":
            return n, said
    return None, said


def check_hogs_to_starve(answer) -> Verdict:
    """Exercise 8.4: the fewest pipe hogs (uid 1000, default limits, each holding its pipes) after
    which a process of another user is refused a pipe, on a machine with a 1 MiB kernel heap.

    The truth: PIPE_HOLDERs are started one after the other on a fresh 16 MiB kernel, and after
    each a victim (uid 2000) asks for one pipe.
    """
    if answer is None:
        return _not_answered("set `answer` to a number of hog processes")
    n, why = _as_int(answer, "answer")
    if why:
        return Verdict(False, why)
    truth, said = measure_hogs_to_starve()
    if truth is None:
        return Verdict(False, f"the measurement found no starvation with {MOST_HOGS} hogs", said[:3])
    per_hog = said[0]
    if n != truth:
        hint = ("each hog stops at whichever limit it meets first: its descriptors or its kernel-memory share"
                if n < truth else "count what one hog can hold, then how many of those fit in the heap")
        return Verdict(False, f"you said {n}; the victim is first refused after {truth} hogs",
                       [f"one hog: {per_hog}", hint])
    pipes = int(per_hog.split()[0]) if per_hog.split()[0].isdigit() else 0
    return Verdict(True, f"after {truth} hogs the victim's pipe() fails (the last hog: {said[-1]}).",
                   [f"one hog: {per_hog}: {pipes} pipes of 4 KiB = {pipes * 4} KiB, below its "
                    f"{_kmem_share() >> 10} KiB kernel-memory share: its descriptors ran out first",
                    f"{truth - 1} hogs hold {(truth - 1) * pipes * 4} KiB of the 1024 KiB heap; hog {truth} takes "
                    "the rest, and every other user is out of pipes. Per-process limits add up"])


def _kmem_share() -> int:
    return KMEM_PER_PROC


# -- chapter 9 ------------------------------------------------------------------------------------

def padding_offsets() -> set[int]:
    """The byte offsets of struct lab_info that belong to no field (from the kernel's own layout)."""
    used = set()
    for f in LAB_INFO.fields.values():
        used |= set(range(f.offset, f.offset + f.size))
    return set(range(LAB_INFO.size)) - used


def check_padding_bytes(answer) -> Verdict:
    """Exercise 9.2: the set of byte offsets of struct lab_info that are padding."""
    if answer is None:
        return _not_answered("set `answer` to the set of padding offsets, e.g. {1, 2, 3}")
    try:
        got = {int(x) for x in answer}
    except (TypeError, ValueError):
        return Verdict(False, f"answer: expected a set of byte offsets (ints), found {answer!r}")
    truth = padding_offsets()
    if got == truth:
        return Verdict(True, f"{len(truth)} padding bytes: {_ranges(truth)}.",
                       ["each field starts at a multiple of its own size, and the struct's size is a "
                        "multiple of its largest field's (8): the gaps are padding"])
    details = []
    if got - truth:
        details.append(f"{_ranges(got - truth)} belong to a field")
    if truth - got:
        details.append(f"{_ranges(truth - got)} are padding too: which field would they belong to?")
    return Verdict(False, f"{len(got & truth)} of the {len(truth)} padding bytes found", details)


def check_zeroing_patch(zeroing) -> Verdict:
    """Exercise 9.3: ``zeroing(pmem)`` returns an ``alloc_frame(owner="")`` that hands out zeroed frames.

    The check boots a kernel with no_zero_on_reuse on, replaces that kernel's
    ``pmem.alloc_frame`` by ``zeroing(pmem)``, and runs ``reuse store``
    (uid 1002) then ``reuse find`` (uid 1001): right when nothing is found and
    the kernel still runs.
    """
    if zeroing is None:
        return _not_answered("define zeroing(pmem) returning a new alloc_frame")
    if not callable(zeroing):
        return Verdict(False, f"expected a function zeroing(pmem), found {zeroing!r}")
    k = oskit.boot(programs=False, weaknesses={"no_zero_on_reuse"})
    try:
        patched = zeroing(k.pmem)
    except Exception as e:                  # the reader's code: any error is a verdict
        return Verdict(False, f"zeroing(pmem) raised {type(e).__name__}: {e}")
    if not callable(patched):
        return Verdict(False, f"zeroing(pmem) must return a function, it returned {patched!r}")
    k.pmem.alloc_frame = patched            # this kernel only: an instance attribute
    try:
        weaknesses.run_exploit(k, "reuse", ["store"], uid=1002, gid=1002, max_instructions=RUN_LIMIT)
        p = weaknesses.run_exploit(k, "reuse", ["find"], uid=1001, gid=1001, max_instructions=RUN_LIMIT)
    except RuntimeError as e:
        return Verdict(False, "the kernel did not survive your allocator", [str(e)])
    if "found: SECRET" in p.stdout:
        return Verdict(False, "the second process still reads the first one's secret",
                       ["every frame must be cleared (4096 zero bytes) before alloc_frame returns it",
                        p.stdout.strip().splitlines()[-1]])
    return Verdict(True, "fresh memory reads as zeros again: " + p.stdout.strip().splitlines()[-1],
                   ["zeroing at allocation costs a 4 KiB write per frame; some kernels zero freed frames "
                    "in the background instead (FreeBSD once had an idle-time page zeroing thread)"])


def _ranges(offsets) -> str:
    """{1, 2, 3, 9} -> '1-3, 9'."""
    out, run = [], []
    for o in sorted(offsets):
        if run and o == run[-1] + 1:
            run.append(o)
            continue
        if run:
            out.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [o]
    if run:
        out.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out) or "none"


# -- chapter 10 ------------------------------------------------------------------------------------

def check_copyout_patch(fn) -> Verdict:
    """Exercise 10.1: ``fn(td, uaddr, data)`` used where the weak kernel calls unchecked_copyout.

    Right when, on a kernel with unchecked_user_pointer on, ucred_zero's
    ordinary read still works and its read into the credential fails with
    EFAULT, leaving the uid alone.
    """
    if fn is None:
        return _not_answered("define my_copyout(td, uaddr, data) and pass it to the check")
    if not callable(fn):
        return Verdict(False, f"expected a function my_copyout(td, uaddr, data), found {fn!r}")
    k = oskit.boot(programs=False, weaknesses={"unchecked_user_pointer"})
    saved = weaknesses.unchecked_copyout
    weaknesses.unchecked_copyout = fn            # sys_read looks the name up at every call
    try:
        p = weaknesses.run_exploit(k, "ucred_zero", uid=ATTACKER_UID, gid=ATTACKER_UID,
                                   max_instructions=RUN_LIMIT)
    except RuntimeError as e:
        return Verdict(False, "the kernel did not survive your copyout", [str(e)])
    finally:
        weaknesses.unchecked_copyout = saved
    reads = k.trace.syscalls(pid=p.pid, name="read")
    problems = []
    if "an ordinary read works" not in p.stdout:
        problems.append("an ordinary read() into the program's own buffer no longer works: "
                        "copyout must still write user pages")
    if "after: uid 0" in p.stdout:
        problems.append("the read into the ucred still made the process root: the kernel address was written")
    elif len(reads) >= 2 and reads[1].errno != 14:
        problems.append(f"the read into the ucred ended with errno {reads[1].errno}, expected 14 (EFAULT)")
    if problems:
        return Verdict(False, "the exploit is not stopped cleanly yet", problems)
    return Verdict(True, "ucred_zero's read into the kernel now fails with EFAULT, and ordinary reads work.",
                   ["the check belongs in copyout itself: every caller gets it"])


def check_euid_exploit(kernel, path: str) -> Verdict:
    """Exercise 10.2: path, run as uid 1001 with unchecked_user_pointer on, ends with euid 0 but real uid 1001.

    The truth is read from the process's ucred in guest memory at each of its
    system calls, not from what the program prints.
    """
    w = weaknesses.attach(kernel)
    was_on = "unchecked_user_pointer" in w
    w.enable("unchecked_user_pointer")
    last = {}

    def on_return(ev):
        rec = ev.record
        p = kernel.procs.get(rec.pid)
        if p is not None and p is proc[0] and p.cred is not None:
            raw = kernel.machine.bus.read_bytes(p.cred.addr, UCRED.size)
            fields = UCRED.unpack(raw)
            last.update({f: fields[f] for f in ("cr_uid", "cr_ruid", "cr_svuid")})

    proc = [None]
    kernel.probes.subscribe("syscall_return", on_return)
    try:
        try:
            proc[0] = kernel.spawn(path, [path.rsplit("/", 1)[-1]], uid=ATTACKER_UID, gid=ATTACKER_UID,
                                   cwd="/tmp")
        except SpawnError as e:
            return Verdict(False, f"could not run {path}", [str(e), "run the %%c cell that builds it first"])
        r = kernel.run(until=proc[0].exited, max_instructions=RUN_LIMIT)
    finally:
        kernel.probes.unsubscribe("syscall_return", on_return)
        if not was_on:
            w.disable("unchecked_user_pointer")
    p = proc[0]
    if not p.exited():
        return Verdict(False, f"{path} did not finish within {RUN_LIMIT:,} instructions ({r.reason})")
    if not last:
        return Verdict(False, f"{path} made no system call, so there was nothing to look at")
    ids = f"cr_uid (effective) {last['cr_uid']}, cr_ruid (real) {last['cr_ruid']}, cr_svuid {last['cr_svuid']}"
    if last["cr_uid"] == 0 and last["cr_ruid"] == ATTACKER_UID:
        return Verdict(True, f"its credential ended as {ids}.",
                       ["4 bytes at ucred + 4 were enough: the kernel trusts the effective uid for every check"])
    why = []
    if last["cr_uid"] != 0:
        why.append("the effective uid (4 bytes at offset 4 of struct ucred) is not 0")
    if last["cr_ruid"] != ATTACKER_UID:
        why.append("the real uid changed too: write only cr_uid")
    return Verdict(False, f"its credential ended as {ids}", why)


SUPERVISOR_CASES = {          # name -> (mode, access, SUM); every page is a U page with R, W and X
    "U-mode load": ("U", "r", False),
    "S-mode load, SUM=0": ("S", "r", False),
    "S-mode load, SUM=1": ("S", "r", True),
    "S-mode store, SUM=1": ("S", "w", True),
    "S-mode fetch, SUM=0": ("S", "x", False),
    "S-mode fetch, SUM=1": ("S", "x", True),
}


def check_supervisor_rules(answers) -> Verdict:
    """Exercise 10.3: for each case, does RISC-V's MMU allow the access to a U page (True/False)?"""
    if not isinstance(answers, dict) or any(answers.get(c) is None for c in SUPERVISOR_CASES):
        return _not_answered("fill in True or False for every case in `answers`")
    pte = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U
    wrong = []
    for case, (mode, access, sum_) in SUPERVISOR_CASES.items():
        truth = allowed(pte, access, Priv.S if mode == "S" else Priv.U, sum_, False)
        if answers[case] is not truth:
            wrong.append(f"{case}: you said {answers[case]!r}, the MMU says {truth}")
    if wrong:
        return Verdict(False, f"{len(wrong)} of {len(SUPERVISOR_CASES)} cases wrong", wrong)
    return Verdict(True, f"all {len(SUPERVISOR_CASES)} cases agree with oskit.machine.mmu.allowed.",
                   ["SUM opens U pages to S-mode loads and stores only; no bit lets S-mode execute them"])
