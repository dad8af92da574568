"""Control and status registers: storage, WARL rules and the privilege checks of Zicsr.

The map of this module:

    CSR_NAMES / CSR_NUMBERS   number <-> name of every CSR this machine has
    CSRFile                   one hart's CSRs: fields as attributes (mstatus, mie, ...),
                              read(addr_or_name) / write(addr_or_name, value) for a host or
                              debugger (no privilege check), and access() for the csrr* instructions
    bit constants             MSTATUS_*, MIP_*, SATP_*, MENVCFG_STCE, COUNTEREN_*

A CSR number encodes who may touch it (privileged spec 2.1):

    csr[11:10]  11 = read-only, otherwise read/write
    csr[9:8]    lowest privilege that may access it: 00 U, 01 S, 11 M

The sstatus, sie and sip registers are views of mstatus, mie and mip: they
show (and let S-mode change) only the supervisor's bits.

What happens on writes to fields the spec calls WARL is listed in choices.py,
except where this machine has one behaviour, documented here:

- pmpcfg0/2 and pmpaddr0..15 keep what is written (pmpaddr bits 53:0; an entry
  with its L bit set ignores writes), so firmware that programs them runs, but
  PMP is never checked on accesses;
- writing the reserved value 2 to mstatus.MPP keeps the old MPP; writing the
  reserved MODE 2 or 3 to mtvec/stvec keeps the old MODE (BASE is written);
- mepc/sepc bits 1:0 read 0 (IALIGN = 32: there is no C extension);
- mhpmcounter3..31, mhpmevent3..31 and hpmcounter3..31 exist, read 0, ignore writes;
- mstatus.FS, VS, XS and SD are 0 (no F, D, V or custom state), UXL = SXL = 2
  (64-bit), UBE/SBE/MBE = 0 (little-endian only);
- every instruction takes one cycle: mcycle and minstret advance together
  (each can be written on its own); a trap or interrupt entry retires nothing.
"""

from __future__ import annotations

from oskit.machine import choices
from oskit.machine.trap import IllegalInstruction, Priv

M64 = 0xFFFF_FFFF_FFFF_FFFF

# mstatus (RV64). The layout, low bits first:
MSTATUS_SIE = 1 << 1  # S-mode interrupts enabled
MSTATUS_MIE = 1 << 3  # M-mode interrupts enabled
MSTATUS_SPIE = 1 << 5  # SIE before the last trap into S
MSTATUS_UBE = 1 << 6  # (0: little-endian)
MSTATUS_MPIE = 1 << 7  # MIE before the last trap into M
MSTATUS_SPP = 1 << 8  # privilege before the last trap into S (0 U, 1 S)
MSTATUS_VS = 3 << 9  # (0: no vector state)
MSTATUS_MPP = 3 << 11  # privilege before the last trap into M (0 U, 1 S, 3 M)
MSTATUS_FS = 3 << 13  # (0: no floating-point state)
MSTATUS_XS = 3 << 15  # (0)
MSTATUS_MPRV = 1 << 17  # M-mode loads/stores use MPP's privilege and translation
MSTATUS_SUM = 1 << 18  # S-mode may load/store U pages
MSTATUS_MXR = 1 << 19  # loads from execute-only pages succeed
MSTATUS_TVM = 1 << 20  # S-mode satp access and sfence.vma trap
MSTATUS_TW = 1 << 21  # S-mode wfi traps
MSTATUS_TSR = 1 << 22  # S-mode sret traps
MSTATUS_UXL = 3 << 32  # U-mode XLEN: 2 = 64 (read-only)
MSTATUS_SXL = 3 << 34  # S-mode XLEN: 2 = 64 (read-only)
MSTATUS_SD = 1 << 63  # some dirty FS/VS/XS state (always 0 here)
MSTATUS_XL64 = (2 << 32) | (2 << 34)

MSTATUS_WRITABLE = (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP
                    | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)  # fmt: skip
SSTATUS_VISIBLE = (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS
                   | MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)  # fmt: skip
SSTATUS_WRITABLE = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR

# mip / mie: bit i is interrupt i (trap.Interrupt).
MIP_SSIP = 1 << 1
MIP_MSIP = 1 << 3
MIP_STIP = 1 << 5
MIP_MTIP = 1 << 7
MIP_SEIP = 1 << 9
MIP_MEIP = 1 << 11
S_INTERRUPTS = MIP_SSIP | MIP_STIP | MIP_SEIP  # the ones mideleg can delegate
ALL_INTERRUPTS = S_INTERRUPTS | MIP_MSIP | MIP_MTIP | MIP_MEIP

# medeleg: every exception except ecall from M (11) can be delegated; 10 and 14 are reserved.
MEDELEG_WRITABLE = 0xFFFF & ~((1 << 11) | (1 << 10) | (1 << 14))

# satp: MODE[63:60] ASID[59:44] PPN[43:0]
SATP_MODE_SHIFT = 60
SATP_MODE_BARE = 0
SATP_MODE_SV39 = 8
SATP_ASID_SHIFT = 44
SATP_ASID_MASK = (1 << choices.ASID_BITS) - 1
SATP_PPN_MASK = (1 << 44) - 1

MENVCFG_STCE = 1 << 63  # Sstc: stimecmp drives mip.STIP
COUNTEREN_CY = 1 << 0  # cycle readable by the next lower mode
COUNTEREN_TM = 1 << 1  # time (and, from mcounteren, Sstc's stimecmp)
COUNTEREN_IR = 1 << 2  # instret

PMPADDR_MASK = (1 << 54) - 1
PMP_LOCK = 0x80

# -- numbers and names --------------------------------------------------------------------

CSR_NUMBERS: dict[str, int] = {
    # unprivileged counters (read-only, gated by mcounteren/scounteren)
    "cycle": 0xC00, "time": 0xC01, "instret": 0xC02,
    # supervisor
    "sstatus": 0x100, "sie": 0x104, "stvec": 0x105, "scounteren": 0x106,
    "sscratch": 0x140, "sepc": 0x141, "scause": 0x142, "stval": 0x143, "sip": 0x144,
    "stimecmp": 0x14D, "satp": 0x180, "senvcfg": 0x10A,
    # machine information (read-only)
    "mvendorid": 0xF11, "marchid": 0xF12, "mimpid": 0xF13, "mhartid": 0xF14, "mconfigptr": 0xF15,
    # machine trap setup and handling
    "mstatus": 0x300, "misa": 0x301, "medeleg": 0x302, "mideleg": 0x303, "mie": 0x304,
    "mtvec": 0x305, "mcounteren": 0x306, "menvcfg": 0x30A,
    "mscratch": 0x340, "mepc": 0x341, "mcause": 0x342, "mtval": 0x343, "mip": 0x344,
    # physical memory protection (kept, never checked: see the module docstring)
    "pmpcfg0": 0x3A0, "pmpcfg2": 0x3A2,
    **{f"pmpaddr{i}": 0x3B0 + i for i in range(16)},
    # debug triggers (Sdtrig: trigger.py)
    "tselect": 0x7A0, "tdata1": 0x7A1, "tdata2": 0x7A2, "tdata3": 0x7A3, "tinfo": 0x7A4,
    # machine counters
    "mcycle": 0xB00, "minstret": 0xB02, "mcountinhibit": 0x320,
    **{f"mhpmcounter{i}": 0xB00 + i for i in range(3, 32)},
    **{f"hpmcounter{i}": 0xC00 + i for i in range(3, 32)},
    **{f"mhpmevent{i}": 0x320 + i for i in range(3, 32)},
}  # fmt: skip
CSR_NAMES: dict[int, str] = {v: k for k, v in CSR_NUMBERS.items()}
ZERO_CSRS = frozenset(CSR_NUMBERS[name] for name in choices.ZERO_WARL_CSRS)  # read 0, ignore writes


def csr_number(which: int | str) -> int:
    """The number of a CSR given by number or name; unknown ones are a ValueError."""
    if isinstance(which, str):
        try:
            return CSR_NUMBERS[which]
        except KeyError:
            raise ValueError(f"unknown CSR name {which!r}; known: {', '.join(sorted(CSR_NUMBERS))}") from None
    if which not in CSR_NAMES:
        raise ValueError(f"CSR {which:#x} does not exist on this machine")
    return which


class CSRFile:
    """The CSRs of one hart.

    Fields are plain int attributes named after the CSR (mstatus holds the
    whole register; sstatus is a view of it). mip holds only what software
    wrote (SSIP, SEIP, and STIP while Sstc is off); the device lines (MSIP,
    MTIP, MEIP, SEIP) are in `lines`, set by hart.set_pending(); Sstc's STIP is
    computed from stimecmp and mtime. effective_mip() combines the three.

    Host code changes CSRs with write(), never by assigning the attributes:
    write() applies the WARL rules and tells the hart (page caches follow
    satp/mstatus, interrupts are re-checked).
    """

    def __init__(self, hart):
        self.hart = hart
        self.mstatus = MSTATUS_XL64
        self.medeleg = 0
        self.mideleg = 0
        self.mie = 0
        self.mip = 0
        self.lines = 0
        self.mtvec = 0
        self.stvec = 0
        self.mcounteren = 0
        self.scounteren = 0
        self.menvcfg = 0
        self.mscratch = self.sscratch = 0
        self.mepc = self.sepc = 0
        self.mcause = self.scause = 0
        self.mtval = self.stval = 0
        self.satp = 0
        self.stimecmp = M64
        self.pmpcfg = [0, 0]  # pmpcfg0, pmpcfg2
        self.pmpaddr = [0] * 16
        self.cycle_delta = 0  # mcycle = hart.instret + cycle_delta
        self.instret_delta = 0  # minstret = hart.instret + instret_delta

    # -- interrupts ---------------------------------------------------------------------

    def effective_mip(self) -> int:
        """mip as software reads it: written bits, device lines, and Sstc's STIP.

        Sstc: with menvcfg.STCE set, STIP is pending exactly while stimecmp <= mtime.
        """
        mip = self.mip | self.lines
        if self.menvcfg & MENVCFG_STCE:
            mip &= ~MIP_STIP
            if self.stimecmp <= self.hart.machine.clint.mtime:
                mip |= MIP_STIP
        return mip

    # -- raw access: for the host, the kernel, a debugger (no privilege check) ----------

    def read(self, which: int | str) -> int:
        """The value of a CSR (by number or name), as an M-mode csrr would see it."""
        return self._read(csr_number(which))

    def write(self, which: int | str, value: int) -> None:
        """Write a CSR (by number or name) with the WARL rules of an M-mode csrw.

        Read-only CSRs (mhartid, cycle, ...) cannot be written: ValueError.
        """
        number = csr_number(which)
        if number >> 10 == 3:
            raise ValueError(f"CSR {CSR_NAMES[number]} ({number:#x}) is read-only")
        self._write(number, value & M64)

    # -- the csrr* instructions -----------------------------------------------------------

    def access(self, number: int, op: int, src: int, read: bool, write: bool) -> int:
        """Execute a Zicsr instruction on CSR `number` at the hart's privilege.

        op: 0 = write src, 1 = set the bits of src, 2 = clear the bits of src.
        Returns the old value (0 when not read). Raises IllegalInstruction when
        the CSR does not exist, the hart's privilege is below csr[9:8], a
        read-only CSR would be written, or a counter, stimecmp or satp is
        out of reach (mcounteren/scounteren, menvcfg.STCE, mstatus.TVM).
        """
        hart = self.hart
        priv = hart.priv
        if number not in CSR_NAMES or priv < (number >> 8) & 3:
            raise IllegalInstruction()
        if write and number >> 10 == 3:
            raise IllegalInstruction()
        # Counters from S/U: the bit for the counter must be set in mcounteren (and, for U, scounteren).
        if 0xC00 <= number <= 0xC1F and priv < Priv.M:
            bit = 1 << (number - 0xC00)
            if not self.mcounteren & bit or (priv == Priv.U and not self.scounteren & bit):
                raise IllegalInstruction()
        if number == 0x14D and priv < Priv.M:  # stimecmp needs Sstc enabled by M: STCE and TM
            if not self.menvcfg & MENVCFG_STCE or not self.mcounteren & COUNTEREN_TM:
                raise IllegalInstruction()
        if number == 0x180 and priv == Priv.S and self.mstatus & MSTATUS_TVM:
            raise IllegalInstruction()
        old = self._read(number) if (read or op) else 0
        if write:
            # Set/clear on mip/sip start from the bits software wrote, not from the device
            # lines ORed into the value read (spec 3.1.9: e.g. SEIP's external line).
            base = self.mip if number in (0x344, 0x144) else old
            new = src if op == 0 else (base | src) if op == 1 else (base & ~src)
            self._write(number, new & M64)
        return old

    # -- the registers themselves -------------------------------------------------------

    def _read(self, n: int) -> int:
        hart = self.hart
        if n in ZERO_CSRS:
            return 0  # hard-wired to zero (choices.ZERO_WARL_CSRS)
        if n == 0x300:
            return self.mstatus
        if n == 0x100:
            return self.mstatus & SSTATUS_VISIBLE
        if n == 0x344:
            return self.effective_mip()
        if n == 0x144:
            return self.effective_mip() & self.mideleg
        if n == 0x304:
            return self.mie
        if n == 0x104:
            return self.mie & self.mideleg
        if n in (0xC00, 0xB00):
            return (hart.instret + self.cycle_delta) & M64
        if n in (0xC02, 0xB02):
            return (hart.instret + self.instret_delta) & M64
        if n == 0xC01:
            return hart.machine.clint.mtime & M64
        if n == 0x301:
            return choices.MISA_VALUE
        if n == 0xF14:
            return hart.hartid
        if n in (0xF11, 0xF12, 0xF13, 0xF15):
            return {0xF11: choices.MVENDORID, 0xF12: choices.MARCHID, 0xF13: choices.MIMPID, 0xF15: 0}[n]
        if n == 0x3A0 or n == 0x3A2:
            return self.pmpcfg[(n - 0x3A0) >> 1]
        if 0x3B0 <= n <= 0x3BF:
            return self.pmpaddr[n - 0x3B0]
        if 0xB03 <= n <= 0xB1F or 0xC03 <= n <= 0xC1F or 0x323 <= n <= 0x33F:
            return 0  # hpm counters and events: hard-wired to 0
        if 0x7A0 <= n <= 0x7A4:
            return hart.triggers.read(n)  # tselect, tdata1..3, tinfo
        return getattr(self, _FIELD[n])

    def _write(self, n: int, v: int) -> None:
        if n in choices.BLOCK_CSRS:
            # Scratch and trap registers: plain storage that changes nothing about interrupts,
            # so the hart need not look for one before its next instruction. xepc: IALIGN = 32.
            setattr(self, _FIELD[n], v & ~3 if n in (0x341, 0x141) else v)
            return
        hart = self.hart
        if n in ZERO_CSRS:
            return  # hard-wired to zero (choices.ZERO_WARL_CSRS)
        if n == 0x300:  # mstatus
            old = self.mstatus
            if (v & MSTATUS_MPP) == (2 << 11):  # reserved MPP: keep the old one (module docstring)
                v = (v & ~MSTATUS_MPP) | (old & MSTATUS_MPP)
            self.mstatus = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE) | MSTATUS_XL64
            hart.context_changed()
        elif n == 0x100:  # sstatus: only the supervisor's bits
            self.mstatus = (self.mstatus & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE)
            hart.context_changed()
        elif n == 0x304:  # mie
            self.mie = v & ALL_INTERRUPTS
        elif n == 0x104:  # sie: only delegated bits
            self.mie = (self.mie & ~self.mideleg) | (v & self.mideleg)
        elif n == 0x344:  # mip: SSIP, SEIP, and STIP while Sstc does not own it
            writable = MIP_SSIP | MIP_SEIP | (0 if self.menvcfg & MENVCFG_STCE else MIP_STIP)
            self.mip = (self.mip & ~writable) | (v & writable)
        elif n == 0x144:  # sip: only SSIP, and only when delegated
            writable = MIP_SSIP & self.mideleg
            self.mip = (self.mip & ~writable) | (v & writable)
        elif n == 0x303:
            self.mideleg = v & S_INTERRUPTS
        elif n == 0x302:
            self.medeleg = v & MEDELEG_WRITABLE
        elif n in (0x305, 0x105):  # mtvec/stvec: BASE[63:2] MODE[1:0]; modes 2, 3 reserved
            name = "mtvec" if n == 0x305 else "stvec"
            mode = v & 3 if v & 3 < 2 else getattr(self, name) & 3
            setattr(self, name, (v & ~3) | mode)
        elif n in (0x341, 0x141):  # xepc: IALIGN = 32, bits 1:0 read as zero
            setattr(self, _FIELD[n], v & ~3)
        elif n == 0x180:  # satp: only Bare and Sv39; other modes leave it unchanged
            mode = v >> SATP_MODE_SHIFT
            if mode not in choices.SATP_MODES:
                return
            keep = (0xF << SATP_MODE_SHIFT) | (SATP_ASID_MASK << SATP_ASID_SHIFT) | SATP_PPN_MASK
            self.satp = v & keep
            hart.context_changed()
        elif n == 0x30A:  # menvcfg: only STCE is implemented
            self.menvcfg = v & MENVCFG_STCE
        elif n in (0x306, 0x106):  # counter enables: CY, TM, IR and the 29 hpm bits
            setattr(self, _FIELD[n], v & 0xFFFF_FFFF)
        elif n == 0xB00:  # mcycle: next instruction reads v (this one's cycle is counted in)
            self.cycle_delta = v - (hart.instret + 1)
        elif n == 0xB02:  # minstret: likewise
            self.instret_delta = v - (hart.instret + 1)
        elif n == 0x3A0 or n == 0x3A2:  # pmpcfg: locked entries (L bit) keep their byte
            i = (n - 0x3A0) >> 1
            old = self.pmpcfg[i]
            for b in range(8):
                if (old >> (8 * b)) & PMP_LOCK:
                    v = (v & ~(0xFF << (8 * b))) | (old & (0xFF << (8 * b)))
            self.pmpcfg[i] = v
        elif 0x3B0 <= n <= 0x3BF:
            i = n - 0x3B0
            cfg = (self.pmpcfg[i // 8] >> (8 * (i % 8))) & 0xFF
            if not cfg & PMP_LOCK:
                self.pmpaddr[i] = v & PMPADDR_MASK
        elif 0xB03 <= n <= 0xB1F or 0x323 <= n <= 0x33F:
            pass  # hpm counters and events are hard-wired to 0
        elif n == 0x301:
            pass  # misa: writes are ignored (choices.MISA_VALUE)
        elif n == 0x14D:  # stimecmp
            self.stimecmp = v
        elif 0x7A0 <= n <= 0x7A4:  # tselect, tdata1..3 (tinfo ignores writes): trigger.py
            hart.triggers.write(n, v)
        elif n in _FIELD:
            setattr(self, _FIELD[n], v)
        else:
            raise ValueError(f"CSR {n:#x} cannot be written")
        # Any write may change which interrupt is pending and enabled.
        hart.interrupts_changed()


# Plain storage CSRs: number -> attribute name.
_FIELD = {
    0x340: "mscratch", 0x140: "sscratch", 0x341: "mepc", 0x141: "sepc", 0x342: "mcause", 0x142: "scause",
    0x343: "mtval", 0x143: "stval", 0x305: "mtvec", 0x105: "stvec", 0x302: "medeleg", 0x303: "mideleg",
    0x306: "mcounteren", 0x106: "scounteren", 0x30A: "menvcfg", 0x180: "satp", 0x14D: "stimecmp",
}  # fmt: skip
