"""CSR fields in words: what the views print next to a raw register value.

    priv_name(p)          "U", "S" or "M"
    cause_name(xcause)    "ecall from U-mode", "supervisor timer interrupt", ... (oskit.machine.trap's)
    sstatus_text(v)       "SPP=U SIE=0 SPIE=1 SUM=0 MXR=0"
    mstatus_text(v)       "MPP=M MIE=0 MPIE=0 MPRV=0"
    satp_text(v)          "Sv39 ASID=1 root table 0x8020_3000" or "Bare (no translation)"
    tvec_text(v)          "base 0x... direct" / "vectored"

Bit layouts (RISC-V privileged spec v1.12):

    sstatus  SIE[1] SPIE[5] SPP[8] SUM[18] MXR[19]
    mstatus  MIE[3] MPIE[7] MPP[12:11] MPRV[17]  (and the sstatus bits)
    xcause   Interrupt[63] Code[62:0]
    satp     MODE[63:60] (0 Bare, 8 Sv39) ASID[59:44] PPN[43:0]
    xtvec    BASE[63:2] MODE[1:0] (0 direct, 1 vectored)
"""

from __future__ import annotations

from oskit.machine.trap import cause_name  # noqa: F401  (the machine's one table of cause names)

from widgets.style import hexw

PRIV_NAMES = {0: "U", 1: "S", 3: "M"}


def priv_name(priv: int) -> str:
    """The letter of a privilege mode (U, S, M)."""
    return PRIV_NAMES.get(int(priv), f"?{priv}")


def _bit(value: int, n: int) -> int:
    return value >> n & 1


def sstatus_text(v: int) -> str:
    """The supervisor fields of sstatus/mstatus."""
    return (f"SPP={'S' if _bit(v, 8) else 'U'} SIE={_bit(v, 1)} SPIE={_bit(v, 5)} "
            f"SUM={_bit(v, 18)} MXR={_bit(v, 19)}")


def mstatus_text(v: int) -> str:
    """The machine fields of mstatus."""
    return f"MPP={priv_name(v >> 11 & 3)} MIE={_bit(v, 3)} MPIE={_bit(v, 7)} MPRV={_bit(v, 17)}"


def satp_text(v: int) -> str:
    """satp's mode, address-space id and root page table."""
    mode = v >> 60
    if mode == 0:
        return "Bare (no translation)"
    name = "Sv39" if mode == 8 else f"mode {mode}"
    return f"{name} ASID={(v >> 44) & 0xFFFF} root table {hexw((v & ((1 << 44) - 1)) << 12, 8)}"


def tvec_text(v: int) -> str:
    """xtvec's handler base and mode."""
    mode = {0: "direct", 1: "vectored"}.get(v & 3, f"mode {v & 3}")
    return f"base {hexw(v & ~3)} {mode}"
