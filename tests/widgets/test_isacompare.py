"""ISACompare shows the table the toggles choose, drawn from the records it was given."""

from oskit.models import riscv
from widgets import ISACompare


def test_toggles_choose_example_and_view():
    """Switching to the page fault shows x86-64's TSS.RSP0 and CR2; 'every step' numbers the steps."""
    v = ISACompare(riscv.record_riscv())
    assert "RISC-V (machine)" in v.table.value and "CR2" not in v.table.value
    v.example.value = "page fault"
    assert "CR2" in v.table.value and "TSS.RSP0" in v.table.value and "stval" in v.table.value
    v.view.value = "every step"
    assert "<td>1</td>" in v.table.value
    assert repr(v) == "ISACompare(example='page fault', view='every step')"
