"""oskit.kernel.kern: the machine-independent kernel (FreeBSD's sys/kern/).

    proc.py           Proc, Thread, Ucred, Rusage: what a process and a thread are
    sched.py          run queue by priority, time slices, sleep/wakeup, preemption, the context switch (step 4)
    priority.py       priority numbers (FreeBSD's sys/priority.h) and rtprio classes
    sys_rtprio.py     rtprio_thread: a thread's priority (libc's pthread_setschedparam)
    signal.py         actions, masks, delivery; sigaction, sigprocmask, kill, sigreturn, ...
    exec.py           execve and the ELF loader
    sys_proc.py       fork, exit, wait4, the id getters, break, getrusage
    sys_thread.py     thr_new, thr_self, thr_exit, thr_kill (libc's pthreads sit on them)
    sys_context.py    getcontext, setcontext, swapcontext (FreeBSD's ucontext_t, also in the signal frame)
    umtx.py           _umtx_op: sleep until a word of user memory changes (a futex); PI mutexes
    sys_time.py       clock_gettime, gettimeofday, clock_settime, settimeofday, nanosleep, setitimer
    sharedpage.py     the page in every process: sigcode and the vDSO clock (vdso_timekeep)
    breakpoints.py    stops at a system call's entry or a user address (Sdtrig), with the registers
    vfs_aio.py        POSIX aio: requests done later by aiod kernel processes, with the
                      submitter's credential and on its bill; aio_read ... lio_listio
    cred.py           credentials: ucred shared copy-on-write, the set*id rules, set-id exec
    sys_cred.py       the credential system calls
    resource.py       limits (RLIMIT_*, maxproc, kernel memory), CPU time, accounting
    sys_resource.py   getrlimit, setrlimit
    syscall.py        the bottom of the system-call layer: @syscall, SyscallError, Sleep
    subr_syscall.py   the top: syscallenter, the prologue and epilogue
    syscalls.master   the table, in FreeBSD's format; makesyscalls.py generates
    syscalls_table.py   ...this (the kernel's side), the libc stubs and <sys/syscall.h>
    trace.py          system-call records and probes
    invariants.py     what must hold of a quiet kernel (frames, refcounts, maps, reverse map, ...),
                      checked from outside: check_invariants(k); the fuzzer's judge
    panic.py          what a bug in the kernel leaves behind
"""
