"""choices.py tells the truth: every constant is read by the code that makes the choice, and the
alternatives its docstrings offer work. (The defaults are pinned by the tests of each module.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from mc_asm import RAM, asm, boot, load

import oskit
from oskit.machine import Machine, choices

OSKIT = Path(oskit.__file__).resolve().parent
CHOICES = Path(choices.__file__).resolve()
MTVEC = RAM + 0x800


def constants() -> list[str]:
    """The names choices.py assigns at module level."""
    tree = ast.parse(CHOICES.read_text())
    return [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
            if isinstance(t, ast.Name)]  # fmt: skip


def read_in_code() -> dict[str, set[str]]:
    """Constant name -> the modules under oskit/ whose code (not comments or docstrings) reads it.

    Reading means `choices.NAME` or `from oskit.machine.choices import NAME`.
    """
    found: dict[str, set[str]] = {}
    for path in sorted(OSKIT.rglob("*.py")):
        if path.resolve() == CHOICES:
            continue
        where = str(path.relative_to(OSKIT.parent))
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "choices":
                found.setdefault(node.attr, set()).add(where)
            elif isinstance(node, ast.ImportFrom) and node.module == "oskit.machine.choices":
                for alias in node.names:
                    found.setdefault(alias.name, set()).add(where)
    return found


def test_every_constant_is_read_by_the_code():
    """A constant that no module under oskit/ reads would be a claim ("changing it changes the machine")
    that nothing backs: read it where the choice is made, or document the one behaviour there instead."""
    found = read_in_code()
    unread = [name for name in constants() if name not in found]
    assert unread == [], f"choices.py constants read by no module under oskit/: {', '.join(unread)}"


def test_the_check_sees_only_code():
    """(The check itself: a name in a docstring or comment is not a read.)"""
    found = read_in_code()
    assert "oskit/machine/trap.py" in found["RESERVATION_LOST_ON_TRAP"]
    assert "PMP_ENFORCED" not in found and "CODE_COHERENT" not in found


# -- the alternatives the docstrings offer ---------------------------------------------------------


def trap_of(text: str, priv: int = 3):
    m, h = boot(text)
    h.csr.write("mtvec", MTVEC)
    h.priv = priv
    h.step()
    return h.csr.read("mcause"), h.csr.read("mtval")


def test_ebreak_tval_zero(monkeypatch):
    """EBREAK_TVAL = "zero": ebreak traps with tval 0 (the default "pc": test_traps)."""
    monkeypatch.setattr(choices, "EBREAK_TVAL", "zero")
    assert trap_of("ebreak") == (3, 0)


def test_illegal_instruction_tval_zero(monkeypatch):
    """ILLEGAL_INSTRUCTION_TVAL = "zero": an unknown word and a CSR out of reach trap with tval 0."""
    monkeypatch.setattr(choices, "ILLEGAL_INSTRUCTION_TVAL", "zero")
    assert trap_of("csrrs a0, mstatus, zero", priv=1) == (2, 0)
    m, h = boot("ecall")
    m.bus.write_bytes(RAM, (0xFFFF_FFFF).to_bytes(4, "little"))
    h.csr.write("mtvec", MTVEC)
    h.step()
    assert (h.csr.read("mcause"), h.csr.read("mtval")) == (2, 0)


def test_wfi_in_u_mode_as_a_nop(monkeypatch):
    """WFI_IN_U_MODE_ILLEGAL = False: wfi in U completes at once (no trap, no waiting)."""
    monkeypatch.setattr(choices, "WFI_IN_U_MODE_ILLEGAL", False)
    m, h = boot("wfi")
    h.csr.write("mtvec", MTVEC)
    h.priv = 0
    h.step()
    assert (h.pc, h.waiting, h.csr.read("mcause")) == (RAM + 4, False, 0)


@pytest.mark.parametrize("lost, sc_result", [(True, 1), (False, 0)])
def test_a_reservation_across_a_trap(monkeypatch, lost, sc_result):
    """RESERVATION_LOST_ON_TRAP: an sc after a trap taken between lr and sc fails (True) or succeeds (False)."""
    monkeypatch.setattr(choices, "RESERVATION_LOST_ON_TRAP", lost)
    m, h = boot("lr.d a1, (a0)\necall\nsc.d a2, a3, (a0)")
    h.csr.write("mtvec", MTVEC)
    h.x[10] = RAM + 0x100
    h.step()  # lr
    h.step()  # ecall: a trap to MTVEC
    h.pc = RAM + 8  # what the handler's mret would do
    h.step()  # sc
    assert h.x[12] == sc_result


TIMER = """
    lui t0, 0x2004
    addi t1, zero, 100
    sd t1, 0(t0)
    addi t0, zero, 128
    csrrs zero, mie, t0
    wfi
    csrrs a0, time, zero
    ecall
"""  # mtimecmp[0] = 100, MTIE on, MIE off: wfi wakes when mtime reaches 100 (no trap taken)


@pytest.mark.parametrize("fast_forward", [True, False])
def test_idle_time_passes_the_same_either_way(fast_forward):
    """machine.idle_fast_forward: jumping to the deadline or letting it come, the hart wakes at mtime 100."""
    m, h = boot(TIMER)
    load(m, asm("jal zero, 0"), MTVEC)  # the ecall ends here, spinning
    m.idle_fast_forward = fast_forward
    h.csr.write("mtvec", MTVEC)
    result = m.run(max_instructions=100)
    assert result.reason == "limit"
    assert h.pc == MTVEC and h.csr.read("mcause") == 11
    assert h.x[10] >= 100 and m.clint.mtime >= 100


def test_defaults():
    """The defaults the docstrings describe (the behaviour behind each is tested in its module)."""
    assert (choices.MISALIGNED_ACCESS_TRAPS, choices.IDLE_FAST_FORWARD) == (False, True)
    m = Machine()
    assert (m.misaligned_access_traps, m.idle_fast_forward) == (False, True)
