"""TrapStepper: walk a trap from user mode into the kernel and back, one instruction at a time.

Buttons drive the kernel through its public run API only
(``kernel.run(max_instructions=...)``), so a stepped run does exactly what an
unwatched run does, timer interrupts included:

    step          one instruction (``kernel.run(max_instructions=1)``)
    to next trap  run until the hart takes a trap (a "trap" event stops the run)
    to return     run until the next sret/mret (an "xret" event stops the run)
    run / pause   run in slices; between slices the notebook handles clicks, so pause works
    step back     undo the last button's run (``kernel.step_back()``: the kernel restores its
                  nearest snapshot and replays; oskit/machine/history.py)
    previous trap back to the moment this hart took its last trap before now, across
                  ecall, sret, interrupts and context switches

Where the hart is, among the six steps of a trap (see oskit/kernel/riscv/trampoline.S),
is read from its pc and mode:

    user   U-mode: the program runs
    1      pc == uservec (stvec): the hardware just trapped (sepc, scause, stval, SPP set)
    2      uservec < pc < userret: the trampoline saves the registers into the trap frame
    3      pc == the host function trap(): the next step runs Python (oskit/kernel/riscv/trap.py)
    4      pc == userret right after trap() returned: the scheduler has chosen the thread
    5      userret < pc < the sret: the trampoline restores the registers from the frame
    6      pc at the sret: the next step returns to sepc in the mode SPP names
    idle   the hart's idle loop (wfi) in S-mode

The trap path is drawn as inline SVG with the current step lit.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import NamedTuple

import ipywidgets as w

from oskit.kernel.kern.panic import KernelPanic
from oskit.machine.decode import disassemble
from oskit.machine.trap import pending_interrupt
from widgets import fields, peek, symbols
from widgets.base import View, kernel_of, redraw_all
from widgets.style import badge, esc, header, hexw

STEPS = {
    "user": "the user program runs (U-mode)",
    "1": "hardware: pc → sepc, cause → scause, jump to stvec",
    "2": "trampoline: save 31 registers and sepc in the trap frame",
    "3": "trap() in Python handles the cause",
    "4": "scheduler: pick the thread to run (satp, sscratch)",
    "5": "trampoline: restore the registers from the trap frame",
    "6": "sret: back to sepc, in the mode sstatus.SPP names",
    "idle": "idle loop: the hart waits for an interrupt (wfi)",
    "kernel": "S-mode code outside the trap path",
}
BOX_LABELS = (("1", "hardware"), ("2", "save regs"), ("3", "trap()"), ("4", "schedule"),
              ("5", "restore"), ("6", "sret"))
RUN_LIMIT = 5_000_000  # instructions "to next trap"/"to return" run before giving up
SLICE = 50_000  # instructions per slice of "run" (about 0.05-0.1 s of host time)
WINDOW = (5, 7)  # instructions shown before and from pc


class _Ended(NamedTuple):
    """A run result the stepper makes itself: a step that only took an interrupt, or a kernel that
    could not run (it had panicked)."""

    reason: str
    instructions: int
    detail: str


@dataclass
class _Seen:
    """What the view had seen before a step (put back when the step is undone)."""

    happened: list
    last_trap: object
    last_xret: object
    switched: object
    traps: int
    trap_instret: int
    traps_after: int = 0  # set after the step: self.traps then (traps between steps, taken by runs
    #                       the view did not make, are not the step's)
    ended_at_trap: bool = False  # set after the step: it ended right at a trap


class TrapStepper(View):
    """Step a trap through its six steps (user -> hardware -> trampoline -> trap() -> back), drawn live.

    Example::

        import oskit
        from widgets import TrapStepper
        k = oskit.boot(); p = k.spawn("/bin/echo", ["echo", "hi"])
        ts = TrapStepper(k); ts       # click "to next trap", then "step" ...
        ts.next_trap(); ts.position   # or drive it from code: "1", scause in ts.last_trap
    """

    def __init__(self, kernel, hart: int = 0):
        self.kernel = kernel_of(kernel)
        self.machine = self.kernel.machine
        self.hart = self.machine.harts[hart]
        k = self.kernel
        self.uservec = k.uservec
        self.userret = k.uservec - k.text_offsets["uservec"] + k.text_offsets["userret"]
        self.idle_pc = k.idle_pc
        self.trap_fn = k.trap_addr
        self.sret_pc = self._find_sret()
        self.labels = {self.uservec: "uservec", self.userret: "userret", self.idle_pc: "idle"}
        # What the handlers record (cheap: a few assignments per event).
        self.last_trap = None  # the machine's TrapEvent of the last trap on this hart
        self.last_xret = None
        self.switched = None  # the kernel's "switch" probe during the last trap(), if any
        self.happened: list[str] = []  # the latest happenings, newest last
        self.running = False
        self.slice = SLICE  # instructions per slice of "run"
        self._stop_on: str | None = None  # "trap" or "xret" while a button runs to one
        self._stop_after = 1  # with _stop_on "trap": stop at this many-th trap
        self.traps = 0  # traps this hart took while watched (rewound with the kernel's steps)
        self._trap_instret = -1  # the hart's instret at its last trap

        self.head = w.HTML()
        self.buttons = {}
        row = []
        for name, label, tip in (("step", "step", "execute one instruction"),
                                 ("trap", "to next trap", "run until the hart takes a trap"),
                                 ("ret", "to return", "run until the next sret"),
                                 ("run", "run", "run until paused (or nothing is left to run)"),
                                 ("pause", "pause", "stop a run"),
                                 ("back", "step back", "undo the last step (restore a snapshot, replay)"),
                                 ("prevtrap", "previous trap", "back to the moment of the previous trap")):
            b = w.Button(description=label, tooltip=tip, layout=w.Layout(width="auto"))
            b.add_class(f"oskit-{name}")
            b.on_click(lambda _b, n=name: self._clicked(n))
            self.buttons[name] = b
            row.append(b)
        self.buttons["pause"].disabled = True
        self.toolbar = w.HBox(row)
        self.status = w.HTML()
        self.status.add_class("oskit-pc")
        self.diagram = w.HTML()
        self.diagram.add_class("oskit-trap-path")
        self.listing = w.HTML()
        self.happenings = w.HTML()
        super().__init__([self.head, self.toolbar, self.status, self.diagram, self.listing,
                          self.happenings])
        self.refresh()

    def _find_sret(self) -> int:
        """The address of the trampoline's sret (the last instruction of step 5's code)."""
        from oskit.machine.decode import decode

        pa = peek.walk(self.machine, self.kernel.kpmap.satp, self.userret).pa
        for i in range(64):
            word = peek.read_u32(self.machine, pa + 4 * i) if pa is not None else None
            if word is not None and (d := decode(word)) is not None and d.op.name == "sret":
                return self.userret + 4 * i
        raise RuntimeError("TrapStepper: no sret found after userret in the trampoline")

    # -- watching ------------------------------------------------------------------------------

    def _subscriptions(self):
        ev, probes = self.machine.events, self.kernel.probes
        return [(ev, "trap", self._on_trap), (ev, "xret", self._on_xret),
                (ev, "hostcall", self._on_hostcall), (probes, "switch", self._on_switch),
                (probes, "syscall_entry", self._on_syscall)]

    def _note(self, text: str) -> None:
        self.happened.append(text)
        if len(self.happened) > 40:
            del self.happened[:20]

    def _on_trap(self, e) -> None:
        if e.hart != self.hart.hartid:
            return
        self.last_trap = e
        self.switched = None
        self.traps += 1
        self._trap_instret = self.hart.instret
        kind = "interrupt" if e.interrupt else "exception"
        self._note(f"trap: {kind} {e.cause} ({fields.cause_name(e.cause, e.interrupt)}) "
                   f"from {fields.priv_name(e.from_priv)}-mode at {hexw(e.epc)}")
        if self._stop_on == "trap":
            self._stop_after -= 1
            if self._stop_after == 0:
                self.machine.stop("TrapStepper: trap")
        self.mark_dirty()

    def _on_xret(self, e) -> None:
        if e.hart != self.hart.hartid:
            return
        self.last_xret = e
        self._note(f"{e.kind}: to {fields.priv_name(e.to_priv)}-mode at {hexw(e.pc)}")
        if self._stop_on == "xret":
            self.machine.stop("TrapStepper: return")
        self.mark_dirty()

    def _on_hostcall(self, e) -> None:
        if e.hart == self.hart.hartid and e.addr == self.trap_fn:
            self._note("trap(): Python runs (oskit/kernel/riscv/trap.py)")

    def _on_switch(self, e) -> None:
        if e.hart == self.hart.hartid:
            self.switched = e
            self._note(f"switch: {_thread_text(e.old)} → {_thread_text(e.new)}")

    def _on_syscall(self, e) -> None:
        rec = e.record
        self._note(f"  system call by pid {rec.pid}: {rec.call}")

    # -- driving ---------------------------------------------------------------------------------

    def _clicked(self, name: str) -> None:
        {"step": self.step, "trap": self.next_trap, "ret": self.to_return,
         "run": self.run, "pause": self.pause, "back": self.step_back,
         "prevtrap": self.previous_trap}[name]()

    # -- the log of steps (stepping back) --------------------------------------------------------

    def _seen(self) -> "_Seen":
        """What this view shows from events (kept with each step, put back when it is undone)."""
        return _Seen(list(self.happened), self.last_trap, self.last_xret, self.switched, self.traps,
                     self._trap_instret)

    def _logged(self, fn):
        """Run fn as one step of the kernel's history, so that step back can undo it."""
        self.attach()
        note = self._seen()
        try:
            return self.kernel.history.do(fn, note)
        finally:
            # How many traps it took, and did it end right at one (no instruction retired since)?
            note.traps_after = self.traps
            note.ended_at_trap = self.traps > note.traps and self._trap_instret == self.hart.instret

    def _put_back_seen(self, note: "_Seen") -> None:
        self.happened[:] = note.happened
        self.last_trap, self.last_xret, self.switched = note.last_trap, note.last_xret, note.switched
        self.traps, self._trap_instret = note.traps, note.trap_instret

    def step_back(self, n: int = 1) -> int:
        """Undo the last n steps (button runs); returns how many were undone (0: nothing logged)."""
        notes = self.kernel.history.notes()
        n = min(n, len(notes))
        if n == 0:
            self._note("nothing to step back over (no step was logged since this view started)")
            self.refresh()
            return 0
        try:
            self.kernel.step_back(n)
        except Exception as exc:
            # A click has nowhere else to show it: say it in the view, then let it propagate.
            self._note(f"step back failed: {type(exc).__name__}: {exc}")
            self.refresh()
            raise
        if isinstance(notes[len(notes) - n], _Seen):  # (a step logged by k.step() carries no note)
            self._put_back_seen(notes[len(notes) - n])
        self._note(f"stepped back {n} step(s): instret {self.hart.instret}")
        redraw_all(self.machine)
        return n

    def previous_trap(self):
        """Go back to the moment this hart took its previous trap (at stvec, before the handler runs).

        The steps are searched from the latest back for one in which a trap
        was taken (the current moment does not count when it is a trap). The
        kernel steps back to before that step, then runs to that step's last
        trap again (one logged step). Returns the run's result, or None when
        no earlier trap was logged.
        """
        notes = self.kernel.history.notes()
        for i in range(len(notes) - 1, -1, -1):
            if not isinstance(notes[i], _Seen):
                break  # a step this view did not make (k.step()): it did not count traps
            taken = notes[i].traps_after - notes[i].traps
            if i == len(notes) - 1 and notes[i].ended_at_trap:
                taken -= 1  # we are at that step's last trap now: the one before it is wanted
            if taken > 0:
                self.step_back(len(notes) - i)
                return self._logged(lambda: self._drive(RUN_LIMIT, "trap", nth=taken))
        self._note("no earlier trap in the steps logged since this view started")
        self.refresh()
        return None

    def _drive(self, max_instructions: int, stop_on: str | None = None, nth: int = 1):
        self.attach()  # driving without watching would miss the events that stop the run
        self._stop_on = stop_on
        self._stop_after = nth
        try:
            result = self.kernel.run(max_instructions=max_instructions)
        except KernelPanic as exc:
            # The kernel stopped for good: say so in the view (a click has nowhere else to show it).
            self._note(f"the kernel has panicked: {exc.report.message}")
            result = _Ended("panic", 0, exc.report.message)
        finally:
            self._stop_on = None
        if not self.kernel.history.replaying:  # (a step back replays steps: draw only the end)
            redraw_all(self.machine)  # this view and every other one watching the machine
        return result

    def step(self, n: int = 1):
        """Execute n instructions (a trap taken counts as one), one at a time; redraw once at the end.

        Each step is ``kernel.run(max_instructions=1)``, except when an interrupt
        is pending and enabled: then it is ``hart.step()``, which takes the
        interrupt and stops at stvec (step 1), where a one-instruction run would
        also execute the handler's first instruction. Returns the last result;
        stops early when a run ends for another reason (idle, panic).
        """
        self.attach()
        result = None
        for _ in range(n):
            result = self._logged(self._one_step)
            if result.reason != "limit":
                break
        if not self.kernel.history.replaying:
            redraw_all(self.machine)
        return result

    def _interrupt_due(self) -> bool:
        """An interrupt is pending and enabled now (and the kernel may still run)."""
        return self.kernel.panic_report is None and pending_interrupt(self.hart) is not None

    def _one_step(self):
        if self._interrupt_due():
            self.hart.step()  # takes the interrupt, nothing more (the run loop would go on)
            return _Ended("limit", 1, "took an interrupt")
        try:
            return self.kernel.run(max_instructions=1)
        except KernelPanic as exc:
            self._note(f"the kernel has panicked: {exc.report.message}")
            return _Ended("panic", 0, exc.report.message)

    def next_trap(self):
        """Run until this hart takes a trap (at most RUN_LIMIT instructions).

        An interrupt already pending is the next trap: it is taken with one step.
        (One that becomes pending between two of the machine's run slices is taken
        at the start of the next slice, which then executes one more instruction
        before the run stops: the stepper shows step 2 instead of step 1.)
        """
        if self._interrupt_due():
            return self.step()
        return self._logged(lambda: self._drive(RUN_LIMIT, "trap"))

    def to_return(self):
        """Run until the next sret/mret on this hart (at most RUN_LIMIT instructions)."""
        return self._logged(lambda: self._drive(RUN_LIMIT, "xret"))

    def run(self) -> None:
        """Run in slices of ``self.slice`` instructions until paused, or until nothing is left to run.

        In a notebook the slices are scheduled on the kernel's event loop, so a
        click on "pause" is handled between two slices; headless, it runs the
        slices in a loop (until idle, exit or RUN_LIMIT).
        """
        self.running = True
        self.buttons["pause"].disabled = False
        self.buttons["run"].disabled = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            done = 0
            while self.running and done < RUN_LIMIT:
                r = self._logged(lambda: self._drive(self.slice))
                done += r.instructions
                if r.reason != "limit":
                    break
            self._note(f"run ended: {r.reason} {r.detail}".rstrip())
            self.pause()
        else:
            loop.call_soon(self._slice, loop)

    def _slice(self, loop) -> None:
        if not self.running:
            return
        try:
            r = self._logged(lambda: self._drive(self.slice))
        except Exception as exc:
            # Nobody would see an exception raised from an event-loop callback: say it here.
            self._note(f"run stopped by an error: {type(exc).__name__}: {exc}")
            self.pause()
            raise
        if r.reason == "limit" and self.running:
            loop.call_later(0.001, self._slice, loop)
        else:
            self._note(f"run ended: {r.reason} {r.detail}".rstrip())
            self.pause()

    def pause(self) -> None:
        """Stop a run started with run() after the current slice."""
        self.running = False
        self.buttons["pause"].disabled = True
        self.buttons["run"].disabled = False
        self.refresh()

    # -- where are we --------------------------------------------------------------------------------

    @property
    def position(self) -> str:
        """The step the hart is at: "user", "1".."6", "idle" or "kernel" (see the module docstring)."""
        pc, priv = self.hart.pc, int(self.hart.priv)
        if priv == 0:
            return "user"
        if pc == self.trap_fn:
            return "3"
        if pc == self.uservec:
            return "1"
        if self.uservec < pc < self.userret:
            return "2"
        if pc == self.userret:
            return "4"
        if self.userret < pc < self.sret_pc:
            return "5"
        if pc == self.sret_pc:
            return "6"
        if self.idle_pc <= pc < self.idle_pc + 8:
            return "idle"
        return "kernel"

    def _describe(self) -> str:
        return f"hart {self.hart.hartid}"

    # -- drawing ---------------------------------------------------------------------------------------

    def _render(self) -> None:
        pos = self.position
        hart, csr = self.hart, self.hart.csr
        self.head.value = header("Trap stepper", f"hart {hart.hartid}: {self._current_thread()}")
        scause = csr.read("scause")
        step_text = STEPS[pos]
        if pos == "4":
            step_text += ": " + (f"switched to {_thread_text(self.switched.new)}" if self.switched
                                 else "the same thread continues")
        mode = fields.priv_name(hart.priv)
        where = self._user_symbols().name_at(hart.pc) if mode == "U" else None
        if where:
            step_text += f", in {where}"
        panic = self.kernel.panic_report
        if panic is not None:
            step_text = f"the kernel panicked: {panic.message}"
        self.status.value = (
            f'<div><span class="oskit-mono">pc <b>{hexw(hart.pc)}</b></span> '
            f'{badge(mode + "-mode", "ok" if mode == "U" else "cur")} '
            f'{badge("step " + pos if pos in "123456" else pos, "cur")} {esc(step_text)}</div>'
            f'<div class="oskit-mono">scause {scause:#x} ({esc(fields.cause_name(scause))}) '
            f'sepc {hexw(csr.read("sepc"))} stval {hexw(csr.read("stval"))}</div>')
        self.diagram.value = trap_path_svg(pos)
        self.listing.value = self._listing()
        recent = self.happened[-8:]
        self.happenings.value = ('<div class="oskit-dim">what happened (newest last):</div><div class="oskit-mono">'
                                 + "".join(f"<div>{esc(t)}</div>" for t in recent) + "</div>") if recent else ""

    def _user_symbols(self) -> symbols.Symbols:
        """The function names of the program the hart runs now (empty for the idle thread)."""
        for hs in getattr(self.kernel, "percpu", []):
            if hs.hartid == self.hart.hartid:
                return symbols.symbols_of(hs.curthread.proc)
        return symbols.EMPTY

    def _current_thread(self) -> str:
        for hs in getattr(self.kernel, "percpu", []):
            if hs.hartid == self.hart.hartid:
                return _thread_text(hs.curthread)
        return "?"

    def _listing(self) -> str:
        pc = self.hart.pc
        if pc == self.trap_fn:
            ra = self.hart.x[1]
            return (f'<div class="oskit-mono oskit-pre"><div class="oskit-cur">▶ {hexw(pc)}  host function trap(): '
                    f'the next step runs Python (oskit/kernel/riscv/trap.py)</div>'
                    f'<div class="oskit-dim">  then returns to ra = {hexw(ra)} '
                    f'({esc(self.labels.get(ra, ""))})</div></div>')
        before, after = WINDOW
        lines = []
        user = int(self.hart.priv) == 0
        functions = self._user_symbols().starts if user else {}
        for i in range(-before, after):
            addr = pc + 4 * i
            if addr < 0:
                continue
            data = peek.read_va(self.machine, self.hart, addr, 4)
            label = functions.get(addr, "") if user else self.labels.get(addr, "")
            if label:
                lines.append(f'<div class="oskit-dim">{esc(label)}:</div>')
            if data is None:
                text, word = "(not mapped)", ""
            else:
                word_v = int.from_bytes(data, "little")
                text, word = disassemble(word_v, addr, aliases=True), f"{word_v:08x}"
            mark = "▶" if addr == pc else " "
            cls = ' class="oskit-cur"' if addr == pc else ""
            note = ""
            if text.startswith(("jalr", "jr")) and self.uservec < addr < self.userret:
                note = '  <span class="oskit-dim">← calls trap() (Python)</span>'
            lines.append(f"<div{cls}>{mark} {hexw(addr)}  {word:8}  {esc(text)}{note}</div>")
        return f'<div class="oskit-mono oskit-pre">{"".join(lines)}</div>'


def _thread_text(td) -> str:
    """"pid 2 (hello)" for a user thread, "idle" for a hart's idle thread."""
    if td is None:
        return "nobody"
    proc = td.proc
    if proc.pid == 0:
        return "idle"
    return f"pid {proc.pid} ({proc.comm})"


def trap_path_svg(position: str) -> str:
    """The user -> kernel -> user path as inline SVG, the box for `position` lit."""
    width, box_w, gap, top, low = 660, 96, 14, 12, 96
    parts = [f'<svg class="oskit-svg" width="{width}" height="150" role="img" '
             f'aria-label="trap path, at {esc(position)}" data-step="{esc(position)}" '
             f'xmlns="http://www.w3.org/2000/svg">',
             '<defs><marker id="oskit-arrowhead" markerWidth="8" markerHeight="8" refX="7" refY="4" '
             'orient="auto" markerUnits="userSpaceOnUse"><path d="M0,0 L8,4 L0,8 z" fill="currentColor"/></marker></defs>']
    lit = " oskit-lit"
    user_cls = "oskit-box" + (lit if position == "user" else "")
    parts.append(f'<rect class="{user_cls}" x="10" y="{top}" width="{width - 20}" height="34" rx="6"/>'
                 f'<text x="{width // 2}" y="{top + 22}" text-anchor="middle">user program (U-mode)</text>')
    xs = [10 + i * (box_w + gap) for i in range(6)]
    parts.append(f'<text x="{xs[1]}" y="{low - 8}">kernel (S-mode)</text>')
    for (step, label), x in zip(BOX_LABELS, xs):
        cls = "oskit-box" + (lit if position == step else "")
        parts.append(f'<rect class="{cls}" x="{x}" y="{low}" width="{box_w}" height="40" rx="6"/>'
                     f'<text x="{x + box_w // 2}" y="{low + 17}" text-anchor="middle">{step}</text>'
                     f'<text x="{x + box_w // 2}" y="{low + 32}" text-anchor="middle">{esc(label)}</text>')
    for i in range(5):
        x1, x2 = xs[i] + box_w, xs[i + 1]
        cls = "oskit-arrow" + (lit if position == BOX_LABELS[i + 1][0] else "")
        parts.append(f'<line class="{cls}" x1="{x1}" y1="{low + 20}" x2="{x2 - 2}" y2="{low + 20}" '
                     f'marker-end="url(#oskit-arrowhead)"/>')
    down = "oskit-arrow" + (lit if position == "1" else "")
    up = "oskit-arrow" + (lit if position == "user" else "")
    parts.append(f'<line class="{down}" x1="{xs[0] + 30}" y1="{top + 34}" x2="{xs[0] + 30}" y2="{low - 2}" '
                 f'marker-end="url(#oskit-arrowhead)"/>')
    parts.append(f'<line class="{up}" x1="{xs[5] + 66}" y1="{low}" x2="{xs[5] + 66}" y2="{top + 36}" '
                 f'marker-end="url(#oskit-arrowhead)"/>')
    parts.append(f'<text x="{xs[0] + 36}" y="{top + 56}" class="oskit-dim">ecall, fault, interrupt</text>')
    parts.append(f'<text x="{xs[5] + 60}" y="{top + 56}" text-anchor="end" class="oskit-dim">sret</text>')
    parts.append("</svg>")
    return "".join(parts)
