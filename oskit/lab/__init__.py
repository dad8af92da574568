"""oskit.lab: the security lab, outside the kernel (chapters 8, 9 and 10).

    weaknesses.py   the switchable classic bugs (``k.lab``: enable, disable, listing), the
                    weakened read(2), run_exploit(), the covert channel's measurement
    labdev.py       /dev/lab: a driver with bugs, part C (labdev.c, loaded as guest kernel
    labdev.c        code) and part Python; a trap in its C code is an oops, not a panic

The kernel never imports this package. ``oskit.boot(weaknesses={...})`` or
``weaknesses.attach(k)`` attaches a lab to a kernel (``k.lab``, a part the
kernel declares and leaves None); each weakness then acts through something
the kernel offers anyway (a setting, a register through riscv/cpu.py, a
switch of the machine, a replacement system call in ``k.sysent``): see the
table in weaknesses.py. The exploits are C programs in oskit/userland/exploits/.
"""
