"""Differential test against QEMU: random RV64IMA + Zicsr sequences in M, S and U mode, with and
without Sv39, with traps, run on our machine and on QEMU's virt board; the state each leaves must
match (tests/difftest/ has the generator, the harness and the comparison; tools/qemudiff.py runs
millions).

Misaligned plain loads and stores are in: both machines perform them in hardware (ours by default;
machine.misaligned_access_traps makes them trap). Misaligned AMOs and LR/SC are in too: both trap.
"""

from __future__ import annotations

import struct

import pytest
from difftest import gen, run

SEQUENCES = 300
FIRST_SEED = 1_000_000  # the CLI's default range starts at 0: CI looks at other sequences


def test_qemu_agrees_on_random_sequences():
    """Every sequence leaves the same registers, CSRs, trap log, memory and PTEs on both machines."""
    if not run.qemu_available():
        pytest.skip("qemu-system-riscv64 is not installed (Debian: apt-get install qemu-system-misc)")
    batch = gen.Batch([gen.Sequence(s, misaligned=True) for s in range(FIRST_SEED, FIRST_SEED + SEQUENCES)])
    ours, qemu = run.run_both(batch)
    diffs = run.compare(batch, ours, qemu)
    assert not diffs, "\n".join(run.explain(batch, d) for d in diffs[:3])


def test_sequences_cover_modes_paging_and_traps():
    """The generator makes sequences of every mode, with and without Sv39 (M: with MPRV), that trap in many ways."""
    seqs = [gen.Sequence(s, misaligned=False) for s in range(FIRST_SEED, FIRST_SEED + SEQUENCES)]
    kinds = {(s.mode, s.sv39) for s in seqs}
    assert kinds == {("M", False), ("M", True), ("S", False), ("S", True), ("U", False), ("U", True)}
    assert sum(1 for s in seqs if s.medeleg) > SEQUENCES / 3
    text = "\n".join(line for s in seqs for line in s.lines)
    for what in ("lr.d", "sc.w", "amomaxu.d", "divw", "mulhsu", "csrrc", "ebreak", "mret", ".word", "jalr"):
        assert what in text


def test_a_difference_is_reported_with_its_register():
    """When a register differs at the end, compare() names the sequence's seed and the register."""
    batch = gen.Batch([gen.Sequence(s, misaligned=False) for s in (7, 8)])
    ours = run.run_oskit(batch)
    other = bytearray(ours)
    a0 = gen.SLOT_SIZE + gen.REGS + 8 * gen.ABI.index("a0")  # slot 1's final a0
    struct.pack_into("<Q", other, a0, struct.unpack_from("<Q", other, a0)[0] ^ 1)
    diffs = run.compare(batch, ours, bytes(other))
    assert [(d.seed, d.where) for d in diffs] == [(8, "x10 (a0)")]
