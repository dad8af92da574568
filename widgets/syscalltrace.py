"""SyscallTrace: the kernel's record of system calls as a live table, filterable by pid and name.

Rows come from ``kernel.trace.records`` (oskit/kernel/kern/trace.py: one
SyscallRecord per call: pid, name, decoded arguments, result or errno). The
view watches the "syscall_entry" and "syscall_return" probes only to know
when to redraw; the records themselves are the truth.

    time (µs)  pid  command  call                       result
    12.3         2  hello    write(1, "hi\\n", 3)        3
    14.0         2  hello    open("/nope", 0x0)         -1 ENOENT (No such file or directory)
"""

from __future__ import annotations

import ipywidgets as w

from widgets.base import View, kernel_of
from widgets.style import esc, header, table

MAX_ROWS = 200  # the newest matching calls drawn


class SyscallTrace(View):
    """A live table of system calls (time, pid, name, decoded arguments, result or errno name).

    Example::

        from widgets import SyscallTrace
        st = SyscallTrace(k); st          # everything
        SyscallTrace(k, pid=p.pid, name="write")
    """

    def __init__(self, kernel, pid: int | None = None, name: str | None = None):
        self.kernel = kernel_of(kernel)
        self.head = w.HTML()
        self.pid_box = w.Dropdown(description="pid", options=[("all", None)], value=None,
                                  layout=w.Layout(width="12em"))
        self.name_box = w.Text(description="call", placeholder="name, e.g. write", value=name or "",
                               continuous_update=True, layout=w.Layout(width="18em"))
        self.body = w.HTML()
        self.body.add_class("oskit-syscalls")
        super().__init__([self.head, w.HBox([self.pid_box, self.name_box]), self.body])
        self._set_pid_options(pid)
        self.pid_box.value = pid
        self.pid_box.observe(lambda _c: self.refresh(), names="value")
        self.name_box.observe(lambda _c: self.refresh(), names="value")
        self.rows: list = []  # the records drawn, oldest first
        self.refresh()

    def _set_pid_options(self, keep: int | None = None) -> None:
        pids = sorted({r.pid for r in self.kernel.trace.records} | ({keep} if keep is not None else set()))
        options = [("all", None)] + [(str(p), p) for p in pids]
        if options != list(self.pid_box.options):
            value = self.pid_box.value
            self.pid_box.options = options
            self.pid_box.value = value if value in pids else None

    def _subscriptions(self):
        p = self.kernel.probes
        return [(p, "syscall_entry", self._on_call), (p, "syscall_return", self._on_call)]

    def _on_call(self, _event) -> None:
        self.mark_dirty()

    def _describe(self) -> str:
        who = "all processes" if self.pid_box.value is None else f"pid {self.pid_box.value}"
        name = self.name_box.value.strip()
        return f"{who}, {name}" if name else who

    def matching(self) -> list:
        """The recorded calls the filters let through, oldest first."""
        pid = self.pid_box.value
        name = self.name_box.value.strip()
        return [r for r in self.kernel.trace.records
                if (pid is None or r.pid == pid) and (not name or r.name == name)]

    def _render(self) -> None:
        self._set_pid_options(self.pid_box.value)
        found = self.matching()
        self.rows = found[-MAX_ROWS:]
        hz = self.kernel.timebase_hz
        tids: dict[int, set] = {}
        for r in self.rows:
            tids.setdefault(r.pid, set()).add(r.tid)
        rows, classes = [], []
        for r in self.rows:
            result = r.result_text()
            res_html = f'<span class="oskit-err">{esc(result)}</span>' if r.errno > 0 else esc(result)
            # A process with several threads: say which thread made the call.
            who = f"{r.pid} (tid {r.tid})" if len(tids[r.pid]) > 1 else str(r.pid)
            rows.append([f"{r.start * 1_000_000 / hz:.1f}", who, esc(r.comm),
                         f'<span class="oskit-mono">{esc(r.call)}</span>', res_html])
            classes.append("" if r.done else "oskit-cur")
        total = len(self.kernel.trace.records)
        hidden = len(found) - len(self.rows)
        self.head.value = header("System calls", f"{len(found)} of {total} shown"
                                 + (f" (the newest {MAX_ROWS})" if hidden else ""))
        self.body.value = table(["time (µs)", "pid", "command", "call", "result"], rows, classes) \
            if rows else '<div class="oskit-dim">(no system calls match)</div>'
