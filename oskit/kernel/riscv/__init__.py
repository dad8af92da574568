"""oskit.kernel.riscv: the machine-dependent kernel (FreeBSD's sys/riscv/).

Everything that knows it runs on RISC-V: the rest of the kernel asks these
modules for an effect and never names a register.

    trampoline.S   the only kernel code run as instructions: uservec, userret, idle, sbi_ecall, sigcode
    trap.py        trap(): dispatch on scause (system call, page fault, faults, interrupts)
    machdep.py     the ABI: system-call arguments and results in the trap frame, signal frames
    cpu.py         every CSR write the kernel makes (firmware set-up, context switch, SUM, IPIs)
    copyinout.py   copyin, copyout, copyinstr: the only way a system call touches user memory
    pmap.py        Sv39 page tables in guest memory
    tlb.py         TLB shootdown across harts
    sbi.py         calls to the M-mode firmware (SBI: ecall from S-mode): timers, IPIs, fences, reset
"""
