"""oskit: how a process meets its kernel, on a real RISC-V machine.

The map:

- ``oskit.machine``   the hardware: an RV64IMA hart with M/S/U modes, Sv39, CLINT, PLIC, UART.
- ``oskit.toolchain`` builds C and assembly into RISC-V ELF files.
- ``oskit.kernel``    the teaching kernel, written in Python, running on a Machine.
- ``oskit.userland``  the C library and the programs that run as user processes.
"""
