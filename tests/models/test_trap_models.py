"""The trap-entry models (oskit/models) against the architecture manuals, and the real
RISC-V record against what the machine and trampoline.S do.

Expected values come from the manuals, not from the models' own constants:
Intel SDM Vol. 2B (SYSCALL, SYSRET), Vol. 3A §6.14.2 (64-bit exception stack frame),
§4.7 (page-fault error code); MIPS32 PRA Vol. III (exception vectors, ExcCode table,
Status.EXL, eret).
"""

import pytest

from oskit.models import compare, mips, riscv, x86_64
from oskit.models.record import HARDWARE, SOFTWARE


# -- x86-64 ----------------------------------------------------------------------------

def test_syscall_puts_the_return_rip_in_rcx_and_rflags_in_r11():
    """SYSCALL: RCX = address of the next instruction, R11 = RFLAGS, RIP = LSTAR, CS from STAR, RSP untouched."""
    m = x86_64.X86Model(rip=0x401000, rsp=0x7FFF_0000)
    m.record = x86_64.TrapRecord("x86-64", "t")
    m.rflags = 0x246                                    # IF, ZF, PF, bit 1
    m.syscall()
    assert m.regs["rcx"] == 0x401002                    # syscall is 2 bytes: 0F 05
    assert m.regs["r11"] == 0x246
    assert m.rip == m.msr[0xC000_0082]                  # IA32_LSTAR
    assert m.rflags == 0x246 & ~0x47700                 # Linux's FMASK clears IF (and TF, DF, AC, NT)
    assert (m.cs, m.ss, m.cpl) == (0x10, 0x18, 0)
    assert m.regs["rsp"] == 0x7FFF_0000                 # no stack switch: software's job
    assert m.mem == {}                                  # nothing written to memory by the hardware
    assert [s.actor for s in m.record.steps] == [HARDWARE] * 5


def test_sysret_returns_to_rcx_with_user_selectors():
    """SYSRET: RIP = RCX, RFLAGS = R11 (with bit 1 set), CS = STAR[63:48]+16 | 3, SS = +8 | 3."""
    m, _ = x86_64.syscall_example()
    assert m.rip == 0x401002 and m.cpl == 3
    assert (m.cs, m.ss) == (0x33, 0x2B)
    assert m.rflags == 0x202


def test_page_fault_from_user_pushes_the_frame_below_rsp0():
    """#PF from CPL 3: SS, RSP, RFLAGS, CS, RIP, error code at RSP0-8 ... RSP0-48; RSP = RSP0-48; CR2 = address."""
    m = x86_64.X86Model(rip=0x401000, rsp=0x7FFF_E000, rsp0=0xFFFF_C900_0000_4000)
    m.record = x86_64.TrapRecord("x86-64", "t")
    m.exception(14, error_code=0b110, cr2=0x60_0040)    # U=1 (bit 2), W=1 (bit 1), P=0: not present
    top = 0xFFFF_C900_0000_4000
    assert m.regs["rsp"] == top - 48
    assert [m.mem[top - 8 * i] for i in range(1, 7)] == [0x2B, 0x7FFF_E000, 0x202, 0x33, 0x401000, 0b110]
    assert m.cr2 == 0x60_0040
    assert m.rflags & (1 << 9) == 0                     # an interrupt gate clears IF
    assert (m.cs, m.rip, m.cpl) == m.idt[14] + (0,)


def test_page_fault_returns_with_iretq_to_the_faulting_instruction():
    """After the handler, iretq resumes the same instruction with the user stack and CPL 3."""
    m, rec = x86_64.page_fault_example()
    assert (m.rip, m.cpl, m.regs["rsp"]) == (0x40_1000, 3, 0x7FFF_FFFF_E000)
    first_software = next(i for i, s in enumerate(rec.steps) if s.actor == SOFTWARE)
    assert all(s.actor == HARDWARE for s in rec.steps[:first_software])
    assert rec.first("sp").actor == HARDWARE            # the user RSP: pushed by the processor


# -- MIPS32 ----------------------------------------------------------------------------

def test_mips_syscall_sets_epc_cause_exl_and_the_general_vector():
    """syscall: EPC = the syscall instruction, ExcCode 8, EXL = 1, pc = 0x80000180; software returns to EPC+4."""
    m = mips.MipsModel(pc=0x40_0100)
    m.record = mips.TrapRecord("MIPS32", "t")
    m.exception(8)
    assert m.cp0["EPC"] == 0x40_0100
    assert (m.cp0["Cause"] >> 2) & 0x1F == 8
    assert m.cp0["Status"] & 0b10                        # EXL
    assert m.kernel_mode
    assert m.pc == 0x8000_0180
    assert m.regs["sp"] == 0x7FFF_FF00                   # no stack switch in hardware
    m2, rec = mips.syscall_example()
    assert m2.pc == 0x40_0104 and not m2.cp0["Status"] & 0b10
    epc_step = next(s for s in rec.steps if s.where == "EPC" and s.actor == SOFTWARE)
    assert "+ 4" in epc_step.what                        # software, not eret, skips the syscall


def test_mips_tlb_miss_on_a_store_goes_to_the_refill_vector():
    """A store with no TLB entry: ExcCode 3 (TLBS), BadVAddr, EntryHi.VPN2, the refill vector 0x80000000."""
    m = mips.MipsModel()
    m.record = mips.TrapRecord("MIPS32", "t")
    m.exception(3, badvaddr=0x1000_2344, refill=True)
    assert (m.cp0["Cause"] >> 2) & 0x1F == 3
    assert m.cp0["BadVAddr"] == 0x1000_2344
    assert m.cp0["EntryHi"] == 0x1000_2000               # VPN2: bits 31:13
    assert m.pc == 0x8000_0000
    assert m.cp0["Status"] & 0b10


def test_mips_load_miss_is_exccode_2_and_the_refill_handler_saves_nothing():
    """TLBL = 2; the refill handler touches only $k0/$k1 and memory stays as it was."""
    m = mips.MipsModel()
    m.record = mips.TrapRecord("MIPS32", "t")
    before = dict(m.mem), {r: v for r, v in m.regs.items() if r not in ("k0", "k1")}
    m.exception(2, badvaddr=0x1000_0000, refill=True)
    m.refill()
    assert (m.cp0["Cause"] >> 2) & 0x1F == 2
    assert (dict(m.mem), {r: v for r, v in m.regs.items() if r not in ("k0", "k1")}) == before
    assert m.pc == m.cp0["EPC"] and not m.cp0["Status"] & 0b10


def test_mips_nested_exception_keeps_the_first_epc():
    """With EXL already set, a second exception leaves EPC alone (Vol. III)."""
    m = mips.MipsModel(pc=0x40_0200)
    m.record = mips.TrapRecord("MIPS32", "t")
    m.exception(8)
    m.pc = 0x8000_0190
    m.exception(4, badvaddr=3)
    assert m.cp0["EPC"] == 0x40_0200


# -- the real RISC-V path ---------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    return riscv.record_riscv()


def test_riscv_record_follows_trampoline_s(real):
    """The hardware writes sepc/scause/stval/sstatus and jumps to stvec; the trampoline swaps sp
    with sscratch first, saves 30 registers, then the user sp and sepc, then calls trap()."""
    for example, cause in (("system call", 8), ("page fault", 15)):
        rec = real[example]
        hw = rec.steps[:5]
        assert [s.where for s in hw] == ["sepc", "scause", "stval", "sstatus", "pc"]
        assert hw[1].value == cause and all(s.actor == HARDWARE for s in hw)
        assert rec.steps[5].action == "swap" and rec.steps[5].where == "sscratch"
        saves = [s for s in rec.steps if s.action == "save" and s.actor == SOFTWARE]
        assert len(saves) == 32                                        # 30 + user sp + sepc
        assert saves[-2].what == "user sp (from sscratch)" and saves[-1].what == "sepc"
        assert saves[-1].value == hw[0].value                          # the pc the hardware saved
        assert rec.steps[-2].what == "sepc" and rec.steps[-2].actor == HARDWARE   # sret


def test_riscv_ecall_returns_past_the_ecall_and_the_fault_retries(real):
    """sret goes to sepc+4 after the system call, to the same store after the page fault."""
    sc, pf = real["system call"], real["page fault"]
    assert sc.steps[-2].value == sc.steps[0].value + 4
    assert pf.steps[-2].value == pf.steps[0].value
    assert pf.steps[2].value % 4096 == 64                               # stval: &page[64], page-aligned


def test_comparison_tables_name_every_isa(real):
    """The HTML tables have a column per ISA and say which record came from the machine."""
    for example in compare.EXAMPLES:
        recs = compare.records(example, real)
        assert [r.isa for r in recs] == ["RISC-V", "MIPS32", "x86-64"]
        html = compare.summary_html(recs) + compare.steps_html(recs)
        assert "RISC-V (machine)" in html and "x86-64 (model)" in html and "MIPS32 (model)" in html
        assert "TSS.RSP0" in compare.summary_html(recs) or example == "system call"
