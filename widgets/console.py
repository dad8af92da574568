"""Console: the UART as a terminal: what the guest wrote, and a line of input sent to it.

Output is the UART's Console (``machine.uart.output``): every byte the guest
(or the kernel's console driver, through real MMIO stores) wrote to the
transmit register. Input typed in the text box goes to ``uart.feed()``, as if
it arrived on the serial line; the guest (or the kernel's driver) takes it
from the receive register. What was typed is shown dimmed where it was sent,
because a UART does not echo: the guest would have to.

Watching output: the Console has one ``on_write`` slot; attach() chains the
view in front of whatever was there (and detach() puts it back), so printing
and other observers keep working.
"""

from __future__ import annotations

import ipywidgets as w

from widgets.base import View, machine_of, redraw_all
from widgets.style import esc, header

MAX_SHOWN = 16_384  # bytes of output drawn on screen (the Console keeps everything)
AFTER_INPUT_LIMIT = 5_000_000  # instructions a kernel runs after a line of input, at most


class Console(View):
    """The UART as a terminal: guest output as it arrives, and an input line fed to the UART.

    Example::

        from widgets import Console
        m = Machine(); m.load_elf(build({"hello.c": src}, mode="bare"))
        con = Console(m); con          # display it, then run: the text appears
        m.run(); con.send("ls")        # a line of input, as if typed (ends with a newline)

    ``after_input`` (optional) is called with no arguments after each line is
    sent, e.g. to let the guest run until it has answered. Given a Kernel, the
    default runs the kernel until every process waits again (at most
    AFTER_INPUT_LIMIT instructions), so a shell answers what was typed.
    """

    def __init__(self, source, after_input=None):
        self.machine = machine_of(source)
        if after_input is None and hasattr(source, "procs") and hasattr(source, "run"):
            after_input = self._kernel_runner(source)
        self.uart = self.machine.uart
        self.output = self.uart.output
        self.after_input = after_input
        self.inputs: list[tuple[int, str]] = []  # (output length when sent, text sent)
        self.notice = ""  # shown under the screen (e.g. a kernel panic after input)
        self.head = w.HTML()
        self.screen = w.HTML()
        self.screen.add_class("oskit-console-screen")
        self.line = w.Text(placeholder="type a line, Enter sends it", continuous_update=False,
                           layout=w.Layout(width="32em"))
        self.send_button = w.Button(description="send", tooltip="send the line (and a newline) to the UART",
                                    layout=w.Layout(width="6em"))
        self.line.observe(self._on_line, names="value")
        self.send_button.on_click(lambda _b: self._submit())
        super().__init__([self.head, self.screen, w.HBox([self.line, self.send_button])])
        self._chained = None
        self.refresh()

    def _kernel_runner(self, kernel):
        """What runs after a line of input on a kernel: kernel.run, with a panic shown, not raised."""
        from oskit.kernel.kern.panic import KernelPanic

        def run():
            try:
                kernel.run(max_instructions=AFTER_INPUT_LIMIT)
            except KernelPanic as exc:  # raised from a text box, it would reach nobody
                self.notice = f"the kernel has panicked: {exc.report.message}"

        return run

    # -- watching output ---------------------------------------------------------------------

    def _on_write(self, data: bytes) -> None:
        if self._chained is not None:
            self._chained(data)
        self.mark_dirty()

    def attach(self):
        if not self.attached:
            self._chained = self.output.on_write
            self.output.on_write = self._on_write
        return super().attach()

    def detach(self) -> None:
        if self.attached and self.output.on_write == self._on_write:
            self.output.on_write = self._chained
        self._chained = None
        super().detach()

    # -- input ---------------------------------------------------------------------------------

    def _on_line(self, change) -> None:
        if change["new"]:
            self._submit()

    def _submit(self) -> None:
        text = self.line.value
        self.line.value = ""  # observe() sees "" and sends nothing
        self.send(text)

    def send(self, text: str) -> None:
        """Send text and a newline to the guest through the UART, then redraw."""
        self.inputs.append((len(self.output.data), text))
        self.uart.feed(text + "\n")
        if self.after_input is not None:
            self.after_input()
            redraw_all(self.machine)  # the guest ran: every view of this machine may have changed
        self.refresh()

    # -- drawing -------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """Everything the guest wrote, decoded as UTF-8."""
        return self.output.text

    def _describe(self) -> str:
        return "uart"

    def _render(self) -> None:
        data = bytes(self.output.data)
        start = max(0, len(data) - MAX_SHOWN)  # only the tail is drawn; the Console keeps it all
        pieces, pos = ["…" if start else ""], start
        for offset, typed in self.inputs:
            if offset < start:
                continue
            pieces.append(esc(data[pos:offset].decode("utf-8", errors="replace")))
            pieces.append(f'<span class="oskit-dim">{esc(typed)}⏎</span>')
            pos = offset
        pieces.append(esc(data[pos:].decode("utf-8", errors="replace")))
        shown = "".join(pieces)
        self.head.value = header("Console", f"UART 16550A, {len(data)} bytes written, "
                                            f"{self.uart.input_pending} waiting to be read")
        notice = f'<div class="oskit-err">{esc(self.notice)}</div>' if self.notice else ""
        self.screen.value = f'<pre class="oskit-term">{shown or "&nbsp;"}</pre>{notice}'
