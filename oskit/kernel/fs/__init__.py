"""oskit.kernel.fs: files (FreeBSD's kern/vfs_*.c, sys_pipe.c, fs/devfs/, dev/).

    vfs.py        the in-memory file tree: vnodes, path lookup, DAC checks, struct stat
    file.py       open files (offset, flags, shared by dup/fork), per-process descriptor tables
    pipe.py       pipes: a ring buffer in guest RAM, blocking reads and writes, EPIPE/SIGPIPE
    devfs.py      devices: /dev/console, /dev/null, /dev/zero, and make_dev for drivers
    console.py    the console tty over the UART
    sys_file.py   read, write, open, close, dup, pipe2, lseek, fstat, stat, mkdir, unlink, chdir, ...
"""
