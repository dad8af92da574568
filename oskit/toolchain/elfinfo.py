"""A quick look inside a built ELF file (with pyelftools).

    symbols(path) -> {name: address}   functions and objects with a name
"""

from __future__ import annotations

import os

from elftools.elf.elffile import ELFFile


def symbols(path: str | os.PathLike) -> dict[str, int]:
    """The named function and object symbols of an ELF file, name -> address."""
    out: dict[str, int] = {}
    with open(path, "rb") as f:
        elf = ELFFile(f)
        table = elf.get_section_by_name(".symtab")
        if table is None:
            return out
        for sym in table.iter_symbols():
            kind = sym["st_info"]["type"]
            if sym.name and kind in ("STT_FUNC", "STT_OBJECT", "STT_NOTYPE") \
                    and sym["st_shndx"] != "SHN_UNDEF":
                out[sym.name] = sym["st_value"]
    return out
