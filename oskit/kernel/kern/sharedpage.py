"""The shared page: one read-only frame in every process, with code and data the kernel provides.

FreeBSD maps a "shared page" at the top of every process's address space
(sys/kern/kern_sharedpage.c): the signal trampoline (sigcode) and the data
libc needs to tell the time without a system call (struct vdso_timekeep,
updated by the timecounter code at every tc_windup). Linux calls the same
idea the vDSO. oskit does the same, in one frame at SHAREDPAGE:

    SHAREDPAGE + 0x000   sigcode        (trampoline.S: calls the handler, then sigreturn)
    SHAREDPAGE + 0x800   vdso_timekeep  (structs.TIMEKEEP; auxv AT_TIMEKEEP points here)

The page is mapped R-X for the user, never writable (exec.py; invariants.py
checks it), so a process can read the kernel's clock data but cannot forge it.

Updating it: the kernel writes tk_gen = 0, then the fields, then a new
non-zero tk_gen (FreeBSD's th_gen protocol). A reader (libc's clock_gettime)
reads tk_gen, the fields and the time CSR, then tk_gen again, and starts over
if it saw 0 or the two differ. In oskit the Python kernel runs inside one trap
while every other hart waits, so no guest ever sees the page half-written by
this module; on real hardware another hart can, and that is what the count is
for (tests/kernel/test_sharedpage.py plays a slow writer to show the retry).

``fast_gettime`` is FreeBSD's sysctl kern.timecounter.fast_gettime: turned off,
the page says tk_enabled = 0 and libc makes the system call instead, so the
same program can be measured both ways.
"""

from __future__ import annotations

from oskit.kernel.structs import TIMEKEEP, VDSO_TIMEKEEP_MAGIC, VDSO_TIMEKEEP_OFFSET

NSEC = 1_000_000_000


class SharedPage:
    """The shared page's frame and the timekeeping it publishes."""

    def __init__(self, kernel, boottime_ns: int) -> None:
        self.kernel = kernel
        self.pa = 0                          # the frame (set by install())
        self.gen = 0                         # the last generation published (never 0 once published)
        self.fast_gettime = True             # kern.timecounter.fast_gettime: may libc skip the syscall?
        self.boottime_ns = boottime_ns       # CLOCK_REALTIME (ns) when the time CSR read 0
        self.updates = 0                     # how many times the page was rewritten

    def install(self, pa: int, sigcode: bytes) -> None:
        """Boot: sigcode at the start of the frame at ``pa``, then the first timekeep."""
        self.pa = pa
        self.kernel.machine.bus.write_bytes(pa, sigcode)
        self.publish()

    @property
    def timekeep_pa(self) -> int:
        return self.pa + VDSO_TIMEKEEP_OFFSET

    def publish(self) -> None:
        """Rewrite vdso_timekeep: generation 0, the fields, then the next non-zero generation."""
        bus = self.kernel.machine.bus
        gen_at = self.timekeep_pa + TIMEKEEP.offset("tk_gen")
        bus.write_bytes(gen_at, (0).to_bytes(4, "little"))
        sec, nsec = divmod(self.boottime_ns, NSEC)
        self.gen = self.gen % 0xFFFF_FFFF + 1                    # 1, 2, ..., 2**32 - 1, 1, ...: never 0
        bus.write_bytes(self.timekeep_pa, TIMEKEEP.pack(
            tk_magic=VDSO_TIMEKEEP_MAGIC, tk_gen=0, tk_enabled=int(self.fast_gettime),
            tk_timebase_hz=self.kernel.timebase_hz, tk_boot_sec=sec, tk_boot_nsec=nsec))
        bus.write_bytes(gen_at, self.gen.to_bytes(4, "little"))  # last: readers may now trust the rest
        self.updates += 1

    def set_fast_gettime(self, on: bool) -> None:
        """Let libc read the clock from this page (on) or make it use the system call (off)."""
        self.fast_gettime = bool(on)
        self.publish()

    def set_realtime(self, realtime_ns: int, uptime_ns: int) -> None:
        """settimeofday/clock_settime: CLOCK_REALTIME is now ``realtime_ns``; the page's readers see it."""
        self.boottime_ns = realtime_ns - uptime_ns
        self.publish()

    def read(self) -> dict:
        """The timekeep fields as a process reads them (for tests and the chapter)."""
        return TIMEKEEP.unpack(self.kernel.machine.bus.read_bytes(self.timekeep_pa, TIMEKEEP.size))
