"""The hart's events (trap, xret, walk, tlb_miss, tlb_flush, instruction) and its host-facing methods."""

from __future__ import annotations

import pytest
from mc_asm import RAM, asm, boot, load

from oskit.machine.cpu import GuestCallError
from oskit.machine.mmu import PTE_R, PTE_V, PTE_W, PTE_X

ROOT = RAM + 0x10000


def sv39_identity_gigapage(m, h, asid=3):
    """Map the GiB holding RAM (0x8000_0000) 1:1 with one level-2 leaf, RWX, and switch satp to it."""
    m.bus.write_bytes(ROOT, bytes(4096))
    pte = ((0x8000_0000 >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X
    m.bus.write_bytes(ROOT + 8 * 2, pte.to_bytes(8, "little"))
    h.csr.write("satp", (8 << 60) | (asid << 44) | (ROOT >> 12))


def test_trap_and_xret_events():
    """An ecall publishes a trap event and mret an xret event, with the hart's id and modes."""
    m, h = boot("ecall")
    load(m, asm("mret"), RAM + 0x100)
    h.csr.write("mtvec", RAM + 0x100)
    h.csr.write("mstatus", 0)
    h.priv = 0
    seen = []
    m.events.subscribe("trap", seen.append)
    m.events.subscribe("xret", seen.append)
    h.step()
    h.step()
    trap, xret = seen
    assert (trap.hart, trap.cause, trap.epc, trap.from_priv, trap.to_priv, trap.interrupt) == (0, 8, RAM, 0, 3, False)
    assert (xret.kind, xret.from_priv, xret.to_priv, xret.pc) == ("mret", 3, 0, RAM)


def test_walk_and_tlb_events():
    """A translation that misses publishes tlb_miss then walk (with the PTEs visited); sfence.vma publishes tlb_flush."""
    m, h = boot("")
    sv39_identity_gigapage(m, h)
    seen = []
    for kind in ("walk", "tlb_miss", "tlb_flush"):
        m.events.subscribe(kind, seen.append)
    assert h.translate(RAM + 0x1234, "r", priv=1) == RAM + 0x1234
    miss, walk = seen
    assert (miss.va, miss.asid) == (RAM + 0x1234, 3)
    assert (walk.va, walk.pa, walk.access, len(walk.ptes)) == (RAM + 0x1234, RAM + 0x1234, "r", 1)
    assert walk.ptes[0][0] == ROOT + 16
    h.translate(RAM + 0x2000, "r", priv=1)
    assert len(seen) == 2  # a TLB hit: no event
    load(m, asm("sfence.vma a0, zero"), RAM)
    h.pc, h.x[10] = RAM, RAM + 0x2000
    h.step()
    assert (seen[-1].va, seen[-1].asid) == (RAM + 0x2000, None)


def test_failed_walk_reports_no_pa():
    """A walk that faults publishes pa None."""
    m, h = boot("")
    sv39_identity_gigapage(m, h)
    seen = []
    m.events.subscribe("walk", seen.append)
    with pytest.raises(Exception):
        h.translate(0x1000, "r", priv=1)
    assert seen[0].pa is None


def test_instruction_events_fire_before_every_instruction_on_both_paths():
    """While someone listens to "instruction", every instruction is reported (the fast path steps aside)."""
    m, h = boot("addi a0, a0, 1\naddi a0, a0, 1\nbne a0, a1, -8\nwfi")
    h.x[11] = 4
    seen = []
    m.events.subscribe("instruction", lambda ev: seen.append((ev.pc, ev.word, h.x[10])))
    h.run(100)
    assert [pc - RAM for pc, _, _ in seen] == [0, 4, 8, 0, 4, 8, 12]
    assert seen[1][2] == 1  # published before the instruction ran


def test_hart_call_limits():
    """hart.call raises GuestCallError when the routine does not return in time, and restores pc and ra."""
    m, h = boot("jal zero, 0")
    h.pc, h.x[1] = RAM + 0x40, 7
    with pytest.raises(GuestCallError, match="no return after 100 instructions"):
        h.call(RAM, max_instructions=100)
    assert (h.pc, h.x[1]) == (RAM + 0x40, 7)


def test_fetch_and_data_caches_follow_satp():
    """After satp changes, code and data are translated by the new tables (no stale fast-path pages)."""
    m, h = boot("ld a0, 0(a1)\nld a0, 0(a1)")
    m.bus.write_bytes(RAM + 0x8000, (5).to_bytes(8, "little"))
    m.bus.write_bytes(RAM + 0x9000, (6).to_bytes(8, "little"))
    h.x[11] = RAM + 0x8000
    h.run(1)
    assert h.x[10] == 5
    # Now S-mode with a table mapping the page of RAM+0x8000 to RAM+0x9000 (and code 1:1).
    m.bus.write_bytes(ROOT, bytes(3 * 4096))
    l1, l0 = ROOT + 0x1000, ROOT + 0x2000
    m.bus.write_bytes(ROOT + 16, (((l1 >> 12) << 10) | PTE_V).to_bytes(8, "little"))
    m.bus.write_bytes(l1, (((l0 >> 12) << 10) | PTE_V).to_bytes(8, "little"))
    m.bus.write_bytes(l0, (((RAM >> 12) << 10) | PTE_V | PTE_R | PTE_X).to_bytes(8, "little"))
    m.bus.write_bytes(l0 + 8 * 8, ((((RAM + 0x9000) >> 12) << 10) | PTE_V | PTE_R).to_bytes(8, "little"))
    h.csr.write("satp", (8 << 60) | (ROOT >> 12))
    h.priv = 1
    h.run(1)
    assert h.x[10] == 6


def test_bad_arguments_get_clear_errors():
    """Wrong privilege, access kind, interrupt line or argument count name what was expected."""
    m, h = boot("")
    with pytest.raises(ValueError, match="privilege must be U \\(0\\), S \\(1\\) or M \\(3\\), found 2"):
        h.priv = 2
    with pytest.raises(ValueError, match="access must be 'r', 'w' or 'x', found 'rw'"):
        h.translate(0, "rw")
    with pytest.raises(ValueError, match="interrupt line must be MSIP 3, MTIP 7, SEIP 9 or MEIP 11, found 5"):
        h.set_pending(5, True)
    with pytest.raises(ValueError, match="at most 8 arguments"):
        h.call(RAM, *range(9))


@pytest.mark.parametrize("fast", [False, True])
def test_store_hooks_fire_and_stop_exactly(fast):
    """A store into a page with a bus store hook calls it; a hook that stops the machine ends run() right there."""
    m, h = boot("addi a0, a0, 1\nsd a0, 0(a1)\naddi a0, a0, 1\njal zero, -12")
    watched = RAM + 0x5000
    seen = []

    def hook(pa, size, value):
        seen.append((pa, size, value))
        if value == 19:
            m.stop("hook")

    m.bus.store_hooks[watched >> 12] = hook
    h.x[11] = watched
    h.fast = fast
    h.hot_threshold = 1
    done = 0
    while not m.stopping and done < 10_000:
        done += h.run(1000)
    assert seen[0] == (watched, 8, 1) and seen[-1] == (watched, 8, 19)
    assert (done, h.x[10], h.pc) == (9 * 4 + 2, 19, RAM + 8)  # stopped right after the 10th sd


@pytest.mark.parametrize("fast", [True, False])
def test_stop_from_a_trap_subscriber_lands_at_the_vector_for_an_interrupt(fast):
    """A timer interrupt that becomes pending between slices, stopped by a trap subscriber, leaves pc at mtvec."""
    m, h = boot("addi a0, a0, 1\njal zero, -4")       # count for ever
    h.fast = fast
    handler = load(m, asm("addi a1, a1, 1\nmret"), RAM + 0x100)
    h.csr.write("mtvec", handler)
    h.csr.write("mie", 1 << 7)                         # MTIE
    h.csr.write("mstatus", 1 << 3)                     # MIE
    m.clint.mtimecmp[0] = 50                           # fires after ~500 instructions: between slices
    stops = []
    m.events.subscribe("trap", lambda ev: (stops.append(ev.cause), m.stop("trap seen")))
    result = m.run(max_instructions=100_000)
    assert (result.reason, stops) == ("stopped", [7])
    assert h.pc == handler and h.x[11] == 0            # not one instruction into the handler
