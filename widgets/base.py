"""View: what every oskit widget shares (lazy subscriptions, throttled redraws, a stable repr).

The life of a view::

    v = Registers(hart)      # builds its widgets; subscribes to nothing yet
    v                        # displayed: attach() subscribes to events/probes, then refresh()
    ... machine runs ...     # handlers only record and call mark_dirty()
    v.refresh()              # redraw now from the machine's and kernel's state
    v.close()                # detach(): unsubscribe; the machine is as fast as without it

Why lazy: a view that is built but never shown costs the machine nothing,
because an event with no subscriber costs one test of an empty list.
Headless code (tests, scripts) calls ``attach()`` itself.

When a view redraws, and why:

- Handlers never draw. They note what happened (a trap, a walk) and call
  ``mark_dirty()``, which redraws only when RENDER_INTERVAL (0.1 s) has
  passed since the last drawing: at most about 10 redraws a second however
  fast events come, so a long run is not slowed by HTML building, and the
  reader still sees it move (ipywidgets sends updates while a cell runs).
- What the throttle skipped is drawn at the next run boundary: the view's
  own buttons call ``refresh()`` after they drive the machine, and in
  IPython every dirty attached view is redrawn after each cell
  (``post_run_cell``), so a cell like ``k.run(...)`` always ends with the
  views showing the final state.
- Rendering reads the machine (the truth), never a copy kept by handlers, so
  a view cannot drift from the state it shows.

A redraw does no timing of its own: the machine's time stays deterministic.
"""

from __future__ import annotations

import time
import weakref

import ipywidgets as w

RENDER_INTERVAL = 0.1  # seconds between throttled redraws: about 10 per second

_attached: "weakref.WeakSet[View]" = weakref.WeakSet()  # every attached view, for redraw_all()


def redraw_all(machine) -> None:
    """Redraw every attached view of `machine` now.

    A button that drives the machine (TrapStepper's, Console's input) calls
    this afterwards: a single step emits no event that Registers or TrapFrame
    would see, and a click is not a cell, so nothing else would redraw them.
    """
    for view in list(_attached):
        if getattr(view, "machine", None) is machine:
            try:
                view.refresh()
            except Exception as exc:  # a bug in one view must not stop the button that drives
                view.show_error(exc)


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    return get_ipython()


def machine_of(obj):
    """The Machine behind obj: a Machine, a Kernel (.machine), a Hart (.machine) or a Uart's owner.

    Raises TypeError naming what was given when obj leads to no machine.
    """
    if hasattr(obj, "harts") and hasattr(obj, "bus"):
        return obj
    m = getattr(obj, "machine", None)
    if m is not None and hasattr(m, "harts"):
        return m
    raise TypeError(f"expected an oskit Machine, Kernel or Hart, found {type(obj).__name__}: {obj!r}")


def kernel_of(obj):
    """The Kernel in obj (a Kernel, or anything with .kernel); TypeError when there is none."""
    if hasattr(obj, "procs") and hasattr(obj, "machine"):
        return obj
    k = getattr(obj, "kernel", None)
    if k is not None and hasattr(k, "procs"):
        return k
    raise TypeError(f"expected an oskit Kernel (from oskit.boot()), found {type(obj).__name__}: {obj!r}")


class View(w.VBox):
    """The base of every oskit view: subclasses give _subscriptions(), _render() and _describe()."""

    RENDER_INTERVAL = RENDER_INTERVAL  # a view that is costly to draw sets a longer one

    def __init__(self, children=(), **kwargs):
        super().__init__(children=list(children), **kwargs)
        self.add_class("oskit-view")
        self.add_class(f"oskit-{type(self).__name__.lower()}")  # e.g. .oskit-trapstepper, for tests and CSS
        self.attached = False
        self.dirty = True
        self.renders = 0  # how many times the view was drawn (tests read it to check throttling)
        self._last_render = float("-inf")
        self._subscribed: list[tuple] = []

    # -- what subclasses provide --------------------------------------------------------

    def _subscriptions(self) -> list[tuple]:
        """(bus, kind, fn) triples to subscribe on attach(); bus has subscribe/unsubscribe."""
        return []

    def _render(self) -> None:
        """Redraw the children from the current state."""

    def _describe(self) -> str:
        """A short, stable text for repr() (nbval compares it)."""
        return ""

    # -- life cycle --------------------------------------------------------------------------

    def attach(self) -> "View":
        """Subscribe to what the view watches and draw it; displaying the view does this."""
        if not self.attached:
            watched = list(self._subscriptions())
            machine = getattr(self, "machine", None)
            if machine is not None:
                # k.restore(snapshot) can change anything a view shows: redraw (throttled) after it.
                watched.append((machine.events, "restore", self._on_restore))
            for bus, kind, fn in watched:
                bus.subscribe(kind, fn)
                self._subscribed.append((bus, kind, fn))
            ip = _ipython()
            if ip is not None:
                ip.events.register("post_run_cell", self._flush)
            self.attached = True
            _attached.add(self)
        self.refresh()
        return self

    def detach(self) -> None:
        """Unsubscribe everything; the view keeps showing its last drawing."""
        subscribed = getattr(self, "_subscribed", [])  # absent when __init__ failed half-way
        for bus, kind, fn in subscribed:
            bus.unsubscribe(kind, fn)
        subscribed.clear()
        if getattr(self, "attached", False):
            ip = _ipython()
            if ip is not None:
                try:
                    ip.events.unregister("post_run_cell", self._flush)
                except ValueError:
                    pass  # registered under another IPython instance
        self.attached = False
        _attached.discard(self)

    def close(self) -> None:
        self.detach()
        super().close()

    def _repr_mimebundle_(self, **kwargs):
        # Being displayed is the moment to start watching.
        self.attach()
        return super()._repr_mimebundle_(**kwargs)

    # -- drawing -------------------------------------------------------------------------------

    def mark_dirty(self) -> None:
        """Something changed: redraw now if the last drawing is older than RENDER_INTERVAL."""
        self.dirty = True
        if time.monotonic() - self._last_render >= self.RENDER_INTERVAL:
            self.refresh()

    def refresh(self) -> None:
        """Redraw now from the current state."""
        self._last_render = time.monotonic()
        self.dirty = False
        self.renders += 1
        self._render()

    def show_error(self, exc: BaseException) -> None:
        """Show, in place of the view's first child, that drawing it failed (a bug in the view)."""
        from widgets.style import esc, header

        first = self.children[0] if self.children else None
        if isinstance(first, w.HTML):
            first.value = header(type(self).__name__) + (
                f'<div class="oskit-err">this view failed to draw: {esc(type(exc).__name__)}: '
                f'{esc(exc)}</div>')

    def _on_restore(self, _event) -> None:
        self.mark_dirty()

    def _flush(self, *_args) -> None:
        if self.dirty and self.attached:
            self.refresh()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._describe()})"
