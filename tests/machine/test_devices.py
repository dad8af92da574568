"""CLINT, PLIC and UART register behaviour, seen from the bus and from the harts' interrupt lines."""

import pytest

from oskit.machine.bus import Bus, Ram
from oskit.machine.choices import MTIMECMP_RESET
from oskit.machine.clint import CLINT_BASE, Clint
from oskit.machine.events import EventBus, InterruptEvent
from oskit.machine.plic import PLIC_BASE, Plic
from oskit.machine.uart import UART_BASE, UART_IRQ, Console, Uart16550

MSIP, MTIP, SEIP, MEIP = 3, 7, 9, 11

# PLIC register addresses on this board
PRIORITY = PLIC_BASE
PENDING = PLIC_BASE + 0x1000


def ENABLE(ctx):
    return PLIC_BASE + 0x2000 + 0x80 * ctx


def THRESHOLD(ctx):
    return PLIC_BASE + 0x20_0000 + 0x1000 * ctx


def CLAIM(ctx):
    return THRESHOLD(ctx) + 4


class Lines:
    """Stands in for a hart: records the level of each interrupt line a device drives."""

    def __init__(self):
        self.level = {}

    def set_pending(self, bit, level):
        self.level[bit] = level

    def high(self, bit):
        return self.level.get(bit, False)


class Board:
    """The devices of the machine on a bus, with line recorders for harts."""

    def __init__(self, nharts=2):
        self.nharts = nharts
        self.harts = [Lines() for _ in range(nharts)]
        self.events = EventBus()
        self.bus = Bus(Ram(1 << 20), self.events)
        self.clint = self.bus.attach(Clint(self))
        self.plic = self.bus.attach(Plic(self))
        self.uart = self.bus.attach(Uart16550(self.plic, Console()))


# -- CLINT ---------------------------------------------------------------------------


def test_msip_is_an_interprocessor_interrupt():
    """Writing 1 to msip[1] raises hart 1's MSIP line only; writing 0 lowers it; only bit 0 is kept."""
    b = Board()
    b.bus.store(CLINT_BASE + 4, 4, 0xFFFF_FFFF)
    assert b.harts[1].high(MSIP) and not b.harts[0].high(MSIP)
    assert b.bus.load(CLINT_BASE + 4, 4) == 1
    b.bus.store(CLINT_BASE + 4, 4, 0)
    assert not b.harts[1].high(MSIP)


def test_mtimecmp_raises_mtip_when_time_reaches_it():
    """MTIP of a hart is high exactly while mtime >= its mtimecmp, and follows writes to either."""
    b = Board()
    assert b.clint.mtimecmp == [MTIMECMP_RESET] * 2  # never fires until set
    b.bus.store(CLINT_BASE + 0x4000 + 8, 8, 100)  # hart 1
    assert not b.harts[1].high(MTIP)
    b.clint.advance(99)
    assert not b.harts[1].high(MTIP)
    b.clint.advance(1)
    assert b.harts[1].high(MTIP) and not b.harts[0].high(MTIP)
    b.bus.store(CLINT_BASE + 0x4000 + 8, 8, 1000)  # the handler pushes the deadline: line drops
    assert not b.harts[1].high(MTIP)
    b.bus.store(CLINT_BASE + 0xBFF8, 8, 5000)  # writing mtime
    assert b.harts[1].high(MTIP)
    assert b.clint.next_deadline() is None


def test_mtime_and_mtimecmp_have_32_bit_halves():
    """mtime and mtimecmp read and write as 64 bits or as two 32-bit halves."""
    b = Board()
    b.clint.set_mtime(0x1_2345_6789)
    assert b.bus.load(CLINT_BASE + 0xBFF8, 8) == 0x1_2345_6789
    assert b.bus.load(CLINT_BASE + 0xBFF8, 4) == 0x2345_6789
    assert b.bus.load(CLINT_BASE + 0xBFFC, 4) == 1
    b.bus.store(CLINT_BASE + 0x4004, 4, 0)  # high half of hart 0's mtimecmp
    b.bus.store(CLINT_BASE + 0x4000, 4, 0x2345_0000)  # low half
    assert b.clint.mtimecmp[0] == 0x2345_0000
    assert b.harts[0].high(MTIP)


def test_clint_registers_of_missing_harts_read_zero():
    """msip and mtimecmp of a hart that does not exist read 0 and ignore writes."""
    b = Board(nharts=1)
    b.bus.store(CLINT_BASE + 4, 4, 1)
    assert b.bus.load(CLINT_BASE + 4, 4) == 0
    assert b.bus.load(CLINT_BASE + 0x4008, 8) == 0


def test_interrupt_events_report_line_changes():
    """Each change of an interrupt line is an "interrupt" event naming hart, bit and device."""
    b = Board()
    seen = []
    b.events.subscribe("interrupt", seen.append)
    b.clint.set_msip(0, 1)
    b.clint.set_msip(0, 1)  # no change, no event
    b.clint.set_msip(0, 0)
    assert seen == [InterruptEvent(0, MSIP, True, "clint"), InterruptEvent(0, MSIP, False, "clint")]


# -- PLIC ----------------------------------------------------------------------------


def setup_source(b, source, priority, ctx):
    b.bus.store(PRIORITY + 4 * source, 4, priority)
    old = b.bus.load(ENABLE(ctx) + 4 * (source // 32), 4)
    b.bus.store(ENABLE(ctx) + 4 * (source // 32), 4, old | 1 << (source % 32))


def test_plic_claim_and_complete():
    """An enabled source raises the context's line; claim returns it and lowers the line; complete re-arms it."""
    b = Board()
    seen = []
    b.events.subscribe("interrupt", seen.append)
    setup_source(b, 5, 1, ctx=1)  # hart 0, S-mode
    b.plic.set_source(5, True)
    assert seen == [InterruptEvent(0, SEIP, True, "plic")]
    assert b.bus.load(PENDING, 4) == 1 << 5
    assert b.harts[0].high(SEIP) and not b.harts[0].high(MEIP)
    assert b.bus.load(CLAIM(1), 4) == 5
    assert not b.harts[0].high(SEIP) and b.bus.load(PENDING, 4) == 0
    assert b.bus.load(CLAIM(1), 4) == 0  # nothing else to claim
    b.bus.store(CLAIM(1), 4, 5)  # complete while the device still holds its line high
    assert b.harts[0].high(SEIP) and b.bus.load(PENDING, 4) == 1 << 5
    b.plic.set_source(5, False)
    assert not b.harts[0].high(SEIP)


def test_plic_priority_threshold_and_contexts():
    """The highest priority wins (lowest number on ties); a threshold masks lower priorities; contexts are per hart and mode."""
    b = Board()
    for s, p in ((3, 2), (4, 6), (7, 6)):
        setup_source(b, s, p, ctx=2)  # hart 1, M-mode
        b.plic.set_source(s, True)
    assert b.harts[1].high(MEIP) and not b.harts[0].high(MEIP) and not b.harts[1].high(SEIP)
    b.bus.store(THRESHOLD(2), 4, 6)
    assert not b.harts[1].high(MEIP)  # priority must be above the threshold
    b.bus.store(THRESHOLD(2), 4, 1)
    assert [b.bus.load(CLAIM(2), 4) for _ in range(4)] == [4, 7, 3, 0]
    assert b.bus.load(PRIORITY + 4 * 4, 4) == 6
    b.bus.store(PRIORITY + 4 * 4, 4, 0xFF)
    assert b.bus.load(PRIORITY + 4 * 4, 4) == 7  # three priority bits


def test_plic_rejects_bad_sources():
    """A device raising a source number the PLIC does not have is an error naming the range."""
    with pytest.raises(ValueError, match="1..95, found 0"):
        Board().plic.set_source(0, True)


# -- UART ----------------------------------------------------------------------------


def test_uart_transmit_goes_to_the_console():
    """Bytes written to THR reach the Console (kept and passed to its callback); LSR always says ready."""
    b = Board()
    live = []
    b.uart.output.on_write = live.append
    for ch in b"hi\n":
        assert b.bus.load(UART_BASE + 5, 1) & 0x60 == 0x60  # THRE | TEMT
        b.bus.store(UART_BASE, 1, ch)
    assert b.uart.output.data == b"hi\n" and b.uart.output.text == "hi\n"
    assert live == [b"h", b"i", b"\n"]


def test_uart_registers():
    """LCR, SCR and MCR read back; DLAB switches offsets 0 and 1 to the divisor; IIR shows FIFO state."""
    b = Board()
    u = UART_BASE
    b.bus.store(u + 7, 1, 0x5A)
    assert b.bus.load(u + 7, 1) == 0x5A
    b.bus.store(u + 3, 1, 0x83)  # DLAB on
    b.bus.store(u + 0, 1, 0x03)
    b.bus.store(u + 1, 1, 0x00)
    assert (b.bus.load(u + 0, 1), b.bus.load(u + 1, 1)) == (3, 0)
    assert b.uart.output.data == b""  # a divisor write is not a transmitted byte
    b.bus.store(u + 3, 1, 0x03)
    assert b.bus.load(u + 3, 1) == 0x03
    assert b.bus.load(u + 2, 1) == 0x01  # no interrupt, FIFOs off
    b.bus.store(u + 2, 1, 0x07)  # enable and clear FIFOs
    assert b.bus.load(u + 2, 1) == 0xC1
    assert b.bus.load(u + 6, 1) == 0xB0  # carrier, DSR and CTS on


def test_uart_receive_with_interrupt_through_the_plic():
    """Fed bytes set LSR.DR, raise PLIC source 10 when ERBFI is on, and read out of RBR in order."""
    b = Board()
    u = UART_BASE
    setup_source(b, UART_IRQ, 1, ctx=1)
    b.uart.feed(b"ok")
    assert b.bus.load(u + 5, 1) & 1 == 1
    assert not b.harts[0].high(SEIP)  # interrupts not enabled in IER yet
    b.bus.store(u + 1, 1, 0x01)  # IER.ERBFI
    assert b.harts[0].high(SEIP)
    assert b.bus.load(u + 2, 1) & 0x0F == 0x04  # received data available
    assert b.bus.load(CLAIM(1), 4) == UART_IRQ
    assert b.bus.load(u, 1) == ord("o")
    assert b.bus.load(u, 1) == ord("k")
    assert b.bus.load(u + 5, 1) & 1 == 0 and b.uart.input_pending == 0
    b.bus.store(CLAIM(1), 4, UART_IRQ)  # complete: the line is low now, so nothing is pending
    assert not b.harts[0].high(SEIP)
    b.uart.feed("!")
    assert b.harts[0].high(SEIP)


def test_uart_transmitter_empty_interrupt():
    """With ETBEI on, the empty transmitter interrupts; reading IIR acknowledges it until the next byte is sent."""
    b = Board()
    u = UART_BASE
    setup_source(b, UART_IRQ, 1, ctx=0)
    b.bus.store(u + 1, 1, 0x02)
    assert b.harts[0].high(MEIP)
    assert b.bus.load(u + 2, 1) & 0x0F == 0x02
    assert b.bus.load(u + 2, 1) & 0x0F == 0x01  # acknowledged
    b.bus.load(CLAIM(0), 4)
    b.bus.store(CLAIM(0), 4, UART_IRQ)
    assert not b.harts[0].high(MEIP)
    b.bus.store(u, 1, ord("x"))
    assert b.harts[0].high(MEIP)


def test_uart_loopback():
    """In loopback mode (MCR bit 4) transmitted bytes come back as input instead of reaching the console."""
    b = Board()
    b.bus.store(UART_BASE + 4, 1, 0x10)
    b.bus.store(UART_BASE, 1, ord("z"))
    assert b.uart.output.data == b""
    assert b.bus.load(UART_BASE, 1) == ord("z")
