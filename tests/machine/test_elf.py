"""ELF loading: each kind of bad file gets its own one-line message; good files land in RAM with their symbols."""

import struct

import pytest

from oskit.machine.bus import RAM_BASE, Bus, Ram
from oskit.machine.elf import ElfError, load_elf, read_elf

RAM_SIZE = 1 << 20


def make_elf(
    *,
    entry=RAM_BASE,
    paddr=RAM_BASE,
    code=b"\x13\x00\x00\x00" * 4,
    memsz=None,
    symbols=(),
    ei_class=2,
    machine=243,
    e_type=2,
):
    """A minimal ELF64 file: one PT_LOAD segment holding `code`, and a symbol table."""
    memsz = len(code) if memsz is None else memsz
    ehsize, phentsize, shentsize = 64, 56, 64
    code_off = ehsize + phentsize
    strtab = b"\0" + b"".join(name.encode() + b"\0" for name, _ in symbols)
    syms = [bytes(24)]  # the null symbol
    pos = 1
    for name, value in symbols:
        # st_name, st_info (GLOBAL OBJECT), st_other, st_shndx (1), st_value, st_size
        syms.append(struct.pack("<IBBHQQ", pos, 0x11, 0, 1, value, 8))
        pos += len(name) + 1
    symtab = b"".join(syms)
    shstrtab = b"\0.text\0.symtab\0.strtab\0.shstrtab\0"
    symtab_off = code_off + len(code)
    strtab_off = symtab_off + len(symtab)
    shstrtab_off = strtab_off + len(strtab)
    shoff = (shstrtab_off + len(shstrtab) + 7) & ~7

    def sh(name, typ, flags, addr, off, size, link=0, info=0, align=1, entsize=0):
        return struct.pack("<IIQQQQIIQQ", name, typ, flags, addr, off, size, link, info, align, entsize)

    sections = [
        bytes(shentsize),
        sh(1, 1, 6, paddr, code_off, len(code), align=4),  # .text PROGBITS AX
        sh(7, 2, 0, 0, symtab_off, len(symtab), link=3, info=1, align=8, entsize=24),  # .symtab
        sh(15, 3, 0, 0, strtab_off, len(strtab)),  # .strtab
        sh(23, 3, 0, 0, shstrtab_off, len(shstrtab)),  # .shstrtab
    ]
    ident = b"\x7fELF" + bytes([ei_class, 1, 1, 0]) + bytes(8)
    header = ident + struct.pack(
        "<HHIQQQIHHHHHH", e_type, machine, 1, entry, ehsize, shoff, 0, ehsize, phentsize, 1, shentsize, 5, 4
    )
    # PT_LOAD, flags R+X
    phdr = struct.pack("<IIQQQQQQ", 1, 5, code_off, paddr, paddr, len(code), memsz, 4)
    body = header + phdr + code + symtab + strtab + shstrtab
    return body + bytes(shoff - len(body)) + b"".join(sections)


def one_line_error(data):
    with pytest.raises(ElfError) as info:
        read_elf(data, RAM_BASE, RAM_SIZE)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_a_good_file_loads_with_bss_zeroed_and_symbols():
    """Segments are copied to their physical address, the rest of p_memsz is zeroed, symbols are found."""
    bus = Bus(Ram(RAM_SIZE))
    bus.write_bytes(RAM_BASE, b"\xaa" * 64)  # poison: bss must be cleared by the loader
    data = make_elf(code=b"\x13\x05\x70\x00", memsz=32, entry=RAM_BASE, symbols=[("tohost", RAM_BASE + 16)])
    image = load_elf(bus, data)
    assert image.entry == RAM_BASE
    assert image.symbols["tohost"] == RAM_BASE + 16 and image.symbol_at(RAM_BASE + 16) == "tohost"
    assert bus.read_bytes(RAM_BASE, 4) == b"\x13\x05\x70\x00"
    assert bus.read_bytes(RAM_BASE + 4, 28) == bytes(28)
    assert bus.read_bytes(RAM_BASE + 32, 4) == b"\xaa" * 4  # past p_memsz: untouched
    (seg,) = image.segments
    assert (seg.pa, seg.filesz, seg.memsz, seg.flags) == (RAM_BASE, 4, 32, "r-x")


def test_not_an_elf_file():
    """A text file is refused as not an ELF file, showing the bytes found."""
    assert one_line_error(b"int main() {}\n") == (
        "<bytes>: not an ELF file (expected the magic bytes 7f 45 4c 46, found 69 6e 74 20)"
    )
    assert "found nothing" in one_line_error(b"")


def test_not_64_bit():
    """A 32-bit ELF is refused because the machine is RV64."""
    assert "not a 64-bit ELF file (found 32-bit)" in one_line_error(make_elf(ei_class=1))


def test_not_risc_v():
    """An x86-64 ELF is refused, naming the machine it is for."""
    assert "not a RISC-V program (e_machine is EM_X86_64" in one_line_error(make_elf(machine=62))


def test_not_executable():
    """A relocatable object (.o) is refused as not an executable."""
    assert "not an executable (e_type is ET_REL" in one_line_error(make_elf(e_type=1))


def test_segment_outside_ram():
    """A segment linked below RAM (at 0x1000) is refused with its range and RAM's."""
    message = one_line_error(make_elf(paddr=0x1000, entry=RAM_BASE))
    assert "a segment at [0x1000, 0x1010) lies outside RAM [0x80000000, 0x80100000)" in message


def test_segment_past_the_end_of_ram():
    """A segment whose bss runs past the end of RAM is refused."""
    message = one_line_error(make_elf(paddr=RAM_BASE + RAM_SIZE - 8, memsz=64))
    assert "lies outside RAM" in message


def test_entry_outside_ram():
    """An entry point outside RAM is refused with its address."""
    assert "entry point 0x1000 is outside RAM" in one_line_error(make_elf(entry=0x1000))


def test_unreadable_path(tmp_path):
    """A path that does not exist is an ElfError naming the file, not an OSError."""
    with pytest.raises(ElfError, match="nothing.elf: cannot read the file"):
        read_elf(tmp_path / "nothing.elf", RAM_BASE, RAM_SIZE)


def test_a_damaged_file():
    """A file cut short after the header is refused as damaged, not with a traceback from the parser."""
    assert "damaged ELF file" in one_line_error(make_elf()[:70])


def test_tohost_outside_ram():
    """A tohost symbol that does not point into RAM is refused (HTIF could never see the exit)."""
    assert "its tohost symbol at 0x1000 is outside RAM" in one_line_error(make_elf(symbols=[("tohost", 0x1000)]))
