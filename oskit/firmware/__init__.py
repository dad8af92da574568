"""Firmware: what runs in M-mode under the kernel (OpenSBI's place on a real RISC-V board).

    sbi_entry.S   the M-mode trap vector (real RISC-V): save ra, call sbi.py, mret
    sbi.py        the SBI v2.0 implementation: base, TIME, IPI, RFENCE, SRST, DBCN and
                  the legacy calls; how it is installed (install()) and the calls it served

The kernel (oskit.kernel) boots on it and calls it through ``ecall`` from S-mode
(oskit/kernel/riscv/sbi.py); the firmware knows nothing of the kernel.
"""
