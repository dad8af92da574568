"""The physical address space: RAM and memory-mapped devices.

Memory map (as QEMU's ``virt`` board):

    0x0200_0000  CLINT   timer and software interrupts  (clint.py)
    0x0C00_0000  PLIC    external interrupts            (plic.py)
    0x1000_0000  UART    16550A serial port             (uart.py)
    0x8000_0000  RAM     ram_mib MiB (128 by default)

Every physical access goes through ``Bus.load`` / ``Bus.store`` (sizes 1, 2,
4 and 8 bytes, little-endian, values unsigned). An address that nothing
answers raises ``BusError``; the hart turns it into an access fault (cause 1,
5 or 7). The bus checks nothing about alignment: the hart does.

RAM is one anonymous ``mmap`` (``bus.ram.data``, used like a bytearray) that a hart may read and write
directly for speed, with one rule: a store into a page listed in
``bus.store_hooks`` must go through ``Bus.store`` (or call the hook itself),
because something watches that page: the HTIF ``tohost`` word is the only
user today. With no hook the dict is empty and costs nothing to test.
"""

from __future__ import annotations

import mmap
from typing import Callable, Protocol

from oskit.machine.events import MmioEvent

RAM_BASE = 0x8000_0000
PAGE_SHIFT = 12


class BusError(Exception):
    """No RAM and no device answers at physical address pa (an emulator-level fact, not a guest trap)."""

    def __init__(self, pa: int, size: int | None = None, is_write: bool = False):
        self.pa = pa
        self.size = size
        self.is_write = is_write
        what = "store" if is_write else "load"
        access = f" ({size}-byte {what})" if size else ""
        super().__init__(f"no memory or device at physical address {pa:#x}{access}")


class Device(Protocol):
    """What the bus needs from a memory-mapped device."""

    name: str
    base: int
    size: int

    def load(self, offset: int, size: int) -> int: ...

    def store(self, offset: int, size: int, value: int) -> None: ...


class Ram:
    """Main memory: ``size`` bytes at physical address ``base``, zero at power-on."""

    def __init__(self, size: int, base: int = RAM_BASE):
        if size <= 0 or size % (1 << PAGE_SHIFT):
            raise ValueError(f"RAM size must be a positive multiple of 4096 bytes, found {size}")
        self.base = base
        self.size = size
        self.end = base + size  # first address past RAM
        # An anonymous mapping, not a bytearray: it reads as zeros, and the host gives it memory
        # only for the pages the guest touches (a bytearray of 128 MiB costs 128 MiB at once).
        # It offers what the harts use of a bytearray: indexing, slices of equal length, memoryviews.
        self.data = mmap.mmap(-1, size)

    def contains(self, pa: int, n: int = 1) -> bool:
        """True when the n bytes at pa are all in RAM."""
        return self.base <= pa and pa + n <= self.end

    def __repr__(self) -> str:
        return f"Ram(base={self.base:#x}, size={self.size // (1 << 20)} MiB)"


class Bus:
    """Routes physical addresses to RAM or to the device mapped there."""

    def __init__(self, ram: Ram, events=None):
        self.ram = ram
        self.events = events
        self.devices: list[Device] = []
        # page number (pa >> 12) -> fn(pa, size, value), called after a store into that RAM page
        self.store_hooks: dict[int, Callable[[int, int, int], None]] = {}
        # The hart the machine is running now (for "mmio" events; the machine sets it).
        self.current_hart = 0

    # -- the map ----------------------------------------------------------------

    def attach(self, device: Device) -> Device:
        """Map device at [device.base, device.base + device.size); overlaps are an error."""
        lo, hi = device.base, device.base + device.size
        for other in self.devices + [self.ram]:
            olo = other.base
            ohi = other.base + other.size
            if lo < ohi and olo < hi:
                name = getattr(other, "name", "RAM")
                raise ValueError(
                    f"device {device.name} at [{lo:#x}, {hi:#x}) overlaps {name} at [{olo:#x}, {ohi:#x})"
                )
        self.devices.append(device)
        self.devices.sort(key=lambda d: d.base)
        return device

    def device_at(self, pa: int) -> Device | None:
        """The device mapped at pa, or None (RAM is not a device)."""
        for d in self.devices:
            if d.base <= pa < d.base + d.size:
                return d
        return None

    def describe(self) -> list[tuple[int, int, str]]:
        """The memory map as (base, size, name) rows, sorted by address."""
        rows = [(d.base, d.size, d.name) for d in self.devices]
        rows.append((self.ram.base, self.ram.size, "ram"))
        return sorted(rows)

    # -- word access ------------------------------------------------------------

    def load(self, pa: int, size: int) -> int:
        """Read size bytes at pa (little-endian, unsigned)."""
        ram = self.ram
        off = pa - ram.base
        if 0 <= off and off + size <= ram.size:
            return int.from_bytes(ram.data[off : off + size], "little")
        d = self.device_at(pa)
        if d is None or pa + size > d.base + d.size:
            raise BusError(pa, size, False)
        value = d.load(pa - d.base, size)
        if self.events is not None and self.events.mmio_subscribers:
            self.events.publish("mmio", MmioEvent(self.current_hart, pa, size, value, False, d.name))
        return value

    def store(self, pa: int, size: int, value: int) -> None:
        """Write the low size bytes of value at pa (little-endian)."""
        value &= (1 << (8 * size)) - 1
        ram = self.ram
        off = pa - ram.base
        if 0 <= off and off + size <= ram.size:
            ram.data[off : off + size] = value.to_bytes(size, "little")
            if self.store_hooks:
                hook = self.store_hooks.get(pa >> PAGE_SHIFT)
                if hook is not None:
                    hook(pa, size, value)
            return
        d = self.device_at(pa)
        if d is None or pa + size > d.base + d.size:
            raise BusError(pa, size, True)
        if self.events is not None and self.events.mmio_subscribers:
            self.events.publish("mmio", MmioEvent(self.current_hart, pa, size, value, True, d.name))
        d.store(pa - d.base, size, value)

    # -- bulk RAM access (the host's: loaders, the kernel, debuggers) ------------

    def _ram_offset(self, pa: int, n: int, is_write: bool) -> int:
        if not self.ram.contains(pa, n):
            raise BusError(pa, n, is_write)
        return pa - self.ram.base

    def read_bytes(self, pa: int, n: int) -> bytes:
        """n bytes of RAM at pa (RAM only: devices are not read in bulk)."""
        off = self._ram_offset(pa, n, False)
        return bytes(self.ram.data[off : off + n])

    def write_bytes(self, pa: int, data: bytes) -> None:
        """Copy data into RAM at pa (RAM only; store hooks do not fire: this is the host writing)."""
        off = self._ram_offset(pa, len(data), True)
        self.ram.data[off : off + len(data)] = data

    def __repr__(self) -> str:
        rows = ", ".join(f"{name}@{base:#x}" for base, _, name in self.describe())
        return f"Bus({rows})"
