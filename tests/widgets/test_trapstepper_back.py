"""TrapStepper's "step back" and "previous trap" buttons, headless: the kernel really goes back."""

from __future__ import annotations

from widget_programs import kernel_with

from widgets import TrapStepper


def test_step_back_undoes_steps_across_a_trap(fork_elf):
    """Step into a trap and out again, then step back: each state (hash, position) comes back."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    ts.next_trap()
    ts.next_trap()  # an ecall or an interrupt: the hart is at stvec
    states = [(k.state_hash(), ts.position, ts.last_trap)]
    for _ in range(40):  # through the trampoline, trap() and (maybe) a switch, back towards user mode
        ts.buttons["step"].click()
        states.append((k.state_hash(), ts.position, ts.last_trap))
    ts.buttons["back"].click()
    assert (k.state_hash(), ts.position, ts.last_trap) == states[39]
    assert ts.step_back(39) == 39
    assert (k.state_hash(), ts.position, ts.last_trap) == states[0]
    ts.step(40)
    assert k.state_hash() == states[40][0]


def test_previous_trap_returns_to_the_moment_of_the_trap(fork_elf):
    """"previous trap" goes back to stvec of the trap before the current one, however it was reached."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    ts.next_trap()
    first = (k.state_hash(), ts.last_trap)
    ts.next_trap()
    second = (k.state_hash(), ts.last_trap)
    ts.to_return()  # passes no trap
    ts.step(3)
    ts.buttons["prevtrap"].click()  # the latest trap before now: the second one
    assert (k.state_hash(), ts.last_trap) == second and ts.position == "1"
    ts.buttons["prevtrap"].click()  # at the second one now: back to the first
    assert (k.state_hash(), ts.last_trap) == first
    ts.next_trap()
    assert k.state_hash() == second[0]  # and forward again, to the same second trap


def test_previous_trap_finds_a_trap_inside_a_longer_run(fork_elf):
    """A trap passed in the middle of "to return" is found: the stepper lands on it, not after it."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    hart = k.machine.harts[0]
    ts.next_trap()
    at_traps = []
    k.machine.events.subscribe("trap", lambda e: at_traps.append((hart.instret, hart.pc, e.cause)))
    for _ in range(20):  # to return, until one such run passed through a trap on the way
        at_traps.clear()
        ts.to_return()
        if at_traps:
            break
    assert at_traps, "no trap inside 20 runs to the next sret"
    ts.previous_trap()
    assert (hart.instret, hart.pc, ts.last_trap.cause) == at_traps[-1]


def test_views_redraw_after_a_restore(fork_elf):
    """k.restore() tells the views (a "restore" event): the Registers view shows the old pc again."""
    from widgets import Registers

    k, p = kernel_with(fork_elf)
    hart = k.machine.harts[0]
    view = Registers(hart).attach()
    snap = k.snapshot()
    pc = hart.pc
    k.run(max_instructions=5_000)
    view.refresh()
    renders = view.renders
    k.restore(snap)
    view._flush()  # what the notebook does after the cell
    assert view.renders > renders and hart.pc == pc
    view.close()
