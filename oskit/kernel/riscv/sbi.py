"""The kernel's side of SBI: calls to the M-mode firmware, made with ``ecall`` from S-mode.

FreeBSD's sys/riscv/riscv/sbi.c and Linux's arch/riscv/kernel/sbi.c are this
file: a RISC-V kernel asks the firmware below it (OpenSBI on a board; here
oskit/firmware/sbi.py) for what only M-mode may do. The register convention is
the system call's, one level down:

    a7 extension, a6 function, a0-a5 arguments;  ecall;  a0 = error, a1 = value

The Python kernel makes the call by running the two instructions ``ecall; ret``
(``sbi_ecall`` in trampoline.S) on the hart with hart.call: the ecall really
traps from S to M, the firmware's vector runs, and its mret comes back.

Where the kernel uses it:

- the timer, when booted with ``timer="sbi"``: each time slice's end and each
  sleeper's deadline is an SBI set_timer (one trap to M-mode each). The
  default is ``timer="sstc"``: with the Sstc extension the kernel writes its
  own stimecmp, no trap at all; that is why Sstc exists, and what Linux does
  when the hart has it.
- probes at boot (spec version, which extensions exist), and the calls the
  chapter makes: IPIs, remote fences, the console, shutting down.
"""

from __future__ import annotations

from oskit.firmware.sbi import (
    EXT_BASE,
    EXT_DBCN,
    EXT_IPI,
    EXT_LEGACY_PUTCHAR,
    EXT_RFENCE,
    EXT_SRST,
    EXT_TIME,
    M64,
)
from oskit.kernel.riscv import cpu
from oskit.machine.cpu import GuestCallError


class SBI:
    """SBI calls from the kernel; ``entry`` is the address of sbi_ecall (set at boot)."""

    def __init__(self, kernel) -> None:
        self.kernel = kernel
        self.entry = 0                       # kernel virtual address of sbi_ecall (trampoline.S)
        self.last_timer: dict[int, int] = {}   # hartid -> the last set_timer value asked for
        self.calls = 0                       # how many SBI calls the kernel made

    def call(self, hart, eid: int, fid: int, *args: int) -> tuple[int, int]:
        """ecall to the firmware with a7 = eid, a6 = fid, a0.. = args; returns (error, value).

        The registers the call uses are saved and put back: the Python kernel may
        call this in the middle of a trap, whose registers the trampoline needs.
        """
        if len(args) > 6:
            raise ValueError(f"an SBI call passes at most 6 arguments in a0..a5, found {len(args)}")
        x = hart.x
        machine = hart.machine
        saved, waiting, stopping = x[10:18], hart.waiting, machine.stopping
        regs = [a & M64 for a in args] + [0] * (6 - len(args))
        hart.waiting = False                 # called from outside a trap, the hart may sit in wfi
        machine.stopping = False             # a run that ends after this trap still lets the call finish
        try:
            with cpu.guest_call(hart, self.kernel.kerneltrap_addr):     # S-mode, interrupts off
                hart.call(self.entry, *regs, fid, eid)
            error, value = x[10], x[11]
        finally:
            x[10:18] = saved
            hart.waiting = waiting
            machine.stopping = machine.stopping or stopping
        self.calls += 1
        return (error - (1 << 64) if error >> 63 else error), value

    # -- the calls, by name ---------------------------------------------------------------------
    def get_spec_version(self, hart) -> tuple[int, int]:
        """(major, minor) of the SBI specification the firmware implements."""
        _, v = self.call(hart, EXT_BASE, 0)
        return v >> 24 & 0x7F, v & 0xFFFFFF

    def probe_extension(self, hart, eid: int) -> bool:
        return self.call(hart, EXT_BASE, 3, eid)[1] != 0

    def set_timer(self, hart, stime: int) -> None:
        """A supervisor timer interrupt at ``stime`` (and none before)."""
        self.last_timer[hart.hartid] = stime
        self.call(hart, EXT_TIME, 0, stime)

    def send_ipi(self, hart, hart_mask: int, hart_mask_base: int = 0) -> int:
        return self.call(hart, EXT_IPI, 0, hart_mask, hart_mask_base)[0]

    def remote_sfence_vma(self, hart, hart_mask: int, start: int = 0, size: int = M64, hart_mask_base: int = 0) -> int:
        return self.call(hart, EXT_RFENCE, 1, hart_mask, hart_mask_base, start, size)[0]

    def console_putchar(self, hart, ch: int) -> int:
        return self.call(hart, EXT_LEGACY_PUTCHAR, 0, ch)[0]

    def console_write(self, hart, text: str) -> int:
        """DBCN write_byte for each byte of ``text`` (no kernel buffer crosses to M-mode)."""
        err = 0
        for b in text.encode():
            err = err or self.call(hart, EXT_DBCN, 2, b)[0]
        return err

    def system_reset(self, hart, reset_type: int = 0, reason: int = 0) -> int:
        """SRST: 0 shutdown, 1 cold reboot, 2 warm reboot. The machine stops: a successful call
        never returns to the kernel (hart.call sees the machine stop inside the firmware)."""
        try:
            return self.call(hart, EXT_SRST, 0, reset_type, reason)[0]
        except GuestCallError:
            if self.kernel.firmware.reset_reason is None:
                raise
            return 0
