"""Implementation choices: where the RISC-V specifications let a machine choose, what oskit's does.

The unprivileged and privileged specifications (v1.12) leave some behaviour to
the implementation. Each constant below is one such choice, and the code that
makes the choice reads it (tests/machine/test_choices.py fails when a constant
is read nowhere), so changing one here changes the machine; tests pin the
defaults. Where a constant is the default of a per-machine or per-hart
setting, its docstring names the setting, which a chapter may change at run
time (``machine.misaligned_access_traps``, ``hart.mmu.legacy_smode_exec_user``,
``machine.idle_fast_forward``).

Choices for which the machine has only one implementation are not constants
here; they are documented where the code makes them:

    pmpcfg/pmpaddr are kept (WARL, lock bit) but never checked     csr.py
    reserved mstatus.MPP and xtvec.MODE writes keep the old value;
    xepc bits 1:0 read 0; hpm counters and events read 0; FS, VS,
    XS, SD are 0 and UXL = SXL = 64; one cycle per instruction       csr.py
    where nothing answers: an access fault (1, 5, 7; tval = the
    virtual address); page tables are read from RAM only            cpu.py, mmu.py
    loads and stores to the host-call range fault                   cpu.py (Hart._data_pa)
    lr/sc reservations are checked by value                         cpu.py (Hart.load_reserved)
    translated blocks are re-checked against memory before each
    run, so written code is always seen, with or without fence.i    cpu.py
    fence with reserved fm/rd/rs1 values is an ordinary fence        decode.py
    the reset state of registers and CSRs                           cpu.Hart, csr.CSRFile
    the UART receives into an unbounded queue, sends instantly      uart.py

Hart
----
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
before the access completes. Only an access that passes its permission check
sets them: a faulting AMO leaves A clear (QEMU 7.2 may have set it: its AMO is
a load, then a store). A failing sc is still translated and checked as a
store (causes 6, 7, 15) and sets A and D, as Spike does (QEMU 7.2 looks at
nothing). (Found by tests/difftest against QEMU; tests/programs/README.md.)"""

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
hardware. The hart's per-page fast caches (cpu.py) are part of this TLB:
each of their entries leaves with the TLB entry it came from (evicted or
flushed), so a program whose working set is larger than the TLB walks on
every pass, in the fast path as in the plain interpreter."""

RESERVATION_LOST_ON_TRAP = True
"""True: taking a trap or interrupt drops an lr reservation, so an sc after it
fails (allowed: the spec lets an implementation fail sc after any trap).
False: a reservation survives traps (allowed too: xRET need not clear it, and
trap handlers are told to clear it with a dummy sc). (Read in trap.take_trap.)"""

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
"""mtval/stval on an illegal-instruction trap: "bits", the instruction's bits
(they let a kernel report them): the low 16 for a 16-bit encoding (bits 1:0 not
11), else 32, as the spec says (the shortest of the instruction and ILEN); or
"zero" (the spec allows both). This
includes C, F and D instructions, which this machine does not implement.
(Read in cpu.Hart._step, where every illegal-instruction trap is taken.)"""

EBREAK_TVAL = "pc"
"""mtval/stval on ebreak: "pc", the address of the ebreak (allowed: "the
faulting virtual address"), or "zero" (allowed too). ecall always writes
tval = 0. (Read in decode.ebreak.)"""

# -- CSRs (WARL fields) ------------------------------------------------------------------

SATP_MODES = (0, 8)
"""satp.MODE: Bare (0) and Sv39 (8). Writing any other mode (Sv48, Sv57, a
reserved value) leaves satp entirely unchanged, as the spec allows."""

ASID_BITS = 16
"""satp.ASID is 16 bits wide (all written bits are kept)."""

MISA_VALUE = (2 << 62) | sum(1 << (ord(c) - ord("A")) for c in "AIMSU")
"""misa reports RV64 (MXL = 2) with extensions A, I, M, S, U; writes are ignored."""

MVENDORID = 0
MARCHID = 0
MIMPID = 0
"""mvendorid, marchid, mimpid read as 0 ("not implemented / non-commercial")."""

ZERO_WARL_CSRS = ("mcountinhibit", "senvcfg")
"""These CSRs exist (firmware and kernels write them) but every field is
hard-wired to 0: counters are never inhibited, senvcfg.FIOM has no effect here.
Any CSR named here reads 0 and ignores writes. (Read in csr.py.)"""

WFI_IN_U_MODE_ILLEGAL = True
"""True: wfi in U-mode is an illegal instruction (the spec lets it trap when it
does not complete within a bounded time; we always trap). False: it completes
at once, as a nop (a bounded time of zero). In S-mode it traps only when
mstatus.TW = 1. (Read in cpu.Hart.wfi.)"""

# -- reset ------------------------------------------------------------------------------

RESET_PRIV = 3
"""Every hart starts in M-mode."""

# -- faster execution --------------------------------------------------------------------

BLOCK_MAX_INSTRUCTIONS = 32
"""The fast path translates at most this many instructions into one Python
function. A block also ends after a jump (jal, jalr), before a system
instruction or a CSR instruction on a CSR outside BLOCK_CSRS, and at a page
boundary; a taken conditional branch leaves it through a side exit, a
not-taken one falls through to the next instruction."""

BLOCK_CSRS = frozenset({0x140, 0x141, 0x142, 0x143, 0x340, 0x341, 0x342, 0x343})
"""CSR instructions a block may contain: on the scratch and trap registers
(sscratch, sepc, scause, stval and their M-mode twins). Accessing them changes
nothing else about the hart (not its privilege, address space or interrupts)
and does not read a counter, so a block need not end there: a trap handler's
register saving (csrrw sp, sscratch, sp; ... csrr t0, sepc) runs as one block.
Any other CSR ends the block, and the plain path executes it."""

BLOCK_HOT_THRESHOLD = 8
"""A block start is interpreted this many times before it is translated (code
that runs once, like start-up code, is cheaper to interpret)."""

# ======================================================================================
# Platform: time, harts, devices -- read by clint.py, machine.py, plic.py
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
"""The default of ``machine.idle_fast_forward``. True: when every hart waits in
WFI, mtime jumps to the earliest deadline that can wake one (mtimecmp with
mie.MTIE, stimecmp with Sstc on and mie.STIE): idle time costs no host time.
False: idle time passes one slice at a time, as if the harts spun (the same
guest-visible times, more host time). Either way, with no such deadline the run
ends with reason "idle". (Read in Machine.run.)"""

MTIMECMP_RESET = (1 << 64) - 1
"""mtimecmp starts at all ones ("never"), so no timer interrupt is pending
until software sets one (the spec leaves the reset value unspecified)."""

PLIC_SOURCES = 96
"""The PLIC has sources 1..95 (0 means "none") with 3-bit priorities (0..7), and
two contexts per hart: 2*h is hart h in M-mode (MEIP), 2*h+1 in S-mode (SEIP),
as on QEMU's virt board. Sources are level-triggered."""

