"""Snapshots: the whole state of a machine (or of anything built on one), kept and put back in place.

    s = m.snapshot()       # RAM, harts (registers, CSRs, pc, instret, TLB), CLINT, PLIC, UART,
                           # the console output so far, scheduled interrupts
    ...                    # run on
    m.restore(s)           # m is again exactly as it was: same objects, old state
    m.state_hash()         # a short hex digest of what a program could observe

How a snapshot is made (and why):

RAM is kept page by page, only the pages that are not all zeros, found by one
vectorised scan of RAM (numpy). A page equal to the same page of the
previous snapshot is not copied again: the snapshot shares the bytes object.
So a snapshot costs one scan of RAM (milliseconds) plus a copy of the pages
that changed since the last one, and holds memory in proportion to those.
(We chose the scan over write tracking: write tracking would have to catch
every store, including the fast path's stores straight into RAM and the
host's bulk writes, and one missed writer would make a restore silently
wrong; the scan cannot miss one and costs nothing while the machine runs.)

Everything else (harts, devices, a kernel's Python objects) is a graph of
Python objects. ``take()`` deep-copies that graph once; ``put_back()``
copies the saved state back *into the very same objects* (their __dict__,
the items of their lists, dicts and sets), so that whoever holds a hart, the
machine, a process or a file (a widget, a notebook variable) sees the
restored state. Objects made after the snapshot are simply no longer
referenced. A snapshot can be restored any number of times.

Some objects are not state and are shared as they are, never copied: RAM's
bytearray (kept as pages, above), the event bus and its subscribers (who
watches is not what happened), and each hart's caches (translated blocks,
page caches), which are dropped and refilled after a restore.
"""

from __future__ import annotations

import copy
import hashlib
import sys
from collections import deque
from dataclasses import dataclass, field


from oskit.machine.events import RestoreEvent

PAGE = 4096


# -- RAM, page by page ----------------------------------------------------------------------------


def nonzero_pages(data: bytearray) -> "numpy.ndarray":
    """The indices of the 4 KiB pages of data that hold a byte other than zero."""
    import numpy as np  # here, not at the top: numpy costs a booted kernel 13 MiB until the first snapshot

    words = np.frombuffer(data, dtype=np.uint64).reshape(-1, PAGE // 8)
    return np.flatnonzero(words.any(axis=1))


def capture_ram(data: bytearray, previous: dict[int, bytes] | None) -> dict[int, bytes]:
    """page index -> the page's bytes, for every page that is not all zeros.

    A page equal to the same page in ``previous`` (the last snapshot's) shares
    its bytes object: memory goes only to pages that changed.
    """
    previous = previous or {}
    pages = {}
    for i in nonzero_pages(data).tolist():
        page = data[i * PAGE:(i + 1) * PAGE]
        old = previous.get(i)
        pages[i] = old if old is not None and old == page else bytes(page)
    return pages


def put_back_ram(data: bytearray, pages: dict[int, bytes]) -> None:
    """Make data hold exactly ``pages`` (and zeros everywhere else)."""
    zero = bytes(PAGE)
    for i in nonzero_pages(data).tolist():
        if i not in pages:
            data[i * PAGE:(i + 1) * PAGE] = zero
    for i, page in pages.items():
        data[i * PAGE:(i + 1) * PAGE] = page


# -- object graphs, restored in place ---------------------------------------------------------------

_IMMUTABLE = (tuple, frozenset, bytes, str, int, float, complex, bool, type(None))


@dataclass
class GraphSnapshot:
    """The state of every object reachable from a root, as deep copies paired with the originals."""

    root: object
    pairs: list = field(repr=False)        # (original, its copy at snapshot time)
    shared: list = field(repr=False)       # objects shared, not copied (not state, or kept elsewhere)


def take(root, shared, reuse=()) -> GraphSnapshot:
    """Deep-copy the graph reachable from root; the objects in ``shared`` are referenced, not copied.

    reuse: (bytearray, its copy in an earlier snapshot) pairs. A bytearray
    whose contents still equal that copy is not copied again: both snapshots
    share the copy (the file system's files are bytearrays of a megabyte and
    more, and most of them never change).
    """
    shared = list(shared)
    memo = {id(o): o for o in shared}
    reused = [(orig, dup) for orig, dup in reuse if orig == dup]
    memo.update({id(orig): dup for orig, dup in reused})
    try:
        copy.deepcopy(root, memo)
    except TypeError as exc:  # a generator, a lock, an open file: not state a snapshot can hold
        raise TypeError(f"snapshot(): an object reachable from {type(root).__name__} cannot be copied "
                        f"({exc}); keep such objects out of the machine and kernel, or add them to "
                        f"machine.not_state") from exc
    # deepcopy keeps every original it copied alive in memo[id(memo)]: that is our list of originals.
    originals = memo.get(id(memo), [])
    seen = set()
    pairs = []
    for orig in originals:
        if id(orig) in seen or isinstance(orig, _IMMUTABLE):
            continue
        seen.add(id(orig))
        dup = memo.get(id(orig))
        if dup is not None and dup is not orig:
            pairs.append((orig, dup))
    pairs += reused
    return GraphSnapshot(root, pairs, shared)


def put_back(snap: GraphSnapshot) -> None:
    """Make every original object of the snapshot hold its saved state again (identity kept)."""
    # Copy the saved state once more (the snapshot stays usable), with every saved copy mapped
    # back to its original: the restored objects point at the originals, never at copies.
    memo = {id(dup): orig for orig, dup in snap.pairs}
    memo.update({id(o): o for o in snap.shared})
    memo[id(memo)] = [dup for _, dup in snap.pairs] + list(snap.shared)  # deepcopy's keep-alive list

    def again(value):
        return copy.deepcopy(value, memo)

    for orig, dup in snap.pairs:
        if isinstance(orig, list):
            orig[:] = [again(v) for v in dup]
        elif isinstance(orig, dict):
            items = [(again(k), again(v)) for k, v in dup.items()]
            orig.clear()
            orig.update(items)
        elif isinstance(orig, set):
            items = [again(v) for v in dup]
            orig.clear()
            orig.update(items)
        elif isinstance(orig, deque):
            items = [again(v) for v in dup]
            orig.clear()
            orig.extend(items)
        elif isinstance(orig, bytearray):
            orig[:] = dup
        elif "numpy" in sys.modules and isinstance(orig, sys.modules["numpy"].ndarray):
            orig[...] = dup
        else:
            _put_back_object(orig, dup, again)


def _put_back_object(orig, dup, again) -> None:
    if hasattr(dup, "__dict__"):
        state = {k: again(v) for k, v in vars(dup).items()}
        d = vars(orig)
        d.clear()
        d.update(state)
    for klass in type(orig).__mro__:
        for name in getattr(klass, "__slots__", ()):
            if name in ("__dict__", "__weakref__") or not hasattr(dup, name):
                continue
            object.__setattr__(orig, name, again(getattr(dup, name)))


# -- hashing what a program could observe ---------------------------------------------------------


def hash_machine(m, h=None) -> "hashlib._Hash":
    """Feed the machine's observable state into a sha256 (RAM, harts, CLINT, UART, console)."""
    h = h or hashlib.sha256()
    data = m.ram.data
    for i in nonzero_pages(data).tolist():
        h.update(i.to_bytes(4, "little"))
        h.update(data[i * PAGE:(i + 1) * PAGE])
    for hart in m.harts:
        csr = hart.csr
        regs = [hart.pc, int(hart.priv), hart.instret, int(hart.waiting), *hart.x]
        regs += [csr.mstatus, csr.medeleg, csr.mideleg, csr.mie, csr.mip, csr.lines, csr.mtvec, csr.stvec,
                 csr.mscratch, csr.sscratch, csr.mepc, csr.sepc, csr.mcause, csr.scause, csr.mtval,
                 csr.stval, csr.satp, csr.stimecmp, csr.menvcfg, csr.cycle_delta, csr.instret_delta]
        h.update(repr(regs).encode())
    clint = m.clint
    h.update(repr((clint.mtime, m._tick_residue, clint.mtimecmp, clint.msip, m.instructions)).encode())
    uart = m.uart
    h.update(repr((uart.ier, uart.lcr, uart.mcr, uart.scr, uart.fcr, uart.divisor, uart.thre_pending,
                   bytes(uart.rx), m.plic.pending, m.plic.in_service, m.injections)).encode())
    h.update(bytes(uart.output.data))
    return h


# -- a machine (and whatever is built on it) ------------------------------------------------------


@dataclass
class Snapshot:
    """What m.snapshot() (or k.snapshot()) returns; give it to restore() as often as you like."""

    graph: GraphSnapshot = field(repr=False)
    ram: dict = field(repr=False)  # page index -> bytes (pages that are not all zeros)
    instructions: int  # machine.instructions when it was taken
    instret: tuple  # each hart's instret then

    @property
    def pages(self) -> int:
        """How many RAM pages it holds (all but the zero pages)."""
        return len(self.ram)


def not_state(m) -> list:
    """The objects of machine m that a snapshot shares instead of copying (see the module docstring)."""
    shared = [m.ram.data, m.events, m.image, m.history, m.not_state, *m.not_state, m.last_snapshot_bytearrays]
    if m.uart.output.on_write is not None:
        shared.append(m.uart.output.on_write)
    for hart in m.harts:
        shared += [hart._views, hart._u32, hart._block_globals, hart._blocks, hart._heat, hart._caches,
                   hart._xc, hart._rc, hart._wc, hart.mmu._page_cache_slots]
        for cache in hart._caches.values():
            shared += list(cache) if isinstance(cache, tuple) else [cache]
    return shared


def take_snapshot(m, root=None, shared=()) -> Snapshot:
    """Snapshot machine m, and with it everything reachable from root (default: m itself)."""
    if m._running:
        raise RuntimeError("snapshot(): the machine is running; take a snapshot between runs")
    ram = capture_ram(m.ram.data, m.last_snapshot_pages)
    m.last_snapshot_pages = ram
    graph = take(m if root is None else root, not_state(m) + [m.last_snapshot_pages, *shared],
                 reuse=m.last_snapshot_bytearrays)
    m.last_snapshot_bytearrays = [(o, d) for o, d in graph.pairs if isinstance(o, bytearray)]
    return Snapshot(graph, ram, m.instructions, tuple(h.instret for h in m.harts))


def restore_snapshot(m, snap: Snapshot, root=None) -> None:
    """Put m (and root's graph) back in the state of snap, in place."""
    if not isinstance(snap, Snapshot):
        raise TypeError(f"restore() takes what snapshot() returned, found {type(snap).__name__}")
    if snap.graph.root is not (m if root is None else root):
        raise ValueError("restore(): this snapshot was taken of another machine or kernel")
    if m._running:
        raise RuntimeError("restore(): the machine is running; restore between runs")
    put_back_ram(m.ram.data, snap.ram)
    put_back(snap.graph)
    m.last_snapshot_pages = snap.ram
    m.last_snapshot_bytearrays = [(o, d) for o, d in snap.graph.pairs if isinstance(o, bytearray)]
    for hart in m.harts:
        # Caches are not state: the page caches go (the TLB they were tied to was restored);
        # translated blocks stay, as each is checked against RAM's bytes before it runs.
        hart.flush_page_caches()
        hart._hooks_seen = -1
    if m.events.restore_subscribers:
        m.events.publish("restore", RestoreEvent(m.instructions))


def fingerprint(m) -> tuple:
    """A cheap summary that changes whenever the machine ran or was changed from outside (mostly)."""
    return (m.instructions, m.clint.mtime, len(m.uart.output.data), len(m.injections),
            tuple((h.pc, h.instret, h.x[10], h.x[2]) for h in m.harts))
