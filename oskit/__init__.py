"""oskit: how a process meets its kernel, on a real RISC-V machine.

The map:

- ``oskit.machine``   the hardware: an RV64IMA hart with M/S/U modes, Sv39, CLINT, PLIC, UART.
- ``oskit.toolchain`` builds C and assembly into RISC-V ELF files.
- ``oskit.firmware``  the M-mode firmware under the kernel (SBI), as OpenSBI on a board.
- ``oskit.kernel``    the teaching kernel, written in Python, running on a Machine.
- ``oskit.userland``  the C library and the programs that run as user processes.
- ``oskit.lab``       the security lab: classic kernel bugs switched on per kernel, /dev/lab, exploits.
- ``oskit.book``      the exercises' checks.
"""


def boot(harts: int = 1, ram_mib: int = 128, *, weaknesses=(), **kwargs):
    """A fresh machine running oskit's kernel: init (pid 1) up, /bin populated; returns the Kernel.

    ``k = oskit.boot(); p = k.spawn("/bin/echo", ["echo", "hi"]); k.run(until=p.exited); p.stdout``
    Keyword arguments go to ``oskit.kernel.Kernel.boot`` (zero_frames, quantum_ticks, programs, timer).
    ``weaknesses``: names of the security lab's classic bugs to switch on (oskit/lab/;
    ``k.lab`` is then the lab, all off unless named). Without it, no lab is attached.
    """
    from oskit.kernel.kernel import Kernel

    k = Kernel.boot(harts=harts, ram_mib=ram_mib, **kwargs)
    if weaknesses:
        from oskit.lab import weaknesses as lab

        lab.attach(k, weaknesses)
    return k


def load_ipython_extension(ipython):
    """``%load_ext oskit``: registers the ``%%c NAME`` cell magic (oskit/magic.py)."""
    from oskit.magic import load_ipython_extension as load

    load(ipython)
