"""Machine-level views (Registers, Console, TLBView, PageTable) on bare-metal programs, headless.

Each test runs a small program (conftest.py) on a real Machine and checks that what the view
holds (its children's HTML and its attributes) matches the machine's state.
"""

import re

from widget_programs import machine_with, visible_text

from oskit.machine.decode import ABI_NAMES
from widgets import Console, PageTable, Registers, TLBView, peek
from widgets.style import hexw

DATA_VA = 0x4000_0000


def machine_state(m) -> tuple:
    """Everything a view could disturb: registers, CSRs, TLB and its counters, RAM, time."""
    h = m.harts[0]
    csrs = tuple(h.csr.read(n) for n in ("sstatus", "satp", "scause", "sepc", "mstatus", "mepc"))
    return (tuple(h.x), h.pc, int(h.priv), csrs, h.mmu.hits, h.mmu.misses, h.mmu.flushes,
            tuple(h.mmu.entries()), hashlib_of(m.ram.data), m.clint.mtime, m.instructions)


def hashlib_of(data) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


# -- Registers ---------------------------------------------------------------------------------


def test_registers_show_abi_names_and_pc(hello_elf):
    """Registers lists x0..x31 with their ABI names and shows the hart's pc and M-mode at reset."""
    m = machine_with(hello_elf)
    view = Registers(m.harts[0])
    text = visible_text(view.grid.value)
    for i, name in enumerate(ABI_NAMES):
        assert re.search(rf"x{i}\s+{name}\s+0x", text), f"x{i} {name} missing"
    line = visible_text(view.pc_line.value)
    assert hexw(m.harts[0].pc) in line and "M-mode" in line
    assert repr(view) == "Registers(hart 0)"


def test_registers_highlight_exactly_what_a_step_changed(hello_elf):
    """After one step, the highlighted names are exactly the registers/CSRs whose value changed."""
    m = machine_with(hello_elf)
    hart = m.harts[0]
    view = Registers(hart)
    for _ in range(6):
        before = dict(view.values)
        hart.step()
        view.refresh()
        after = view.values
        assert after["pc"] == hart.pc and after["x2"] == hart.x[2]
        assert view.changed == {k for k in after if after[k] != before[k]}
        assert "pc" in view.changed
        lit = re.findall(r'<span class="oskit-chg">.*?(x\d+)', view.grid.value)
        assert set(lit) == {k for k in view.changed if re.fullmatch(r"x\d+", k)}


def test_registers_decode_supervisor_csrs_in_s_mode(paging_elf):
    """In the paging program's S-mode, Registers shows S-mode and satp decoded as Sv39, ASID 1, root."""
    m = machine_with(paging_elf)
    satp_addr = m.image.symbols["satp_value"]
    assert m.run(max_instructions=200_000).reason == "idle"
    view = Registers(m.harts[0])
    assert "S-mode" in visible_text(view.pc_line.value)
    satp = int.from_bytes(m.bus.read_bytes(satp_addr, 8), "little")
    assert view.values["satp"] == satp
    csrs = visible_text(view.csrs.value)
    assert f"Sv39 ASID=1 root table {hexw((satp & ((1 << 44) - 1)) << 12, 8)}" in csrs
    assert "MPP=" in csrs and "SPP=" in csrs


def test_views_subscribe_only_when_attached(paging_elf):
    """A view built but not shown subscribes to nothing; attach() subscribes, close() unsubscribes."""
    m = machine_with(paging_elf)
    ev = m.events
    views = [Registers(m.harts[0]), TLBView(m.harts[0]), PageTable(m.harts[0]), Console(m)]
    lists = (ev.trap_subscribers, ev.xret_subscribers, ev.walk_subscribers, ev.tlb_miss_subscribers,
             ev.tlb_flush_subscribers)
    assert all(not lst for lst in lists) and m.uart.output.on_write is None
    for v in views:
        v.attach()
    assert ev.trap_subscribers and ev.walk_subscribers and ev.tlb_miss_subscribers
    assert m.uart.output.on_write is not None
    for v in views:
        v.close()
    assert all(not lst for lst in lists) and m.uart.output.on_write is None


def test_watching_changes_nothing_the_machine_does(paging_elf):
    """The same run with every view attached ends in exactly the state of a run without views."""
    plain = machine_with(paging_elf)
    plain.run(max_instructions=200_000)
    watched = machine_with(paging_elf)
    hart = watched.harts[0]
    views = [Registers(hart).attach(), TLBView(hart).attach(), PageTable(hart).attach(),
             Console(watched).attach()]
    watched.run(max_instructions=200_000)
    for v in views:
        v.refresh()  # reading everything once more must not disturb anything either
    assert machine_state(watched) == machine_state(plain)


def test_redraws_are_throttled():
    """Events arriving non-stop for 0.35 s redraw the view about 10 times a second, not once per event."""
    import time

    from oskit.machine import Machine
    m = Machine(ram_mib=1)
    view = Registers(m.harts[0]).attach()
    start, events = view.renders, 0
    deadline = time.monotonic() + 0.35
    while time.monotonic() < deadline:
        view.mark_dirty()
        events += 1
    assert events > 1000
    assert 2 <= view.renders - start <= 5
    view.mark_dirty()
    assert view.dirty  # what the throttle skipped is still owed (drawn by refresh or after the cell)
    view.refresh()
    assert not view.dirty


# -- Console -------------------------------------------------------------------------------------


def test_console_shows_output_as_it_arrives(hello_elf):
    """Console attached before the run shows the program's line after it, without a manual refresh."""
    m = machine_with(hello_elf)
    view = Console(m).attach()
    assert m.run().exit_code == 0
    view._flush()  # what IPython does after the cell
    assert "hello from the UART" in visible_text(view.screen.value)
    assert view.text == m.uart.output.text


def test_console_input_line_reaches_the_guest(echo_elf):
    """A line typed into the Console's text box is fed to the UART; the echo program answers it."""
    m = machine_with(echo_elf)
    view = Console(m, after_input=lambda: m.run(max_instructions=50_000)).attach()
    view.line.value = "abc"  # what the browser sends when Enter is pressed
    assert view.line.value == ""
    assert "got: abc\n" in view.text
    view.send("quit")
    assert m.run().exit_code == 0
    view.refresh()
    screen = visible_text(view.screen.value)
    assert "abc⏎got: abc" in screen and "quit⏎" in screen


def test_console_keeps_an_existing_output_callback(hello_elf):
    """Attaching chains in front of the Console's on_write, and detaching puts the old one back."""
    m = machine_with(hello_elf)
    seen = []
    m.uart.output.on_write = seen.append
    view = Console(m).attach()
    m.run()
    assert b"".join(seen) == bytes(m.uart.output.data)
    view.detach()
    assert m.uart.output.on_write == seen.append


# -- TLBView ---------------------------------------------------------------------------------------


def test_tlbview_lists_the_entries_and_counters(paging_elf):
    """TLBView shows each TLB entry (page, frame, ASID 1, 4 KiB for the data pages) and the counters."""
    m = machine_with(paging_elf)
    hart = m.harts[0]
    view = TLBView(hart).attach()
    m.run(max_instructions=200_000)
    view.refresh()
    assert [(e.vpn, e.asid) for e in view.entries] == [(e.vpn, e.asid) for e in hart.mmu.entries()]
    text = visible_text(view.body.value)
    for i in range(3):
        assert re.search(rf"{hexw(DATA_VA + i * 4096)}\s*0x\S+\s*1\s*4 KiB\s*DA---WRV", text)
    counters = visible_text(view.counters.value)
    assert f"hits {hart.mmu.hits}" in counters and f"misses {hart.mmu.misses}" in counters
    assert "last flush: all addresses, all ASIDs" in text  # the program's sfence.vma


def test_tlbview_highlights_new_entries_only(paging_elf):
    """Entries that arrived since the previous drawing are highlighted; a redraw clears that."""
    m = machine_with(paging_elf)
    view = TLBView(m.harts[0]).attach()
    m.run(max_instructions=200_000)
    view.refresh()
    assert view.new and view.body.value.count('class="oskit-chg"') == len(view.new)
    view.refresh()
    assert not view.new and 'class="oskit-chg"' not in view.body.value


# -- PageTable ---------------------------------------------------------------------------------------


def test_pagetable_shows_bare_before_paging(paging_elf):
    """Before the program writes satp, PageTable says addresses are not translated."""
    m = machine_with(paging_elf)
    assert "satp is Bare" in visible_text(PageTable(m.harts[0]).tree.value)


def test_pagetable_tree_matches_guest_memory(paging_elf):
    """The leaves drawn are the program's mappings, and each data page's frame holds what S-mode stored."""
    m = machine_with(paging_elf)
    m.run(max_instructions=200_000)
    view = PageTable(m.harts[0])
    leaves = {va: (pa, level) for va, pa, pte, level in view.leaves()}
    assert leaves[0] == (0, 2) and leaves[0x8000_0000] == (0x8000_0000, 2)
    for i in range(3):
        pa, level = leaves[DATA_VA + i * 4096]
        assert level == 0
        assert int.from_bytes(m.bus.read_bytes(pa, 8), "little") == i + 1
        assert view.walk(DATA_VA + i * 4096 + 8).pa == pa + 8
    text = visible_text(view.tree.value)
    assert text.count("4 KiB") == 3 and text.count("1 GiB") == 2
    assert view.tree.value.count("<details") == 2  # the level-1 and level-0 tables are collapsible


def test_pagetable_lights_the_last_walk(paging_elf):
    """After the run, the PTEs of the last hardware walk through the tree are lit and their levels open."""
    m = machine_with(paging_elf)
    walks = []
    m.events.subscribe("walk", walks.append)
    view = PageTable(m.harts[0]).attach()
    m.run(max_instructions=200_000)
    view.refresh()
    assert view.last_walk == walks[-1]
    lit = re.findall(r'class="oskit-cur">\[(\d+)\]', view.tree.value)
    indexes = [(pte_pa & 0xFFF) // 8 for pte_pa, _ in walks[-1].ptes]
    assert [int(i) for i in lit] == indexes
    assert "last walk:" in visible_text(view.walk_line.value)
    assert hexw(walks[-1].va) in view.walk_line.value


def test_pagetable_follows_a_data_walk(paging_elf):
    """Drawn at the first walk of the data page, the lit path is root[1] -> [0] -> [0], levels open."""
    m = machine_with(paging_elf)
    view = PageTable(m.harts[0]).attach()  # subscribed first: its handler runs before ours
    drawn = []

    def on_walk(ev):
        if ev.va >> 12 == DATA_VA >> 12 and not drawn:
            view.refresh()
            drawn.append((ev, view.last_walk, view.tree.value))

    m.events.subscribe("walk", on_walk)
    m.run(max_instructions=200_000)
    ev, last, tree = drawn[0]
    assert last == ev and len(ev.ptes) == 3 and ev.access == "w"
    assert re.findall(r'class="oskit-cur">\[(\d+)\]', tree) == ["1", "0", "0"]
    assert tree.count("<details open>") == 2
    assert peek.pte_flags(ev.ptes[-1][1]).endswith("WRV")
