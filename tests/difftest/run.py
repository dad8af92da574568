"""Run a Batch on QEMU and on oskit's Machine, compare what every sequence left behind.

    ours, qemu = run_both(batch)            # one Machine, one QEMU launch (killed after a timeout)
    diffs = compare(batch, ours, qemu)      # [Difference], empty when they agree
    print(explain(batch, diffs[0]))         # seed, what differs, the instruction that made it differ

What is compared, per sequence: the registers at the end (x1..x31 but tp),
the CSRs in gen.FINAL_CSRS, the number of traps and the log of the first
gen.LOG_ENTRIES (cause, tval, epc, status), the two data pages, and with
Sv39 the level-0 page table (the A and D bits the hardware set).

Where the two machines may legitimately differ, KNOWN says how, and the
comparison accepts either value; every rule is either a choice oskit makes
(oskit/machine/choices.py) or a place where QEMU 7.2 departs from the
specification (tests/programs/README.md lists them).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple

from difftest import gen
from difftest.gen import ABI, COUNT, CSRS, D0, FINAL_CSRS, LOG, LOG_ENTRIES, LOG_ENTRY, PAGE, PT_L0, REGS, SLOT_SIZE

QEMU = "qemu-system-riscv64"
# Our machine has RV64IMA + Zicsr + Zifencei: switch off what QEMU 7.2's rv64 has on by default and can switch off.
QEMU_CPU = ("rv64,c=false,f=false,d=false,v=false,h=false,zba=false,zbb=false,zbc=false,zbs=false,"
            "svpbmt=false,svinval=false,svnapot=false,sscofpmf=false")  # fmt: skip


def qemu_available() -> bool:
    return shutil.which(QEMU) is not None


RAM_MIB = 64
"""Both machines get this much RAM, whatever the batch: the same everywhere, so that a run does not
depend on the batch's size (QEMU puts its device tree in the top megabytes, beyond the slots)."""


def ram_mib(batch: gen.Batch) -> int:
    if batch.ram_end > gen.RAM + ((RAM_MIB - 4) << 20):
        raise ValueError(f"a batch of {len(batch.sequences)} sequences does not fit in {RAM_MIB} MiB of RAM")
    return RAM_MIB


def run_qemu(batch: gen.Batch, workdir: Path, timeout: float = 60) -> bytes:
    """Run the batch on QEMU's virt board; returns the slots as the harness wrote them (semihosting)."""
    elf = workdir / "batch.elf"
    out = Path(batch.result_path)
    out.unlink(missing_ok=True)
    elf.write_bytes(batch.elf())
    cmd = [QEMU, "-machine", "virt", "-cpu", QEMU_CPU, "-m", f"{ram_mib(batch)}M", "-bios", "none", "-nodefaults",
           "-display", "none", "-monitor", "none", "-serial", "none",
           "-semihosting-config", "enable=on,target=native", "-kernel", str(elf)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"QEMU failed (exit {proc.returncode}): {proc.stderr.decode(errors='replace')}")
    data = out.read_bytes()
    out.unlink()
    if len(data) != len(batch.slots):
        raise RuntimeError(f"QEMU wrote {len(data)} bytes of results, expected {len(batch.slots)}")
    return data


def run_oskit(batch: gen.Batch, max_instructions: int | None = None, plain: bool = False) -> bytes:
    """Run the batch on oskit's Machine; returns the slots as they are in RAM when the harness wrote tohost.

    plain: the plain interpreter only (hart.fast = False), not the translated blocks.
    """
    from oskit.machine import Machine

    m = Machine(ram_mib=ram_mib(batch))
    m.harts[0].fast = not plain
    for addr, data in batch.segments():
        m.bus.write_bytes(addr, data)
    m.htif.arm(gen.TOHOST)
    m.harts[0].pc = gen.HARNESS
    limit = max_instructions or 50_000 + 20_000 * len(batch.sequences)
    result = m.run(max_instructions=limit)
    if result.reason != "exit":
        raise RuntimeError(f"oskit's run ended with {result.reason!r} ({result.detail}), not at tohost; "
                           f"pc={m.harts[0].pc:#x}")
    return m.bus.read_bytes(gen.SLOTS, len(batch.slots))


def run_both(batch: gen.Batch, plain: bool = False) -> tuple[bytes, bytes]:
    """(oskit's slots, QEMU's slots)."""
    with tempfile.TemporaryDirectory(prefix="qemudiff-") as tmp:
        return run_oskit(batch, plain=plain), run_qemu(batch, Path(tmp))


# -- known differences -----------------------------------------------------------------------

AMO_OPCODE, LOAD_OPCODE, STORE_OPCODE = 0x2F, 0x03, 0x23


class Entry(NamedTuple):
    """One trap in the log, as the harness wrote it."""

    cause: int
    tval: int
    epc: int
    status: int  # mstatus or sstatus at the trap (| gen.HANDLED_BY_S)


@dataclass(frozen=True)
class Rule:
    """A difference the comparison accepts, and why: a choice of ours, or QEMU 7.2 departing from the spec.

    on "log": allows(ours, qemu, word) for two trap-log entries, word being
    the instruction at their epc (None if it is not one of the sequence's).
    on "pte": allows(ours, qemu, facts) for a PTE's final value, facts a set
    of what happened in the sequence ("amo fault", "sc").
    """

    name: str
    on: str
    why: str
    allows: Callable[..., bool]


KNOWN: dict[str, Rule] = {}


def rule(on: str, why: str):
    """Register the decorated function as the Rule named after it."""

    def register(fn):
        name = fn.__name__.replace("_", "-")
        KNOWN[name] = Rule(name, on, why, fn)
        return fn

    return register


def _is_amo(word: int | None) -> bool:
    """An AMO or sc (stores, as far as traps go), not lr."""
    return word is not None and word & 0x7F == AMO_OPCODE and (word >> 27) != 0b00010


@rule("log", "ebreak's xtval: the pc on oskit (choices.EBREAK_TVAL), 0 on QEMU; the spec allows both")
def ebreak_tval(o: Entry, q: Entry, word) -> bool:
    return o.cause == q.cause == 3 and q.tval == 0 and o[2:] == q[2:]


@rule("log", "a misaligned AMO or sc: cause 6 on oskit (spec: store/AMO address misaligned), 4 on QEMU 7.2")
def amo_misaligned_cause(o: Entry, q: Entry, word) -> bool:
    return (o.cause, q.cause) == (6, 4) and o[1:] == q[1:] and _is_amo(word)


@rule("log", "an AMO or sc that faults on access: cause 7 on oskit (spec: store/AMO access fault), 5 on QEMU 7.2")
def amo_access_cause(o: Entry, q: Entry, word) -> bool:
    return (o.cause, q.cause) == (7, 5) and o[1:] == q[1:] and _is_amo(word)


@rule("log", "an AMO that page-faults: cause 15 on oskit (spec: store/AMO page fault), 13 on QEMU 7.2 when the "
      "page is not readable either")
def amo_page_cause(o: Entry, q: Entry, word) -> bool:
    return (o.cause, q.cause) == (15, 13) and o[1:] == q[1:] and _is_amo(word)


@rule("log", "a jump or taken branch to a misaligned target: xtval is the target on oskit (spec); QEMU 7.2 "
      "writes a stale pc (fixed in later QEMU)")
def jump_misaligned_tval(o: Entry, q: Entry, word) -> bool:
    return o.cause == q.cause == 0 and o.tval & 3 == 2 and o[2:] == q[2:]


@rule("log", "a misaligned load or store (done by the hardware) that faults: xtval is its address on oskit "
      "(spec: the address of the portion that faulted); QEMU 7.2 rounds it down to the access size")
def misaligned_fault_tval(o: Entry, q: Entry, word) -> bool:
    if word is None or word & 0x7F not in (LOAD_OPCODE, STORE_OPCODE):
        return False
    size = 1 << (word >> 12 & 3)
    return o.cause == q.cause and o.cause in (5, 7, 13, 15) and q.tval == o.tval & -size and o[2:] == q[2:]


@rule("pte", "an AMO that page-faults: QEMU 7.2 may have set the PTE's A bit (its AMO is a load, which "
      "succeeded, then a store); oskit sets A only for an access that completes. The spec lets A be set "
      "speculatively")
def amo_fault_sets_a(o: int, q: int, facts: set) -> bool:
    return o ^ q == gen.A and q & gen.A and "amo fault" in facts


@rule("pte", "an sc that fails (no reservation) is translated as a store on oskit, so it sets the PTE's A and "
      "D bits (as Spike does); QEMU 7.2 translates nothing for a failing sc")
def failed_sc_sets_ad(o: int, q: int, facts: set) -> bool:
    return o ^ q in (gen.A, gen.D, gen.A | gen.D) and o & (o ^ q) == o ^ q and "sc" in facts


# -- comparing ---------------------------------------------------------------------------------

@dataclass
class Difference:
    """The first place where one sequence's results differ."""

    seed: int
    slot: int
    where: str  # "x10 (a0)", "log[2].cause", "csr mstatus", "D0+0x7f8", "pte[33]", "trap count"
    ours: int
    qemu: int
    epc: int | None = None  # the pc of the trapping instruction, for a log difference


def _words(data: bytes, off: int, n: int) -> tuple:
    return struct.unpack_from(f"<{n}Q", data, off)


def slot_state(data: bytes, k: int, seq: gen.Sequence) -> list[tuple[str, int]]:
    """Everything compared for slot k, as (name, value) in a fixed order (log entries excluded)."""
    off = k * SLOT_SIZE
    items = []
    regs = _words(data, off + REGS, 32)
    for i in range(1, 32):
        if ABI[i] != "tp":
            items.append((f"x{i} ({ABI[i]})", regs[i]))
    for name, value in zip(FINAL_CSRS, _words(data, off + CSRS, len(FINAL_CSRS))):
        items.append((f"csr {name}", value))
    items.append(("trap count", _words(data, off + COUNT, 1)[0]))
    for page, label in ((D0, "D0"), (D0 + PAGE, "D1")):
        for i, v in enumerate(_words(data, off + page, PAGE // 8)):
            items.append((f"{label}+{8 * i:#05x}", v))
    if seq.sv39:
        for index in sorted(seq.ptes):
            items.append((f"pte[{index}]", _words(data, off + PT_L0 + 8 * index, 1)[0]))
        items.append(("pte[root 1] (1 GiB)", _words(data, off + gen.PT_ROOT + 8, 1)[0]))
    return items


def log_entries(data: bytes, k: int) -> list[Entry]:
    """The traps slot k logged (the first gen.LOG_ENTRIES of them)."""
    off = k * SLOT_SIZE
    n = min(_words(data, off + COUNT, 1)[0], LOG_ENTRIES)
    return [Entry(*_words(data, off + LOG + LOG_ENTRY * i, 4)) for i in range(n)]


def instruction_at(batch: gen.Batch, k: int, epc: int) -> tuple[int, int] | None:
    """(index, word) of the k-th sequence's instruction at virtual address epc, if it is one of them."""
    start = batch.sequences[k].slot_addresses(k)["code"]
    index, rem = divmod(epc - start, 4)
    words = batch.code_words(k)
    if rem or not 0 <= index < len(words):
        return None
    return index, words[index]


def compare_slot(batch: gen.Batch, k: int, ours: bytes, qemu: bytes, used: dict | None = None) -> Difference | None:
    """The first difference in slot k that no KNOWN rule allows, or None. `used` counts the rules applied."""
    seq = batch.sequences[k]

    def allowed(on: str, o, q, arg) -> bool:
        found = next((r for r in KNOWN.values() if r.on == on and r.allows(o, q, arg)), None)
        if found is not None and used is not None:
            used[found.name] = used.get(found.name, 0) + 1
        return found is not None

    a, b = log_entries(ours, k), log_entries(qemu, k)
    for i, (o, q) in enumerate(zip(a, b)):
        if o == q:
            continue
        found = instruction_at(batch, k, o.epc)
        if allowed("log", o, q, found[1] if found else None):
            continue
        field = next(j for j in range(4) if o[j] != q[j])
        return Difference(seq.seed, k, f"log[{i}].{Entry._fields[field]}", o[field], q[field], epc=o.epc)
    facts = set()
    if any(e.cause in (13, 15) and (f := instruction_at(batch, k, e.epc)) and _is_amo(f[1]) for e in a):
        facts.add("amo fault")
    if _words(ours, k * SLOT_SIZE + COUNT, 1)[0] > LOG_ENTRIES and any(line.startswith("amo") for line in seq.lines):
        facts.add("amo fault")  # perhaps, among the traps the log had no room for
    if any(line.startswith("sc.") for line in seq.lines):
        facts.add("sc")
    for (name, o), (_, q) in zip(slot_state(ours, k, seq), slot_state(qemu, k, seq)):
        if o != q and not (name.startswith("pte[") and allowed("pte", o, q, facts)):
            return Difference(seq.seed, k, name, o, q)
    return None


def compare(batch: gen.Batch, ours: bytes, qemu: bytes, used: dict | None = None) -> list[Difference]:
    """The first difference of every sequence that differs."""
    diffs = []
    for k in range(len(batch.sequences)):
        d = compare_slot(batch, k, ours, qemu, used)
        if d is not None:
            diffs.append(d)
    return diffs


# -- explaining ------------------------------------------------------------------------------

def locate(seq: gen.Sequence) -> int | None:
    """The index of the first instruction after which oskit and QEMU disagree.

    Runs every prefix of the sequence (the rest replaced by nops, so branch
    targets stay where they were) as one batch; the shortest prefix that
    differs ends with the culprit.
    """
    n = len(seq.lines)
    variants = []
    for k in range(n):
        v = gen.Sequence.__new__(gen.Sequence)
        v.__dict__.update(seq.__dict__)
        v.lines = seq.lines[:k] + ["addi zero, zero, 0"] * (n - 1 - k) + ["ecall"]
        variants.append(v)
    batch = gen.Batch(variants)
    ours, qemu = run_both(batch)
    for k in range(n):
        if compare_slot(batch, k, ours, qemu) is not None:
            return k - 1 if k else None
    return None


def explain(batch: gen.Batch, d: Difference, find_culprit: bool = True) -> str:
    """A report of one difference: the seed, the start state, what differs, and which instruction did it."""
    from oskit.machine.decode import disassemble

    seq = batch.sequences[d.slot]
    code = seq.slot_addresses(d.slot)["code"]
    lines = [f"seed {d.seed}: mode {seq.mode}, Sv39 {'on' if seq.sv39 else 'off'}, medeleg {seq.medeleg:#x}, "
             f"mstatus {seq.mstatus:#x}",
             f"  first difference: {d.where}: oskit {d.ours:#x}, QEMU {d.qemu:#x}"]
    index = None
    if d.epc is not None:
        found = instruction_at(batch, d.slot, d.epc)
        index = found[0] if found else None
    elif find_culprit:
        index = locate(seq)
    if index is not None:
        word = batch.code_words(d.slot)[index]
        pc = code + 4 * index
        lines.append(f"  instruction {index} at {pc:#x}: {word:#010x}  {disassemble(word, pc)}"
                     f"   (generated as: {seq.lines[index]})")
    lines.append(f"  reproduce: python tools/qemudiff.py --seed {d.seed} --count 1 --show")
    return "\n".join(lines)
