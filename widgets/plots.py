"""Plots (matplotlib) of what the kernel did: page faults over time, system calls by name,
time in user vs kernel mode per process.

Three functions draw on a matplotlib Axes from plain data, so they work in
any figure (and tests can check the data drawn):

    faults_over_time(ax, faults, timebase_hz)   faults: [(mtime, pid, how)], cumulative per pid
    syscalls_by_name(ax, records)               records: kernel.trace.records
    cpu_time_by_process(ax, procs, timebase_hz) procs: Proc objects (their rusage)

``Plots(kernel)`` is the live view: it records page faults from the "fault"
probe once displayed (the kernel keeps counts, not a history), and redraws
the three plots at most every 2 seconds (a figure costs about 0.3 s to
draw) and after each cell, as a PNG inside an HTML widget.
"""

from __future__ import annotations

import base64
import io
from collections import Counter

import ipywidgets as w

from widgets.base import View, kernel_of
from widgets.style import header


def faults_over_time(ax, faults, timebase_hz: int) -> None:
    """Cumulative page faults against emulated time (ms), one step line per process."""
    by_pid: dict[int, list[float]] = {}
    for mtime, pid, how in faults:
        if how not in ("SIGSEGV", "OOM"):  # a fault the VM could not resolve is no page-in
            by_pid.setdefault(pid, []).append(mtime * 1000 / timebase_hz)
    for pid, times in sorted(by_pid.items()):
        ax.step(times, range(1, len(times) + 1), where="post", label=f"pid {pid}")
    ax.set_xlabel("time (ms, emulated)")
    ax.set_ylabel("page faults so far")
    ax.set_title("Page faults over time")
    if by_pid:
        ax.legend(fontsize="small")


def syscalls_by_name(ax, records) -> dict[str, int]:
    """A horizontal bar per system call name: how many times it was called; returns the counts."""
    counts = Counter(r.name for r in records)
    names = sorted(counts, key=lambda n: (-counts[n], n))[:15]
    ax.barh(names[::-1], [counts[n] for n in names[::-1]])
    ax.set_xlabel("calls")
    ax.set_title("System calls by name")
    return {n: counts[n] for n in names}


def cpu_time_by_process(ax, procs, timebase_hz: int) -> dict[int, tuple[float, float]]:
    """Stacked bars per process: user and kernel time (ms of emulated time); returns pid -> (user, kernel)."""
    shown = {}
    for p in sorted(procs, key=lambda p: p.pid):
        if p.pid == 0:
            continue
        shown[p.pid] = (p.rusage.utime_ticks * 1000 / timebase_hz, p.rusage.stime_ticks * 1000 / timebase_hz)
    labels = [f"{pid}" for pid in shown]
    user = [u for u, _ in shown.values()]
    kern = [s for _, s in shown.values()]
    ax.bar(labels, user, label="user")
    ax.bar(labels, kern, bottom=user, label="kernel")
    ax.set_xlabel("pid")
    ax.set_ylabel("time (ms, emulated)")
    ax.set_title("User vs kernel time")
    ax.legend(fontsize="small")
    return shown


class Plots(View):
    """Faults over time, system calls by name, and user vs kernel time per process, redrawn live.

    Example::

        from widgets import Plots
        pl = Plots(k); pl        # then run programs: the plots follow (about once a second)
    """

    RENDER_INTERVAL = 2.0  # seconds: drawing the figure takes about 0.3 s of host time

    def __init__(self, kernel):
        self.kernel = kernel_of(kernel)
        self.faults: list[tuple[int, int, str]] = []  # (mtime, pid, how), recorded while attached
        self.head = w.HTML()
        self.image = w.HTML()
        self.image.add_class("oskit-plots-image")
        super().__init__([self.head, self.image])
        self.shown: dict = {}
        self.refresh()

    def _subscriptions(self):
        return [(self.kernel.probes, "fault", self._on_fault)]

    def _on_fault(self, e) -> None:
        mtime = getattr(e, "mtime", None)
        if mtime is None:
            mtime = self.kernel.machine.clint.mtime
        self.faults.append((mtime, e.pid, e.how))
        self.mark_dirty()

    def _describe(self) -> str:
        return "kernel"

    def figure(self):
        """A new matplotlib Figure with the three plots of the kernel's state now."""
        from matplotlib.figure import Figure

        k = self.kernel
        fig = Figure(figsize=(12, 3.4))
        fig.subplots_adjust(left=0.05, right=0.99, bottom=0.16, top=0.9, wspace=0.3)
        a, b, c = fig.subplots(1, 3)
        faults_over_time(a, self.faults, k.timebase_hz)
        self.shown = {"syscalls": syscalls_by_name(b, k.trace.records),
                      "cpu": cpu_time_by_process(c, list(k.procs.values()), k.timebase_hz),
                      "faults": len(self.faults)}
        return fig

    def _render(self) -> None:
        # A PNG inside an HTML widget: it is kept in the saved widget state, so a static page of
        # the notebook shows the plots too.
        fig = self.figure()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=72)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        self.head.value = header("Plots", f"{len(self.kernel.trace.records)} system calls, "
                                          f"{len(self.faults)} page faults seen")
        self.image.value = (f'<img alt="page faults over time, system calls by name, user vs kernel time" '
                            f'style="max-width: 100%" src="data:image/png;base64,{data}"/>')
