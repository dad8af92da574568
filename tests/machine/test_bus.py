"""The physical address space: RAM, device dispatch, BusError, store hooks, events, host calls."""

import pytest

from oskit.machine.bus import RAM_BASE, Bus, BusError, Ram
from oskit.machine.events import EventBus, MmioEvent, TrapEvent
from oskit.machine.hostcall import HOSTCALL_BASE, HOSTCALL_END, HOSTCALL_RESERVED, JUMPED, HostCalls


class Scratch:
    """A tiny device: 16 bytes of registers that remember what was written."""

    name = "scratch"

    def __init__(self, base):
        self.base, self.size = base, 16
        self.regs = bytearray(16)

    def load(self, offset, size):
        return int.from_bytes(self.regs[offset : offset + size], "little")

    def store(self, offset, size, value):
        self.regs[offset : offset + size] = value.to_bytes(size, "little")


def make_bus():
    events = EventBus()
    bus = Bus(Ram(1 << 20), events)
    return bus, events


def test_ram_is_little_endian_and_unsigned():
    """A 64-bit store reads back byte by byte in little-endian order, and loads are unsigned."""
    bus, _ = make_bus()
    bus.store(RAM_BASE + 8, 8, 0x8877665544332211)
    assert bus.read_bytes(RAM_BASE + 8, 8) == bytes.fromhex("1122334455667788")
    assert bus.load(RAM_BASE + 15, 1) == 0x88
    assert bus.load(RAM_BASE + 12, 4) == 0x88776655
    bus.store(RAM_BASE, 4, -1)
    assert bus.load(RAM_BASE, 4) == 0xFFFF_FFFF
    assert bus.load(RAM_BASE + 4, 4) == 0  # the store wrote only 4 bytes


def test_unmapped_addresses_raise_bus_error():
    """Loads and stores where nothing is mapped, or that run off the end of RAM, raise BusError with the address."""
    bus, _ = make_bus()
    with pytest.raises(BusError) as info:
        bus.load(0x4000_0000, 4)
    assert info.value.pa == 0x4000_0000 and not info.value.is_write
    assert "0x40000000" in str(info.value) and "4-byte load" in str(info.value)
    end = RAM_BASE + bus.ram.size
    with pytest.raises(BusError) as info:
        bus.store(end - 4, 8, 0)
    assert info.value.is_write and info.value.pa == end - 4
    with pytest.raises(BusError):
        bus.read_bytes(end - 1, 2)
    with pytest.raises(BusError):
        bus.write_bytes(RAM_BASE - 1, b"xy")


def test_device_dispatch_and_mmio_events():
    """Accesses in a device's window reach it at the right offset and emit one mmio event each."""
    bus, events = make_bus()
    dev = bus.attach(Scratch(0x1000_0000))
    seen = []
    events.subscribe("mmio", seen.append)
    bus.current_hart = 1
    bus.store(0x1000_0004, 2, 0xBEEF)
    assert dev.regs[4:6] == b"\xef\xbe"
    assert bus.load(0x1000_0004, 2) == 0xBEEF
    assert seen == [
        MmioEvent(1, 0x1000_0004, 2, 0xBEEF, True, "scratch"),
        MmioEvent(1, 0x1000_0004, 2, 0xBEEF, False, "scratch"),
    ]
    with pytest.raises(BusError):
        bus.load(0x1000_000C, 8)  # runs past the device's window
    assert bus.device_at(0x1000_000F) is dev and bus.device_at(0x1000_0010) is None


def test_overlapping_devices_are_refused():
    """Mapping a device over another one (or over RAM) is an error that names both."""
    bus, _ = make_bus()
    bus.attach(Scratch(0x1000_0000))
    with pytest.raises(ValueError, match="scratch.*overlaps scratch"):
        bus.attach(Scratch(0x1000_0008))
    with pytest.raises(ValueError, match="overlaps RAM"):
        bus.attach(Scratch(RAM_BASE + 0x100))


def test_store_hook_sees_stores_into_its_page_only():
    """A store hook on a RAM page is called after stores into that page, not for other pages or host writes."""
    bus, _ = make_bus()
    page = RAM_BASE + 0x3000
    calls = []
    bus.store_hooks[page >> 12] = lambda pa, size, value: calls.append((pa, size, value, bus.load(pa, size)))
    bus.store(page + 8, 8, 7)
    bus.store(page + 0x1000, 8, 9)  # next page
    bus.write_bytes(page, b"\x01")  # the host writing
    assert calls == [(page + 8, 8, 7, 7)]


def test_ram_size_must_be_whole_pages():
    """RAM of a size that is not a multiple of 4096 is refused with the size in the message."""
    with pytest.raises(ValueError, match="4096.*1000"):
        Ram(1000)


def test_events_deliver_to_subscribers_until_unsubscribed():
    """emit() builds the kind's frozen payload and calls subscribers; after unsubscribe they hear nothing."""
    events = EventBus()
    seen = []
    assert events.trap_subscribers == []
    events.subscribe("trap", seen.append)
    events.emit("trap", hart=0, cause=8, tval=0, epc=0x8000_0010, from_priv=0, to_priv=1, interrupt=False)
    assert seen == [TrapEvent(0, 8, 0, 0x8000_0010, 0, 1, False)]
    with pytest.raises(AttributeError):
        seen[0].cause = 9  # payloads are frozen
    events.unsubscribe("trap", seen.append)
    events.emit("trap", hart=0, cause=2, tval=0, epc=0, from_priv=0, to_priv=1, interrupt=False)
    assert len(seen) == 1 and events.trap_subscribers == []


def test_events_reject_unknown_kinds():
    """Subscribing to a kind that does not exist names the kinds that do."""
    with pytest.raises(ValueError, match="unknown event kind 'trapp'.*trap"):
        EventBus().subscribe("trapp", print)


class FakeHart:
    """Just the registers a host call touches."""

    hartid = 0

    def __init__(self):
        self.x = [0] * 32
        self.pc = 0


def test_hostcalls_get_addresses_and_return_to_ra():
    """register() hands out 16-byte-spaced addresses; invoke() calls fn and continues at ra unless JUMPED."""
    events = EventBus()
    calls = HostCalls(events)
    seen = []
    events.subscribe("hostcall", seen.append)

    def add(hart):
        hart.x[10] = hart.x[10] + hart.x[11]

    def jump(hart):
        hart.pc = 0x8000_1000
        return JUMPED

    a = calls.register("add", add)
    b = calls.register("jump", jump)
    assert (a, b) == (HOSTCALL_BASE, HOSTCALL_BASE + 16)
    assert calls.names() == ["add", "jump"] and calls.address("jump") == b
    assert [c.name for c in calls] == ["add", "jump"]
    hart = FakeHart()
    hart.x[1], hart.x[10], hart.x[11] = 0x8000_0040, 2, 3
    calls.invoke(hart, a)
    assert hart.x[10] == 5 and hart.pc == 0x8000_0040
    calls.invoke(hart, b)
    assert hart.pc == 0x8000_1000
    assert [e.name for e in seen] == ["add", "jump"] and seen[0].addr == a
    assert calls.register("add", jump) == a  # re-registering keeps the address
    assert HOSTCALL_BASE <= a < HOSTCALL_RESERVED < HOSTCALL_END


def test_hostcall_names_are_checked():
    """Asking for an unknown name lists the registered ones; a non-callable is refused."""
    calls = HostCalls()
    calls.register("trap", lambda hart: None)
    with pytest.raises(KeyError, match="no host call named 'syscall'.*trap"):
        calls.address("syscall")
    with pytest.raises(TypeError, match="expected a callable"):
        calls.register("bad", 42)


def test_an_unregistered_hostcall_address_is_an_access_fault():
    """Entering the host-call range where no function is registered is an instruction access fault at that pc."""
    from oskit.machine.trap import InstructionAccessFault

    calls = HostCalls()
    calls.register("one", lambda hart: None)
    with pytest.raises(InstructionAccessFault) as info:
        calls.invoke(FakeHart(), HOSTCALL_BASE + 32)
    assert (info.value.cause, info.value.tval) == (1, HOSTCALL_BASE + 32)
