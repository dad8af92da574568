"""MemoryMap: a process's address-space map and where its pages are in physical memory.

The map (``proc.vmspace.entries``, oskit/kernel/vm/): one row per entry:
its range, protection, name, what backs it (zero-fill or a file), and how
many of its pages are resident, i.e. have a leaf in the page table now
(demand paging fills them on first touch).

The frames (``kernel.pmem``): how RAM is used, as a bar and a table: free
frames, the frames this process maps, frames of other processes, and the
kernel's own (page tables, kernel stacks, heap, image), from the owner label
the allocator keeps for each frame; and how many pages the pager swapped out.
"""

from __future__ import annotations

import ipywidgets as w

from widgets.base import View
from widgets.pagetable import leaves
from widgets.style import esc, header, hexw, table


def prot_text(prot: int) -> str:
    """PROT_READ|PROT_WRITE|PROT_EXEC (1, 2, 4) as "rwx"."""
    return "".join(c if prot & b else "-" for c, b in (("r", 1), ("w", 2), ("x", 4)))


def backing_text(entry) -> str:
    """Where an entry's pages come from, in words (no host addresses: nbval compares this)."""
    b = entry.backing
    if b is None:
        return "zero-fill"
    if hasattr(b, "filesz"):
        return f"file: {b.filesz} bytes at offset {b.offset:#x}"
    return f"{getattr(b, 'kind', type(b).__name__)} object" + (", shared" if entry.shared else "")


class MemoryMap(View):
    """A process's map entries (range, protection, backing, resident pages) and the physical frames.

    Example::

        from widgets import MemoryMap
        MemoryMap(p)        # redraws on the kernel's "fault", "fork", "exec" and "exit" probes
    """

    def __init__(self, proc):
        if not hasattr(proc, "vmspace"):
            raise TypeError(f"MemoryMap shows a process (a Proc, e.g. k.spawn(...)), found {type(proc).__name__}")
        self.proc = proc
        self.kernel = proc.kernel
        self.machine = self.kernel.machine
        self.head = w.HTML()
        self.entries_html = w.HTML()
        self.entries_html.add_class("oskit-vmmap")
        self.frames_html = w.HTML()
        super().__init__([self.head, self.entries_html, self.frames_html])
        self.rows: list[dict] = []  # one dict per map entry, as drawn
        self.frames: dict[str, int] = {}  # category -> frames, as drawn
        self.refresh()

    def _subscriptions(self):
        p = self.kernel.probes
        kinds = [k for k in ("fault", "fork", "exec", "exit", "pageout") if k in p.KINDS]
        return [(p, kind, self._on_change) for kind in kinds]

    def _on_change(self, _event) -> None:
        self.mark_dirty()

    def _describe(self) -> str:
        return self.proc.comm  # not the pid: a saved notebook's text stays the same across runs

    def _render(self) -> None:
        p = self.proc
        vs = p.vmspace
        self.head.value = header("Memory map", f"pid {p.pid} ({p.comm})")
        if vs is None:
            self.rows, self.frames = [], {}
            self.entries_html.value = '<div class="oskit-dim">(no address space: the process has exited)</div>'
            self.frames_html.value = ""
            return
        mapped = leaves(self.machine, vs.pmap.satp, user_only=True)
        self.rows = []
        for e in vs.entries:
            resident = sum(1 for va, _pa, _pte, _lvl in mapped if e.start <= va < e.end)
            backing = backing_text(e)
            self.rows.append({"start": e.start, "end": e.end, "prot": prot_text(e.prot), "name": e.name,
                              "backing": backing, "pages": (e.end - e.start) // 4096, "resident": resident})
        self.entries_html.value = table(
            ["start", "end", "prot", "name", "backing", "pages", "resident"],
            [[f'<span class="oskit-mono">{hexw(r["start"], 12)}</span>',
              f'<span class="oskit-mono">{hexw(r["end"], 12)}</span>',
              f'<span class="oskit-mono">{r["prot"]}</span>', esc(r["name"]), esc(r["backing"]),
              str(r["pages"]), str(r["resident"])] for r in self.rows])
        self.frames = self._frame_use({pa for _va, pa, _pte, _lvl in mapped})
        self.frames_html.value = self._frames_html()

    def _frame_use(self, mine: set[int]) -> dict[str, int]:
        """Frames by category: free, this process, other processes, kernel (by owner label)."""
        pmem = self.kernel.pmem
        others: set[int] = set()
        for pid, q in self.kernel.procs.items():
            if q is not self.proc and pid != 0 and q.vmspace is not None:
                others |= {pa for _va, pa, _pte, _lvl in leaves(self.machine, q.vmspace.pmap.satp, True)}
        use = {"free": pmem.free_frames, f"pid {self.proc.pid}": 0, "other processes": 0}
        for pa, owner in pmem.owner.items():
            if pa in mine:
                use[f"pid {self.proc.pid}"] += 1
            elif pa in others:
                use["other processes"] += 1
            else:
                key = owner.split(" of ")[0] or "unlabelled"
                use[key] = use.get(key, 0) + 1
        use["kernel image and heap"] = (pmem.heap_end - pmem.base) // 4096
        return use

    def _frames_html(self) -> str:
        total = sum(self.frames.values())
        colours = {"free": "var(--jp-layout-color3, #ccc)", f"pid {self.proc.pid}": "var(--jp-brand-color1, #1976d2)",
                   "other processes": "var(--jp-success-color1, #2e7d32)"}
        x, parts = 0.0, []
        for name, n in self.frames.items():
            if not n:
                continue
            width = 600 * n / total
            fill = colours.get(name, "var(--jp-warn-color1, #f57c00)")
            parts.append(f'<rect x="{x:.1f}" y="0" width="{max(width, 0.5):.1f}" height="16" '
                         f'style="fill: {fill}"><title>{esc(name)}: {n} frames</title></rect>')
            x += width
        bar = (f'<svg class="oskit-svg" width="600" height="16" role="img" aria-label="physical frames">'
               f'{"".join(parts)}</svg>')
        rows = [[esc(name), str(n), f"{n * 4} KiB"] for name, n in self.frames.items() if n]
        swap = getattr(getattr(self.kernel, "pager", None), "swap", None)
        swapped = (f'<div>swap: {len(swap.slots)} pages out of RAM ({swap.writes} written, '
                   f'{swap.reads} read back)</div>') if swap is not None else ""
        return (f'<div>physical frames ({total} of 4 KiB):</div>{bar}'
                + table(["used by", "frames", "size"], rows) + swapped)
