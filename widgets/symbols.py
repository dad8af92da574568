"""Function names for user addresses: the symbol table of the program a process runs.

    symbols_of(proc) -> Symbols       read once per program file (cached by path and size)
    symbols.name_at(pc) -> "write+0x8" or None
    symbols.starts.get(pc) -> "write" when a function starts exactly at pc

The ELF file is read from the kernel's file system (``kernel.vfs.read_file``)
at the path the process was executed from (``proc.path``), and parsed with
pyelftools; only function symbols (STT_FUNC) with a size count.
"""

from __future__ import annotations

import bisect
import io

_cache: dict[tuple[str, int], "Symbols"] = {}


class Symbols:
    """Sorted function symbols of one program: (start, end, name)."""

    def __init__(self, functions: list[tuple[int, int, str]]):
        self.functions = sorted(functions)
        self._starts = [f[0] for f in self.functions]
        self.starts = {start: name for start, _end, name in self.functions}

    def name_at(self, pc: int) -> str | None:
        """"name+0xoff" for the function holding pc, or None."""
        i = bisect.bisect_right(self._starts, pc) - 1
        if i < 0:
            return None
        start, end, name = self.functions[i]
        if not start <= pc < end:
            return None
        return name if pc == start else f"{name}+{pc - start:#x}"


EMPTY = Symbols([])


def parse_elf(data: bytes) -> Symbols:
    """The function symbols of an ELF image (an empty table when it has none or is not ELF)."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile

    try:
        elf = ELFFile(io.BytesIO(data))
        table = elf.get_section_by_name(".symtab")
        if table is None:
            return EMPTY
        return Symbols([(s["st_value"], s["st_value"] + s["st_size"], s.name) for s in table.iter_symbols()
                        if s["st_info"]["type"] == "STT_FUNC" and s["st_size"] and s.name])
    except ELFError:
        return EMPTY


def symbols_of(proc) -> Symbols:
    """The function symbols of the program proc runs (EMPTY when it cannot be read)."""
    path = getattr(proc, "path", "")
    if not path or proc.pid == 0:
        return EMPTY
    try:
        data = proc.kernel.vfs.read_file(path)
    except (FileNotFoundError, IsADirectoryError):  # gone since exec (unlinked): no names, no error
        return EMPTY
    key = (path, len(data))
    if key not in _cache:
        _cache[key] = parse_elf(data)
    return _cache[key]
