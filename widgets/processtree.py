"""ProcessTree: the kernel's processes as a tree of parents and children, with their states.

Read from ``kernel.procs`` (pid -> Proc, oskit/kernel/kern/proc.py): each line is
a process with its command line, and the state of its thread: running (on
which hart), runnable, sleeping (on what), or zombie with its exit status
until the parent's wait4 reaps it. The view redraws on the kernel's "fork",
"exec", "exit" and "switch" probes, and when a wait4 returns (a reaped
zombie disappears).

    1  init                 sleeping on wait4
    └─ 2  sh                running on hart 0
       └─ 3  echo hi        zombie: exited 0
"""

from __future__ import annotations

import ipywidgets as w

from widgets.base import View, kernel_of
from widgets.style import badge, esc, header, table


def wchan_text(chan) -> str:
    """What a sleeping thread waits for, in words."""
    if chan is None:
        return "?"
    if isinstance(chan, tuple) and chan and chan[0] == "umtx":
        return f"umtx {chan[-1]:#x}"            # (umtx, address space, user address): umtx.py
    if isinstance(chan, tuple):
        return " ".join(wchan_text(c) if not isinstance(c, (str, int)) else str(c) for c in chan)
    if hasattr(chan, "tid"):
        return f"tid {chan.tid}"
    if hasattr(chan, "pid"):
        return f"pid {chan.pid} (wait4)"
    name = type(chan).__name__
    return {"Console": "console input"}.get(name, name)


def thread_state_text(td) -> tuple[str, str]:
    """(state in words, badge kind) of one thread."""
    state = td.state.value
    if state == "running":
        hart = td.hart.hartid if td.hart is not None else "?"
        return f"running on hart {hart}", "cur"
    if state == "sleeping":
        return f"sleeping on {wchan_text(td.wchan)}", ""
    return state, "ok" if state == "runnable" else ""


def state_text(proc) -> tuple[str, str]:
    """(state in words, badge kind) of a process: its thread's state (each one's if several), or zombie."""
    if proc.xstat is not None:
        sig = proc.signaled
        how = f"killed by signal {sig}" if sig else f"exited {proc.exit_status}"
        return f"zombie: {how}", "dim"
    threads = [td for td in proc.threads if td.state.value != "dead"]
    if not threads:
        return proc.state.value, "dim"
    states = [thread_state_text(td) for td in threads]
    if len(states) == 1:
        return states[0]
    kind = "cur" if any(k == "cur" for _, k in states) else states[0][1]
    return f"{len(states)} threads: " + "; ".join(f"tid {td.tid} {text}" for td, (text, _) in
                                                 zip(threads, states)), kind


class ProcessTree(View):
    """Processes as a tree (pid, program, state: running, runnable, sleeping on what, zombie + status).

    Example::

        from widgets import ProcessTree
        tree = ProcessTree(k); tree      # redraws on fork, execve, exit and wait4
    """

    def __init__(self, kernel):
        self.kernel = kernel_of(kernel)
        self.head = w.HTML()
        self.body = w.HTML()
        self.body.add_class("oskit-proctree")
        super().__init__([self.head, self.body])
        self.lines: list[tuple[int, int, str, str]] = []  # (depth, pid, command, state) as drawn
        self.refresh()

    def _subscriptions(self):
        p = self.kernel.probes
        return [(p, kind, self._on_change) for kind in ("fork", "exec", "exit", "switch",
                                                                   "thread_new", "thread_exit",
                                                                   "aio")] + [     # aio: an aiod appears
            (p, "syscall_return", self._on_return)]

    def _on_change(self, _event) -> None:
        self.mark_dirty()

    def _on_return(self, event) -> None:
        if event.record.name == "wait4":  # a zombie may just have been reaped
            self.mark_dirty()

    def _describe(self) -> str:
        return "kernel"

    def _render(self) -> None:
        procs = {pid: p for pid, p in self.kernel.procs.items() if pid != 0}
        roots = sorted((p for p in procs.values() if p.parent is None or p.parent.pid not in procs),
                       key=lambda p: p.pid)
        self.lines = []

        def visit(p, depth):
            state, _ = state_text(p)
            self.lines.append((depth, p.pid, " ".join(p.argv) or p.comm, state))
            for c in sorted(p.children, key=lambda c: c.pid):
                if c.pid in procs:
                    visit(c, depth + 1)

        for r in roots:
            visit(r, 0)
        rows = []
        for depth, pid, command, state in self.lines:
            kind = state_text(procs[pid])[1]
            indent = "   " * (depth - 1) + "└─ " if depth else ""
            rows.append([f'<span class="oskit-mono">{esc(indent)}{pid}</span>', esc(procs[pid].ppid),
                         f'<span class="oskit-mono">{esc(command)}</span>', badge(state, kind)])
        self.head.value = header("Processes", f"{len(self.lines)} processes")
        self.body.value = table(["pid", "ppid", "command", "state"], rows)
