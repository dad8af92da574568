"""SBI (oskit/firmware/sbi.py, riscv/sbi.py): the kernel's ecalls to M-mode firmware."""

import pytest

import oskit
from oskit.firmware.sbi import EXT_BASE, EXT_IPI, EXT_RFENCE, EXT_SRST, EXT_TIME, SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED
from oskit.toolchain import build

EXT_HSM = 0x48534D      # hart state management: not implemented here


@pytest.fixture(scope="module")
def k():
    return oskit.boot(programs=False, harts=2)


def test_base_extension_answers_version_and_probes(k):
    """get_spec_version is 2.0; probe_extension says yes to what is implemented, no to HSM."""
    h = k.machine.harts[0]
    assert k.sbi.get_spec_version(h) == (2, 0)
    assert [k.sbi.probe_extension(h, e) for e in (EXT_BASE, EXT_TIME, EXT_IPI, EXT_RFENCE, EXT_SRST, EXT_HSM)] \
        == [True, True, True, True, True, False]
    assert k.sbi.call(h, EXT_HSM, 0)[0] == SBI_ERR_NOT_SUPPORTED
    assert k.sbi.call(h, EXT_BASE, 4)[1] == h.csr.read("mvendorid")


def test_an_sbi_call_traps_from_s_to_m_and_mrets_back(k):
    """The ecall is a trap with cause 9 from S (1) to M (3); the firmware's mret returns to S after it."""
    h = k.machine.harts[0]
    seen = []
    traps = k.machine.events.subscribe("trap", lambda e: seen.append(("trap", e.cause, e.from_priv, e.to_priv, e.epc)))
    xrets = k.machine.events.subscribe("xret", lambda e: seen.append((e.kind, e.from_priv, e.to_priv, e.pc)))
    try:
        k.sbi.get_spec_version(h)
    finally:
        k.machine.events.unsubscribe("trap", traps)
        k.machine.events.unsubscribe("xret", xrets)
    assert seen == [("trap", 9, 1, 3, k.sbi.entry), ("mret", 3, 1, k.sbi.entry + 4)]
    assert h.priv == 1


def test_registers_the_trap_was_using_survive_an_sbi_call(k):
    """a0-a7 are put back: the Python kernel may call the firmware in the middle of a trap."""
    h = k.machine.harts[0]
    h.x[10:18] = list(range(100, 108))
    k.sbi.probe_extension(h, EXT_TIME)
    assert h.x[10:18] == list(range(100, 108))


SLEEP = r"""
#include <stdio.h>
#include <time.h>
int main(void) {
    struct timespec t = {0, 2000000}, a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 3; i++) nanosleep(&t, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long us = ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec) / 1000;
    printf("slept %s\n", us >= 6000 && us < 7000 ? "6 ms" : "wrong");
    return 0;
}
"""


@pytest.mark.parametrize("harts", [1, 2])
def test_a_kernel_booted_with_sbi_timers_takes_its_timer_interrupts_from_the_firmware(harts):
    """timer="sbi": nanosleep wakes on time; each wake-up was a machine timer the firmware passed on."""
    k = oskit.boot(programs=False, harts=harts, timer="sbi")
    k.install_program("/bin/sleep3", build({"sleep3.c": SLEEP}, mode="user").read_bytes())
    assert not k.machine.harts[0].csr.read("menvcfg") >> 63          # Sstc off: stimecmp is not ours
    p = k.spawn("/bin/sleep3")
    k.run(until=p.exited, max_instructions=5_000_000)
    assert p.stdout == "slept 6 ms\n"
    assert k.firmware.counts["MTI"] >= 3 and k.firmware.counts["TIME"] >= 3


def test_the_default_kernel_sets_its_timer_without_the_firmware():
    """timer="sstc" (the default): the same program makes no SBI call at all."""
    k = oskit.boot(programs=False)
    k.install_program("/bin/sleep3", build({"sleep3.c": SLEEP}, mode="user").read_bytes())
    calls = k.sbi.calls
    p = k.spawn("/bin/sleep3")
    k.run(until=p.exited, max_instructions=5_000_000)
    assert p.stdout == "slept 6 ms\n" and k.sbi.calls == calls and "MTI" not in k.firmware.counts


def test_set_timer_programs_mtimecmp_and_the_interrupt_reaches_s_mode():
    """set_timer(t): mtimecmp = t and STIP clear; once mtime passes t the firmware raises STIP."""
    k = oskit.boot(programs=False, timer="sbi")
    k.run(max_instructions=100_000)                     # init is up; the harts idle
    h = k.machine.harts[0]
    t = k.machine.clint.mtime + 50
    k.sbi.set_timer(h, t)
    assert k.machine.clint.mtimecmp[0] == t and not h.csr.read("sip") & (1 << 5)
    before = k.firmware.counts["MTI"]
    seen = []
    fn = k.machine.events.subscribe("trap", lambda e: seen.append((e.cause, e.to_priv, e.interrupt, e.epc)))
    k.machine.run(20_000)                               # the machine alone: time jumps to t
    k.machine.events.unsubscribe("trap", fn)
    assert k.firmware.counts["MTI"] == before + 1 and k.machine.clint.mtime >= t
    assert [(c, p, i) for c, p, i, _ in seen][:2] == [(7, 3, True), (5, 1, True)]   # MTI to M, then STI to S


def test_send_ipi_reaches_the_other_hart_as_a_supervisor_software_interrupt():
    """send_ipi(hart 1): hart 1 takes MSI in M-mode, then SSI (cause 1) in S-mode."""
    k = oskit.boot(programs=False, harts=2)
    k.run(max_instructions=50_000)
    seen = []
    fn = k.machine.events.subscribe("trap", lambda e: seen.append((e.hart, e.cause, e.to_priv, e.interrupt)))
    assert k.sbi.send_ipi(k.machine.harts[0], 0b10) == 0
    k.run(max_instructions=50_000)
    k.machine.events.unsubscribe("trap", fn)
    assert (1, 3, 3, True) in seen and (1, 1, 1, True) in seen
    assert seen.index((1, 3, 3, True)) < seen.index((1, 1, 1, True))
    assert k.sbi.send_ipi(k.machine.harts[0], 0b100) == SBI_ERR_INVALID_PARAM       # no hart 2


def test_remote_sfence_vma_empties_the_other_harts_tlb(k):
    """RFENCE remote_sfence_vma on hart 1 drops its TLB entries."""
    h0, h1 = k.machine.harts
    k.run(max_instructions=50_000)
    h1.mmu.translate(k.uservec, "x", 1, h1.csr.read("satp"), False, False)
    assert h1.mmu.entries()
    assert k.sbi.remote_sfence_vma(h0, 0b10) == 0
    assert h1.mmu.entries() == []


def test_console_putchar_and_dbcn_write_reach_the_uart(k):
    """Legacy console_putchar and DBCN write_byte go out through the UART."""
    h = k.machine.harts[0]
    out = k.machine.uart.output
    start = len(out.data)
    k.sbi.console_putchar(h, ord("o"))
    k.sbi.console_write(h, "k!\n")
    assert out.data[start:] == b"ok!\n"


def test_system_reset_stops_the_machine():
    """SRST shutdown ends the run; a bad reset type is SBI_ERR_INVALID_PARAM and stops nothing."""
    k = oskit.boot(programs=False)
    h = k.machine.harts[0]
    assert k.sbi.system_reset(h, 7, 0) == SBI_ERR_INVALID_PARAM and k.firmware.reset_reason is None
    k.sbi.system_reset(h, 0, 0)
    assert k.firmware.reset_reason == "system_reset: shutdown (no reason)"
    assert k.machine.stopping


THREADS = r"""
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
static long counter;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void *work(void *arg) {
    for (int i = 0; i < 2000; i++) { pthread_mutex_lock(&m); counter++; pthread_mutex_unlock(&m); }
    return arg;
}
int main(void) {
    pthread_t t[3];
    char *p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    for (int i = 0; i < 3; i++) pthread_create(&t[i], 0, work, 0);
    p[0] = 1;
    munmap(p, 8192);                       /* a TLB shootdown while the threads run */
    for (int i = 0; i < 3; i++) pthread_join(t[i], 0);
    printf("counter %ld\n", counter);
    return 0;
}
"""


def test_a_kernel_booted_with_sbi_ipis_sends_them_through_the_firmware():
    """ipi="sbi" on 2 harts: threads, a mutex and a munmap shootdown work; the IPIs were SBI calls."""
    k = oskit.boot(programs=False, harts=2, ipi="sbi")
    k.install_program("/bin/thr", build({"thr.c": THREADS}, mode="user").read_bytes())
    p = k.spawn("/bin/thr")
    r = k.run(until=p.exited, max_instructions=50_000_000)
    assert r.reason == "until" and p.stdout == "counter 6000\n"
    assert k.firmware.counts.get("IPI", 0) > 0 and k.firmware.counts.get("MSI", 0) > 0


def test_bad_boot_options_are_clear_errors():
    """An unknown timer or ipi option names what is accepted."""
    with pytest.raises(ValueError, match="'sstc'"):
        oskit.boot(programs=False, timer="clint")
    with pytest.raises(ValueError, match="'direct' or 'sbi'"):
        oskit.boot(programs=False, ipi="msip")
