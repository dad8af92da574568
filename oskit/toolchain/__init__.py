"""oskit.toolchain: C and assembly to RISC-V ELF files.

The map:

- ``build.py``   build(sources, mode, name, cflags, include_dirs) -> Path: runs
                 ziglang's clang, links with a runtime, caches by content hash.
- ``errors.py``  CompileError and Diagnostic: the compiler's own messages, parsed.
- ``elfinfo.py`` symbols(path): a quick look inside a built ELF.
- ``bare/``      the bare-metal runtime: crt0.S (start-up, per-hart stacks, trap
                 entry), bare.c/bare.h (UART printf, exit via tohost, CSR macros,
                 trap handlers, dropping to S/U mode, PMP), link.ld (0x8000_0000).

User programs (mode="user") link with ``oskit/userland`` (crt0, libc, user.ld).
"""

from oskit.toolchain.build import build, cache_dir, compiler_version, libc_archive
from oskit.toolchain.elfinfo import symbols
from oskit.toolchain.errors import CompileError, Diagnostic

__all__ = ["build", "CompileError", "Diagnostic", "symbols", "cache_dir",
           "compiler_version", "libc_archive"]
