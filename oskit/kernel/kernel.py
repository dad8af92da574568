"""The Kernel object: one teaching kernel running on one Machine.

This file ties the subsystems together and is the public face notebooks use::

    k = oskit.boot()                     # Kernel.boot(): machine, page tables, init
    p = k.spawn("/bin/hello", ["hello"]) # a process running a program
    k.run(until=p.exited)                # run the machine until the condition holds
    p.stdout, p.exit_status
    k.trace.syscalls(pid=p.pid)

What lives where: every part is declared, with a comment, in Kernel.__init__
(and nowhere else: no module adds an attribute to a kernel). The main ones:

    kernel.machine          the hardware (oskit.machine.Machine)
    kernel.procs            pid -> Proc                              (kern/proc.py)
    kernel.sched, percpu    run queue, sleep/wakeup; per-hart state  (kern/sched.py)
    kernel.pmem             physical frames + kmalloc heap          (vm/pmem.py)
    kernel.kpmap            the kernel's page table; its upper half is in every process (riscv/pmap.py)
    kernel.vmstats, pager   VM counters; the clock pager and swap    (vm/stats.py, vm/pager.py)
    kernel.kclock           what the kernel's work costs in time     (kern/ktime.py)
    kernel.vfs, console     the file system; the console tty         (fs/)
    kernel.audit, mac       the audit trail; mandatory access control (security/)
    kernel.trace, probes    system-call records and probes           (kern/trace.py)
    kernel.aio              aio requests and the aiod kernel processes (kern/vfs_aio.py)
    kernel.sysent           this kernel's replacements of system calls (empty: the built-in table)
    kernel.lab              the security lab, when one is attached   (oskit/lab/, outside the kernel)
    kernel.panic_report     set when the Python kernel itself failed (kern/panic.py)

Boot (Kernel.boot), in order:

 1. the machine; "firmware" set-up of each hart from Python (riscv/cpu.py: M-mode
    delegates exceptions and S interrupts to S-mode, enables Sstc and the counters);
 2. physical memory: kernel image frames, kmalloc heap, the frame allocator (the
    constructor, with every other part);
 3. the trampoline (trampoline.S, built with the toolchain) copied to a
    frame; the kernel page table: trampoline at KERNBASE, DMAP of all RAM;
 4. the host function trap() registered; the console; the file system with
    /dev, /bin (every oskit/userland/bin/*.c), /sbin/init, /tmp;
 5. proc0 (the kernel) with one idle thread per hart; init (pid 1);
 6. every hart "returns" to its idle loop with a timer interrupt due at
    once, so the first trap schedules init: from then on, every entry into
    the kernel is a trap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elftools.elf.elffile import ELFFile

from oskit.firmware.sbi import FIRMWARE_SIZE, Firmware
from oskit.kernel import errno
from oskit.kernel import snapshot as time_travel
from oskit.kernel.fs import devfs, sys_file
from oskit.kernel.fs.console import Console
from oskit.kernel.fs.file import O_RDONLY, O_WRONLY, FileTable, open_vnode
from oskit.kernel.fs.vfs import VFS
from oskit.kernel.kern import exec, signal, sys_context, sys_cred, sys_proc, sys_resource, sys_rtprio, sys_thread, sys_time, umtx
from oskit.kernel.kern import vfs_aio
from oskit.kernel.kern.breakpoints import Breakpoints
from oskit.kernel.kern.cred import crfree
from oskit.kernel.kern.exec import exec_image
from oskit.kernel.kern.ktime import KernelClock
from oskit.kernel.kern.panic import KernelPanic, make_report
from oskit.kernel.kern.proc import Proc, ProcState, Thread, ThreadState, Ucred
from oskit.kernel.kern.resource import KMEM_PER_PROC
from oskit.kernel.kern.sched import HartState, Scheduler
from oskit.kernel.kern.sharedpage import NSEC, SharedPage
from oskit.kernel.kern.signal import SigActs
from oskit.kernel.kern.sys_proc import exit1
from oskit.kernel.kern.sys_time import BOOT_EPOCH
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.kern.trace import Probes, Trace
from oskit.kernel.param import DMAP_BASE, HEAP_SIZE, IMAGE_PAGES, PAGE_SIZE, RAM_BASE, TRAMPOLINE, dmap, page_ceil
from oskit.kernel.riscv import cpu
from oskit.kernel.riscv.pmap import Pmap
from oskit.kernel.riscv.sbi import SBI
from oskit.kernel.riscv.tlb import tlb_shootdown
from oskit.kernel.riscv.trap import trap
from oskit.kernel.security.audit import Audit
from oskit.kernel.security.boot import security_init
from oskit.kernel.security.mac import Mac
from oskit.kernel.structs import PROC, TRAPFRAME, UCRED, VDSO_TIMEKEEP_OFFSET, c_header
from oskit.kernel.vm import sys_mman
from oskit.machine.history import History
from oskit.kernel.vm.fault import vm_fault
from oskit.kernel.vm.map import VMSpace
from oskit.kernel.vm.object import AnonObject, Page
from oskit.kernel.vm.pager import Pager
from oskit.kernel.vm.pmem import PhysMem
from oskit.kernel.vm.stats import VMStats
from oskit.machine import JUMPED, Machine
from oskit.machine.clint import TIMEBASE_HZ
from oskit.machine.cpu import GuestCallError
from oskit.machine.sv39 import PTE_G, PTE_R, PTE_W, PTE_X
from oskit.machine.trap import cause_name
from oskit.toolchain import CompileError, build

# The modules whose @syscall functions make up the system-call table (kern/syscall.py's
# HANDLERS): importing a module registers its handlers, so this is the list of them.
SYSCALL_MODULES = (exec, signal, sys_context, sys_cred, sys_proc, sys_resource, sys_rtprio, sys_thread, sys_time, umtx,
                   sys_file, sys_mman, vfs_aio)

KERNEL_DIR = Path(__file__).resolve().parent
USERLAND_DIR = KERNEL_DIR.parent / "userland"
TRAMPOLINE_S = KERNEL_DIR / "riscv" / "trampoline.S"
FIRMWARE_PA = RAM_BASE + PAGE_SIZE - FIRMWARE_SIZE   # the SBI firmware: the end of the trampoline's frame

EXTRA_TID_BASE = 1_000_000                      # thread ids of the threads thr_new makes (alloc_tid)
DEFAULT_QUANTUM = 5_000                         # ticks (0.5 ms of emulated time, 50k instructions)


@dataclass(frozen=True)
class KernelRunResult:
    """Why kernel.run() returned: "until" (the condition held), "idle" (nothing can run
    and nothing will wake: every process waits for input or for ever), "limit", "panic",
    "breakpoint" (kern/breakpoints.py: k.breakpoints.stop says where)."""

    reason: str
    instructions: int
    detail: str = ""
    report: object = None          # the PanicReport when reason == "panic"

    def _repr_html_(self) -> str | None:
        """In a notebook, a panicked run shows its report (None: the plain repr is used)."""
        return self.report._repr_html_() if self.report is not None else None


_TRAMPOLINE_CACHE: dict = {}
# The bare runtime wants a main(); referring to both sections keeps the linker from dropping them.
KMAIN = """extern char trampoline_start[], sigcode_start[];
int main(void) { char *volatile t = trampoline_start, *volatile s = sigcode_start; return t == s; }
"""


def build_kernel_text() -> dict:
    """Assemble trampoline.S with the toolchain; returns its bytes and symbol offsets.

    The code is position-independent, so the bytes between trampoline_start and
    trampoline_end work wherever the kernel maps them (likewise for sigcode).
    """
    if "text" in _TRAMPOLINE_CACHE:
        return _TRAMPOLINE_CACHE["text"]

    src = TRAMPOLINE_S.read_text()
    elf = build({"trampoline.S": src, "oskit_structs.h": c_header(),
                 "kmain.c": KMAIN}, mode="bare", name="trampoline")
    with open(elf, "rb") as f:
        ef = ELFFile(f)
        syms = {s.name: s["st_value"] for s in ef.get_section_by_name(".symtab").iter_symbols() if s.name}

        def read(lo, hi):
            for seg in ef.iter_segments():
                if seg["p_type"] == "PT_LOAD" and seg["p_vaddr"] <= lo and hi <= seg["p_vaddr"] + seg["p_filesz"]:
                    data = seg.data()
                    return data[lo - seg["p_vaddr"]:hi - seg["p_vaddr"]]
            raise RuntimeError(f"trampoline: [{lo:#x}, {hi:#x}) is not in a loaded segment of {elf}")

        t0, s0 = syms["trampoline_start"], syms["sigcode_start"]
        out = {
            "trampoline": read(t0, syms["trampoline_end"]),
            "sigcode": read(s0, syms["sigcode_end"]),
            "offsets": {n: syms[n] - t0 for n in ("uservec", "userret", "idle", "sbi_ecall")},
            "elf": elf,
        }
    if len(out["trampoline"]) > PAGE_SIZE - FIRMWARE_SIZE or len(out["sigcode"]) > VDSO_TIMEKEEP_OFFSET:
        raise RuntimeError("trampoline or sigcode is too large (the firmware and the timekeep data follow them)")
    _TRAMPOLINE_CACHE["text"] = out
    return out


class Kernel:
    """One kernel on one machine; build it with ``Kernel.boot()`` (or ``oskit.boot()``)."""

    # -- the parts -------------------------------------------------------------------------
    def __init__(self, machine, *, quantum_ticks: int = DEFAULT_QUANTUM, zero_frames: bool = True):
        """Every part of a kernel, made empty; ``Kernel.boot()`` then fills them in (steps 1-6).

        This is the one place that says what a kernel has. No other module adds
        an attribute to it: a subsystem's state is a part declared here.
        """
        m = machine
        # the machine and the clock
        self.machine = m                                # the hardware (oskit.machine.Machine)
        self.firmware = Firmware(m)                     # the SBI firmware in M-mode below us (oskit/firmware)
        self.sbi = SBI(self)                            # our calls to it (riscv/sbi.py)
        self.timer_via_sbi = False                      # timer="sbi": set_timer through the firmware, not Sstc
        self.ipi_via_sbi = False                        # ipi="sbi": IPIs are SBI send_ipi calls
        self.breakpoints = Breakpoints(self)            # stops at a syscall's entry or a user address
        self.timebase_hz = TIMEBASE_HZ                  # mtime ticks per second
        # processes and threads (kern/)
        self.procs: dict[int, Proc] = {}                # pid -> Proc, zombies included until reaped
        self.next_pid = 1
        self.next_tid = EXTRA_TID_BASE                  # thread ids of the threads thr_new makes
        self.dead_threads: list[Thread] = []            # exited threads a hart may still use (free_thread)
        self.proc0: Proc | None = None                  # the kernel's own process: one idle thread per hart
        self.percpu: list[HartState] = []               # per hart: its current and idle thread
        self.sched = Scheduler(self, quantum_ticks)     # run queue, sleep/wakeup, time slices
        self.probes = Probes()                          # Python callbacks on kernel events
        self.trace = Trace(self)                        # the system-call records
        self.log: list[str] = []                        # what the kernel had to say (like dmesg)
        self.panic_report = None                        # set when the Python kernel itself failed
        self.until = None                               # run()'s stop condition, checked at every trap
        self.sysent: dict = {}                          # name -> handler: this kernel's replacements of
        #                                                 system calls (a loaded module's, as FreeBSD's
        #                                                 syscall_register); empty: the built-in table
        self.lab = None                                 # the security lab (oskit.lab.Lab), if one attached
        self.aio = vfs_aio.AsyncIO(self)                # aio jobs and the aiod kernel processes (kern/vfs_aio.py)
        # memory (vm/, riscv/)
        heap = min(HEAP_SIZE, max(256 << 10, m.ram.size // 16))   # a small machine gets a small heap
        self.pmem = PhysMem(m.ram, IMAGE_PAGES * PAGE_SIZE, heap, zero_frames)   # frames and kmalloc
        self.vmstats = VMStats(self)                    # system-wide VM counters
        self.vm_pages: dict[int, Page] = {}             # frame pa -> Page (pageable frames only)
        self.vm_vnode_objects: dict = {}                # id(vnode) -> the VnodeObject mmap shares
        self.pager = Pager(self)                        # the clock pager and swap
        self.pmem.reclaim = self.pager                  # asked for frames when few are left
        self.kclock = KernelClock()                     # what the kernel's work costs in time (kern/ktime.py)
        self.pmem.clock = self.kclock
        self.tlb_mailbox: list[list] = [[] for _ in m.harts]   # per hart: (va, asid) to flush at the IPI
        self.next_asid = 1
        self.kpmap: Pmap | None = None                  # the kernel's page table; its upper half is in
        #                                                 every process's
        self.anon_zero_fill = True                      # anonymous memory reads as zeros even when the
        #                                                 frame allocator does not zero (zero_frames off)
        self.map_at_zero = False                        # FreeBSD's security.bsd.map_at_zero: may mmap
        #                                                 put a page at address 0?
        # kernel text (riscv/trampoline.S)
        self.text_offsets: dict[str, int] = {}
        self.uservec = self.idle_pc = 0                 # where traps enter; the idle loop
        self.sigcode_object = None                      # the shared page's object (sigcode)
        self.sharedpage = SharedPage(self, BOOT_EPOCH * NSEC)   # its frame: sigcode + the vDSO clock
        #                                                 (kern/sharedpage.py)
        self.next_ktext = TRAMPOLINE + PAGE_SIZE        # where load_guest_code puts kernel code
        self.trap_addr = self.kerneltrap_addr = 0       # the host functions trap() and kerneltrap()
        # files (fs/)
        self.console = None                             # the console tty over the UART
        self.vfs = None                                 # the file system
        # security (security/, kern/resource.py)
        self.audit = Audit(self)                        # the audit trail
        self.mac = Mac(self)                            # mandatory access control: no policy on
        self.kmem_owner: dict[int, tuple] = {}          # kmalloc address -> (process billed, bytes)
        self.kmem_per_proc = KMEM_PER_PROC              # kernel heap one process may hold
        self.kmem_enforce = True                        # refuse past kmem_per_proc (else only count)
        self.cpu_second = self.timebase_hz              # what RLIMIT_CPU calls a second, in ticks
        self.history = History(self)                    # the steps step_back() can undo (snapshot.py)
        m.not_state += [self.probes, self.history]      # snapshots share these, never copy them

    @classmethod
    def boot(cls, harts: int = 1, ram_mib: int = 128, *, zero_frames: bool = True,
             quantum_ticks: int = DEFAULT_QUANTUM, programs: bool = True, console=None,
             timer: str = "sstc", ipi: str = "direct") -> "Kernel":
        """A fresh machine with this kernel booted on it, init (pid 1) running, /bin populated.

        programs=False skips building oskit/userland/bin/*.c into /bin (faster, for tests).
        timer="sstc" (default: no trap to set a timer) or "sbi" (every timer an SBI call).
        ipi="direct" (default: the kernel raises the other hart's SSIP itself, the shortcut the
        book used before it had firmware) or "sbi" (SBI send_ipi, as Linux does without Sswi).
        The defaults keep every chapter's figures; riscv/sbi.py says more.
        """
        if timer not in ("sstc", "sbi"):
            raise ValueError(f"timer={timer!r}: expected 'sstc' (the kernel's own stimecmp) or 'sbi' "
                             "(set_timer calls to the firmware)")
        k = cls(Machine(harts=harts, ram_mib=ram_mib, console=console),
                quantum_ticks=quantum_ticks, zero_frames=zero_frames)
        if ipi not in ("direct", "sbi"):
            raise ValueError(f"ipi={ipi!r}: expected 'direct' or 'sbi' (send_ipi calls to the firmware)")
        k.timer_via_sbi = timer == "sbi"
        k._firmware()                                                        # 1
        k._kernel_text_and_page_table()                                      # 3 (2: the constructor)
        k._devices_and_files(programs)                                       # 4
        security_init(k)                 # SECURITY (ch. 8): set-id modes, limits inherited at fork
        k._first_threads()                                                   # 5
        k._start_harts()                                                     # 6
        k.ipi_via_sbi = ipi == "sbi"     # from now on: a hart must be running S-mode code to make the call
        return k

    def _firmware(self) -> None:
        """Step 1: the SBI firmware into the last bytes of RAM's first frame, and its M-mode set-up.

        The machine has no ROM, so the firmware (oskit/firmware) lives in RAM as on a
        real board, where OpenSBI takes the start of RAM. The trampoline takes the
        first few hundred bytes of that frame; FIRMWARE_PA is beyond it.
        """
        self.firmware.install(FIRMWARE_PA)
        for hart in self.machine.harts:
            cpu.firmware_init(hart, sstc=not self.timer_via_sbi)

    def _kernel_text_and_page_table(self) -> None:
        """Step 3: trampoline and sigcode into the image frames; the kernel page table."""
        m = self.machine
        text = build_kernel_text()
        self.text_offsets = text["offsets"]
        tramp_pa = RAM_BASE
        sigcode_pa = RAM_BASE + PAGE_SIZE
        m.bus.write_bytes(tramp_pa, text["trampoline"])
        self.sharedpage.install(sigcode_pa, text["sigcode"])     # sigcode, then the first timekeep
        self.kpmap = Pmap(self, asid=0)
        self.kpmap.enter(TRAMPOLINE, tramp_pa, PTE_R | PTE_X | PTE_G)
        # The direct map, with 2 MiB megapages (level-1 leaves).
        for off in range(0, m.ram.size, 2 << 20):
            self.kpmap.enter(DMAP_BASE + off, RAM_BASE + off, PTE_R | PTE_W | PTE_G, level=1)
        # The sigcode page is one object shared by every process (mapped R/X/U at SHAREDPAGE).
        self.sigcode_object = AnonObject(self, PAGE_SIZE)
        self.sigcode_object.pages[0] = sigcode_pa
        self.sigcode_object.refs = 1 << 30          # never freed
        self.next_ktext = TRAMPOLINE + PAGE_SIZE    # where load_guest_code puts kernel code
        self.uservec = TRAMPOLINE + self.text_offsets["uservec"]
        self.sbi.entry = TRAMPOLINE + self.text_offsets["sbi_ecall"]
        self.idle_pc = TRAMPOLINE + self.text_offsets["idle"]

    def _devices_and_files(self, programs: bool) -> None:
        """Step 4: the host functions, the console, the system calls, the file system and its programs."""
        m = self.machine
        self.trap_addr = m.hostcalls.register("trap", self._trap_hostcall)
        self.kerneltrap_addr = m.hostcalls.register("kerneltrap", self._kerneltrap_hostcall)
        self.console = Console(self)
        self.vfs = VFS(self)
        devfs.populate(self.vfs, self)
        self.vfs.mkdir_p("/tmp", 0o777)
        self.vfs.root.entries["tmp"].mode = 0o1777
        self.vfs.mkdir_p("/bin", 0o755)
        self.vfs.mkdir_p("/sbin", 0o755)
        self.install_program("/sbin/init", USERLAND_DIR / "sbin" / "init.c")
        if programs:
            for src in sorted((USERLAND_DIR / "bin").glob("*.c")):
                try:
                    self.install_program(f"/bin/{src.stem}", src)
                except CompileError as e:      # one broken program must not stop the boot
                    self.log.append(f"boot: /bin/{src.stem} not installed: {e}")

    def _first_threads(self) -> None:
        """Step 5: proc0 (the kernel) with one idle thread per hart; init, runnable."""
        proc0 = Proc(self, 0, None, "kernel")
        proc0.pstruct = PROC.view(self.machine.bus.ram, self.pmem.kmalloc(PROC.size))
        proc0.sync_pstruct()
        proc0.state = ProcState.ACTIVE
        proc0.vmspace = VMSpace(self, self.kpmap)
        self.proc0 = proc0
        self.percpu = []
        for hart in self.machine.harts:
            idle = self.new_thread(proc0)
            idle.frame.sepc = self.idle_pc
            idle.state = ThreadState.RUNNING
            self.percpu.append(HartState(hart, idle))
        self.sched.harts = self.percpu
        init = self._create_process(None, "/sbin/init", ["init"], [], uid=0, gid=0)
        self.sched.setrunnable(init.main_thread)

    def _start_harts(self) -> None:
        """Step 6: every hart to its idle loop in S-mode, with a timer interrupt due at once."""
        for hs in self.percpu:
            hart = hs.hart
            cpu.start_hart(hart, stvec=self.uservec, satp=self.kpmap.satp,
                           sscratch=dmap(hs.idle.frame_addr), timer=self.machine.clint.mtime,
                           sbi=self.sbi if self.timer_via_sbi else None)
            hart.pc = self.idle_pc
            hart.waiting = False

    # -- programs ------------------------------------------------------------------------------
    def install_program(self, path: str, source, mode: int = 0o755) -> None:
        """Build a C file (or take ELF bytes / an ELF path) and install it at ``path`` in the file system."""
        if isinstance(source, (bytes, bytearray)):
            data = bytes(source)
        else:
            source = Path(source)
            if source.suffix == ".c":
                source = build([source], mode="user", name=source.stem)
            data = source.read_bytes()
        parent = path.rsplit("/", 1)[0] or "/"
        self.vfs.mkdir_p(parent)
        self.vfs.install_file(path, data, mode)

    # -- processes -------------------------------------------------------------------------------
    def alloc_pid(self) -> int:
        pid = self.next_pid
        while pid in self.procs:
            pid += 1
        self.next_pid = pid + 1
        return pid

    def new_proc(self, parent: Proc | None, comm: str) -> Proc:
        p = Proc(self, self.alloc_pid(), parent, comm)
        p.pstruct = PROC.view(self.machine.bus.ram, self.pmem.kmalloc(PROC.size))
        p.sync_pstruct()
        self.procs[p.pid] = p
        if parent is not None:
            parent.children.append(p)
        p.start_time = self.machine.clint.mtime
        return p

    def alloc_tid(self, p: Proc) -> int:
        """A thread id no live thread has; as on FreeBSD they start at 100000, so they never look like pids.

        A process's first thread gets 100000 + 16 * pid (the chapters show these);
        the threads thr_new adds get the next free id from EXTRA_TID_BASE up.
        """
        live = {t.tid for q in [self.proc0, *self.procs.values()] if q is not None for t in q.threads}
        if not p.threads or p.pid == 0:            # (proc0's threads are the harts' idle threads)
            tid = 100000 + 16 * p.pid + len(p.threads)
            if tid not in live:
                return tid
        tid = self.next_tid
        while tid in live:
            tid += 1
        self.next_tid = tid + 1 if tid < 2**31 - 2 else EXTRA_TID_BASE   # lwpid_t is an int
        return tid

    def new_thread(self, p: Proc) -> Thread:
        """A thread with a trap frame (kmalloc) and a kernel stack (a frame), both in guest RAM."""
        frame = self.pmem.kmalloc(TRAPFRAME.size)
        try:
            kstack = self.pmem.alloc_frame(f"kernel stack of pid {p.pid}")
        except Exception:
            self.pmem.kfree(frame)            # all or nothing: no half-made thread
            raise
        td = Thread(p, self.alloc_tid(p), frame, dmap(kstack) + PAGE_SIZE)
        td.kstack_pa = kstack
        td.frame.kernel_sp = td.kstack_top
        td.frame.kernel_trap = self.trap_addr
        p.threads.append(td)
        return td

    def free_thread(self, td: Thread) -> None:
        """Give back a dead thread's trap frame and kernel stack.

        A thread that is still some hart's current thread (it is exiting in this
        very trap, or it was killed while running on another hart) keeps them until
        that hart has switched away: the trampoline saves the registers of that
        hart's next trap into the frame sscratch points at. trap() calls
        free_dead_threads() after every switch.
        """
        if any(hs.curthread is td for hs in self.percpu):
            self.dead_threads.append(td)
            return
        self.pmem.kfree(td.frame_addr)
        self.pmem.free_frame(td.kstack_pa)
        td.frame_addr = td.kstack_pa = None

    def free_dead_threads(self) -> None:
        """Free the frames and kernel stacks free_thread() had to keep (see there)."""
        waiting, self.dead_threads = self.dead_threads, []
        for td in waiting:
            self.free_thread(td)

    def new_pmap(self) -> Pmap:
        asid = self.next_asid
        self.next_asid = asid + 1 if asid < 0xFFFF else 1
        if asid == 0xFFFF:
            self.tlb_flush(None, None)               # ASIDs wrap: forget every cached translation
        return Pmap(self, asid, self.kpmap)

    def new_vmspace(self) -> VMSpace:
        return VMSpace(self, self.new_pmap())

    def new_cred(self, uid: int, gid: int) -> Ucred:
        addr = self.pmem.kmalloc(UCRED.size)
        cred = Ucred(self, addr)
        v = cred.view
        v.cr_ref = 1
        v.cr_uid = v.cr_ruid = v.cr_svuid = uid
        v.cr_rgid = v.cr_svgid = gid
        v.cr_ngroups = 1
        v.set("cr_groups", gid, 0)
        return cred

    def crcopy(self, cred: Ucred) -> Ucred:
        """A private copy of a credential (each process owns its own here)."""
        addr = self.pmem.kmalloc(UCRED.size)
        ram = self.machine.bus.ram.data
        ram[addr - RAM_BASE:addr - RAM_BASE + UCRED.size] = cred.view.raw()
        new = Ucred(self, addr)
        new.view.cr_ref = 1
        return new

    def _std_files(self, p: Proc) -> None:
        vp = self.vfs.lookup("/dev/console")
        fdt = FileTable()
        fdt.alloc(open_vnode(vp, O_RDONLY, "/dev/console"))
        fdt.alloc(open_vnode(vp, O_WRONLY, "/dev/console"))
        fdt.alloc(open_vnode(vp, O_WRONLY, "/dev/console"))
        p.fdtable = fdt

    def _create_process(self, parent, path: str, argv: list, envp: list, uid: int, gid: int,
                        cwd: str = "/") -> Proc:
        p = self.new_proc(parent, path.rsplit("/", 1)[-1])
        p.pgid = p.pid                   # its own process group, as a shell would give a job
        p.cred = self.new_cred(uid, gid)
        p.sigacts = SigActs()
        p.cwd = self.vfs.lookup(cwd)
        self._std_files(p)
        p.console_capture = bytearray()
        td = self.new_thread(p)
        enc = lambda s: s if isinstance(s, bytes) else str(s).encode("utf-8", "surrogateescape")  # noqa: E731
        try:
            exec_image(td, path, [enc(a) for a in argv], [enc(e) for e in envp])
        except SyscallError as e:
            self.discard_proc(p)
            raise SpawnError(path, e) from None
        p.state = ProcState.ACTIVE
        return p

    def spawn(self, path: str, argv: list | None = None, envp: list | None = None, *,
              uid: int = 0, gid: int = 0, cwd: str = "/", stdin: bytes | str | None = None) -> Proc:
        """Start the program at ``path`` as a new process (a child of init); returns its Proc.

        argv defaults to [path]; envp to a small environment (PATH, HOME). The
        process runs when the kernel runs (``k.run(until=p.exited)``); its
        console output collects in ``p.stdout``. ``stdin`` text is typed into
        the console for it.
        """
        if self.panic_report is not None:
            raise KernelPanic(self.panic_report)
        argv = [path] if argv is None else list(argv)
        envp = ["PATH=/bin:/sbin", "HOME=/", "TERM=dumb"] if envp is None else list(envp)
        p = self._create_process(self.procs.get(1), path, argv, envp, uid, gid, cwd)
        self.sched.setrunnable(p.main_thread)
        if stdin is not None:
            self.machine.uart.feed(stdin)
        return p

    def discard_proc(self, p: Proc) -> None:
        """Undo a process that never ran (a failed spawn or fork): give back all it holds, forget its pid."""
        if p.fdtable is not None:
            p.fdtable.close_all()
        if p.vmspace is not None:
            p.vmspace.destroy()
            p.vmspace = None
        for td in p.threads:
            self.free_thread(td)
        p.threads = []
        if p.parent is not None:
            p.parent.children.remove(p)
        self.procs.pop(p.pid, None)
        crfree(self, p.cred_alloc)          # its reference to the credential (spawn's own, fork's shared)
        if p.pstruct is not None:
            self.pmem.kfree(p.pstruct.addr)
            p.pstruct = None

    def exit1(self, td: Thread, xstat: int, reason: str = "") -> None:
        """End td's process with wait status ``xstat`` (see sys_proc.exit1)."""
        exit1(self, td, xstat, reason)

    def reap(self, child: Proc) -> None:
        """wait4 collected ``child``: free its last kernel memory and forget its pid."""
        parent = child.parent
        if parent is not None:
            parent.crusage.add(child.rusage)
            parent.crusage.add(child.crusage)
            parent.children.remove(child)
        for td in child.threads:
            self.free_thread(td)
        child.threads = []
        crfree(self, child.cred_alloc)      # SECURITY (ch. 8): one reference less
        child.sync_pstruct()
        self.pmem.kfree(child.pstruct.addr)
        child.pstruct = None
        child.state = ProcState.ZOMBIE
        child.flags.add("reaped")
        self.procs.pop(child.pid, None)

    # -- the interface other kernel code uses ---------------------------------------------------
    def wakeup(self, chan) -> int:
        """Make every thread sleeping on ``chan`` runnable; returns how many woke."""
        return self.sched.wakeup(chan)

    def psignal(self, proc: Proc, signo: int) -> None:
        """Post signal ``signo`` to ``proc`` (as kill(2) does, without permission checks)."""
        signal.psignal(self, proc, signo)

    def kmalloc(self, size: int) -> int:
        """``size`` bytes of kernel memory in guest RAM; returns its physical address."""
        return self.pmem.kmalloc(size)

    def kfree(self, addr: int) -> None:
        """Give back memory from kmalloc."""
        self.pmem.kfree(addr)

    def nanotime(self) -> int:
        """Nanoseconds since boot on the machine's clock."""
        return self.machine.clint.mtime * 1_000_000_000 // self.timebase_hz

    # -- memory helpers ---------------------------------------------------------------------------
    def vm_fault(self, td: Thread, va: int, access: str, from_kernel: bool = False) -> bool:
        """The page-fault handler's entry: True if the fault was resolved (retry the access).

        The VM system (vm.vm_fault) resolves it, counts it in the process's rusage
        (minor/major), fires the "fault" probe, and kills the process with a reason
        when memory runs out.
        """
        return vm_fault(self, td, va, access, from_kernel)

    def tlb_flush(self, va: int | None, asid: int | None) -> None:
        """Make every hart forget cached translations of (va, asid): here at once, others by IPI."""
        tlb_shootdown(self, va, asid)

    def code_written(self, pieces) -> None:
        """RAM that may hold code changed; the machine re-checks its translated blocks by itself."""

    def copy_frame(self, src: int, dst: int) -> None:
        self.kclock.charge("page_copy")
        data = self.machine.bus.ram.data
        a, b = src - RAM_BASE, dst - RAM_BASE
        data[b:b + PAGE_SIZE] = data[a:a + PAGE_SIZE]

    # -- running ------------------------------------------------------------------------------------
    def _trap_hostcall(self, hart) -> None:
        """The host function at the trampoline's `jalr`: trap(), with panics caught."""
        try:
            trap(self, hart)
        except Exception as exc:                 # a bug in the kernel: panic, never a guest fault
            self.panic(f"{type(exc).__name__}: {exc}", hart, exc)

    def _kerneltrap_hostcall(self, hart):
        """stvec while guest kernel code runs (call_guest): a trap there is a kernel fault, a panic."""
        scause, sepc, stval = cpu.trap_registers(hart)
        self.panic(f"kernel fault: {cause_name(scause)} in guest kernel code at sepc={sepc:#x} "
                   f"stval={stval:#x}", hart)
        hart.pc = self.idle_pc           # park the hart; the machine stops at the next boundary
        return JUMPED

    def load_guest_code(self, code: bytes) -> int:
        """Copy position-independent kernel code into fresh frames mapped R/X in the kernel half.

        Returns its kernel virtual address (above the trampoline); call it with call_guest().
        """
        va = self.next_ktext
        for off in range(0, page_ceil(max(len(code), 1)), PAGE_SIZE):
            pa = self.pmem.alloc_frame("guest kernel code")
            self.machine.bus.write_bytes(pa, bytes(code[off:off + PAGE_SIZE]))
            self.kpmap.enter(va + off, pa, PTE_R | PTE_X | PTE_G)
        self.next_ktext = va + page_ceil(max(len(code), 1))
        return va

    def call_guest(self, hart, addr: int, *args: int, max_instructions: int = 1_000_000) -> int:
        """Call a guest kernel routine at ``addr`` in S-mode (a function pointer in guest memory); returns a0.

        While it runs, stvec points at the host function kerneltrap: any trap inside it
        (a NULL function pointer: an instruction page fault at 0) is a kernel fault, which
        panics with a report instead of going through the user trap path.
        """
        try:
            with cpu.guest_call(hart, self.kerneltrap_addr):
                return hart.call(addr, *args, max_instructions=max_instructions)
        except GuestCallError as e:
            if self.panic_report is None:
                self.panic(f"call_guest({addr:#x}): {e}", hart)
            raise KernelPanic(self.panic_report) from None

    def panic(self, message: str, hart=None, exc: BaseException | None = None) -> None:
        """Stop the machine and keep a report; the kernel will not run again."""
        if self.panic_report is None:
            self.panic_report = make_report(self, message, hart, exc)
        self.machine.stop("panic")

    def run(self, until=None, max_instructions: int | None = None) -> KernelRunResult:
        """Run the machine until ``until()`` is true, nothing can run, or max_instructions.

        ``until``: any callable, e.g. ``p.exited``. Without it, run until idle.
        """
        if self.panic_report is not None:
            raise KernelPanic(self.panic_report)
        if until is not None and until():
            return KernelRunResult("until", 0, "the condition already held")
        self.until = until
        try:
            r = self.machine.run(max_instructions=max_instructions)
        finally:
            self.until = None
        if self.panic_report is not None:
            return KernelRunResult("panic", r.instructions, self.panic_report.message, self.panic_report)
        if r.reason == "stopped" and r.detail == "until":
            return KernelRunResult("until", r.instructions)
        if r.reason == "idle":
            return KernelRunResult("idle", r.instructions, "every process waits, and nothing can wake one")
        if r.reason == "stopped" and r.detail.startswith("breakpoint"):
            return KernelRunResult("breakpoint", r.instructions, str(self.breakpoints.stop))
        return KernelRunResult(r.reason, r.instructions, r.detail)

    # -- time travel (snapshot.py) ------------------------------------------------------------------

    def snapshot(self):
        """The whole state: machine, processes, files, clock, console (restore() puts it back)."""
        return time_travel.take(self)

    def restore(self, snap) -> None:
        """Rewind this kernel and its machine to snap, in place: whoever holds k or a Proc sees it."""
        time_travel.restore(self, snap)

    def state_hash(self) -> str:
        """A hex digest of the machine's state and the process table (equal states, equal hashes)."""
        return time_travel.state_hash(self)

    def fingerprint(self) -> tuple:
        """A cheap summary of the state (History notices outside changes with it)."""
        return time_travel.fingerprint(self)

    def step(self, n: int = 1) -> KernelRunResult:
        """Run n instructions, one run(max_instructions=1) each, logged so that step_back() undoes them."""
        return self.history.step(n)

    def step_back(self, n: int = 1) -> int:
        """Undo the last n logged steps (step(), a TrapStepper's buttons); returns how many were undone."""
        return self.history.back(n)

    def preempt_at(self, at_instret: int, hart: int = 0):
        """A timer interrupt at hart's instret at_instret that ends the running thread's time slice."""
        return time_travel.preempt_at(self, at_instret, hart)

    def signal_at(self, proc: Proc, signo: int, at_instret: int | None = None, hart: int = 0):
        """Post signo to proc when hart's instret reaches at_instret (None: now), as an interrupt handler would."""
        return time_travel.signal_at(self, proc, signo, at_instret, hart)

    # -- looking ------------------------------------------------------------------------------------
    def ps(self) -> str:
        """The process table as text."""
        lines = ["  PID  PPID STATE    COMMAND"]
        for p in sorted(self.procs.values(), key=lambda p: p.pid):
            state = p.state.value if not p.threads else p.threads[0].state.value
            if p.state is ProcState.ZOMBIE:
                state = "zombie"
            lines.append(f"{p.pid:5d} {p.ppid:5d} {state:<8} {' '.join(p.argv) or p.comm}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Kernel: {len(self.procs)} processes, {self.machine.nharts} hart(s)>"


class SpawnError(Exception):
    """spawn() could not start the program: ``.errno`` says why (ENOENT, EACCES, ENOEXEC)."""

    def __init__(self, path: str, err: SyscallError):
        self.path = path
        self.errno = err.errno
        super().__init__(f"cannot run {path}: {err.errno.name} ({errno.strerror(err.errno)})"
                         + (f": {err.message}" if err.message else ""))


def _timebase() -> int:
    return TIMEBASE_HZ


def boot(harts: int = 1, ram_mib: int = 128, **kwargs) -> Kernel:
    """Boot a kernel on a fresh machine (see Kernel.boot)."""
    return Kernel.boot(harts=harts, ram_mib=ram_mib, **kwargs)
