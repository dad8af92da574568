"""The one table of trap cause names (oskit.machine.trap), which views, tracers and kernels print."""

from oskit.machine.trap import CAUSE_NAMES, INTERRUPT_BIT, INTERRUPT_NAMES, Cause, Interrupt, cause_name


def test_every_code_has_a_name():
    """Each exception code and interrupt code the machine raises is named."""
    assert set(CAUSE_NAMES) == set(Cause)
    assert set(INTERRUPT_NAMES) == set(Interrupt)


def test_cause_name_reads_the_interrupt_bit():
    """xcause 5 is a load access fault; with bit 63 set it is the supervisor timer interrupt."""
    assert cause_name(5) == "load access fault"
    assert cause_name(INTERRUPT_BIT | 5) == "supervisor timer interrupt"
    assert cause_name(8) == "ecall from U-mode"
    assert cause_name(7, interrupt=True) == "machine timer interrupt"


def test_codes_without_a_name_say_what_they_are():
    """A reserved or custom code is printed as its number, never as a wrong name."""
    assert cause_name(10) == "exception 10"
    assert cause_name(INTERRUPT_BIT | 13) == "interrupt 13"
