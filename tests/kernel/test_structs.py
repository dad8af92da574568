"""C layouts declared once in structs.py agree with what the C compiler makes of them."""

import pytest

from oskit.kernel import structs
from oskit.kernel.structs import SIGFRAME, TRAPFRAME, UCRED, Struct, c_header
from oskit.toolchain import CompileError, build

USE = r"""
#include "oskit_structs.h"
#include <stddef.h>
struct trapframe tf; struct ucred cr; struct sigframe sf;
int main(void) { return (int)(sizeof tf + sizeof cr + sizeof sf) & 1; }
"""


def test_generated_header_compiles_with_every_offset_asserted():
    """clang accepts the header, whose _Static_asserts pin every field offset and size to Python's."""
    build({"use.c": USE, "oskit_structs.h": c_header()}, mode="bare", name="structs_ok")
    assert c_header().count("_Static_assert") == sum(len(s.fields) + 1 for s in structs.ALL)


def test_a_wrong_offset_is_caught_by_the_compiler():
    """If Python's idea of an offset were wrong, compiling the header would fail (the asserts bite)."""
    bad = c_header().replace(f"__builtin_offsetof(struct trapframe, sepc) == {TRAPFRAME.offset('sepc')}",
                             f"__builtin_offsetof(struct trapframe, sepc) == {TRAPFRAME.offset('sepc') + 8}")
    with pytest.raises(CompileError) as e:
        build({"use.c": USE, "oskit_structs.h": bad}, mode="bare", name="structs_bad")
    assert "trapframe.sepc" in str(e.value)


def test_trapframe_layout_is_x_registers_in_order():
    """x(n) sits at 8*(n-1), then sepc: the order trampoline.S saves them in."""
    assert TRAPFRAME.offset("ra") == 0 and TRAPFRAME.offset("sp") == 8
    assert TRAPFRAME.offset("a0") == 8 * 9 and TRAPFRAME.offset("t6") == 8 * 30
    assert TRAPFRAME.offset("sepc") == 8 * 31
    assert "TRAPFRAME_SEPC 248" in c_header()


def test_siginfo_prefix_matches_libc_siginfo_t():
    """The signal frame starts with siginfo_t as <signal.h> declares it (si_addr at 24, 80 bytes)."""
    assert SIGFRAME.offset("si_addr") == 24 and SIGFRAME.offset("si_value") == 32
    assert SIGFRAME.offset("uc_sigmask") == 80         # FreeBSD's sigframe: sf_si, then sf_uc


def test_padding_and_alignment_follow_c():
    """A u8 then a u64 puts the u64 at offset 8 and the struct size at 16, as C does."""
    s = Struct("pad", [("a", "u8"), ("b", "u64"), ("c", "u16")])
    assert (s.offset("b"), s.offset("c"), s.size) == (8, 16, 24)


def test_pack_unpack_round_trip():
    """Struct.pack and Struct.unpack agree, arrays included."""
    raw = UCRED.pack(cr_uid=1000, cr_groups=[5, 6, 7], cr_ngroups=3)
    back = UCRED.unpack(raw)
    assert back["cr_uid"] == 1000 and back["cr_groups"][:3] == [5, 6, 7] and back["cr_ngroups"] == 3


def test_unknown_type_is_a_clear_error():
    """Declaring a field of an unknown type names the struct, the field and the choices."""
    with pytest.raises(ValueError, match=r"struct s\.f: unknown type 'u128'"):
        Struct("s", [("f", "u128")])
