"""Models of trap entry on other ISAs, beside the real RISC-V path (chapter 6).

These are *models*, not emulators: a few Python statements per architectural
step, over a tiny state (the registers, the control registers that a trap
touches, a dict for memory), written from the architecture manuals so that
the order of the steps and where each value goes can be read and tested.
They do not decode instructions.

    record.py   Step and TrapRecord: "who saved what, where, in which order"
    mips.py     MIPS32: EPC, Cause, BadVAddr, Status.EXL, $k0/$k1, the exception vectors, eret
    x86_64.py   x86-64: SYSCALL/SYSRET (RCX, R11, the STAR/LSTAR/FMASK MSRs); an exception
                from user mode (TSS.RSP0, the pushed SS/RSP/RFLAGS/CS/RIP/error code, iretq)
    riscv.py    not a model: the same record taken from the real machine and kernel
                (a trap event, then the trampoline's instructions as they execute)
    compare.py  the records side by side: an HTML table, and a summary of who saves what

The example on every ISA is the same two traps: a system call (getpid) and a
page fault on a store to a page that is not mapped yet.
"""
