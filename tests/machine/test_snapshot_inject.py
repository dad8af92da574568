"""Time travel on the bare machine: snapshots, restore in place, step back, injected interrupts."""

from __future__ import annotations

import pytest
from mc_asm import RAM, asm, load, machine

from oskit.machine import Machine

HANDLER = RAM + 0x100
LOOP = """
    addi a0, a0, 1
    add a1, a1, a0
    sd a1, 0(sp)
    jal zero, -12
"""
# The handler counts its interrupts in s1, turns every interrupt off (mie = 0) and returns.
HANDLER_CODE = """
    addi s1, s1, 1
    csrrw zero, mie, zero
    mret
"""
MIE_ALL = (1 << 3) | (1 << 7) | (1 << 11)  # MSIE, MTIE, MEIE
MSTATUS_MIE = 1 << 3


def looping(harts: int = 1, interrupts_on: bool = True) -> Machine:
    """Every hart loops in M-mode (a0 += 1, a1 += a0, stored on its own page), interrupts enabled."""
    m = machine(harts)
    load(m, asm(LOOP), RAM)
    load(m, asm(HANDLER_CODE), HANDLER)
    for h in m.harts:
        h.pc = RAM
        h.hot_threshold = 1  # blocks at once: the fast path must stop at the injection too
        h.x[2] = RAM + 0x10_0000 + 0x1000 * h.hartid
        h.csr.write("mtvec", HANDLER)
        if interrupts_on:
            h.csr.write("mie", MIE_ALL)
            h.csr.write("mstatus", h.csr.read("mstatus") | MSTATUS_MIE)
    return m


def traps_of(m: Machine) -> list:
    """Record (hart, cause, interrupt, that hart's instret) for every trap taken."""
    seen = []
    m.events.subscribe("trap", lambda e: seen.append((e.hart, e.cause, e.interrupt, m.harts[e.hart].instret)))
    return seen


@pytest.mark.parametrize("harts", [1, 2])
def test_restore_equals_never_left(harts):
    """Running on from a restored snapshot ends in the state an uninterrupted run ends in."""
    never_left = looping(harts)
    never_left.run(max_instructions=5_000)
    never_left.run(max_instructions=20_000)
    m = looping(harts)
    m.run(max_instructions=5_000)
    snap = m.snapshot()
    m.run(max_instructions=20_000)
    first = m.state_hash()
    m.restore(snap)
    m.run(max_instructions=20_000)
    assert m.state_hash() == first == never_left.state_hash()
    assert [h.instret for h in m.harts] == [h.instret for h in never_left.harts]


def test_restore_is_in_place_and_repeatable():
    """restore() rewinds the very same Machine and Hart objects, and a snapshot can be used twice."""
    m = looping()
    hart, clint = m.harts[0], m.clint
    m.run(max_instructions=1_000)
    snap, before = m.snapshot(), m.state_hash()
    a0 = hart.x[10]
    for _ in range(2):
        m.run(max_instructions=3_000)
        assert hart.x[10] != a0
        m.restore(snap)
        assert m.harts[0] is hart and m.clint is clint
        assert hart.x[10] == a0 and m.state_hash() == before


def test_snapshot_keeps_only_pages_that_are_not_zero():
    """A snapshot's RAM is the pages that are not all zeros; RAM written later is zeroed on restore."""
    m = Machine(ram_mib=4)
    load(m, asm(LOOP), RAM)
    m.harts[0].pc = RAM
    m.harts[0].x[2] = RAM + 0x2000
    snap = m.snapshot()
    assert snap.pages == 1
    m.run(max_instructions=100)
    m.bus.write_bytes(RAM + 0x30_0000, b"late")
    m.restore(snap)
    assert m.bus.read_bytes(RAM + 0x30_0000, 4) == bytes(4)
    assert m.bus.read_bytes(RAM + 0x2000, 8) == bytes(8)


def test_restore_refuses_another_machines_snapshot():
    """A snapshot belongs to the machine it was taken of."""
    with pytest.raises(ValueError, match="another machine"):
        looping().restore(looping().snapshot())


@pytest.mark.parametrize("harts", [1, 2])
def test_step_back_then_step_gives_the_same_state(harts):
    """step_back(n) returns to the state n steps ago; stepping again reaches the same state."""
    m = looping(harts)
    m.run(max_instructions=777)
    hashes = [m.state_hash()]
    for _ in range(30):
        m.step()
        hashes.append(m.state_hash())
    assert m.step_back(1) == 1
    assert m.state_hash() == hashes[29]
    assert m.step_back(10) == 10
    assert m.state_hash() == hashes[19]
    m.step(11)
    assert m.state_hash() == hashes[30]


def test_step_back_across_a_checkpoint_and_an_outside_run():
    """Steps before a run() that was not logged are undone from the snapshot taken after it."""
    m = looping()
    m.history.every = 5  # a snapshot every 5 instructions: replay crosses several
    for _ in range(12):
        m.step()
    at12 = m.state_hash()
    m.run(max_instructions=100)  # not a step: the history notices and snapshots before the next one
    after_run = m.state_hash()
    m.step(3)
    assert m.step_back(3) == 3 and m.state_hash() == after_run
    assert m.step_back(1) == 1 and m.state_hash() != at12  # undoes step 12, not the run
    m.step_back(100)
    assert m.history.steps == 0


@pytest.mark.parametrize("harts", [1, 2])
@pytest.mark.parametrize("cause, code", [("timer", 7), ("software", 3)])
def test_injection_lands_at_the_chosen_instret(harts, cause, code):
    """An injected interrupt is taken when the hart has retired exactly at_instret instructions."""
    m = looping(harts)
    seen = traps_of(m)
    target = harts - 1
    m.run(max_instructions=100)
    at = m.harts[target].instret + 1234
    m.schedule_interrupt(cause, hart=target, at_instret=at)
    m.run(max_instructions=6_000)
    assert seen == [(target, code, True, at)]
    assert m.harts[target].x[9] == 1  # s1: the handler ran once


def test_injection_waits_until_enabled():
    """With interrupts disabled the injected interrupt stays pending, and is taken once enabled."""
    m = looping(interrupts_on=False)
    seen = traps_of(m)
    m.schedule_interrupt("timer", at_instret=50)
    m.run(max_instructions=500)
    assert seen == []
    h = m.harts[0]
    assert h.csr.read("mip") & (1 << 7)  # pending
    h.csr.write("mie", MIE_ALL)
    h.csr.write("mstatus", h.csr.read("mstatus") | MSTATUS_MIE)
    instret = h.instret
    m.run(max_instructions=10)
    assert seen == [(0, 7, True, instret)]


def test_injection_is_deterministic_and_part_of_the_snapshot():
    """Same schedule, same run; a snapshot taken before it fires brings the schedule back."""
    m = looping()
    m.schedule_interrupt("software", at_instret=300)
    snap = m.snapshot()
    m.run(max_instructions=2_000)
    first = m.state_hash()
    m.restore(snap)
    assert len(m.injections) == 1
    m.run(max_instructions=2_000)
    assert m.state_hash() == first


def test_schedule_interrupt_refuses_the_past_and_unknown_causes():
    """Bad schedules get a clear error and change nothing."""
    m = looping()
    m.run(max_instructions=100)
    with pytest.raises(ValueError, match="already retired 100"):
        m.schedule_interrupt("timer", at_instret=99)
    with pytest.raises(ValueError, match="cause must be one of"):
        m.schedule_interrupt("nmi", at_instret=200)
    with pytest.raises(ValueError, match="hart must be"):
        m.schedule_interrupt("timer", hart=3, at_instret=200)
    assert m.injections == []
