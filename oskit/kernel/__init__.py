"""oskit.kernel: a teaching kernel in Python, running on oskit's RISC-V machine.

The map (one module per subsystem, as xv6 and FreeBSD lay theirs out):

    kernel.py       Kernel: boot, spawn, run; the glue and the public API
    trampoline.S    the only kernel code run as instructions: uservec, userret, idle, sigcode
    trap.py         trap(): dispatch on scause (syscall, page fault, faults, interrupts)
    syscall.py      @syscall registry, SyscallError, Sleep, the MI path (syscallenter)
    machdep.py      RISC-V specifics: syscall args/results in the trap frame, signal frames
    syscalls_table.py / syscalls.master / makesyscalls.py   the system-call table (generated)
    proc.py         Proc, Thread, Ucred
    sched.py        run queue, time slices, sleep/wakeup, the context switch (step 4)
    signal.py       actions, masks, delivery; sigaction, sigprocmask, kill, ...
    exec.py         execve and the ELF loader
    sys_proc.py     fork, exit, wait4, the id getters, break, getrusage
    sys_thread.py   thr_new, thr_self, thr_exit, thr_kill: threads (libc's pthreads sits on them)
    umtx.py         _umtx_op: sleep until a word of user memory changes, wake its sleepers (a futex)
    sys_time.py     clock_gettime, gettimeofday, nanosleep, setitimer/getitimer
    vm.py           Sv39 page tables, address-space maps, backing objects, page faults, COW, shootdowns
    pmem.py         page frames and kmalloc, in guest RAM
    pager.py        the clock pager and swap, when frames run low
    sys_mman.py     mmap, munmap, mprotect, msync, madvise, mincore
    uio.py          copyin / copyout / copyinstr: the only way to touch user memory
    security.py     the map of the security features (chapter 6); security_init at boot
    cred.py sys_cred.py         credentials: ucred shared copy-on-write, id rules, set-id exec
    mac.py          mandatory access control: hooks and the example policy (wwjail)
    audit.py        the audit trail (k.audit): subject, event, objects, result per call
    resource.py sys_resource.py limits (RLIMIT_*, maxproc, kernel memory), accounting
    structs.py      C layouts shared with C (trap frame, ucred, signal frame)
    console.py      the console tty over the UART
    trace.py        system-call records, probes
    panic.py        what a bug in the kernel leaves behind
    errno.py        FreeBSD's errno values
    vfs.py          the in-memory file tree: vnodes, path lookup, DAC checks, struct stat
    file.py         open files (offset, flags, shared by dup/fork) and per-process descriptor tables
    pipe.py         pipes: a ring buffer in guest RAM, blocking reads and writes, EPIPE/SIGPIPE
    devfs.py        /dev/console, /dev/null, /dev/zero
    sys_file.py     read write open close dup dup2 pipe2 lseek fstat stat mkdir unlink chdir ... handlers
    security.py     the map of the security features; security_init at boot
    cred.py sys_cred.py     credentials: shared copy-on-write ucred, id rules, set-id exec
    mac.py          MAC hooks and the example policy (wwjail)
    audit.py        the audit trail (k.audit)
    resource.py sys_resource.py   limits (RLIMIT_*, maxproc, kernel memory), accounting
    weaknesses.py labdev.py labdev.c   deliberate bugs for the attack chapters, switched per kernel
    cli.py          `python -m oskit run` and `sh`
    magic.py        the %%c notebook magic
    init.c          process 1
"""

from oskit.kernel.kernel import Kernel, KernelRunResult, SpawnError, boot
from oskit.kernel.kern.panic import KernelPanic

__all__ = ["Kernel", "KernelRunResult", "SpawnError", "KernelPanic", "boot"]
