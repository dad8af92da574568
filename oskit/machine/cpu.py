"""The hart: registers, fetch-decode-execute, memory access, interrupts, and the fast path.

The map of this module:

    Hart                    one RISC-V hart (RV64IMA, Zicsr, Zifencei; M, S and U modes)
      .x .pc .priv .csr     architectural state (x: 32 unsigned 64-bit ints, x[0] == 0)
      .mmu                  Sv39 translation and TLB (mmu.py)
      .triggers             debug triggers: hardware breakpoints (trigger.py)
      .step()               execute exactly one instruction, or take one trap
      .run(n)               execute up to n instructions (returns early on WFI or machine.stop)
      .call(addr, *args)    run a guest routine until it returns to the host
      .translate(va, acc)   virtual -> physical, as the hardware would for this hart
      .set_pending(bit, l)  an interrupt line from a device
      .load/.store/.amo...  the memory accesses instructions make (the table in decode.py uses them)
    Block                   a run of instructions translated into one Python function (blocks.py)

Two ways to execute, with the same results:

1. The plain interpreter, Hart.step(): fetch the word at pc (through the
   per-page fetch cache, or translation), decode it (decode.decode() caches by
   word), and call the instruction's function from the table in decode.py.

2. The fast path (Hart.fast = True, the default), used by run(): a straight
   run of instructions (ending after a jump, before any CSR or system
   instruction, at a page end, or after choices.BLOCK_MAX_INSTRUCTIONS; a
   taken conditional branch leaves through a side exit) is
   translated once into the source of one Python function, built from the
   bodies of the very same table functions, with the register numbers and
   immediates turned into constants. Loads and stores go straight to RAM
   through per-page caches (virtual page -> RAM offset) filled by the slow
   path, which is the table's own code. Those page caches are part of the
   TLB (see mmu.py): each entry is tied to the TLB entry it came from and
   leaves with it. Blocks are cached by physical address
   and re-checked against the instruction bytes before each run, so code
   written by a store, another hart or the host is always seen, with or
   without fence.i (stronger than the spec asks), and retranslated. Only code
   reached choices.BLOCK_HOT_THRESHOLD times is translated. A block in which
   a branch or jal goes back to its first instruction loops inside Python,
   within the instruction budget it is given.
   When an instruction inside a block traps, the line number in the
   traceback tells which instruction it was (and, in a looping block, the
   frame's iteration counter how many rounds completed): the ones before it
   have retired, it has written nothing.
   A block leaves early (h.partial) after a slow-path access that reached a
   device, so an interrupt that the device raised is taken at the next
   instruction, exactly as in the plain interpreter.

   With translation on, every fetch and every load, store or AMO is a TLB
   lookup (mmu.lookups): the plain interpreter counts them one by one, a
   block adds them up once per run (Hart.count_lookups), so both paths count
   the same. A slow-path access that evicts the TLB entry of the page being
   executed also ends the block (h.brk), so that the next fetch looks the TLB
   up and walks, as it does in the plain interpreter.

   See the translation of the block at pc with hart.block_source(pc).

Every trap goes through trap.take_trap(). An access to a physical address where
no RAM or device answers (bus.BusError) is an access fault: 1 (fetch), 5 (load),
7 (store or AMO), tval = the virtual address. Interrupts are checked at
instruction boundaries whenever something that can change them happened (the
``brk`` flag: a CSR write, a device line, a privilege change, a device access).

Host calls: when pc enters [HOSTCALL_BASE, HOSTCALL_END) in S- or M-mode, the
hart asks machine.hostcalls to run the Python function (before any
translation). In U-mode that fetch is an instruction page fault. Loads and
stores in that range are access faults (page faults from U-mode, which cannot
see kernel addresses at all).
"""

from __future__ import annotations

from oskit.machine import choices
from oskit.machine.blocks import _SHIFT, DATA_ACCESS_KINDS, Block, block_globals, make_block
from oskit.machine.bus import BusError
from oskit.machine.csr import MSTATUS_MPRV, MSTATUS_MXR, MSTATUS_SUM, MSTATUS_TSR, MSTATUS_TVM, MSTATUS_TW, CSRFile
from oskit.machine.decode import M64, decode, instruction_bits
from oskit.machine.events import InstructionEvent, XretEvent
from oskit.machine.hostcall import HOSTCALL_BASE, HOSTCALL_END, HOSTCALL_RESERVED
from oskit.machine.mmu import MMU
from oskit.machine.trap import (
    ACCESS_FAULT,
    PAGE_FAULT,
    Cause,
    IllegalInstruction,
    InstructionAccessFault,
    InstructionAddressMisaligned,
    InstructionPageFault,
    LoadAddressMisaligned,
    Priv,
    StoreAddressMisaligned,
    Trap,
    pending_interrupt,
    take_trap,
)
from oskit.machine.trigger import TriggerModule

"""Instructions of these kinds (decode.py) make one data access: one TLB lookup when translated."""

CALL_RETURN = HOSTCALL_RESERVED
"""hart.call() puts this in ra: when the guest routine returns there, the call is over."""

PAGE = 4096
_VIEW_FORMATS = {(1, False): "B", (1, True): "b", (2, False): "H", (2, True): "h",
                 (4, False): "I", (4, True): "i", (8, False): "Q", (8, True): "q"}  # fmt: skip



class HostCallError(RuntimeError):
    """A host function misbehaved (for example, a guest Trap escaped from it)."""


class GuestCallError(RuntimeError):
    """hart.call() could not finish: the routine ran too long, waits in WFI, or the machine stopped."""


_PRIV = {int(p): p for p in Priv}  # a dict lookup: Priv(n) costs a microsecond, on every trap and CSR access

class Hart:
    """One hardware thread of a Machine (see the module docstring)."""

    def __init__(self, machine, hartid: int):
        self.machine = machine
        self.hartid = hartid
        self.x = [0] * 32
        self.pc = 0
        self._priv = choices.RESET_PRIV
        self.instret = 0  # instructions retired (minstret and mcycle are views with offsets)
        self.waiting = False  # in WFI until an enabled interrupt is pending
        self.reservation = None  # lr: (physical address, size, value) (see load_reserved)
        self.fast = True  # use translated blocks in run() (False: the plain interpreter only)
        self.hot_threshold = choices.BLOCK_HOT_THRESHOLD  # visits before a block is translated (1: at once)
        self.blocks_translated = 0  # how many blocks the fast path has made (for views and tests)
        self.brk = True  # something changed: look at interrupts/stop before the next instruction
        self.partial = 0  # set by every block on its way out: how many instructions it ran
        self.rounds = 0  # set by every looping block on its way out: how many rounds of its loop completed
        self._call_depth = 0
        self._returned = False
        self.stall = 0  # cycles of work done for this hart outside its instructions (a host call's), not yet spent
        self.run_stall = 0  # of the steps the last run() returned, how many were such cycles (stall)
        ram = machine.bus.ram
        self._ram_base, self._ram_size = ram.base, ram.size
        mv = memoryview(ram.data)
        self._views = {key: mv.cast(fmt) for key, fmt in _VIEW_FORMATS.items()}  # a memoryview indexes fastest
        self._u32 = self._views[(4, False)]
        self._block_globals = block_globals(self._views)
        self._hooks_seen = -1
        self.csr = CSRFile(self)
        self.mmu = MMU(self)
        self.triggers = TriggerModule(self)  # Sdtrig breakpoints (tselect, tdata1..3, tinfo)
        self._blocks: dict[int, Block] = {}  # RAM offset -> translated block
        self._heat: dict[int, int] = {}  # RAM offset -> times a block start was reached before translation
        self._caches: dict = {}
        self.context_changed()

    # -- privilege and the memory context ------------------------------------------------

    @property
    def priv(self) -> Priv:
        """The current privilege mode."""
        return _PRIV[self._priv]

    @priv.setter
    def priv(self, value: int) -> None:
        self.set_priv(value)

    def set_priv(self, value: int) -> None:
        """Switch privilege mode (traps, xRET, or a host setting up a hart)."""
        if value not in (0, 1, 3):
            raise ValueError(f"privilege must be U (0), S (1) or M (3), found {value!r}")
        self._priv = int(value)
        self.context_changed()

    def context_changed(self) -> None:
        """Privilege, mstatus or satp changed: pick the page caches that match, re-check interrupts.

        The fast page caches (virtual page -> RAM offset) are valid for one
        combination of address space (satp's ASID, as the TLB's tags),
        privilege, SUM and MXR; one set is kept per combination, so returning
        to an address space or a mode finds its pages again. With translation
        on they hold only what the TLB holds: every entry is tied to the TLB
        entry it was filled from and leaves with it (mmu.py).
        """
        ms = self.csr.mstatus
        satp = self.csr.satp
        priv = self._priv
        # MPRV: M-mode loads and stores use the privilege in MPP (fetches do not).
        dpriv = (ms >> 11) & 3 if (priv == Priv.M and ms & MSTATUS_MPRV) else priv
        self._dpriv = dpriv
        sv39 = satp >> 60 == 8
        self._xlate_fetch = sv39 and priv != Priv.M
        self._xlate_data = sv39 and dpriv != Priv.M
        self._translating = self._xlate_fetch or self._xlate_data  # some access is a TLB lookup
        caches = self._caches
        asid = (satp >> 44) & 0xFFFF
        xkey = ("x", asid, priv) if self._xlate_fetch else ("x",)
        dkey = ("d", asid, dpriv, ms & (MSTATUS_SUM | MSTATUS_MXR)) if self._xlate_data else ("d",)
        if xkey not in caches:
            caches[xkey] = {}
        if dkey not in caches:
            caches[dkey] = ({}, {})
        self._xc = caches[xkey]
        self._rc, self._wc = caches[dkey]
        self.brk = True

    def flush_page_caches(self) -> None:
        """Drop every fast page cache (when the bus's store hooks change); the TLB keeps its entries."""
        self._caches.clear()
        self.mmu.forget_page_caches()
        self.context_changed()

    def interrupts_changed(self) -> None:
        """mie, mip, mideleg, stimecmp or a line changed: check interrupts before the next instruction."""
        self.brk = True

    def set_pending(self, bit: int, level: bool) -> None:
        """A device raises (level True) or lowers an interrupt line: MSIP 3, MTIP 7, SEIP 9, MEIP 11."""
        if bit not in (3, 7, 9, 11):
            raise ValueError(f"interrupt line must be MSIP 3, MTIP 7, SEIP 9 or MEIP 11, found {bit!r}")
        if level:
            self.csr.lines |= 1 << bit
        else:
            self.csr.lines &= ~(1 << bit)
        self.brk = True

    # -- address translation ---------------------------------------------------------------

    def translate(self, va: int, access: str, priv: int | None = None) -> int:
        """The physical address for va, as this hart's hardware would compute it.

        access is "r", "w" or "x". priv defaults to the current mode (for
        "r"/"w" with mstatus.MPRV applied). Uses satp, SUM and MXR; sets A/D
        like the hardware walk; raises PageFault (cause 12/13/15, tval = va).
        Counts as one TLB lookup.
        """
        if access not in ("r", "w", "x"):
            raise ValueError(f"access must be 'r', 'w' or 'x', found {access!r}")
        if priv is None:
            priv = self._priv if access == "x" else self._dpriv
        satp = self.csr.satp
        if priv == Priv.M or satp >> 60 != 8:
            return va
        ms = self.csr.mstatus
        self.mmu.lookups += 1
        return self.mmu.translate(va, access, priv, satp, bool(ms & MSTATUS_SUM), bool(ms & MSTATUS_MXR))

    def _data_pa(self, va: int, access: str) -> int:
        """The physical address of a load ("r") or store ("w") at va, or a fault.

        The host-call range is neither readable nor writable: access faults
        (5, 7) in M and S mode; page faults (13, 15) from U (or M with MPRV and
        MPP = U), as for any kernel address a user program touches.
        """
        if HOSTCALL_BASE <= va < HOSTCALL_END:
            if self._dpriv == Priv.U:
                raise PAGE_FAULT[access](va)
            raise ACCESS_FAULT[access](va)
        if self._xlate_data:
            ms = self.csr.mstatus
            return self.mmu.translate(va, access, self._dpriv, self.csr.satp, bool(ms & MSTATUS_SUM),
                                      bool(ms & MSTATUS_MXR))  # fmt: skip
        return va

    def _ram_page(self, va: int, pa: int) -> int | None:
        """The page-cache entry for va -> pa when pa is in RAM: RAM offset minus va (page-aligned)."""
        off = pa - self._ram_base
        if 0 <= off < self._ram_size:
            return (off & ~0xFFF) - (va & ~0xFFF)
        return None

    def _fill(self, cache: dict, va: int, d: int, translated: bool) -> None:
        """Remember va's page in a page cache: tied to its TLB entry when translated (mmu.py)."""
        if translated:
            self.mmu.fill_page_cache(cache, va >> 12, d, cache is self._xc)
        else:
            cache[va >> 12] = d  # untranslated: the page cache only saves the RAM bounds check

    def count_lookups(self, block: Block, ran: int, rounds: int) -> None:
        """Count the TLB lookups of `ran` instructions of a block, `rounds` rounds of its loop among them.

        A real TLB is looked up on every fetch and every data access; a block
        does not count them one by one (that would cost an attribute update
        per instruction). They are added up once per run of the block instead:
        `ran` fetches, and the loads, stores and AMOs among those
        instructions, from a table the block was made with (Block.accesses).
        """
        mmu = self.mmu
        if self._xlate_fetch:
            mmu.lookups += ran
        if self._xlate_data:
            mmu.lookups += block.data_accesses(ran, rounds)

    # -- memory accesses of instructions ---------------------------------------------------

    def load(self, va: int, size: int) -> int:
        """An instruction's load of size bytes at va: the unsigned value, or a trap."""
        if va & (size - 1):
            return self._load_misaligned(va, size)
        d = self._rc.get(va >> 12)
        if d is None:
            pa = self._data_pa(va, "r")
            d = self._ram_page(va, pa)
            if d is None:
                try:
                    value = self.machine.bus.load(pa, size)
                except BusError:
                    raise ACCESS_FAULT["r"](va) from None
                self.brk = True  # a device read may change interrupt lines
                return value
            self._fill(self._rc, va, d, self._xlate_data)
        return self._views[(size, False)][(va + d) >> _SHIFT[size]]

    def store(self, va: int, size: int, value: int) -> None:
        """An instruction's store of the low size bytes of value at va, or a trap."""
        if va & (size - 1):
            self._store_misaligned(va, size, value)
            return
        d = self._wc.get(va >> 12)
        if d is None:
            pa = self._data_pa(va, "w")
            d = self._ram_page(va, pa)
            bus = self.machine.bus
            if d is None:
                try:
                    bus.store(pa, size, value)
                except BusError:
                    raise ACCESS_FAULT["w"](va) from None
                self.brk = True  # a device write may raise an interrupt or stop the machine
                return
            if bus.store_hooks and (pa >> 12) in bus.store_hooks:
                bus.store(pa, size, value)  # RAM that someone watches (HTIF tohost): the hook may stop the run
                if self.machine.stopping:
                    self.brk = True
                return
            self._fill(self._wc, va, d, self._xlate_data)
        self._views[(size, False)][(va + d) >> _SHIFT[size]] = value

    # Misaligned loads and stores are rare, so they leave the aligned path above with one
    # test of the low address bits and are done here, in pieces (choices.MISALIGNED_ACCESS_TRAPS).

    def _load_misaligned(self, va: int, size: int) -> int:
        """A load whose address is not a multiple of its size: trap, or read the bytes piece by piece."""
        if self.machine.misaligned_access_traps:
            raise LoadAddressMisaligned(va)
        value = shift = 0
        for pa, n in self._misaligned_pieces(va, size, "r"):
            value |= self.machine.bus.load(pa, n) << shift
            shift += 8 * n
        return value

    def _store_misaligned(self, va: int, size: int, value: int) -> None:
        """A store whose address is not a multiple of its size: trap, or write the bytes piece by piece."""
        if self.machine.misaligned_access_traps:
            raise StoreAddressMisaligned(va)
        for pa, n in self._misaligned_pieces(va, size, "w"):
            # Through the bus, so that a watched page (HTIF's tohost) sees the store.
            self.machine.bus.store(pa, n, value)
            value >>= 8 * n

    def _misaligned_pieces(self, va: int, size: int, access: str) -> list[tuple[int, int]]:
        """The physical (address, length) of each part of a misaligned access: one per page it touches.

        Each part is translated as an access of its own, the lower page first,
        and all of them before a byte moves: a store that faults on its second
        page has written nothing. A fault reports the virtual address of the
        part that faulted (privileged spec: "the portion of the access that
        caused the fault"), so a page fault on the second page has tval = the
        first address of that page. Only RAM is accessed in pieces: a part
        that falls on a device register is an access fault (a device register
        has one size and one address; splitting an access to it would read or
        write something else).
        """
        first = min(size, PAGE - (va & (PAGE - 1)))
        parts = [(va, first)] if first == size else [(va, first), ((va + first) & M64, size - first)]
        pieces = []
        for part_va, n in parts:
            pa = self._data_pa(part_va, access)
            if not self.machine.bus.ram.contains(pa, n):
                raise ACCESS_FAULT[access](part_va)
            pieces.append((pa, n))
        return pieces

    def amo(self, va: int, size: int, combine, src: int) -> int:
        """An AMO: old = mem[va]; mem[va] = combine(old, src); returns old (unsigned, size bytes).

        Translated and checked as a store (faults are store/AMO faults, causes 6, 7, 15).
        A misaligned AMO always traps (cause 6), whatever misaligned_access_traps says:
        an atomic access must not be split (the spec lets it raise address-misaligned).
        """
        if va & (size - 1):
            raise StoreAddressMisaligned(va)
        pa = self._data_pa(va, "w")  # a store page fault even for the read half
        bus = self.machine.bus
        try:
            old = bus.load(pa, size)
            bus.store(pa, size, combine(old, src, 8 * size))
        except BusError:
            raise ACCESS_FAULT["w"](va) from None
        self.brk = self.brk or self._ram_page(va, pa) is None
        return old

    def load_reserved(self, va: int, size: int) -> int:
        """lr: load and remember (physical address, size, value).

        The reservation is checked by value (an implementation choice): sc
        succeeds when it is for the same address and size and memory still
        holds that value, so a store by another hart, a DMA or the host that
        changes the word breaks it, and one that writes the same value does
        not (LR/SC allows that when it cannot be observed). Any sc, successful
        or not, ends the reservation; so may a trap (choices.RESERVATION_LOST_ON_TRAP).
        A misaligned lr always traps (cause 4), as a misaligned AMO does (cause 6).
        """
        if va & (size - 1):
            raise LoadAddressMisaligned(va)
        pa = self._data_pa(va, "r")
        try:
            value = self.machine.bus.load(pa, size)
        except BusError:
            raise ACCESS_FAULT["r"](va) from None
        self.reservation = (pa, size, value)
        return value

    def store_conditional(self, va: int, size: int, value: int) -> int:
        """sc: store and return 0 when the reservation holds, else return 1 and store nothing.

        A misaligned sc always traps (cause 6).
        """
        if va & (size - 1):
            raise StoreAddressMisaligned(va)
        pa = self._data_pa(va, "w")
        reservation, self.reservation = self.reservation, None
        bus = self.machine.bus
        try:
            if reservation is None or reservation[:2] != (pa, size) or bus.load(pa, size) != reservation[2]:
                return 1
            bus.store(pa, size, value)
        except BusError:
            raise ACCESS_FAULT["w"](va) from None
        return 0

    # -- system instructions -----------------------------------------------------------------

    def csr_instruction(self, number: int, op: int, src: int, read: bool, write: bool) -> int:
        """csrrw/csrrs/csrrc and their immediate forms (see CSRFile.access)."""
        return self.csr.access(number, op, src, read, write)

    def xret(self, kind: str) -> int:
        """mret or sret: restore the interrupt enable and privilege saved at trap entry; returns xepc.

        mret: needs M. sret: needs S or M, and traps in S-mode when mstatus.TSR is set.
        """
        csr = self.csr
        ms = csr.mstatus
        priv = self._priv
        if kind == "mret":
            if priv < Priv.M:
                raise IllegalInstruction()
            to = (ms >> 11) & 3
            # MIE <- MPIE, MPIE <- 1, MPP <- U; leaving M-mode clears MPRV.
            ms = (ms & ~((1 << 3) | (3 << 11))) | ((ms >> 4) & (1 << 3)) | (1 << 7)
            pc = csr.mepc
        else:
            if priv < Priv.S or (priv == Priv.S and ms & MSTATUS_TSR):
                raise IllegalInstruction()
            to = (ms >> 8) & 1
            # SIE <- SPIE, SPIE <- 1, SPP <- U.
            ms = (ms & ~((1 << 1) | (1 << 8))) | ((ms >> 4) & (1 << 1)) | (1 << 5)
            pc = csr.sepc
        if to != Priv.M:
            ms &= ~MSTATUS_MPRV
        csr.mstatus = ms
        events = self.machine.events
        if events.xret_subscribers:
            events.publish("xret", XretEvent(self.hartid, kind, priv, to, pc))
        self.set_priv(to)
        return pc

    def wfi(self) -> None:
        """wfi: wait until an interrupt enabled in mie is pending (even with mstatus.xIE off).

        Illegal in U-mode (or, with choices.WFI_IN_U_MODE_ILLEGAL off, a nop there) and in
        S-mode when mstatus.TW is set.
        """
        if self._priv == Priv.U:
            if choices.WFI_IN_U_MODE_ILLEGAL:
                raise IllegalInstruction()
            return  # completes at once: a wfi may always end early
        if self._priv == Priv.S and self.csr.mstatus & MSTATUS_TW:
            raise IllegalInstruction()
        if not self.csr.effective_mip() & self.csr.mie:
            self.waiting = True
            self.brk = True

    def sfence_vma(self, va: int | None, asid: int | None) -> None:
        """sfence.vma: flush the TLB (and the fast page caches). Traps in U, and in S with mstatus.TVM."""
        if self._priv == Priv.U or (self._priv == Priv.S and self.csr.mstatus & MSTATUS_TVM):
            raise IllegalInstruction()
        self.mmu.flush(va, asid)

    def fence_i(self) -> None:
        """fence.i: nothing to do, blocks are re-checked against memory before each run."""

    # -- fetch -------------------------------------------------------------------------------

    def _fetch_page(self, pc: int) -> int:
        """Translate pc for a fetch and return (and cache) its page's RAM delta; traps otherwise.

        The caller counts the lookup (per instruction fetched, see count_lookups).
        """
        if pc & 3:
            raise InstructionAddressMisaligned(pc)
        pa = pc
        if self._xlate_fetch:
            ms = self.csr.mstatus
            pa = self.mmu.translate(pc, "x", self._priv, self.csr.satp, bool(ms & MSTATUS_SUM),
                                    bool(ms & MSTATUS_MXR))  # fmt: skip
        d = self._ram_page(pc, pa)
        if d is None:
            raise InstructionAccessFault(pc)  # only RAM holds code
        if pc >> 12 not in self.triggers.execute_pages:
            # (A page with an armed breakpoint stays out of the cache: each fetch there is checked.)
            self._fill(self._xc, pc, d, self._xlate_fetch)
        return d

    def _hostcall(self, pc: int) -> None:
        if pc == CALL_RETURN and self._call_depth:
            self._returned = True  # hart.call(): the guest routine returned
        elif self._priv == Priv.U:
            raise InstructionPageFault(pc)
        else:
            hostcalls = self.machine.hostcalls
            call = hostcalls.lookup(pc)
            if call is None:
                raise InstructionAccessFault(pc)  # nothing registered at this address
            try:
                hostcalls.invoke(self, pc)
            except Trap as t:
                # A host function is Python code: a guest trap escaping from it is a host bug,
                # not something the guest did.
                raise HostCallError(f"host function {call.name!r} let a guest trap escape: {t}") from t
        self.brk = True  # a host function may have changed anything

    # -- the plain interpreter --------------------------------------------------------------

    def step(self) -> None:
        """Execute exactly one instruction, or take one trap (a pending interrupt counts as the step)."""
        if self.brk:
            self.brk = False
            if self._take_interrupt():
                return
        self._step()

    def _take_interrupt(self) -> bool:
        irq = pending_interrupt(self)
        if irq is None:
            return False
        self.waiting = False
        take_trap(self, irq, 0, interrupt=True)
        return True

    def _step(self) -> None:
        pc = self.pc
        word = None
        try:
            if pc >= HOSTCALL_BASE and pc < HOSTCALL_END:
                self._hostcall(pc)
                return
            if self._xlate_fetch:
                self.mmu.lookups += 1  # the fetch is a TLB lookup (a hit when _xc has the page)
            d = self._xc.get(pc >> 12)
            if d is None or pc & 3:
                if self.triggers.execute_pages:
                    # Before the fetch: a breakpoint on this address outranks a fetch fault.
                    self.triggers.check_execute(pc)
                d = self._fetch_page(pc)
            word = self._u32[(pc + d) >> 2]
            dec = decode(word)
            if dec is None:
                raise IllegalInstruction(word)
            if self._xlate_data and dec.op.kind in DATA_ACCESS_KINDS:
                self.mmu.lookups += 1  # its load, store or AMO is one more
            events = self.machine.events
            if events.instruction_subscribers:
                events.publish("instruction", InstructionEvent(self.hartid, pc, word))
            x = self.x
            npc = dec.op.fn(self, x, dec.rd, dec.rs1, dec.rs2, dec.imm, pc)
            x[0] = 0
            self.pc = (pc + 4) & M64 if npc is None else npc
            self.instret += 1
        except Trap as t:
            self.pc = pc
            tval = t.tval
            if t.cause == Cause.ILLEGAL_INSTRUCTION:
                # The instruction's bits (wherever the trap was raised: decode, a CSR, xret), or 0.
                if choices.ILLEGAL_INSTRUCTION_TVAL == "zero":
                    tval = 0
                elif word is not None:
                    tval = instruction_bits(word)
            take_trap(self, t.cause, tval)

    # -- running ----------------------------------------------------------------------------

    def spend(self, cycles: int) -> None:
        """Occupy this hart for ``cycles`` more cycles, as if it had run that many instructions.

        A host function does work that real hardware would do with instructions
        (the Python kernel's trap handling): it calls this so that the work takes
        time. The cycles count in mcycle (not minstret: no instruction retired)
        and in the steps run() returns, so the machine's clock advances by them
        and this hart's slice ends that much sooner.
        """
        self.stall += cycles
        self.csr.cycle_delta += cycles

    def run(self, n: int) -> int:
        """Execute up to n steps (instructions, traps taken, or cycles spent by host calls); returns how many.

        Returns early when the hart starts waiting in WFI, when machine.stop()
        was called, or when a hart.call() routine returned. A waiting hart
        wakes when an interrupt enabled in mie is pending. ``run_stall`` says how
        many of the steps were cycles spent (``spend``), not instructions.
        """
        self.run_stall = 0
        if self.waiting:
            if not self.csr.effective_mip() & self.csr.mie:
                return 0
            self.waiting = False
        self.brk = True  # time moved since the last slice: Sstc's STIP may have changed
        hooks = len(self.machine.bus.store_hooks)
        if hooks != self._hooks_seen:
            self._hooks_seen = hooks
            self.flush_page_caches()
        if self.fast and not self.machine.events.instruction_subscribers:
            return self._run_blocks(n)
        done = 0
        while done < n:
            if self.brk:
                self.brk = False
                if self._must_return():
                    self.brk = True
                    break
                if self._take_interrupt() and self._must_return():
                    # A "trap" subscriber may have stopped the machine: honour it at stvec,
                    # before the handler's first instruction runs.
                    break
            self._step()
            done += 1
            if self.stall:
                done += self.stall
                self.run_stall += self.stall
                self.stall = 0
        return done

    def _must_return(self) -> bool:
        return self.machine.stopping or self.waiting or self._returned

    def _run_blocks(self, n: int) -> int:
        done = 0
        x = self.x
        blocks = self._blocks
        heat = self._heat
        hot = self.hot_threshold
        data = self.machine.bus.ram.data
        while done < n:
            if self.brk:
                self.brk = False
                if self._must_return():
                    self.brk = True
                    break
                if self._take_interrupt() and self._must_return():
                    # A "trap" subscriber may have stopped the machine: honour it at stvec,
                    # before the handler's first instruction runs.
                    break
            pc = self.pc
            d = self._xc.get(pc >> 12)
            if d is None or pc & 3:
                if pc & 3 or HOSTCALL_BASE <= pc < HOSTCALL_END or pc >> 12 in self.triggers.execute_pages:
                    # A misaligned pc, a host call, or a page with an armed breakpoint (never in the
                    # fetch cache, never run as blocks): the plain path knows what to do.
                    self._step()
                    done += 1
                    if self.stall:  # the host call spent cycles (spend): they take time too
                        done += self.stall
                        self.run_stall += self.stall
                        self.stall = 0
                    continue
                try:
                    d = self._fetch_page(pc)  # translate the page once; then the block path goes on
                except Trap as t:
                    if self._xlate_fetch:
                        self.mmu.lookups += 1  # the fetch that faulted was a lookup (and a miss)
                    take_trap(self, t.cause, t.tval)  # a fetch fault: nothing ran
                    done += 1
                    continue
            off = pc + d
            blk = blocks.get(off)
            if blk is None:
                # Code that runs only a few times is cheaper to interpret than to translate.
                seen = heat.get(off, 0) + 1
                if seen < hot:
                    heat[off] = seen
                    self._step()
                    done += 1
                    continue
                blk = blocks[off] = self._translate_block(off)
            elif data[off : off + blk.nbytes] != blk.code:
                blk = blocks[off] = self._translate_block(off)
            count = blk.n
            if count == 0 or count > n - done:
                self._step()
                done += 1
                continue
            try:
                npc = blk.fn(self, x, pc, self._rc, self._wc, n - done)
            except Trap as t:
                # Which instruction trapped? The traceback's line inside the block function says.
                tb = t.__traceback__
                while tb is not None and tb.tb_frame.f_code is not blk.fn.__code__:
                    tb = tb.tb_next
                if tb is None:
                    raise
                k = blk.line_to_index[tb.tb_lineno]
                retired = k + tb.tb_frame.f_locals["c"]  # + instructions of completed rounds
                if self._translating:  # the trapping one was fetched (and its access looked up) too
                    self.count_lookups(blk, retired + 1, blk.round and tb.tb_frame.f_locals["c"] // blk.round)
                self.instret += retired
                done += retired + 1
                self.pc = (pc + 4 * k) & M64
                tval = t.tval
                if t.cause == Cause.ILLEGAL_INSTRUCTION and choices.ILLEGAL_INSTRUCTION_TVAL != "zero":
                    tval = instruction_bits(self._u32[(off >> 2) + k])  # a CSR out of reach: as _step does
                take_trap(self, t.cause, tval)
                continue
            count = self.partial  # every way out of a block sets it
            if self._translating:
                self.count_lookups(blk, count, self.rounds if blk.loop else 0)
            self.pc = npc
            self.instret += count
            done += count
        return done

    # -- hart.call ---------------------------------------------------------------------------

    def call(self, addr: int, *args: int, max_instructions: int = 10_000_000) -> int:
        """Run the guest routine at addr, in the current mode, until it returns; returns a0.

        Arguments go in a0..a7, ra is set to CALL_RETURN. pc and ra are
        restored afterwards, so a host function may call guest code and then
        return normally. Raises GuestCallError when the routine does not
        return within max_instructions, waits in WFI, or the machine stops.
        """
        if len(args) > 8:
            raise ValueError(f"hart.call passes at most 8 arguments in a0..a7, found {len(args)}")
        x = self.x
        saved_pc, saved_ra = self.pc, x[1]
        for i, value in enumerate(args):
            x[10 + i] = value & M64
        x[1] = CALL_RETURN
        self.pc = addr & M64
        self._call_depth += 1
        self._returned = False
        try:
            done = 0
            while not self._returned:
                if done >= max_instructions:
                    raise GuestCallError(f"hart.call({addr:#x}): no return after {max_instructions} instructions "
                                         f"(pc={self.pc:#x}); pass a larger max_instructions if that is expected")  # fmt: skip
                done += self.run(max_instructions - done)
                if self._returned:
                    break
                if self.waiting:
                    raise GuestCallError(f"hart.call({addr:#x}): the routine waits in WFI at pc={self.pc:#x}")
                if self.machine.stopping:
                    raise GuestCallError(f"hart.call({addr:#x}): the machine was stopped at pc={self.pc:#x}")
            return x[10]
        finally:
            self._call_depth -= 1
            self._returned = False
            self.pc, x[1] = saved_pc, saved_ra
            self.brk = True

    # -- the fast path: translation of blocks -------------------------------------------------

    def _translate_block(self, off: int) -> Block:
        """Translate the instructions at RAM offset off into a Block (n == 0: none could be)."""
        self.blocks_translated += 1
        u32 = self._u32
        items = []
        o = off
        end = (off | 0xFFF) + 1
        while o < end and len(items) < choices.BLOCK_MAX_INSTRUCTIONS:
            word = u32[o >> 2]
            dec = decode(word)
            if dec is None or dec.op.kind == "system" or (dec.op.kind == "csr"
                                                          and dec.imm & 0xFFF not in choices.BLOCK_CSRS):
                break
            items.append((word, dec))
            o += 4
            if dec.op.kind == "jump":
                break  # a taken branch leaves by a side exit; a jump always leaves
        # The bytes the block was made from (for an empty block, the word that stopped it).
        code = bytes(self.machine.bus.ram.data[off : off + 4 * max(1, len(items))])
        return make_block(items, self._block_globals, code)

    def cached_block(self, pc: int | None = None) -> Block | None:
        """The translated block the fast path holds for pc (default: self.pc), or None."""
        pc = self.pc if pc is None else pc
        d = self._xc.get(pc >> 12)
        return None if d is None else self._blocks.get(pc + d)

    def block_source(self, pc: int | None = None) -> str:
        """The Python source the fast path made (or would make) for the block at pc (default: self.pc)."""
        pc = self.pc if pc is None else pc
        d = self._xc.get(pc >> 12)
        if d is None:
            d = self._fetch_page(pc)
        return self._translate_block(pc + d).source

    def __repr__(self) -> str:
        return f"<Hart {self.hartid} {self.priv.name}-mode pc={self.pc:#x}>"
