"""The console: a minimal tty over the UART (16550A at 0x1000_0000, PLIC source 10).

    output: console.write(td, data)  each byte goes to the UART's THR register
            (a real MMIO store: widgets see it), and is appended to the
            capture buffer of the writing process tree (that is ``p.stdout``)
    input:  the UART raises PLIC source 10 -> SEI on hart 0 -> trap() ->
            console.interrupt(): claim, drain RBR while LSR.DR, complete,
            wakeup(console) -> a reader sleeping in console.read() runs again

A read returns what has arrived, at most one line (as a tty in canonical
mode does), and sleeps while nothing has; ^D at the start of a line reads
as end of file (0 bytes), and after ``console.hangup()`` (the host's stdin
closed) every read does.
"""

from __future__ import annotations

from oskit.kernel.kern.syscall import Sleep
from oskit.machine.plic import CONTEXT_OFFSET, CONTEXT_STRIDE, ENABLE_OFFSET, ENABLE_STRIDE, PLIC_BASE
from oskit.machine.uart import IER, IER_ERBFI, LSR, LSR_DR, RBR_THR, UART_BASE, UART_IRQ

EOT = b"\x04"         # ^D: the tty's end-of-file character (VEOF)


class Console:
    """The kernel's console driver (one UART, interrupts to hart 0's S-mode context)."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.bus = kernel.machine.bus
        self.inbuf = bytearray()
        self.eof = False
        self.written = 0
        self.context = 1            # PLIC context: hart 0, S-mode
        # Driver initialisation, as a kernel would do it: MMIO stores.
        self.bus.store(PLIC_BASE + 4 * UART_IRQ, 4, 1)                          # priority 1
        word = UART_IRQ // 32
        self.bus.store(PLIC_BASE + ENABLE_OFFSET + ENABLE_STRIDE * self.context + 4 * word, 4,
                       1 << (UART_IRQ % 32))                                     # enable source 10
        self.bus.store(PLIC_BASE + CONTEXT_OFFSET + CONTEXT_STRIDE * self.context, 4, 0)  # threshold 0
        self.bus.store(UART_BASE + IER, 1, IER_ERBFI)                           # interrupt on input

    # -- output -------------------------------------------------------------------
    def write(self, td, data: bytes) -> int:
        """Send ``data`` to the UART and to the writer's capture buffer; returns len(data)."""
        store = self.bus.store
        for b in data:
            store(UART_BASE + RBR_THR, 1, b)
        self.written += len(data)
        cap = td.proc.console_capture if td is not None else None
        if cap is not None:
            cap += data
        return len(data)

    # -- input ----------------------------------------------------------------------
    def interrupt(self) -> None:
        """The UART's interrupt: move every received byte into the input buffer and wake readers."""
        claim = PLIC_BASE + CONTEXT_OFFSET + CONTEXT_STRIDE * self.context + 4
        source = self.bus.load(claim, 4)
        while self.bus.load(UART_BASE + LSR, 1) & LSR_DR:
            self.inbuf.append(self.bus.load(UART_BASE + RBR_THR, 1))
        if source:
            self.bus.store(claim, 4, source)            # complete
        self.kernel.wakeup(self)

    def read(self, td, n: int) -> bytes:
        """Up to ``n`` bytes of input (at most one line); sleeps on the console while there is none."""
        if n <= 0:
            return b""
        if not self.inbuf:
            # Bytes may wait in the UART whose interrupt has not been taken yet.
            if self.bus.load(UART_BASE + LSR, 1) & LSR_DR:
                self.interrupt()
        if not self.inbuf:
            if self.eof:
                return b""
            raise Sleep(self)
        nl = self.inbuf.find(b"\n")
        eot = self.inbuf.find(EOT)
        if eot >= 0 and (nl < 0 or eot < nl) and eot <= n:
            # ^D ends the line without a newline and is itself dropped; at the start of a
            # line the read returns 0 bytes: end of file, as a tty in canonical mode does.
            data = bytes(self.inbuf[:eot])
            del self.inbuf[:eot + 1]
            return data
        take = min(n, nl + 1 if nl >= 0 else len(self.inbuf))
        data = bytes(self.inbuf[:take])
        del self.inbuf[:take]
        return data

    def hangup(self) -> None:
        """No more input will come (the host's stdin closed): readers get end of file."""
        self.eof = True
        self.kernel.wakeup(self)

    def __repr__(self) -> str:
        return f"<console: {len(self.inbuf)} bytes waiting, {self.written} written>"
