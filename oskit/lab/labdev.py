"""/dev/lab: a small driver with classic bugs, the target of the attack chapters (7 and 8).

Part of it is kernel code in C (labdev.c), compiled with the toolchain and
loaded into the kernel half as guest code; the rest is Python, like the other
drivers. Its requests (ioctl numbers as in FreeBSD's <sys/ioccom.h>; the C
side is oskit/userland/exploits/lab.h):

    write(fd, msg, n)   the driver keeps the last message it was sent (up to
                        LAB_BUFSIZE bytes) in its buffer, sc_buf, in kernel memory
    LABIOC_KADDR        copies out struct lab_kaddr: the kernel addresses of the
                        caller's struct proc and struct ucred. An *infoleak*, like
                        FreeBSD's kinfo_proc.ki_paddr or Linux's old /proc/kallsyms:
                        harmless while the kernel checks every user pointer
    LABIOC_INFO         copies out struct lab_info, built in sc_buf field by field
                        (padding_leak: without zeroing it first)
    LABIOC_PEEK         C code that dereferences the caller's pointer directly (a
                        missing copyin): works only while SUM is set (smap_off)
    LABIOC_FLUSH        C code that calls sc->ops->flush, a NULL method: the CPU
                        jumps to 0 in S-mode (map_at_zero + smep_off make it run
                        the process's code there)

A trap inside the driver's C code is an *oops* (Linux's word): the kernel
records a report (``k.lab.oopses``, ``kernel.log``) and kills the process
that made the request with SIGKILL. The machine and every other process go on.
(Kernel.call_guest, used outside system calls, panics instead.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elftools.elf.elffile import ELFFile

from oskit.kernel.errno import Errno
from oskit.kernel.fs.devfs import Device
from oskit.kernel.kern.signal import SIGKILL
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.param import VM_MAXUSER_ADDRESS, dmap
from oskit.kernel.riscv import cpu
from oskit.kernel.riscv.copyinout import copyout
from oskit.kernel.riscv.trap import FAULT_ACCESS
from oskit.kernel.structs import Struct
from oskit.machine.cpu import CALL_RETURN, GuestCallError
from oskit.machine.hostcall import JUMPED
from oskit.machine.trap import cause_name
from oskit.toolchain import build

LAB_BUFSIZE = 256

# ioctl numbers: _IO('L', n) = IOC_VOID | 'L' << 8 | n;  _IOR('L', n, size) = IOC_OUT | size << 16 | ...
IOC_VOID, IOC_OUT = 0x20000000, 0x40000000
LABIOC_PEEK = IOC_VOID | ord("L") << 8 | 1
LABIOC_FLUSH = IOC_VOID | ord("L") << 8 | 2

LAB_KADDR = Struct("lab_kaddr", [
    ("lk_proc", "u64"),          # kernel (DMAP) address of the caller's struct proc
    ("lk_ucred", "u64"),         # kernel (DMAP) address of the caller's struct ucred
], comment="What LABIOC_KADDR leaks.")

LAB_INFO = Struct("lab_info", [
    ("li_version", "u8"),        # bytes 1..7: padding
    ("li_requests", "u64"),
    ("li_flags", "u16"),         # bytes 18..23: padding
    ("li_lastpid", "i64"),
], comment="LABIOC_INFO's reply: 13 of its 32 bytes are padding.")

LABIOC_KADDR = IOC_OUT | LAB_KADDR.size << 16 | ord("L") << 8 | 3
LABIOC_INFO = IOC_OUT | LAB_INFO.size << 16 | ord("L") << 8 | 4

# struct lab_softc and struct lab_ops, as labdev.c declares them.
LAB_OPS = Struct("lab_ops", [("peek", "u64"), ("flush", "u64")])
LAB_SOFTC = Struct("lab_softc", [("ops", "u64"), ("requests", "u64")])


@dataclass(frozen=True)
class Oops:
    """A kernel bug caught by the hardware in guest kernel code: what, where, and who paid."""

    pid: int
    cause: str
    sepc: int
    stval: int
    where: str          # the driver function sepc lies in, or "address 0 (NULL)" ...

    def __str__(self) -> str:
        return (f"oops: {self.cause} at sepc={self.sepc:#x} ({self.where}), stval={self.stval:#x}; "
                f"pid {self.pid} killed")


def build_driver() -> tuple[bytes, dict[str, int]]:
    """Compile labdev.c; returns its code bytes (position independent) and each function's offset."""


    src = (Path(__file__).with_name("labdev.c")).read_text()
    # A bare build needs a main; this one only keeps the two functions from being discarded.
    keep = ("long lab_ioctl(); long lab_peek(); void *volatile keep[2];\n"
            "int main(void) { keep[0] = (void *)lab_ioctl; keep[1] = (void *)lab_peek; return 0; }\n")
    elf_path = build({"labdev.c": src, "labdev_keep.c": keep}, mode="bare", name="labdev",
                     cflags=("-fno-jump-tables",))
    with open(elf_path, "rb") as f:
        elf = ELFFile(f)
        syms = {s.name: (s["st_value"], s["st_size"]) for s in elf.get_section_by_name(".symtab").iter_symbols()
                if s.name in ("lab_ioctl", "lab_peek")}
        text = elf.get_section_by_name(".text")
        lo = min(a for a, _ in syms.values())
        hi = max(a + n for a, n in syms.values())
        data = text.data()[lo - text["sh_addr"]:hi - text["sh_addr"]]
    return bytes(data), {name: a - lo for name, (a, _) in syms.items()}


class LabDevice(Device):
    """/dev/lab (see the module docstring)."""

    name = "lab"
    rdev = 0x4C00
    seekable = False

    def __init__(self, kernel):
        self.kernel = kernel
        code, offsets = build_driver()
        base = kernel.load_guest_code(code)
        self.functions = {name: base + off for name, off in offsets.items()}
        self.code_range = (base, base + len(code))
        # The softc and its method table live in kernel memory; flush is left NULL (the bug).
        ram = kernel.machine.bus.ram
        self.ops = LAB_OPS.view(ram, kernel.kmalloc(LAB_OPS.size))
        self.ops.peek = self.functions["lab_peek"]
        self.ops.flush = 0
        self.softc = LAB_SOFTC.view(ram, kernel.kmalloc(LAB_SOFTC.size))
        self.softc.ops = dmap(self.ops.addr)
        self.buf = kernel.kmalloc(LAB_BUFSIZE)          # sc_buf: messages, and LABIOC_INFO's reply
        self.lastpid = 0

    def write(self, td, data: bytes) -> int:
        """Keep the message (its first LAB_BUFSIZE bytes) in the driver's buffer."""
        data = data[:LAB_BUFSIZE]
        self.kernel.machine.bus.write_bytes(self.buf, data)
        self.lastpid = td.proc.pid
        return len(data)

    def read(self, td, n: int, nonblock: bool = False) -> bytes:
        return b""

    def ioctl(self, td, cmd: int, arg: int) -> int:
        k = self.kernel
        if cmd == LABIOC_KADDR:
            p = td.proc
            copyout(td, arg, LAB_KADDR.pack(lk_proc=dmap(p.pstruct.addr), lk_ucred=dmap(p.cred.addr)))
            return 0
        if cmd == LABIOC_INFO:
            ram = k.machine.bus.ram
            if "padding_leak" not in k.lab:                    # WEAKNESS: skips the fix, this memset
                ram.data[self.buf - ram.base:self.buf - ram.base + LAB_INFO.size] = bytes(LAB_INFO.size)
            info = LAB_INFO.view(ram, self.buf)                 # built in place, field by field
            info.li_version = 1
            info.li_requests = self.softc.requests
            info.li_flags = 0x3
            info.li_lastpid = self.lastpid
            copyout(td, arg, info.raw())
            return 0
        if cmd in (LABIOC_PEEK, LABIOC_FLUSH):
            return call_driver(k, td, self, self.functions["lab_ioctl"], dmap(self.softc.addr), cmd, arg)
        raise SyscallError(Errno.ENOTTY, f"/dev/lab: unknown request {cmd:#x}")


def call_driver(kernel, td, dev: LabDevice, addr: int, *args: int) -> int:
    """Run driver code at ``addr`` on td's hart in S-mode; a trap inside it is an oops.

    Returns the routine's a0 as a signed value. After an oops the process is
    dead and SyscallError(EFAULT) ends the system call (nobody sees its result).
    """
    lab = kernel.lab
    hart = td.hart if td.hart is not None else kernel.machine.harts[0]
    lab.call = {"td": td, "dev": dev, "oops": None}
    try:
        with cpu.guest_call(hart, lab.oops_addr):
            a0 = hart.call(addr, *args, max_instructions=100_000)
    except GuestCallError as e:
        lab.call["oops"] = Oops(td.proc.pid, f"no return ({e})", hart.pc, 0, "the driver")
        a0 = 0
    oops = lab.call["oops"]
    lab.call = None
    if oops is not None:
        lab.oopses.append(oops)
        kernel.log.append(str(oops))
        kernel.exit1(td, SIGKILL, reason=str(oops))
        raise SyscallError(Errno.EFAULT, str(oops))
    return a0 - (1 << 64) if a0 >> 63 else a0


def _oops_hostcall(kernel, hart):
    """stvec while driver code runs: resolve a legal fault on a user page, else record an oops."""
    call = kernel.lab.call
    scause, sepc, stval = cpu.trap_registers(hart)
    td = call["td"]
    access = FAULT_ACCESS.get(scause)
    # A load or store the hardware allowed (SUM set) but whose page is not in yet: page it in, retry.
    if (scause in (13, 15) and stval < VM_MAXUSER_ADDRESS and cpu.sum_is_set(hart)
            and kernel.vm_fault(td, stval, access, from_kernel=True)):
        hart.pc = sepc
        return JUMPED
    dev = call["dev"]
    lo, hi = dev.code_range
    if lo <= sepc < hi:
        fn = max((a, n) for n, a in dev.functions.items() if a <= sepc)[1]
        where = f"{fn}+{sepc - dev.functions[fn]:#x}"
    elif sepc < 4096:
        where = "page 0: a NULL function pointer"
    else:
        where = "outside the kernel's code"
    call["oops"] = Oops(td.proc.pid, cause_name(scause), sepc, stval, where)
    hart.x[10] = 0
    hart.pc = CALL_RETURN                                   # unwind: hart.call() returns at once
    return JUMPED


def attach(kernel) -> LabDevice:
    """Install /dev/lab and the oops host function in a booted kernel (once)."""
    lab = kernel.lab
    if lab.device is not None:
        return lab.device
    lab.oops_addr = kernel.machine.hostcalls.register("lab_oops", lambda hart: _oops_hostcall(kernel, hart))
    dev = LabDevice(kernel)
    kernel.vfs.mknod("/dev/lab", dev, mode=0o666, rdev=LabDevice.rdev)
    lab.device = dev
    install_deputy(kernel, careful=True)
    return dev


def install_deputy(kernel, careful: bool) -> None:
    """Install /bin/billing, set-user-id root: the careful build (checks access()) or the naive one."""

    src = Path(__file__).resolve().parent.parent / "userland" / "exploits" / "billing.c"
    elf = build([src], mode="user", name="billing", cflags=("-DCAREFUL",) if careful else ())
    kernel.vfs.install_file("/bin/billing", elf.read_bytes(), 0o4755, uid=0, gid=0)
