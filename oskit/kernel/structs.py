"""C structures the kernel keeps in guest memory, declared once for Python and C.

Everything a program could observe or corrupt lives in the machine's RAM with
a C layout (padding included): the trap frame the trampoline fills, the
credential (``struct ucred``), the signal frame on the user stack. Each is
declared here once; Python reads and writes it through a ``View``, and
``c_header()`` prints the same declaration as C (with ``_Static_assert``s on
every offset) for the trampoline and for tests.

    TRAPFRAME   struct trapframe   31 registers, sepc, kernel stack, trap() address
    UCRED       struct ucred       uid/euid/saved uid, gid/egid/saved gid, groups
    UCONTEXT    ucontext_t         FreeBSD's, RISC-V: registers, mask, uc_link, uc_stack
    SIGFRAME    struct sigframe    what signal delivery pushes on the user stack: siginfo + ucontext

Layout rules are C's on RV64 (LP64): each field aligned to its own size,
the struct's size rounded up to its largest alignment.
"""

from __future__ import annotations

import struct as _struct
from dataclasses import dataclass

# name -> (size, struct format letter, C type)
_TYPES = {
    "u8": (1, "B", "uint8_t"), "i8": (1, "b", "int8_t"),
    "u16": (2, "H", "uint16_t"), "i16": (2, "h", "int16_t"),
    "u32": (4, "I", "uint32_t"), "i32": (4, "i", "int32_t"),
    "u64": (8, "Q", "uint64_t"), "i64": (8, "q", "int64_t"),
}
# One compiled struct.Struct per type: the kernel reads trap frames and credentials on every
# system call, and a compiled codec skips parsing the format string each time.
_CODECS = {t: _struct.Struct("<" + fmt) for t, (_, fmt, _) in _TYPES.items()}


@dataclass(frozen=True)
class Field:
    name: str
    type: str           # a key of _TYPES
    count: int          # 1, or the length of an array
    offset: int

    @property
    def size(self) -> int:
        return _TYPES[self.type][0] * self.count


class Struct:
    """A C struct layout: ``Struct("ucred", [("cr_uid", "u32"), ("cr_groups", "u32", 16), ...])``."""

    def __init__(self, cname: str, fields: list[tuple], comment: str = ""):
        self.cname = cname
        self.comment = comment
        self.fields: dict[str, Field] = {}
        self._access: dict[str, tuple] = {}
        offset, align = 0, 1
        for spec in fields:
            name, typ = spec[0], spec[1]
            count = spec[2] if len(spec) > 2 else 1
            if typ not in _TYPES:
                raise ValueError(f"struct {cname}.{name}: unknown type {typ!r}, expected one of {sorted(_TYPES)}")
            size = _TYPES[typ][0]
            offset = (offset + size - 1) // size * size      # align the field to its size
            self.fields[name] = Field(name, typ, count, offset)
            # name -> (codec, offset, element size, mask for an unsigned value): View's fast path
            self._access[name] = (_CODECS[typ], offset, size,
                                  (1 << (8 * size)) - 1 if _TYPES[typ][1].isupper() else None)
            offset += size * count
            align = max(align, size)
        self.size = (offset + align - 1) // align * align

    def offset(self, name: str) -> int:
        return self.fields[name].offset

    def c_decl(self) -> str:
        lines = [f"/* {self.comment} */"] if self.comment else []
        lines.append(f"struct {self.cname} {{")
        for f in self.fields.values():
            arr = f"[{f.count}]" if f.count > 1 else ""
            lines.append(f"\t{_TYPES[f.type][2]:<9} {f.name}{arr};\t/* {f.offset:4d} */")
        lines.append("};")
        return "\n".join(lines)

    def asm_defines(self) -> str:
        """#defines usable from assembly: TRAPFRAME_RA 0, ..., TRAPFRAME_SIZE."""
        up = self.cname.upper()
        out = [f"#define {up}_{f.name.upper()} {f.offset}" for f in self.fields.values()]
        out.append(f"#define {up}_SIZE {self.size}")
        return "\n".join(out)

    def c_asserts(self) -> str:
        out = [f'_Static_assert(sizeof(struct {self.cname}) == {self.size}, "{self.cname} size");']
        out += [f'_Static_assert(__builtin_offsetof(struct {self.cname}, {f.name}) == {f.offset}, '
                f'"{self.cname}.{f.name}");' for f in self.fields.values()]
        return "\n".join(out)

    def pack(self, **values) -> bytes:
        """The struct's bytes with the given fields set (arrays as lists), the rest zero."""
        buf = bytearray(self.size)
        for name, value in values.items():
            f = self.fields[name]
            size, fmt, _ = _TYPES[f.type]
            items = value if f.count > 1 else [value]
            if len(items) > f.count:
                raise ValueError(f"{self.cname}.{name} holds {f.count} values, given {len(items)}")
            for i, v in enumerate(items):
                if fmt.isupper():
                    v &= (1 << (8 * size)) - 1
                _struct.pack_into("<" + fmt, buf, f.offset + size * i, v)
        return bytes(buf)

    def unpack(self, raw: bytes) -> dict:
        """Field name -> value (a list for arrays) from the struct's bytes."""
        out = {}
        for f in self.fields.values():
            size, fmt, _ = _TYPES[f.type]
            vals = list(_struct.unpack_from(f"<{f.count}{fmt}", raw, f.offset))
            out[f.name] = vals if f.count > 1 else vals[0]
        return out

    def view(self, mem, addr: int) -> "View":
        return View(self, mem, addr)

    def __repr__(self) -> str:
        return f"<struct {self.cname}: {len(self.fields)} fields, {self.size} bytes>"


class View:
    """Reads and writes one struct instance at physical address ``addr`` of a machine's RAM.

    ``v.cr_uid`` reads, ``v.cr_uid = 0`` writes; arrays read as lists and are
    indexed with ``v.get("cr_groups", i)`` / ``v.set("cr_groups", v, i)``.
    """

    __slots__ = ("struct", "ram", "addr", "_off")

    def __init__(self, struct: Struct, mem, addr: int):
        object.__setattr__(self, "struct", struct)
        object.__setattr__(self, "ram", mem.data)             # the bytearray of RAM
        object.__setattr__(self, "addr", addr)
        object.__setattr__(self, "_off", addr - mem.base)
        if not 0 <= addr - mem.base <= len(mem.data) - struct.size:
            raise ValueError(f"struct {struct.cname} at {addr:#x} is outside RAM "
                             f"[{mem.base:#x}, {mem.base + len(mem.data):#x})")

    def get(self, name: str, index: int = 0) -> int:
        codec, offset, size, _ = self.struct._access[name]
        return codec.unpack_from(self.ram, self._off + offset + size * index)[0]

    def set(self, name: str, value: int, index: int = 0) -> None:
        codec, offset, size, mask = self.struct._access[name]
        if mask is not None:
            value &= mask
        codec.pack_into(self.ram, self._off + offset + size * index, value)

    def __getattr__(self, name: str):
        try:
            f = self.struct.fields[name]
        except KeyError:
            raise AttributeError(f"struct {self.struct.cname} has no field {name!r}") from None
        if f.count == 1:
            return self.get(name)
        return [self.get(name, i) for i in range(f.count)]

    def __setattr__(self, name: str, value) -> None:
        if name not in self.struct.fields:
            raise AttributeError(f"struct {self.struct.cname} has no field {name!r}")
        self.set(name, value)

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.struct.fields}

    def raw(self) -> bytes:
        return bytes(self.ram[self._off:self._off + self.struct.size])

    def __repr__(self) -> str:
        return f"<struct {self.struct.cname} at {self.addr:#x}>"

    def __deepcopy__(self, memo):
        # A view holds no state of its own (the bytes are guest RAM): a snapshot shares it.
        return self


# The RISC-V integer registers in x-number order (x1..x31); x0 is always zero and is not saved.
REGNAMES = ["ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
            "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
            "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
            "t3", "t4", "t5", "t6"]

TRAPFRAME = Struct("trapframe", [(r, "u64") for r in REGNAMES] + [
    ("sepc", "u64"),            # user pc: the ecall, or the faulting instruction
    ("kernel_sp", "u64"),       # top of this thread's kernel stack (loaded by the trampoline)
    ("kernel_trap", "u64"),     # address of the host function trap() (called by the trampoline)
], comment="Saved user registers: x(n) at offset 8*(n-1). Written by trampoline.S, read by Python.")

NGROUPS = 16
UCRED = Struct("ucred", [
    ("cr_ref", "u32"),          # references (one per process sharing it)
    ("cr_uid", "u32"),          # effective user id
    ("cr_ruid", "u32"),         # real user id
    ("cr_svuid", "u32"),        # saved user id
    ("cr_ngroups", "u32"),      # number of groups in cr_groups
    ("cr_rgid", "u32"),         # real group id
    ("cr_svgid", "u32"),        # saved group id
    ("cr_groups", "u32", NGROUPS),  # cr_groups[0] is the effective group id
], comment="A process credential (FreeBSD's struct ucred, the fields that matter).")

# FreeBSD's ucontext_t on RISC-V (sys/sys/_ucontext.h, sys/riscv/include/ucontext.h), flattened:
# <ucontext.h> declares it nested (uc_mcontext.mc_gpregs.gp_a[0], ...) and pins every offset below
# with _Static_assert; tests/test_libc_host.py checks the two agree.
#
#   ucontext_t { sigset_t uc_sigmask; mcontext_t uc_mcontext; ucontext_t *uc_link;
#                stack_t uc_stack; int uc_flags; int __spare__[4]; }
#   mcontext_t { struct gpregs mc_gpregs; struct fpregs mc_fpregs; int mc_flags; int mc_pad;
#                uint64_t mc_spare[8]; }
#   gpregs     { ra, sp, gp, tp, t[7], s[12], a[8], sepc, sstatus }
#   fpregs     { uint64_t fp_x[32][2]; uint64_t fp_fcsr; int fp_flags; int pad; }  (no F/D here: zero)
UCONTEXT_FIELDS = [
    ("uc_sigmask", "u32", 4),   # the signal mask to restore (sigset_t: 4 x u32)
    ("gp_ra", "u64"), ("gp_sp", "u64"), ("gp_gp", "u64"), ("gp_tp", "u64"),
    ("gp_t", "u64", 7), ("gp_s", "u64", 12), ("gp_a", "u64", 8),
    ("gp_sepc", "u64"),         # the pc where the program goes on
    ("gp_sstatus", "u64"),      # USER_SSTATUS: setcontext/sigreturn refuse a context that is not user mode
    ("fp_x", "u64", 64), ("fp_fcsr", "u64"), ("fp_flags", "i32"), ("fp_pad", "i32"),
    ("mc_flags", "i32"),        # _MC_FP_VALID (1) would say fpregs hold something: never here
    ("mc_pad", "i32"),
    ("mc_spare", "u64", 8),
    # getcontext copies out up to here (FreeBSD's UC_COPY_SIZE); the rest belongs to the program.
    ("uc_link", "u64"),         # makecontext: the context resumed when its function returns
    ("uc_stack", "u64", 3),     # stack_t: ss_sp, ss_size, ss_flags (an int, then padding)
    ("uc_flags", "i32"),
    ("uc_spare", "i32", 4),     # C's __spare__
]
UCONTEXT = Struct("__ucontext", UCONTEXT_FIELDS,
                  comment="FreeBSD's ucontext_t (RISC-V): getcontext/setcontext/swapcontext, a handler's 3rd argument.")
UC_COPY_SIZE = UCONTEXT.offset("uc_link")

# sstatus as a user thread has it in a trap: SPP = 0 (it came from user mode), SPIE = 1 (interrupts
# on there), FS = 0 (no floating point). Contexts carry it in gp_sstatus; as FreeBSD's set_mcontext,
# the kernel refuses one that differs in any bit but the user-writable ones (EINVAL): a zeroed or
# forged context cannot ask to return to S-mode.
SSTATUS_UIE, SSTATUS_UPIE, SSTATUS_SPIE, SSTATUS_SPP = 1 << 0, 1 << 4, 1 << 5, 1 << 8
SSTATUS_FS_MASK, SSTATUS_XS_MASK, SSTATUS_SD = 3 << 13, 3 << 15, 1 << 63
SSTATUS_USER_WRITABLE = SSTATUS_SD | SSTATUS_XS_MASK | SSTATUS_FS_MASK | SSTATUS_UPIE | SSTATUS_UIE
USER_SSTATUS = SSTATUS_SPIE
SS_DISABLE = 0x0004          # uc_stack.ss_flags in a signal frame: no alternate signal stack

# What sendsig() pushes on the user stack for a caught signal: FreeBSD's struct sigframe
# { siginfo_t sf_si; ucontext_t sf_uc; }. The siginfo_t is exactly as <signal.h> declares it
# (80 bytes): the handler's second argument points there, its third at the ucontext right after.
# The handler's ra points at the sigcode page, which calls sigreturn(&sf_uc).
SIGFRAME = Struct("sigframe", [
    ("si_signo", "i32"),        # siginfo_t, 0..79
    ("si_errno", "i32"),
    ("si_code", "i32"),         # SI_USER for kill(), SEGV_MAPERR/SEGV_ACCERR for faults
    ("si_pid", "i32"),          # sender (kill)
    ("si_uid", "u32"),
    ("si_status", "i32"),
    ("si_addr", "u64"),         # faulting address for SIGSEGV/SIGBUS/SIGILL
    ("si_value", "u64"),
    ("si_reason", "u64", 5),
] + UCONTEXT_FIELDS, comment="Signal frame on the user stack: a siginfo_t, then the ucontext_t sigreturn() reads.")
SF_UC = SIGFRAME.offset("uc_sigmask")       # where sf_uc starts: 80
assert SIGFRAME.size == SF_UC + UCONTEXT.size and all(
    SIGFRAME.offset(n) == SF_UC + UCONTEXT.offset(n) for n in UCONTEXT.fields), "sigframe = siginfo + ucontext"

# The part of a process that lives in guest memory. p_ucred is authoritative: the
# kernel finds a process's credential by following it, so whoever can write this
# word (a kernel bug, a confused deputy) can change who the process is.
PROC = Struct("proc", [
    ("p_pid", "i32"),
    ("p_ppid", "i32"),
    ("p_ucred", "u64"),         # kernel (DMAP) address of the process's struct ucred
    ("p_flag", "u32"),          # P_SUGID = 0x100: set-id exec happened
    ("p_xstat", "i32"),         # wait status once a zombie
    ("p_comm", "u8", 20),       # command name, NUL-terminated
], comment="The security-relevant part of a process, in guest memory.")

# Time for user space without a system call (FreeBSD's struct vdso_timekeep in its shared
# page): the kernel publishes these at VDSO_TIMEKEEP_OFFSET in the shared page (auxv
# AT_TIMEKEEP); libc reads the time CSR (rdtime, allowed in U-mode by scounteren.TM) and computes
#     ns since boot = time * 1e9 / tk_timebase_hz,  realtime = tk_boot_sec.tk_boot_nsec + that.
# The generation count is FreeBSD's th_gen: 0 while the kernel rewrites the page, then a new
# non-zero value; a reader that saw 0, or a different value after reading, reads again.
VDSO_TIMEKEEP_OFFSET = 0x800          # within the shared page (sigcode sits at its start)
VDSO_TIMEKEEP_MAGIC = 0x6B656574656D6974   # "timeteek" read as a little-endian u64: a sanity check
TIMEKEEP = Struct("vdso_timekeep", [
    ("tk_magic", "u64"),
    ("tk_gen", "u32"),             # 0: being updated, retry; else changes at every update
    ("tk_enabled", "u32"),         # 0: the kernel says "make the system call" (fast_gettime off)
    ("tk_timebase_hz", "u64"),     # ticks of the time CSR per second
    ("tk_boot_sec", "i64"),        # CLOCK_REALTIME at time == 0: seconds ...
    ("tk_boot_nsec", "i64"),       # ... and nanoseconds (0 .. 999999999)
], comment="Published by the kernel in the shared page, read by libc's clock_gettime.")

ALL = [TRAPFRAME, UCRED, SIGFRAME, PROC, TIMEKEEP]


def c_header() -> str:
    """The C header (structs, assembly offsets, static asserts) generated from these declarations."""
    parts = ["/* Generated by oskit/kernel/structs.py: do not edit. */",
             "#ifndef OSKIT_KERNEL_STRUCTS_H", "#define OSKIT_KERNEL_STRUCTS_H"]
    for s in ALL:
        parts.append(s.asm_defines())
    parts.append("#ifndef __ASSEMBLER__")
    parts.append("#include <stdint.h>")
    for s in ALL:
        parts.append(s.c_decl())
        parts.append(s.c_asserts())
    parts.append("#endif")
    parts.append("#endif")
    return "\n".join(parts) + "\n"
