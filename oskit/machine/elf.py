"""ELF loading: put a RISC-V program's segments into RAM and find its entry and symbols.

What a loadable file must be (each check has its own one-line ElfError):

    an ELF file                       (magic 0x7F 'E' 'L' 'F')
    64-bit                            (EI_CLASS = ELFCLASS64)
    RISC-V                            (e_machine = EM_RISCV, 243)
    an executable                     (e_type = ET_EXEC; not a relocatable .o or a shared object)
    every PT_LOAD segment in RAM      (by physical address, p_paddr .. p_paddr + p_memsz)
    the entry point in RAM
    tohost and fromhost in RAM        (when the program defines them: see htif.py)

Loading copies each PT_LOAD segment's p_filesz bytes from the file to its
physical address and zero-fills the rest up to p_memsz (the .bss). The
symbol table (when present) gives name -> address, which finds ``tohost``.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from pathlib import Path

from elftools.common.exceptions import ELFError as _PyElfError
from elftools.elf.elffile import ELFFile

EM_RISCV = 243
ELF_MAGIC = b"\x7fELF"


class ElfError(Exception):
    """A file that cannot run on the machine; str() is one line that says why."""


@dataclass(frozen=True)
class Segment:
    """One loaded PT_LOAD segment."""

    pa: int  # physical address
    va: int
    filesz: int
    memsz: int
    flags: str  # e.g. "r-x"


@dataclass(frozen=True)
class ElfImage:
    """What load_elf put in RAM: entry point, segments, and the symbol table."""

    name: str
    entry: int
    segments: tuple[Segment, ...]
    symbols: dict[str, int] = field(default_factory=dict)

    def symbol_at(self, addr: int) -> str | None:
        """The name of a symbol whose address is exactly addr, or None."""
        for name, value in self.symbols.items():
            if value == addr:
                return name
        return None


def _flags(p_flags: int) -> str:
    return ("r" if p_flags & 4 else "-") + ("w" if p_flags & 2 else "-") + ("x" if p_flags & 1 else "-")


def read_elf(source: str | Path | bytes, ram_base: int, ram_size: int) -> tuple[ElfImage, list[tuple[int, bytes, int]]]:
    """Check an ELF file and return (image, [(pa, file bytes, memsz), ...]) without touching RAM."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), "<bytes>"
    else:
        path = Path(source)
        name = path.name
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ElfError(f"{name}: cannot read the file: {e.strerror or e}") from None
    if data[:4] != ELF_MAGIC:
        raise ElfError(f"{name}: not an ELF file (expected the magic bytes 7f 45 4c 46, found {data[:4].hex(' ') or 'nothing'})")
    if data[4:5] != b"\x02":
        bits = {b"\x01": "32-bit"}.get(data[4:5], "of unknown class")
        raise ElfError(f"{name}: not a 64-bit ELF file (found {bits}); the machine is RV64")
    try:
        elf = ELFFile(io.BytesIO(data))
        machine = elf.header["e_machine"]
        if machine != "EM_RISCV":
            raise ElfError(f"{name}: not a RISC-V program (e_machine is {machine}, expected EM_RISCV)")
        if elf.header["e_type"] != "ET_EXEC":
            raise ElfError(
                f"{name}: not an executable (e_type is {elf.header['e_type']}, expected ET_EXEC); link it first"
            )
        entry = elf.header["e_entry"]
        segments, chunks = [], []
        ram_end = ram_base + ram_size
        for seg in elf.iter_segments():
            if seg["p_type"] != "PT_LOAD" or seg["p_memsz"] == 0:
                continue
            pa, memsz, filesz = seg["p_paddr"], seg["p_memsz"], seg["p_filesz"]
            if not (ram_base <= pa and pa + memsz <= ram_end):
                raise ElfError(
                    f"{name}: a segment at [{pa:#x}, {pa + memsz:#x}) lies outside RAM [{ram_base:#x}, {ram_end:#x})"
                )
            segments.append(Segment(pa, seg["p_vaddr"], filesz, memsz, _flags(seg["p_flags"])))
            chunks.append((pa, seg.data()[:filesz], memsz))
        if not segments:
            raise ElfError(f"{name}: has no loadable (PT_LOAD) segment")
        if not ram_base <= entry < ram_end:
            raise ElfError(f"{name}: entry point {entry:#x} is outside RAM [{ram_base:#x}, {ram_end:#x})")
        symbols = {}
        symtab = elf.get_section_by_name(".symtab")
        if symtab is not None:
            for sym in symtab.iter_symbols():
                if not sym.name or sym["st_info"]["type"] not in ("STT_NOTYPE", "STT_OBJECT", "STT_FUNC"):
                    continue
                # A global symbol wins over a local (static) one of the same name.
                if sym.name not in symbols or sym["st_info"]["bind"] != "STB_LOCAL":
                    symbols[sym.name] = sym["st_value"]
        for name_ in ("tohost", "fromhost"):
            addr = symbols.get(name_)
            if addr is not None and not (ram_base <= addr and addr + 8 <= ram_end):
                raise ElfError(f"{name}: its {name_} symbol at {addr:#x} is outside RAM [{ram_base:#x}, {ram_end:#x})")
    except (_PyElfError, struct.error, ValueError, EOFError) as e:
        raise ElfError(f"{name}: a damaged ELF file ({e})") from None
    return ElfImage(name, entry, tuple(segments), symbols), chunks


def load_elf(bus, source: str | Path | bytes) -> ElfImage:
    """Check source, then copy its segments into the bus's RAM (zero-filling .bss); returns the image."""
    image, chunks = read_elf(source, bus.ram.base, bus.ram.size)
    for pa, data, memsz in chunks:
        bus.write_bytes(pa, data)
        if memsz > len(data):
            bus.write_bytes(pa + len(data), bytes(memsz - len(data)))
    return image
