"""Weaknesses a reader switches on: classic kernel bugs, recreated on purpose, each behind one flag.

Every flag is off by default: an ``oskit.boot()`` kernel has none of these
bugs. A chapter switches one on, runs an exploit written in C
(``oskit/userland/exploits/``) and watches it work; then switches it off and
watches the same exploit fail cleanly (an errno, a signal, or a kernel report
that names the bug), while the kernel and every other process go on::

    k = oskit.boot(weaknesses={"unchecked_user_pointer"})   # or:
    k.lab.enable("unchecked_user_pointer")                  # k.lab: oskit.lab.attach(k) made it
    print(k.lab)                                            # every flag, one line each
    "smap_off" in k.lab                                     # is it on?

The kernel does not know about the lab (it never imports it). Each weakness
is put in place through something the kernel offers anyway, as a kernel
module or a sysctl would: a setting of the kernel (``k.map_at_zero``,
``k.kmem_enforce``, ``k.anon_zero_fill``, ``k.pmem.zero_frames``), a register
of the hart set through riscv/cpu.py, a switch of the machine, or a
replacement system call in ``k.sysent``. The places:

    flag                    where it is tested                  what the correct kernel does there
    ──────────────────────  ──────────────────────────────────  ───────────────────────────────────
    unchecked_user_pointer  k.sysent["read"] = weak_sys_read    copyout: only user pages, else EFAULT
    smap_off                cpu.set_sum on every hart           SUM is set only inside copyin/copyout
    smep_off                machine MMU (mmu.allowed)           S-mode never executes a U page
    map_at_zero             k.map_at_zero (sys_mman.mmap)       page 0 is never mapped
    no_zero_on_reuse        k.pmem.zero_frames, k.anon_zero_fill   frames are zeroed before reuse
    padding_leak            labdev.LabDevice.ioctl LABIOC_INFO  the reply struct is zeroed first
    unbounded_allocation    k.kmem_enforce (resource.kmem_charge)   kernel heap per process is limited
    confused_deputy         /bin/billing (which build ships)    the deputy checks with the caller's uid
    covert_channel          cpu.set_user_counters (scounteren)  user mode may read time, not cycle/instret

``smep_off`` is a switch of the *machine*, not the kernel: it makes the MMU
behave like older hardware without SMEP/PXN, which RISC-V never was (the
privileged spec forbids S-mode fetches from U pages outright).

Kernel bugs in guest kernel code (the lab driver, labdev.py) end in an
*oops*: the kernel reports the bug in ``k.lab.oopses`` and ``kernel.log`` and
kills the process that was in the kernel, instead of stopping the machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from oskit.kernel import errno
from oskit.kernel.fs.sys_file import read_into
from oskit.kernel.kern.syscall import Handler, SyscallError
from oskit.kernel.riscv import cpu
from oskit.kernel.riscv.copyinout import _chunks
from oskit.lab import labdev
from oskit.machine.trap import Trap
from oskit.toolchain import build


@dataclass(frozen=True)
class Weakness:
    """One classic bug: its flag name, one line, where it lives, the exploit, and the fix."""

    name: str
    title: str          # one line, for listings
    where: str          # the function whose code tests the flag
    bug: str            # what the weakened kernel (or machine) does
    fix: str            # what the correct one does, and what the exploit gets then
    exploit: str        # the exploit program in oskit/userland/exploits/
    kind: str = "kernel"   # "kernel", "machine" (a hardware switch) or "userland" (which program ships)


WEAKNESSES: dict[str, Weakness] = {w.name: w for w in [
    Weakness(
        "unchecked_user_pointer", "read() writes to any address, kernel memory included",
        "oskit.lab.weaknesses.weak_sys_read (in k.sysent)",
        "read() stores the data with the kernel's own privilege (unchecked_copyout) instead of copyout: "
        "a kernel address passed as the buffer is written like any other",
        "copyout translates the buffer as the user would see it: a kernel page has no U bit, so EFAULT, "
        "and nothing is written",
        "ucred_zero.c"),
    Weakness(
        "smap_off", "the kernel keeps sstatus.SUM set, so a stray user pointer works (no SMAP)",
        "Lab._apply (riscv/cpu.set_sum)",
        "SUM stays set on every hart at all times: kernel code that dereferences a user pointer by mistake "
        "(the lab driver's LABIOC_PEEK) silently reads user memory",
        "SUM is set only for the length of a copyin/copyout: the stray load takes a page fault in S-mode, "
        "the kernel reports the bug (an oops) and kills the process",
        "smap_peek.c"),
    Weakness(
        "smep_off", "the machine lets S-mode execute user pages (old hardware, not RISC-V)",
        "oskit.machine.mmu.allowed",
        "the MMU lets supervisor mode fetch instructions from U pages: a NULL kernel function pointer "
        "runs the code a process mapped at address 0, in supervisor mode",
        "RISC-V never lets S-mode execute a U page: the call through NULL takes an instruction page fault, "
        "an oops, and the process is killed",
        "null_call.c", kind="machine"),
    Weakness(
        "map_at_zero", "mmap may map page 0 (FreeBSD's security.bsd.map_at_zero=1)",
        "vm/sys_mman.sys_mmap (k.map_at_zero)",
        "mmap(0, ..., MAP_FIXED) succeeds, so a NULL pointer in the kernel points at the process's memory",
        "page 0 is never mapped: mmap at 0 fails with EINVAL",
        "null_call.c"),
    Weakness(
        "no_zero_on_reuse", "freed page frames are handed out again without being zeroed",
        "vm/pmem.PhysMem.alloc_frame (zero_frames) and vm/object.AnonObject.fill (k.anon_zero_fill)",
        "a frame keeps what its last owner wrote: a process that maps fresh memory reads another's secret",
        "every frame is zeroed before it is handed out: fresh memory reads as zeros",
        "reuse.c (`reuse store` as one user, then `reuse find` as another)"),
    Weakness(
        "padding_leak", "a reply struct's padding is copied out uninitialised",
        "labdev.LabDevice.ioctl",
        "LABIOC_INFO fills struct lab_info field by field in the driver's buffer, which still holds the "
        "last message written to /dev/lab: the padding bytes carry it to the caller",
        "the struct is zeroed first, padding included: the padding reads as zeros",
        "padding_leak.c (`padding_leak store TEXT` as one user, then `padding_leak` as another)"),
    Weakness(
        "unbounded_allocation", "kernel memory per process has no limit",
        "kern/resource.kmem_charge (k.kmem_enforce)",
        "every pipe's buffer is kernel heap, and nothing limits how much one process holds: "
        "one process can take the whole kernel heap",
        "past its share (resource.KMEM_PER_PROC) the process gets ENOMEM; everyone else goes on",
        "pipe_hog.c"),
    Weakness(
        "confused_deputy", "/bin/billing (set-user-id root) writes to any file its caller names",
        "Lab._apply (installs the deputy)",
        "the deputy opens the caller's file with its own (root) authority, so a caller can make it "
        "overwrite a file the caller may not write",
        "the deputy first asks access(path, W_OK), which answers for the real uid (the caller): EACCES",
        "billing.c (the deputy; the attack is `billing /var/billing` as any user)", kind="userland"),
    Weakness(
        "covert_channel", "user code reads the cycle counter: CPU contention becomes a covert channel",
        "Lab._apply (riscv/cpu.set_user_counters)",
        "user mode may read cycle and instret (scounteren.CY/IR): a receiver that spins reading the cycle "
        "counter sees every jump another process causes, so a sender that spins (1) or sleeps (0) in "
        "each time window signals bits to it without sharing anything (measure: covert_channel())",
        "user mode reads only the time CSR: the receiver's rdcycle is an illegal instruction (SIGILL). "
        "That closes this receiver, not the channel: a program that counts its own loop iterations "
        "against rdtime still hears the sender, more slowly. CPU contention cannot be switched off",
        "covert_send.c / covert_recv.c"),
]}


def active(kernel, name: str) -> bool:
    """Is weakness ``name`` switched on in ``kernel``? (False for a kernel with no lab attached.)"""
    return kernel.lab is not None and name in kernel.lab.enabled


def attach(kernel, names=()) -> "Lab":
    """The kernel's Lab (``kernel.lab``), made with every weakness off on first use; ``names`` switched on."""
    if kernel.lab is None:
        kernel.lab = Lab(kernel)
    for name in names:
        kernel.lab.enable(name)
    return kernel.lab


class Lab:
    """The security lab attached to one kernel (``kernel.lab``): the weaknesses on, /dev/lab, the oopses."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.enabled: set[str] = set()
        self.device = None               # /dev/lab's driver (labdev.LabDevice), once installed
        self.oopses: list = []           # labdev.Oops: bugs hit in the driver's guest code
        self.call = None                 # the driver call in progress (labdev.call_driver)
        self.oops_addr = 0               # the host function that catches the driver's traps

    def install(self) -> None:
        """Put the lab in place: /dev/lab (its driver) and /bin/billing (the deputy).

        enable() and run_exploit() do it; nothing is allocated before, so a kernel
        that never uses a weakness has the same memory layout as one without them.
        """
        labdev.attach(self.kernel)

    @staticmethod
    def check(name: str) -> Weakness:
        """The Weakness called ``name``; ValueError naming the known ones otherwise."""
        try:
            return WEAKNESSES[name]
        except KeyError:
            raise ValueError(f"unknown weakness {name!r}: expected one of "
                             + ", ".join(WEAKNESSES)) from None

    def enable(self, name: str) -> None:
        """Switch weakness ``name`` on (the bug is there from now on)."""
        self.check(name)
        self.install()
        self.enabled.add(name)
        self._apply(name, True)

    def disable(self, name: str) -> None:
        """Switch weakness ``name`` off (the correct behaviour again)."""
        self.check(name)
        self.enabled.discard(name)
        self._apply(name, False)

    def _apply(self, name: str, on: bool) -> None:
        """Flags that are a setting of some object rather than a test in kernel code."""
        k = self.kernel
        if name == "unchecked_user_pointer":
            # A loaded module's replacement of read(2), as a rootkit would install it.
            if on:
                k.sysent["read"] = Handler("read", weak_sys_read, 3)
            else:
                k.sysent.pop("read", None)
        elif name == "smap_off":
            # The weak kernel sets SUM once and never clears it; the copy routines' window
            # restores what it found, so SUM stays set. The correct kernel keeps it clear.
            for hart in k.machine.harts:
                cpu.set_sum(hart, on)
        elif name == "smep_off":
            for hart in k.machine.harts:
                hart.mmu.legacy_smode_exec_user = on
                hart.mmu.flush()                       # no translation made under the old rule survives
        elif name == "no_zero_on_reuse":
            k.pmem.zero_frames = not on
            k.anon_zero_fill = not on
        elif name == "map_at_zero":
            k.map_at_zero = on
        elif name == "unbounded_allocation":
            k.kmem_enforce = not on
        elif name == "covert_channel":
            # scounteren: which counters U-mode may read. The time CSR stays (libc's clock_gettime
            # needs it); cycle and instret count every process's work on this hart, so only the
            # weakened kernel shows them (Linux 6.6 hid them from RISC-V user space for this reason).
            for hart in k.machine.harts:
                cpu.set_user_counters(hart, cycle=on, instret=on)
        elif name == "confused_deputy":
            labdev.install_deputy(k, careful=not on)

    def __contains__(self, name: str) -> bool:
        return name in self.enabled

    def __iter__(self):
        return iter(sorted(self.enabled))

    def __str__(self) -> str:
        width = max(map(len, WEAKNESSES))
        return "\n".join(f"[{'x' if n in self.enabled else ' '}] {n:<{width}}  {w.title}"
                         for n, w in WEAKNESSES.items())

    def __repr__(self) -> str:
        return f"<Lab: weaknesses on: {', '.join(sorted(self.enabled)) or 'none'}>"


def listing() -> str:
    """Every weakness, one line each (no kernel needed)."""
    width = max(map(len, WEAKNESSES))
    return "\n".join(f"{n:<{width}}  {w.title}" for n, w in WEAKNESSES.items())


# -- the bug of unchecked_user_pointer ------------------------------------------------------------

def unchecked_copyout(td, uaddr: int, data: bytes) -> None:
    """copyout WITHOUT its check: the buffer is translated with the kernel's privilege.

    This is the bug of ``unchecked_user_pointer``: the translation runs as
    S-mode with SUM set, so a user page and a kernel page (the direct map, a
    credential) are both writable. A page that is not mapped at all still
    gives EFAULT, as a real kernel's copy routine recovers from its own fault.
    """
    kernel = td.proc.kernel
    hart = td.hart if td.hart is not None else kernel.machine.harts[0]
    td.proc.vmspace.pmap.activate(hart.hartid)      # this hart may now cache the process's ASID
    pieces = []
    with cpu.user_address_space(hart, td.proc.vmspace.pmap.satp, sum_on=True):
        for va, length in _chunks(uaddr, len(data)):
            for _attempt in range(3):
                try:
                    pieces.append((hart.translate(va, "w", priv=1), length))   # priv=1: the kernel's
                    break
                except Trap:
                    if not kernel.vm_fault(td, va, "w", from_kernel=True):
                        raise SyscallError(errno.EFAULT, f"unchecked write to {va:#x}: not mapped") from None
            else:
                raise SyscallError(errno.EFAULT, f"unchecked write to {va:#x}: still faults")
    pos = 0
    for pa, length in pieces:
        kernel.machine.bus.write_bytes(pa, bytes(data[pos:pos + length]))
        pos += length
    kernel.code_written(pieces)


def weak_sys_read(td, fd, buf, nbyte):
    """read(2) as the weakened kernel has it: the kernel's read with unchecked_copyout for copyout.

    Installed as ``k.sysent["read"]`` while unchecked_user_pointer is on (as a
    kernel module replaces a system call). It looks ``unchecked_copyout`` up at
    every call, so an exercise may put its own copy routine in its place.
    """
    # WEAKNESS: the bug, on purpose: sys_read passes copyout here.
    return read_into(td, fd, buf, nbyte, lambda td, uaddr, data: unchecked_copyout(td, uaddr, data))


# -- running an exploit ---------------------------------------------------------------------------

def exploit_source(name: str):
    """The path of exploit ``name`` (e.g. "ucred_zero") in oskit/userland/exploits/."""
    path = Path(__file__).resolve().parent.parent / "userland" / "exploits" / f"{name}.c"
    if not path.exists():
        known = sorted(p.stem for p in path.parent.glob("*.c"))
        raise ValueError(f"no exploit called {name!r}: expected one of {', '.join(known)}")
    return path


def run_exploit(kernel, name: str, args=(), *, uid: int = 1001, gid: int = 1001,
                max_instructions: int = 30_000_000):
    """Build exploit ``name``, install it as /bin/NAME, run it as ``uid`` until it exits; its Proc.

    The caller reads ``p.stdout`` and ``p.exit_status`` (-9: killed by the kernel after an oops).
    """
    attach(kernel).install()
    bin_path = f"/bin/{name}"
    try:
        kernel.vfs.lookup(bin_path)
    except Exception:                       # not installed yet (SyscallError ENOENT)
        kernel.install_program(bin_path, build([exploit_source(name)], mode="user", name=name).read_bytes())
    p = kernel.spawn(bin_path, [name, *args], uid=uid, gid=gid, cwd="/tmp")
    r = kernel.run(until=p.exited, max_instructions=max_instructions)
    if r.reason != "until":
        raise RuntimeError(f"exploit {name}: the run ended ({r.reason}: {r.detail}) before it exited")
    return p


# -- measuring the covert channel -----------------------------------------------------------------

@dataclass(frozen=True)
class CovertResult:
    """One run of the covert channel: what was sent, what was heard, and how well."""

    sent: str
    received: str
    stolen: tuple            # per window: cycles the receiver lost to other processes
    window_ticks: int
    bit_rate: float          # bits per second of emulated time
    error_rate: float        # fraction of bits received wrong

    def __str__(self) -> str:
        return (f"sent     {self.sent}\nreceived {self.received}\n"
                f"{self.bit_rate:.0f} bit/s, {self.error_rate:.1%} errors (window {self.window_ticks} ticks)")


def covert_channel(kernel, bits: str, window_ticks: int = 20_000) -> CovertResult:
    """Send ``bits`` from covert_send to covert_recv (two processes, two users) and measure the channel.

    Needs the weakness covert_channel (the receiver reads the cycle counter);
    raises RuntimeError naming the receiver's fate otherwise. A window of
    ``window_ticks`` ticks (10 MHz) carries one bit; a window is a 1 when the
    receiver lost more than an eighth of it to other processes (a sleeping sender
    leaves it about 1%, a spinning one about half, less in the first window, where the
    receiver still holds the hart when the sender wakes).

    The channel needs a shared hart: on ``oskit.boot(harts=2)`` with nothing
    else running, sender and receiver each get a hart of their own and the
    receiver hears only zeros (measured: 50% errors for "10110010"). On one
    hart (measured, "10110010" after another run): no errors at 20000- and
    10000-tick windows (500 and 1000 bit/s), 50% at 5000 and 75% at 2500: a
    window must span at least two scheduler quanta (DEFAULT_QUANTUM = 5000 ticks),
    or whether the receiver runs in it at all depends on where the quanta fall.
    """
    if not bits or set(bits) - {"0", "1"}:
        raise ValueError(f"covert_channel: bits must be a non-empty string of 0 and 1, found {bits!r}")
    for name in ("covert_send", "covert_recv"):
        try:
            kernel.vfs.lookup(f"/bin/{name}")
        except Exception:
            kernel.install_program(f"/bin/{name}", build([exploit_source(name)], mode="user", name=name).read_bytes())
    attach(kernel).install()
    start = kernel.machine.clint.mtime + 2 * window_ticks       # time for both to start
    recv = kernel.spawn("/bin/covert_recv", ["covert_recv", str(start), str(window_ticks), str(len(bits))],
                        uid=1002, gid=1002, cwd="/tmp")
    send = kernel.spawn("/bin/covert_send", ["covert_send", str(start), str(window_ticks), bits],
                        uid=1001, gid=1001, cwd="/tmp")
    r = kernel.run(until=lambda: recv.exited() and send.exited(),
                   max_instructions=40 * window_ticks * (len(bits) + 4))
    if r.reason != "until" or recv.exit_status != 0:
        raise RuntimeError(f"covert_channel: the receiver did not finish (run: {r.reason}; "
                           f"receiver exit status {recv.exit_status}: {recv.exit_reason})")
    stolen = tuple(int(line.split()[1]) for line in recv.stdout.splitlines())
    per_window = window_ticks * 10                # instructions a hart runs in one window
    received = "".join("1" if s > per_window // 8 else "0" for s in stolen)
    errors = sum(a != b for a, b in zip(bits, received))
    hz = kernel.timebase_hz
    return CovertResult(bits, received, stolen, window_ticks, bit_rate=hz / window_ticks,
                        error_rate=errors / len(bits))
