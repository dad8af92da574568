"""Kernel views (TrapStepper, TrapFrame, SyscallTrace, ProcessTree, MemoryMap, Plots), headless.

Each test boots a kernel, runs the FORK program of widget_programs.py (a failing open, a fork, a
child exiting 3) and checks that what the view holds matches the kernel's state.
"""

import re
from collections import Counter

import pytest

from widget_programs import kernel_with, visible_text

from widgets import Console, MemoryMap, PageTable, ProcessTree, Registers, SyscallTrace, TrapFrame, TrapStepper
from widgets.base import redraw_all
from widgets.plots import Plots, cpu_time_by_process, syscalls_by_name
from widgets.style import hexw


def to_first_ecall(ts):
    """Press "to next trap" until the trap is an ecall from U-mode; return how many presses."""
    for n in range(1, 50):
        ts.next_trap()
        if ts.last_trap.cause == 8 and not ts.last_trap.interrupt:
            return n
    raise AssertionError("no ecall within 50 traps")


# -- TrapStepper ------------------------------------------------------------------------------------


def test_stepper_to_next_trap_shows_ecall_at_the_trampoline(fork_elf):
    """After "to next trap" reaches a system call: scause 8, pc at uservec (stvec), step 1 lit."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    to_first_ecall(ts)
    hart = k.machine.harts[0]
    assert hart.pc == k.uservec == hart.csr.read("stvec")
    assert hart.csr.read("scause") == 8
    assert ts.position == "1"
    status = visible_text(ts.status.value)
    assert f"pc {hexw(k.uservec)}" in status and "S-mode" in status
    assert "scause 0x8 (ecall from U-mode)" in status
    assert 'data-step="1"' in ts.diagram.value
    assert ts.diagram.value.count('class="oskit-box oskit-lit"') == 1
    assert "▶ " + hexw(k.uservec) in visible_text(ts.listing.value)
    assert "uservec:" in visible_text(ts.listing.value)


def test_stepper_stops_at_stvec_for_a_pending_interrupt(fork_elf):
    """Right after boot an interrupt is due: "to next trap" takes it and stops at uservec (step 1)."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    ts.buttons["trap"].click()
    hart = k.machine.harts[0]
    assert ts.last_trap.interrupt and hart.csr.read("scause") >> 63 == 1
    assert hart.pc == k.uservec and ts.position == "1"
    assert "interrupt" in visible_text(ts.status.value)


def test_stepper_walks_the_six_steps_in_order(fork_elf):
    """Stepping from a trap back to user mode passes 1, 2, 3 (trap() marker), 4, 5, 6, user, in order."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    to_first_ecall(ts)
    seen, listing_at_3 = ["1"], None
    while seen[-1] != "user":
        ts.step()
        if ts.position != seen[-1]:
            seen.append(ts.position)
            if ts.position == "3":
                listing_at_3 = visible_text(ts.listing.value)
        assert len(seen) < 10
    assert seen == ["1", "2", "3", "4", "5", "6", "user"]
    assert "host function trap(): the next step runs Python" in listing_at_3
    assert any("trap(): Python runs" in h for h in ts.happened)
    rec = k.trace.records[-1]  # the call this trap made
    assert f"  system call by pid {rec.pid}: {rec.call}" in ts.happened


def test_stepper_step_button_changes_the_pc_shown(fork_elf):
    """Clicking "step" executes one instruction: the pc in the status line moves on."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    to_first_ecall(ts)
    before = visible_text(ts.status.value)
    ts.buttons["step"].click()
    after = visible_text(ts.status.value)
    assert before != after
    assert f"pc {hexw(k.uservec + 4)}" in after


def test_a_step_redraws_every_view_of_the_machine(fork_elf):
    """A click on "step" also redraws an attached Registers view (a step emits no event it would see)."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    to_first_ecall(ts)
    hart = k.machine.harts[0]
    regs = Registers(hart).attach()
    shown = regs.values["pc"]
    ts.buttons["step"].click()
    assert regs.values["pc"] == hart.pc == shown + 4 and "pc" in regs.changed
    regs.close()
    ts.buttons["step"].click()
    assert regs.values["pc"] == shown + 4  # a closed view is left alone


def test_stepper_to_return_lands_in_user_mode_at_sepc(fork_elf):
    """"to return" after a system-call trap ends in U-mode at the instruction after the ecall."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    to_first_ecall(ts)
    ecall_pc = ts.last_trap.epc
    ts.buttons["ret"].click()
    hart = k.machine.harts[0]
    assert ts.position == "user" and int(hart.priv) == 0
    assert ts.last_xret.pc == hart.pc == ecall_pc + 4
    assert 'data-step="user"' in ts.diagram.value
    # Back in the program: the status names the function (from the ELF's symbols), the listing its start.
    name = k.trace.records[-1].name
    found = re.search(r"in (\w+)\+0x[0-9a-f]+", visible_text(ts.status.value))
    assert found and name in found.group(1)
    assert f"{found.group(1)}:" in visible_text(ts.listing.value)


def test_stepping_gives_the_same_run_as_running(fork_elf):
    """A program stepped one instruction at a time makes the same system calls with the same results."""
    plain, pp = kernel_with(fork_elf)
    plain.run(until=pp.exited)
    stepped, sp = kernel_with(fork_elf)
    ts = TrapStepper(stepped)
    for _ in range(200):
        if sp.exited():
            break
        ts.step(100)
    assert sp.stdout == pp.stdout == "child 3\nparent: child exited 3\n"
    # Not the times: the machine advances mtime between run slices, so a call's timestamp depends
    # on where the slices fell (stepping makes one-instruction slices).
    calls = lambda k: [(r.pid, r.call, r.result, r.errno) for r in k.trace.records]  # noqa: E731
    assert calls(stepped) == calls(plain)


def test_stepper_run_button_runs_until_nothing_is_left(fork_elf):
    """Headless, "run" runs slice after slice until the kernel is idle; the program has finished."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    ts.buttons["run"].click()
    assert p.exit_status == 0 and not ts.running
    assert ts.buttons["pause"].disabled and not ts.buttons["run"].disabled
    assert ts.position == "idle"
    assert ts.happened[-1].startswith("run ended: idle")


# -- Console on a kernel -------------------------------------------------------------------------------


def test_console_line_reaches_a_process_through_the_kernel(reader_elf):
    """On a kernel, a line sent from the Console is read by the process, which answers at once."""
    k, p = kernel_with(reader_elf, "/bin/reader")
    con = Console(k).attach()
    assert k.run().reason == "idle"  # the reader sleeps in read(0, ...)
    con.line.value = "hello"
    assert "you typed: hello\n" in con.text and not p.exited()
    assert "hello⏎you typed: hello" in visible_text(con.screen.value)
    con.send("quit")
    assert p.exit_status == 0


def test_console_after_a_kernel_panic_says_so(reader_elf):
    """A line typed after the kernel panicked shows the panic under the screen instead of raising."""
    k, p = kernel_with(reader_elf, "/bin/reader")
    con = Console(k).attach()
    k.panic("a panic for the test")
    con.line.value = "hello"
    assert "the kernel has panicked: a panic for the test" in visible_text(con.screen.value)


def test_stepper_run_pauses_between_slices_on_an_event_loop(fork_elf):
    """On an event loop (as in a notebook) "run" goes slice by slice; "pause" stops it, "run" goes on."""
    import asyncio

    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    ts.slice = 200

    async def scenario():
        ts.buttons["run"].click()  # schedules the first slice and returns at once
        assert ts.running and k.machine.instructions == 0
        for _ in range(5):
            await asyncio.sleep(0.001)  # the loop runs a slice, as it would between two clicks
        ts.buttons["pause"].click()
        done = k.machine.instructions
        await asyncio.sleep(0.01)
        assert not ts.running and k.machine.instructions == done and 0 < done < 6000
        assert not p.exited()
        ts.buttons["run"].click()
        while ts.running:
            await asyncio.sleep(0.001)

    asyncio.run(scenario())
    assert p.exit_status == 0 and ts.position == "idle"
    assert any(h.startswith("run ended: idle") for h in ts.happened)


# -- TrapFrame -----------------------------------------------------------------------------------------


def test_trapframe_holds_the_registers_the_trampoline_saved(fork_elf):
    """When trap() is about to run, the frame holds the user's registers: a0..a7, t0 (the call), sepc."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    tf = TrapFrame(k).attach()
    to_first_ecall(ts)
    hart = k.machine.harts[0]
    user_regs = list(hart.x)  # the trampoline has not run yet: these are the user's registers
    lit_during_save = set()
    while ts.position != "3":
        ts.step()  # the stepper redraws every attached view of the machine, the frame too
        lit_during_save |= tf.changed
    v = tf.values
    for i, name in enumerate(("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7")):
        assert v[name] == user_regs[10 + i]
    assert v["t0"] == user_regs[5]
    assert v["sepc"] == hart.csr.read("sepc") == ts.last_trap.epc
    assert v["sp"] == user_regs[2] and v["ra"] == user_regs[1]
    assert {"t0", "sepc"} <= lit_during_save
    td = k.percpu[0].curthread
    assert f"pid {td.proc.pid} ({td.proc.comm})" in visible_text(tf.head.value)
    ts.step()  # trap() runs: the system call it decoded is the number the frame holds in t0
    assert k.trace.records[-1].number == v["t0"]


# -- SyscallTrace -------------------------------------------------------------------------------------


def test_syscalltrace_rows_and_filters_match_the_kernel_trace(fork_elf):
    """The table lists the recorded calls; filtering by pid and by name keeps exactly the matching ones."""
    k, p = kernel_with(fork_elf)
    st = SyscallTrace(k).attach()
    k.run(until=p.exited)
    st._flush()
    assert st.rows == list(k.trace.records)
    text = visible_text(st.body.value)
    assert 'open("/nonexistent"' in text and "-1 ENOENT (No such file or directory)" in text
    assert [o[1] for o in st.pid_box.options] == [None, 1, 2, 3]
    st.pid_box.value = 3
    assert st.rows == k.trace.syscalls(pid=3) and {r.pid for r in st.rows} == {3}
    st.name_box.value = "write"
    assert st.rows == k.trace.syscalls(pid=3, name="write") and len(st.rows) == 1
    assert visible_text(st.body.value).count("write(") == 1
    assert repr(st) == "SyscallTrace(pid 3, write)"


# -- ProcessTree ----------------------------------------------------------------------------------------


def test_processtree_after_fork_shows_parent_and_child(fork_elf):
    """Right after fork there are two processes of the program, the child under its parent."""
    k, p = kernel_with(fork_elf)
    tree = ProcessTree(k).attach()
    k.run(until=lambda: len(p.children) == 1)
    tree.refresh()
    lines = [(depth, pid) for depth, pid, _cmd, _state in tree.lines]
    child = p.children[0]
    assert lines == [(0, 1), (1, p.pid), (2, child.pid)]
    text = visible_text(tree.body.value)
    assert text.count("/bin/fork") == 2
    assert "running on hart 0" in text and "runnable" in text


def test_processtree_shows_a_zombie_with_its_status(fork_elf):
    """At the child's exit, before the parent's wait4, the child is drawn as a zombie with status 3."""
    k, p = kernel_with(fork_elf)
    tree = ProcessTree(k).attach()
    at_exit = []

    def on_exit(e):
        if e.pid != p.pid:
            tree.refresh()
            at_exit.append({pid: state for _d, pid, _c, state in tree.lines})

    k.probes.subscribe("exit", on_exit)
    k.run(until=p.exited)
    child_pid = p.pid + 1
    assert at_exit[0][child_pid] == "zombie: exited 3"
    assert at_exit[0][p.pid].startswith(("running", "runnable", "sleeping"))
    tree.refresh()
    states = {pid: state for _d, pid, _c, state in tree.lines}
    assert child_pid not in states  # reaped by the parent's wait4


# -- MemoryMap -------------------------------------------------------------------------------------------


def test_memorymap_entries_match_the_vm_map(fork_elf):
    """The rows are the process's map entries, with resident pages as the page table has them."""
    k, p = kernel_with(fork_elf)
    mm = MemoryMap(p).attach()
    k.run(until=lambda: len(p.children) == 1)
    mm.refresh()
    vs = p.vmspace
    assert [(r["start"], r["end"], r["name"]) for r in mm.rows] == [(e.start, e.end, e.name) for e in vs.entries]
    mapped = [va for va, _pa, _pte in vs.pmap.mappings()]
    for r in mm.rows:
        assert r["resident"] == sum(1 for va in mapped if r["start"] <= va < r["end"])
    assert sum(r["resident"] for r in mm.rows) == len(mapped) > 0
    assert mm.frames["free"] == k.pmem.free_frames
    assert mm.frames[f"pid {p.pid}"] >= 1
    assert "0x" not in "".join(r["backing"] for r in mm.rows).replace("offset 0x", "")


# -- Plots -----------------------------------------------------------------------------------------------


def test_plots_draw_the_kernels_numbers(fork_elf):
    """The plots count each call name as the trace does, and user/kernel time as each process's rusage."""
    from matplotlib.figure import Figure

    k, p = kernel_with(fork_elf)
    faults = []
    k.probes.subscribe("fault", faults.append)
    pl = Plots(k).attach()
    k.run(until=p.exited)
    pl.refresh()
    assert pl.shown["faults"] == len(faults) > 0
    counts = Counter(r.name for r in k.trace.records)
    assert pl.shown["syscalls"] == dict(counts.most_common(15)) or pl.shown["syscalls"] == {
        n: counts[n] for n in sorted(counts, key=lambda n: (-counts[n], n))[:15]}
    ax = Figure().subplots()
    assert syscalls_by_name(ax, k.trace.records)["write"] == 2
    ax = Figure().subplots()
    cpu_time_by_process(ax, list(k.procs.values()), k.timebase_hz)
    # What is drawn: each process's bars, read back from the axes, are the CPU time the kernel
    # accounted to it, split in user and kernel time, both above zero (kern/ktime.py bills the
    # kernel's work; before it, the kernel bar was always empty).
    labels = [t.get_text() for t in ax.get_xticklabels()]
    bars = {(patch.get_x(), patch.get_y() == 0): patch.get_height() for patch in ax.patches}
    drawn_user, drawn_kernel = ([h for (x, base), h in sorted(bars.items()) if base == first]
                                for first in (True, False))
    i = labels.index(str(p.pid))
    hz = k.timebase_hz
    assert drawn_user[i] * hz / 1000 == pytest.approx(p.rusage.utime_ticks) and drawn_user[i] > 0
    assert drawn_kernel[i] * hz / 1000 == pytest.approx(p.rusage.stime_ticks) and drawn_kernel[i] > 0
    assert pl.image.value.startswith("<img") and "base64," in pl.image.value


# -- exited processes and failing views ---------------------------------------------------------------


def test_views_of_an_exited_process_say_so(fork_elf):
    """PageTable and MemoryMap of a process that exited say it has no address space (no error)."""
    k, p = kernel_with(fork_elf)
    pt, mm = PageTable(p).attach(), MemoryMap(p).attach()
    k.run(until=p.exited)
    k.run()  # init reaps it
    pt.refresh()
    mm.refresh()
    assert "the process has exited" in visible_text(pt.tree.value)
    assert "the process has exited" in visible_text(mm.entries_html.value) and mm.rows == []


def test_a_detached_pagetable_keeps_the_tree_after_the_process_exits(fork_elf):
    """detach() keeps the drawing: chapter 10 shows page 0 this way while the process runs on to exit."""
    k, p = kernel_with(fork_elf)
    pt = PageTable(p).attach()
    k.run(until=lambda: len(k.procs) > 1)  # stopped in the middle, after the fork
    pt.refresh()
    drawn = pt.tree.value
    assert "4 KiB" in visible_text(drawn)  # leaves of the live process's table
    pt.detach()
    k.run(until=p.exited)
    k.run()
    pt._flush()  # what IPython's post_run_cell does after each cell
    redraw_all(k.machine)  # what a view's button does after driving the machine
    assert pt.tree.value == drawn


def test_a_failing_view_does_not_stop_the_stepper(fork_elf):
    """When another view fails to draw after a step, the step still happens and that view shows the error."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)

    class Broken(Registers):
        fail = False

        def _render(self):
            if self.fail:
                raise RuntimeError("drawing failed on purpose")
            super()._render()

    broken = Broken(k.machine.harts[0]).attach()
    broken.fail = True
    pc = k.machine.harts[0].pc
    ts.buttons["step"].click()
    assert k.machine.harts[0].pc != pc and ts.renders >= 2
    assert "this view failed to draw: RuntimeError: drawing failed on purpose" in visible_text(broken.head.value)


def test_stepper_after_a_kernel_panic_says_so(fork_elf):
    """Once the kernel has panicked, a click on "step" shows the panic instead of raising."""
    k, p = kernel_with(fork_elf)
    ts = TrapStepper(k)
    k.panic("a panic for the test")
    ts.buttons["step"].click()
    assert "the kernel has panicked: a panic for the test" in ts.happened
    assert "the kernel panicked: a panic for the test" in visible_text(ts.status.value)


def test_symbols_name_user_addresses(fork_elf):
    """The program's function symbols name addresses ("main+0x4"); a file that is not ELF has none."""
    from widgets.symbols import EMPTY, parse_elf, symbols_of

    k, p = kernel_with(fork_elf)
    syms = symbols_of(p)
    main = next(start for start, name in syms.starts.items() if name == "main")
    assert syms.name_at(main) == "main" and syms.name_at(main + 4) == "main+0x4"
    assert syms.name_at(0) is None
    assert parse_elf(b"not an ELF file") is EMPTY
