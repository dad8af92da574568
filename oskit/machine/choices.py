"""Implementation choices: every place where the RISC-V specifications let a machine choose.

The unprivileged and privileged specifications (v1.12) leave some behaviour to
the implementation. This module lists what oskit's machine does, once, as
constants; the code that implements each choice imports the constant, so
changing one here changes the machine (tests pin the defaults). A few
constants only document a behaviour for which the code has a single
implementation (MISALIGNED_ACCESS_TRAPS, PMP_ENFORCED, ...): changing those
means writing the other behaviour, and their docstrings say where.

Hart (MACHINE-CORE)
-------------------
"""

# -- memory accesses -------------------------------------------------------------------

MISALIGNED_ACCESS_TRAPS = False
"""The default of ``machine.misaligned_access_traps``, which a chapter may change at any
time. False (as spike and most cores): a load or store whose address is not a
multiple of its size is done by the hardware, in one piece per page it touches;
each piece is translated as an access of its own, the lower page first, and all
before a byte moves, so a fault (say a page fault on the second page) reports
the address of the piece that faulted as tval and a store that faults writes
nothing. Only RAM is accessed in pieces: a misaligned access to a device
register is an access fault (5, 7). True: such a load or store traps, load
address misaligned (cause 4) or store address misaligned (cause 6), tval = the
address, checked before translation, so a misaligned access to an unmapped page
reports cause 4/6, not a page fault; the kernel turns both into SIGBUS.
Either way, lr, sc and AMOs on a misaligned address trap, lr with 4, sc and
AMOs with 6: an atomic access is never split. (Implemented in
cpu.Hart.load/store and their _misaligned helpers; the fast path's blocks call
them for any access that is not aligned.)"""

HARDWARE_AD_UPDATE = True
"""The page-table walker sets a PTE's A bit on any access and D on a write
(as QEMU does; the spec's Svadu-style behaviour) instead of raising a page
fault for software to set them. The update is done in memory by the walk,
before the access completes."""

PMP_ENFORCED = False
"""pmpcfg0, pmpcfg2 and pmpaddr0..15 exist and keep what is written (WARL:
pmpaddr keeps bits 53:0; a locked entry (L bit) ignores writes), so firmware
that programs them runs, but they are never checked on accesses."""

BUS_ERROR_IS_ACCESS_FAULT = True
"""A physical address where no RAM or device answers gives an access fault:
1 (fetch), 5 (load), 7 (store/AMO), tval = the virtual address. A page-table
walk that reads such an address gives the access fault of the access that
caused the walk."""

PAGE_TABLES_IN_RAM_ONLY = True
"""The page-table walker reads PTEs only from RAM: a PTE address in a device
(or where nothing answers) is an access fault of the access being translated
(the spec's PMA check: device regions do not support page-table walks)."""

LEGACY_SMODE_EXEC_USER = False
"""NOT RISC-V CONFORMING when True. The privileged spec says S-mode never
executes a U page (whatever SUM says). Older hardware of other architectures
had no such rule (x86 before SMEP, Arm before PXN), so a NULL function pointer
in a kernel ran whatever a process had mapped at address 0. The security
chapter turns this on per hart (``hart.mmu.legacy_smode_exec_user = True``,
or the kernel weakness "smep_off") to show that attack; the default is the
spec's rule."""

TLB_CAPACITY = 256
"""The TLB holds at most this many translations (one per page of any size:
4 KiB, 2 MiB or 1 GiB), dropping the oldest first. It caches successful
translations only; a hit that would fault now (or a store through an entry
whose D bit was clear) walks the page table again, so a kernel that only
adds permissions needs no sfence.vma; one that removes them does, as on real
hardware. The hart's per-page fast caches (cpu.py) are part of this TLB as
far as software can tell: sfence.vma drops them too."""

HOSTCALL_DATA_ACCESS = "access fault"
"""Loads and stores to the host-call range are access faults (5, 7) in M and
S mode; from U-mode (or M with MPRV and MPP = U) they are page faults (13, 15),
as for any kernel address a user program touches."""

RESERVATION_BY_VALUE = True
"""lr.w/lr.d remember the address, size and the value loaded. sc succeeds when
the reservation is for the same address and size and memory still holds that
value (so a store by another hart, a DMA or the host that changes it breaks
the reservation; one that writes the same value does not, as LR/SC allows
when it cannot be observed). Any sc, successful or not, ends the reservation."""

RESERVATION_LOST_ON_TRAP = True
"""Taking a trap or interrupt drops the reservation (allowed: the spec lets an
implementation fail sc after any trap)."""

TRIGGER_COUNT = 2
"""Each hart has 2 debug triggers (Sdtrig, trigger.py): address-match triggers of
type 6 (mcontrol6) or 2 (mcontrol) that fire on executing one address
(exact match, per mode m/s/u) with a breakpoint exception, cause 3, tval = the
address. Load and store matching, other match kinds and actions, chaining and
tcontrol are not implemented (their fields read back as 0). A trigger does not
fire in M-mode while mstatus.MIE = 0, nor in S-mode while sstatus.SIE = 0 when
medeleg delegates breakpoints (the spec's first answer to re-entrancy)."""

# -- trap values ------------------------------------------------------------------------

ILLEGAL_INSTRUCTION_TVAL = "bits"
"""mtval/stval on an illegal-instruction trap hold the instruction's 32 bits
(the spec allows 0 or the bits; the bits let a kernel report them). This
includes C, F and D instructions, which this machine does not implement."""

EBREAK_TVAL = "pc"
"""mtval/stval on ebreak hold the pc of the ebreak (allowed: "the faulting
virtual address"; 0 would be allowed too). ecall always writes tval = 0."""

# -- CSRs (WARL fields) ------------------------------------------------------------------

SATP_MODES = (0, 8)
"""satp.MODE: Bare (0) and Sv39 (8). Writing any other mode (Sv48, Sv57, a
reserved value) leaves satp entirely unchanged, as the spec allows."""

ASID_BITS = 16
"""satp.ASID is 16 bits wide (all written bits are kept)."""

MPP_RESERVED_KEEPS_OLD = True
"""Writing the reserved value 2 to mstatus.MPP keeps the previous MPP."""

TVEC_RESERVED_MODE_KEEPS_OLD = True
"""mtvec/stvec MODE values 2 and 3 are reserved: such a write keeps the old
MODE (the BASE part is written)."""

EPC_LOW_BITS_ZERO = True
"""mepc/sepc bits 1:0 always read as 0 (IALIGN = 32: there is no C extension)."""

MISA_VALUE = (2 << 62) | sum(1 << (ord(c) - ord("A")) for c in "AIMSU")
"""misa reports RV64 (MXL = 2) with extensions A, I, M, S, U; writes are ignored."""

MVENDORID = 0
MARCHID = 0
MIMPID = 0
"""mvendorid, marchid, mimpid read as 0 ("not implemented / non-commercial")."""

HPM_COUNTERS_ZERO = True
"""mhpmcounter3..31 and mhpmevent3..31 (and hpmcounter3..31) exist, read 0 and
ignore writes."""

ZERO_WARL_CSRS = ("mcountinhibit", "senvcfg")
"""These exist (firmware and kernels write them) but every field is hard-wired
to 0: counters are never inhibited, senvcfg.FIOM has no effect here."""

STATUS_FS_VS_XS_ZERO = True
"""mstatus.FS, VS, XS and SD are read-only 0 (no F, D, V or custom state);
UXL = SXL = 2 (64-bit) read-only; UBE/SBE/MBE = 0 (little-endian only)."""

COUNTER_CYCLE_EQUALS_INSTRET = True
"""Every instruction takes one cycle: mcycle and minstret advance together
(each can be written separately). A trap or interrupt entry retires nothing."""

WFI_IN_U_MODE_ILLEGAL = True
"""wfi in U-mode is an illegal instruction (the spec allows it to trap when it
does not complete within a bounded time; we always trap). In S-mode it traps
only when mstatus.TW = 1."""

UNKNOWN_FENCE_FIELDS_ARE_FENCE = True
"""fence with reserved fm/rd/rs1 values executes as an ordinary fence (the
spec asks implementations to do so); fence and fence.i do nothing else since
this machine has no caches of its own that software could see."""

# -- reset ------------------------------------------------------------------------------

RESET_PRIV = 3
"""Every hart starts in M-mode."""

RESET_STATE = "zero"
"""At reset: x1..x31 = 0, mstatus = 0 except UXL/SXL, mie = mip = 0, satp = 0
(Bare), medeleg = mideleg = 0, mtvec = 0, counters = 0, menvcfg = 0,
stimecmp = all ones (no timer interrupt until software sets one)."""

# -- faster execution --------------------------------------------------------------------

BLOCK_MAX_INSTRUCTIONS = 32
"""The fast path translates at most this many instructions into one Python
function. A block also ends after a jump (jal, jalr), before a CSR or system
instruction, and at a page boundary; a taken conditional branch leaves it
through a side exit, a not-taken one falls through to the next instruction."""

BLOCK_HOT_THRESHOLD = 8
"""A block start is interpreted this many times before it is translated (code
that runs once, like start-up code, is cheaper to interpret)."""

CODE_COHERENT = True
"""The fast path re-checks a translated block's instruction bytes before it
runs it, so code written by a store, another hart or the host is always
seen, with or without fence.i (stronger than the spec requires)."""


# ======================================================================================
# Platform (PLATFORM): time, harts, devices -- used by clint.py, machine.py, uart.py, plic.py
# ======================================================================================

TIMEBASE_HZ = 10_000_000
"""mtime counts at 10 MHz, as on QEMU's virt board: one tick is 100 ns of
emulated time. (A device tree or a kernel that converts ticks to seconds uses
this number.)"""

INSTRUCTIONS_PER_TICK = 10
"""Time is deterministic: mtime gains one tick every 10 instructions a hart
executes, as if every hart ran at 100 million instructions per emulated second.
Nothing in the machine reads the host's clock, so a run is repeatable and a
slow host does not make timers fire "earlier" in guest terms."""

QUANTUM = 1000
"""Harts are stepped round-robin in one Python thread: each runs a slice of at
most 1000 instructions before the next hart's turn. Harts run side by side:
a round advances time by its longest slice, not by the sum. A slice also ends
at the next timer deadline (any hart's mtimecmp, or stimecmp with Sstc on),
so a timer interrupt is taken exactly at its deadline. mtime (and the time
CSR) holds still during a slice and moves between slices: time read twice
within one slice is the same, a granularity of 100 ticks (10 us). That keeps
time independent of how a hart executes (one instruction at a time or in
translated blocks), so both paths see the same times and can be compared."""

IDLE_FAST_FORWARD = True
"""When every hart waits in WFI, mtime jumps to the earliest deadline that can
wake one (mtimecmp with mie.MTIE, stimecmp with Sstc on and mie.STIE): idle time
costs no host time. With no such deadline the run ends with reason "idle"."""

MTIMECMP_RESET = (1 << 64) - 1
"""mtimecmp starts at all ones ("never"), so no timer interrupt is pending
until software sets one (the spec leaves the reset value unspecified)."""

PLIC_SOURCES = 96
"""The PLIC has sources 1..95 (0 means "none") with 3-bit priorities (0..7), and
two contexts per hart: 2*h is hart h in M-mode (MEIP), 2*h+1 in S-mode (SEIP),
as on QEMU's virt board. Sources are level-triggered."""

UART_RX_UNBOUNDED = True
"""The UART's receive side holds every byte the host feeds (it never overruns,
so LSR.OE is never set), and its interrupt is raised as soon as one byte
waits (no FIFO trigger level). Transmission is instantaneous: LSR.THRE and
TEMT are always set."""
