"""SBI: the calls a supervisor makes to the machine-mode firmware below it.

A RISC-V kernel runs in S-mode; some things only M-mode may do (program the
CLINT's mtimecmp, raise another hart's machine software interrupt, reset the
machine). The RISC-V Supervisor Binary Interface says how the kernel asks:
``ecall`` from S-mode, which traps to M-mode exactly as a user's ``ecall``
traps to S-mode: a system call one level down. The convention (SBI v2.0):

    a7  extension ID (EID)        a6  function ID (FID)        a0-a5  arguments
    returns  a0 = error (0: SBI_SUCCESS, negative: an SBI_ERR_*),  a1 = value

This firmware implements

    BASE   0x10        spec version 2.0, implementation ID/version, probe_extension,
                       mvendorid/marchid/mimpid
    TIME   "TIME"      set_timer(stime): the supervisor timer interrupt at stime
    IPI    "sPI"       send_ipi(hart_mask, hart_mask_base): a supervisor software interrupt
    RFENCE "RFNC"      remote_fence_i, remote_sfence_vma(_asid) on other harts
    SRST   "SRST"      system_reset(type, reason): shut down or reboot
    DBCN   "DBCN"      debug console: write, write_byte
    legacy 0x00/0x01/0x08  set_timer, console_putchar, shutdown (SBI v0.1: a0 only)

and is what a real board's OpenSBI would be, in two parts: the M-mode trap
vector is real RISC-V (sbi_entry.S: the trap and the mret are the hardware's,
visible in the machine's trap events), and its body is this Python, reached as
a host call (the same split as the kernel's trampoline.S and trap()). A
firmware written all in RISC-V would be truer still, but its save/restore code
would teach nothing the trampoline does not already teach, and this body can be
read next to the specification.

How the firmware does what it is asked, as OpenSBI does on a CLINT board:

- set_timer: mtimecmp[hart] = stime and mie.MTIE on, mip.STIP off; when the
  machine timer fires (MTI, to M-mode), mip.STIP on and MTIE off, so S-mode
  takes a supervisor timer interrupt. When the supervisor may program its own
  timer (Sstc: menvcfg.STCE), set_timer writes stimecmp instead.
- send_ipi: msip[h] = 1 in the CLINT for each hart h asked for; that hart takes
  MSI in M-mode, and the firmware turns it into mip.SSIP for its kernel.
- remote fences: done on the other harts' TLBs directly. (OpenSBI sends those
  harts an IPI and runs sfence.vma there; the effect is the same.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elftools.elf.elffile import ELFFile

from oskit.machine.bus import BusError
from oskit.machine.clint import CLINT_BASE, MSIP_OFFSET, MTIMECMP_OFFSET
from oskit.machine.uart import UART_BASE
from oskit.toolchain import build

# Extension IDs (SBI v2.0, chapter 3 onwards)
EXT_LEGACY_SET_TIMER, EXT_LEGACY_PUTCHAR, EXT_LEGACY_SHUTDOWN = 0x00, 0x01, 0x08
EXT_BASE = 0x10
EXT_TIME = 0x54494D45          # "TIME"
EXT_IPI = 0x735049             # "sPI"
EXT_RFENCE = 0x52464E43        # "RFNC"
EXT_SRST = 0x53525354          # "SRST"
EXT_DBCN = 0x4442434E          # "DBCN"
EXTENSION_NAMES = {EXT_LEGACY_SET_TIMER: "legacy set_timer", EXT_LEGACY_PUTCHAR: "legacy console_putchar",
                   EXT_LEGACY_SHUTDOWN: "legacy shutdown", EXT_BASE: "BASE", EXT_TIME: "TIME",
                   EXT_IPI: "IPI", EXT_RFENCE: "RFENCE", EXT_SRST: "SRST", EXT_DBCN: "DBCN"}

SBI_SUCCESS = 0
SBI_ERR_FAILED = -1
SBI_ERR_NOT_SUPPORTED = -2
SBI_ERR_INVALID_PARAM = -3

SPEC_VERSION = (2 << 24) | 0   # 2.0: major in bits 30..24, minor in 23..0
IMPL_ID = 0x6F736B             # "osk": not a registered implementation ID (those are OpenSBI 1, ...)
IMPL_VERSION = 1

CAUSE_ECALL_FROM_S = 9
IRQ_MSI, IRQ_MTI = 3, 7
MIP_SSIP, MIP_MSIP, MIP_STIP, MIP_MTIP = 1 << 1, 1 << 3, 1 << 5, 1 << 7
MENVCFG_STCE = 1 << 63
INTERRUPT_BIT = 1 << 63
M64 = (1 << 64) - 1

FIRMWARE_SIZE = 64             # bytes of sbi_entry.S's code and data, rounded up


@dataclass(frozen=True)
class SbiCall:
    """One call the firmware served: who asked, which function, with what, and the answer."""

    hartid: int
    eid: int
    fid: int
    args: tuple
    error: int
    value: int

    @property
    def name(self) -> str:
        return EXTENSION_NAMES.get(self.eid, f"{self.eid:#x}")


_ENTRY_CACHE: dict = {}
_ENTRY_MAIN = "extern char sbi_entry_start[]; int main(void) { char *volatile p = sbi_entry_start; return p == 0; }\n"


def build_entry() -> dict:
    """Assemble sbi_entry.S with the toolchain: its bytes and the offsets of its symbols."""
    if "entry" not in _ENTRY_CACHE:
        src = (Path(__file__).resolve().parent / "sbi_entry.S").read_text()
        elf = build({"sbi_entry.S": src, "sbimain.c": _ENTRY_MAIN}, mode="bare", name="sbi_entry")
        with open(elf, "rb") as f:
            ef = ELFFile(f)
            syms = {s.name: s["st_value"] for s in ef.get_section_by_name(".symtab").iter_symbols() if s.name}
            lo, hi = syms["sbi_entry_start"], syms["sbi_entry_end"]
            for seg in ef.iter_segments():
                if seg["p_type"] == "PT_LOAD" and seg["p_vaddr"] <= lo and hi <= seg["p_vaddr"] + seg["p_filesz"]:
                    code = seg.data()[lo - seg["p_vaddr"]:hi - seg["p_vaddr"]]
                    break
            else:
                raise RuntimeError(f"sbi_entry: [{lo:#x}, {hi:#x}) is not in a loaded segment of {elf}")
        if len(code) > FIRMWARE_SIZE:
            raise RuntimeError(f"sbi_entry is {len(code)} bytes, more than FIRMWARE_SIZE {FIRMWARE_SIZE}")
        _ENTRY_CACHE["entry"] = {"code": code, "vector": syms["sbi_vector"] - lo, "handler": syms["sbi_handler"] - lo}
    return _ENTRY_CACHE["entry"]


class Firmware:
    """The SBI firmware of one machine: install() it, then every trap to M-mode comes here."""

    def __init__(self, machine) -> None:
        self.machine = machine
        self.base = 0                    # physical address of sbi_entry (install())
        self.vector = 0                  # mtvec: sbi_vector's physical address
        self.calls: list[SbiCall] = []   # the last calls served (at most keep_calls)
        self.keep_calls = 1000
        self.counts: dict[str, int] = {}  # extension name -> calls served; "MTI"/"MSI" interrupts turned over
        self.log: list[str] = []         # what went wrong (an unexpected trap to M-mode)
        self.reset_reason: str | None = None   # set by system_reset

    def install(self, pa: int) -> None:
        """Put the entry code at physical ``pa`` and point every hart's mtvec at it (MSI on for IPIs)."""
        entry = build_entry()
        m = self.machine
        addr = m.hostcalls.register("sbi", self.handle_trap)
        code = bytearray(entry["code"])
        code[entry["handler"]:entry["handler"] + 8] = addr.to_bytes(8, "little")
        m.bus.write_bytes(pa, bytes(code))
        self.base, self.vector = pa, pa + entry["vector"]
        for hart in m.harts:
            hart.csr.write("mtvec", self.vector)
            hart.csr.write("mie", hart.csr.read("mie") | MIP_MSIP)

    # -- the trap ------------------------------------------------------------------------------
    def handle_trap(self, hart) -> None:
        """Host call from sbi_vector: a trap taken to M-mode, told apart by mcause."""
        csr = hart.csr
        mcause = csr.read("mcause")
        if mcause & INTERRUPT_BIT:
            irq = mcause & ~INTERRUPT_BIT
            if irq == IRQ_MTI:                 # the timer set_timer asked for: hand it to S-mode
                csr.write("mie", csr.read("mie") & ~MIP_MTIP)
                csr.write("mip", csr.read("mip") | MIP_STIP)
            elif irq == IRQ_MSI:               # an IPI: clear it at the CLINT, post SSIP to S-mode
                self.machine.bus.store(CLINT_BASE + MSIP_OFFSET + 4 * hart.hartid, 4, 0)
                csr.write("mip", csr.read("mip") | MIP_SSIP)
            else:
                self._unexpected(hart, mcause)
                return
            name = "MTI" if irq == IRQ_MTI else "MSI"
            self.counts[name] = self.counts.get(name, 0) + 1
            return
        if mcause != CAUSE_ECALL_FROM_S:
            self._unexpected(hart, mcause)
            return
        x = hart.x
        eid, fid, args = x[17], x[16], tuple(x[10:16])
        error, value = self.call(hart, eid, fid, args)
        legacy = eid < EXT_BASE
        x[10] = error & M64
        if not legacy:
            x[11] = value & M64
        csr.write("mepc", csr.read("mepc") + 4)    # past the ecall
        rec = SbiCall(hart.hartid, eid, fid, args, error, value)
        self.calls.append(rec)
        if len(self.calls) > self.keep_calls:
            del self.calls[: len(self.calls) - self.keep_calls]
        self.counts[rec.name] = self.counts.get(rec.name, 0) + 1

    def _unexpected(self, hart, mcause: int) -> None:
        """A trap M-mode has no business taking: stop the machine with a message (OpenSBI would hang)."""
        msg = (f"sbi: unexpected trap to M-mode on hart {hart.hartid}: mcause={mcause:#x} "
               f"mepc={hart.csr.read('mepc'):#x} mtval={hart.csr.read('mtval'):#x}")
        self.log.append(msg)
        self.machine.stop(msg)

    # -- the functions ------------------------------------------------------------------------
    def call(self, hart, eid: int, fid: int, args: tuple) -> tuple[int, int]:
        """Serve one SBI call: returns (error, value)."""
        a0, a1, a2, a3 = args[0], args[1], args[2], args[3]
        if eid == EXT_BASE:
            table = {0: SPEC_VERSION, 1: IMPL_ID, 2: IMPL_VERSION,
                     4: hart.csr.read("mvendorid"), 5: hart.csr.read("marchid"), 6: hart.csr.read("mimpid")}
            if fid == 3:                                       # probe_extension
                return SBI_SUCCESS, int(a0 in EXTENSION_NAMES)
            if fid in table:
                return SBI_SUCCESS, table[fid]
            return SBI_ERR_NOT_SUPPORTED, 0
        if eid in (EXT_TIME, EXT_LEGACY_SET_TIMER) and (fid == 0 or eid == EXT_LEGACY_SET_TIMER):
            self.set_timer(hart, a0)
            return SBI_SUCCESS, 0
        if eid == EXT_IPI and fid == 0:
            return self._for_harts(a0, a1, self.send_ipi)
        if eid == EXT_RFENCE and fid in (0, 1, 2):
            def fence(h):
                if fid == 1:
                    self.machine.harts[h].mmu.flush(None if (a3 == M64 or a3 > 1 << 39) else a2, None)
                elif fid == 2:
                    self.machine.harts[h].mmu.flush(None if (a3 == M64 or a3 > 1 << 39) else a2, args[4])
            return self._for_harts(a0, a1, fence)           # fid 0 (fence.i): our harts recheck code anyway
        if eid == EXT_SRST and fid == 0:
            if a0 not in (0, 1, 2) or a1 not in (0, 1):
                return SBI_ERR_INVALID_PARAM, 0
            kind = {0: "shutdown", 1: "cold reboot", 2: "warm reboot"}[a0]
            self.reset_reason = f"system_reset: {kind} ({'no reason' if a1 == 0 else 'system failure'})"
            self.machine.stop(f"sbi {self.reset_reason}")
            return SBI_SUCCESS, 0
        if eid == EXT_LEGACY_SHUTDOWN:
            self.reset_reason = "legacy shutdown"
            self.machine.stop("sbi legacy shutdown")
            return SBI_SUCCESS, 0
        if eid == EXT_LEGACY_PUTCHAR or (eid == EXT_DBCN and fid == 2):
            self.machine.bus.store(UART_BASE, 1, a0 & 0xFF)   # the UART's transmit register
            return SBI_SUCCESS, 0
        if eid == EXT_DBCN and fid == 0:                    # write(num_bytes, base_lo, base_hi): physical
            try:
                data = self.machine.bus.read_bytes(a1 | (a2 << 32) if a2 else a1, a0)
            except BusError:                # not RAM: the kernel passed a bad address
                return SBI_ERR_INVALID_PARAM, 0
            for b in data:
                self.machine.bus.store(UART_BASE, 1, b)
            return SBI_SUCCESS, len(data)
        return SBI_ERR_NOT_SUPPORTED, 0

    def set_timer(self, hart, stime: int) -> None:
        """The supervisor timer interrupt at time ``stime``; any pending one is taken back."""
        csr = hart.csr
        if csr.read("menvcfg") & MENVCFG_STCE:           # Sstc: the supervisor's own comparator
            csr.write("stimecmp", stime)
            return
        self.machine.bus.store(CLINT_BASE + MTIMECMP_OFFSET + 8 * hart.hartid, 8, stime & M64)
        csr.write("mip", csr.read("mip") & ~MIP_STIP)
        csr.write("mie", csr.read("mie") | MIP_MTIP)

    def send_ipi(self, h: int) -> None:
        """A machine software interrupt to hart h: its firmware makes it a supervisor one."""
        self.machine.bus.store(CLINT_BASE + MSIP_OFFSET + 4 * h, 4, 1)

    def _for_harts(self, mask: int, base: int, fn) -> tuple[int, int]:
        """Run fn(hartid) for each hart in (mask, base); base = -1 means every hart (SBI's hart mask)."""
        n = self.machine.nharts
        if base == M64:
            targets = list(range(n))
        else:
            targets = [base + i for i in range(64) if mask >> i & 1]
            if any(h >= n for h in targets):
                return SBI_ERR_INVALID_PARAM, 0
        for h in targets:
            fn(h)
        return SBI_SUCCESS, 0
