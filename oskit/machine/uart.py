"""UART: a 16550A serial port at 0x1000_0000 (one byte per register), and its Console.

Register map (offset: read / write; DLAB is LCR bit 7):

    0  RBR receive buffer   / THR transmit holding    (DLAB=1: DLL divisor low)
    1  IER interrupt enable                           (DLAB=1: DLM divisor high)
         bit 0 ERBFI received data available, bit 1 ETBEI transmitter empty,
         bit 2 ELSI line status, bit 3 EDSSI modem status
    2  IIR interrupt identification / FCR FIFO control
         IIR bit 0 = 1: nothing pending; bits 3:1 = what: 0b010 received data,
         0b001 transmitter empty; bits 7:6 = 0b11 when the FIFOs are on.
         FCR bit 0 FIFO enable, bit 1 clear receive FIFO, bit 2 clear transmit FIFO
    3  LCR line control (bit 7 DLAB; the rest, word length and parity, is kept but means nothing here)
    4  MCR modem control (bit 4 loopback: transmitted bytes come back as received ones)
    5  LSR line status: bit 0 DR data ready, bit 5 THRE, bit 6 TEMT
    6  MSR modem status (CTS, DSR and DCD always on; in loopback they mirror MCR)
    7  SCR scratch

Transmission is instantaneous: a byte written to THR goes straight to the
Console, so THRE and TEMT are always set. Received bytes come from the host
through ``feed(data)``; they wait in an unbounded queue (so they are never
lost), and while any wait and ERBFI is on, PLIC source 10 is high.
"""

from __future__ import annotations

from collections import deque
from typing import Callable

UART_BASE = 0x1000_0000
UART_SIZE = 0x100
UART_IRQ = 10  # PLIC source

RBR_THR = 0
IER = 1
IIR_FCR = 2
LCR = 3
MCR = 4
LSR = 5
MSR = 6
SCR = 7

IER_ERBFI = 0x01
IER_ETBEI = 0x02
LCR_DLAB = 0x80
MCR_LOOP = 0x10
LSR_DR = 0x01
LSR_THRE = 0x20
LSR_TEMT = 0x40
IIR_NONE = 0x01
IIR_THRE = 0x02
IIR_RDA = 0x04
IIR_FIFO = 0xC0
FCR_ENABLE = 0x01
FCR_CLEAR_RX = 0x02
MSR_CONNECTED = 0xB0  # DCD | DSR | CTS


class Console:
    """Where a UART's transmitted bytes go: keeps everything, optionally tells a callback.

    ``data`` holds every byte ever written; ``text`` is it decoded as UTF-8.
    ``on_write(data)`` (if given) is called with each write, e.g. to print
    live or to update a widget.
    """

    def __init__(self, on_write: Callable[[bytes], None] | None = None):
        self.data = bytearray()
        self.on_write = on_write

    def write(self, data: bytes) -> None:
        self.data += data
        if self.on_write is not None:
            self.on_write(bytes(data))

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    def clear(self) -> None:
        """Forget what was written so far."""
        self.data.clear()

    def __repr__(self) -> str:
        return f"Console({len(self.data)} bytes)"


class Uart16550:
    """The 16550A registers, the receive queue and the interrupt line."""

    name = "uart"

    def __init__(self, plic=None, output: Console | None = None, base: int = UART_BASE, irq: int = UART_IRQ):
        self.base = base
        self.size = UART_SIZE
        self.plic = plic
        self.irq = irq
        self.output = output if output is not None else Console()
        self.rx: deque[int] = deque()
        self.ier = 0
        self.lcr = 0x03  # 8 data bits, as firmware usually leaves it
        self.mcr = 0
        self.scr = 0
        self.fcr = 0
        self.divisor = 1
        self.thre_pending = False  # the "transmitter empty" interrupt condition
        self._line = False

    # -- the host side ----------------------------------------------------------------

    def feed(self, data: bytes | str) -> None:
        """Queue bytes as if they arrived on the serial line (str is encoded as UTF-8)."""
        if isinstance(data, str):
            data = data.encode()
        self.rx.extend(data)
        self._update_irq()

    @property
    def input_pending(self) -> int:
        """How many received bytes wait to be read."""
        return len(self.rx)

    # -- interrupts -------------------------------------------------------------

    def _interrupt_id(self) -> int:
        """The IIR low nibble: the highest-priority pending condition (or IIR_NONE)."""
        if self.ier & IER_ERBFI and self.rx:
            return IIR_RDA
        if self.ier & IER_ETBEI and self.thre_pending:
            return IIR_THRE
        return IIR_NONE

    def _update_irq(self) -> None:
        level = self._interrupt_id() != IIR_NONE
        if level != self._line:
            self._line = level
            if self.plic is not None:
                self.plic.set_source(self.irq, level)

    # -- register access -----------------------------------------------------------

    def load(self, offset: int, size: int) -> int:
        reg = offset
        dlab = self.lcr & LCR_DLAB
        if reg == RBR_THR:
            if dlab:
                return self.divisor & 0xFF
            value = self.rx.popleft() if self.rx else 0
            self._update_irq()
            return value
        if reg == IER:
            return (self.divisor >> 8) & 0xFF if dlab else self.ier
        if reg == IIR_FCR:
            ident = self._interrupt_id()
            if ident == IIR_THRE:
                self.thre_pending = False  # reading IIR acknowledges "transmitter empty"
                self._update_irq()
            return ident | (IIR_FIFO if self.fcr & FCR_ENABLE else 0)
        if reg == LCR:
            return self.lcr
        if reg == MCR:
            return self.mcr
        if reg == LSR:
            return LSR_THRE | LSR_TEMT | (LSR_DR if self.rx else 0)
        if reg == MSR:
            if self.mcr & MCR_LOOP:
                # loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD
                m = self.mcr
                return (m & 2) << 3 | (m & 1) << 5 | (m & 4) << 4 | (m & 8) << 4
            return MSR_CONNECTED
        if reg == SCR:
            return self.scr
        return 0

    def store(self, offset: int, size: int, value: int) -> None:
        reg = offset
        value &= 0xFF
        dlab = self.lcr & LCR_DLAB
        if reg == RBR_THR:
            if dlab:
                self.divisor = self.divisor & 0xFF00 | value
                return
            if self.mcr & MCR_LOOP:
                self.rx.append(value)
            else:
                self.output.write(bytes((value,)))
            # The byte left at once: the holding register is empty again.
            self.thre_pending = True
            self._update_irq()
        elif reg == IER:
            if dlab:
                self.divisor = self.divisor & 0xFF | value << 8
                return
            if value & IER_ETBEI and not self.ier & IER_ETBEI:
                self.thre_pending = True  # enabling it while THR is empty interrupts at once
            self.ier = value & 0x0F
            self._update_irq()
        elif reg == IIR_FCR:
            self.fcr = value & 0xC9
            if value & FCR_CLEAR_RX:
                self.rx.clear()
            self._update_irq()
        elif reg == LCR:
            self.lcr = value
        elif reg == MCR:
            self.mcr = value & 0x1F
        elif reg == SCR:
            self.scr = value

    def __repr__(self) -> str:
        return f"Uart16550(ier={self.ier:#x}, rx={len(self.rx)} bytes queued, output={self.output!r})"
