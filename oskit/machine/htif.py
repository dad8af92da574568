"""HTIF: the "host-target interface" of bare-metal test programs (riscv-tests, Spike).

A program that defines the symbol ``tohost`` (a 64-bit word in RAM) talks to
the host by storing a command there:

    bits 63:56 device   bits 55:48 command   bits 47:0 payload

    device 0, command 0, payload odd:  exit; the exit code is payload >> 1,
                                       so a program ends with code c by storing (c << 1) | 1
    device 1, command 1:               print the byte payload & 0xFF on the console

The host answers by clearing ``tohost`` (and, for the console, by writing an
acknowledgement to ``fromhost`` when the program defines it). Other commands
(the proxied system calls of Spike's front end) are not supported: they stop
the run with a message that says so.

We see the store when it happens when the hart honours the bus's store hook on
the RAM page that holds ``tohost`` (see bus.py); in any case the machine polls
``tohost`` after every slice of instructions, as Spike's host does.
"""

from __future__ import annotations

from oskit.machine.bus import PAGE_SHIFT

DEVICE_SYSCALL = 0
DEVICE_CONSOLE = 1
CMD_PUTCHAR = 1


class Htif:
    """Watches the tohost word of the loaded program."""

    def __init__(self, machine):
        self.machine = machine
        self.tohost: int | None = None
        self.fromhost: int | None = None

    @property
    def armed(self) -> bool:
        return self.tohost is not None

    def arm(self, tohost: int, fromhost: int | None = None) -> None:
        """Watch the 8 bytes at physical address tohost (and answer through fromhost)."""
        bus = self.machine.bus
        for name, pa in (("tohost", tohost), ("fromhost", fromhost)):
            if pa is not None and not bus.ram.contains(pa, 8):
                raise ValueError(f"HTIF {name} at {pa:#x} is not in RAM")
        self.disarm()
        self.tohost, self.fromhost = tohost, fromhost
        bus.store_hooks[tohost >> PAGE_SHIFT] = self._on_store
        bus.write_bytes(tohost, bytes(8))
        if fromhost is not None:
            bus.write_bytes(fromhost, bytes(8))

    def disarm(self) -> None:
        if self.tohost is not None:
            self.machine.bus.store_hooks.pop(self.tohost >> PAGE_SHIFT, None)
        self.tohost = self.fromhost = None

    def _on_store(self, pa: int, size: int, value: int) -> None:
        """Called after a store into tohost's page; acts only when tohost itself changed."""
        tohost = self.tohost
        if pa < tohost + 8 and tohost < pa + size:
            self.poll()

    def poll(self) -> None:
        """Carry out the command waiting in tohost, if any (the machine also polls after each slice)."""
        bus = self.machine.bus
        tohost = self.tohost
        command = int.from_bytes(bus.read_bytes(tohost, 8), "little")
        if command == 0:
            return
        device, cmd, payload = command >> 56, (command >> 48) & 0xFF, command & ((1 << 48) - 1)
        if device == DEVICE_SYSCALL and cmd == 0 and payload & 1:
            bus.write_bytes(tohost, bytes(8))
            self.machine.exit(payload >> 1)
        elif device == DEVICE_CONSOLE and cmd == CMD_PUTCHAR:
            bus.write_bytes(tohost, bytes(8))
            self.machine.uart.output.write(bytes((payload & 0xFF,)))
            if self.fromhost is not None:
                bus.write_bytes(self.fromhost, ((DEVICE_CONSOLE << 56) | (CMD_PUTCHAR << 48)).to_bytes(8, "little"))
        else:
            bus.write_bytes(tohost, bytes(8))
            self.machine.stop(f"unsupported HTIF command {command:#x} in tohost (only exit and putchar are)")
