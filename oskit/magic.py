"""The ``%%c NAME`` cell magic: compile a notebook cell into /bin/NAME of a kernel.

    %load_ext oskit
    %%c hello                 # into the current kernel (booted on first use: oskit.magic_kernel())
    #include <stdio.h>
    int main(void) { printf("hi\\n"); return 0; }

Options: ``%%c NAME --kernel VAR`` installs into the Kernel held by the
notebook variable VAR instead. The program is built with oskit's libc
(oskit.toolchain.build, mode "user"); a compile error shows the compiler's
own messages (CompileError renders them) and installs nothing. The cell's
result is the path of the installed program, so a next cell can run it:
``p = k.spawn("/bin/hello")``.
"""

from __future__ import annotations

import shlex

from oskit.kernel.kernel import Kernel
from oskit.toolchain import build
from oskit.toolchain.errors import CompileError

_STATE: dict = {}


def magic_kernel():
    """The kernel %%c installs into when no --kernel is given (booted on first use)."""
    if "kernel" not in _STATE:
        _STATE["kernel"] = Kernel.boot()
    return _STATE["kernel"]


def compile_into(kernel, name: str, source: str) -> str:
    """Build ``source`` (C) and install it as /bin/NAME in ``kernel``; returns the path."""
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"%%c: NAME must be a plain file name like 'hello', found {name!r}")
    elf = build({f"{name}.c": source}, mode="user", name=name)
    path = f"/bin/{name}"
    kernel.install_program(path, elf.read_bytes())
    return path


def c_magic(line: str, cell: str, namespace: dict | None = None):
    """The body of %%c: parse ``NAME [--kernel VAR]``, compile, install; show errors readably."""
    words = shlex.split(line)
    if not words:
        raise ValueError("%%c needs a program name: %%c NAME [--kernel VAR]")
    name, kernel = words[0], None
    if len(words) == 3 and words[1] == "--kernel":
        if namespace is None or words[2] not in namespace:
            raise ValueError(f"%%c: no notebook variable {words[2]!r} holds a kernel")
        kernel = namespace[words[2]]
    elif len(words) != 1:
        raise ValueError(f"%%c: expected 'NAME [--kernel VAR]', found {line!r}")
    if kernel is None:
        kernel = magic_kernel()
    try:
        return compile_into(kernel, name, cell)
    except CompileError as e:
        return e                     # displayed with the compiler's messages (_repr_html_)


def load_ipython_extension(ipython) -> None:
    """Register %%c with IPython (called by ``%load_ext oskit``)."""
    def c(line, cell):
        return c_magic(line, cell, ipython.user_ns)

    c.__doc__ = __doc__
    ipython.register_magic_function(c, magic_kind="cell", magic_name="c")
