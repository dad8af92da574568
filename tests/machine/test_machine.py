"""The whole board running real bare-metal programs: run reasons, time, timers, IPIs, UART input, harts."""

from pathlib import Path

import pytest

from oskit.machine import Machine, Priv
from oskit.machine.choices import INSTRUCTIONS_PER_TICK
from oskit.toolchain import build

PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "bare"


def program(name, text):
    """Build a bare-metal C program given as text (cached by content)."""
    return build({f"{name}.c": '#include "bare.h"\n' + text}, mode="bare")


def run(elf, harts=1, max_instructions=2_000_000, feed=None):
    m = Machine(harts=harts)
    m.load_elf(elf)
    if feed is not None:
        m.uart.feed(feed)
    return m, m.run(max_instructions=max_instructions)


SPIN = program("spin", "int main(void) { for (;;) __asm__ volatile(\"\"); }")


def test_hello_prints_and_exits_with_its_code():
    """hello.c prints through the UART and its main's return value becomes the exit code."""
    m, r = run(build(PROGRAMS / "hello.c", mode="bare"))
    assert (r.reason, r.exit_code) == ("exit", 7)
    assert m.uart.output.text.startswith("hello from hart 0\n")
    assert r.instructions == m.instructions > 0


def test_load_elf_starts_every_hart_at_the_entry_in_m_mode():
    """After load_elf each hart is at the entry point, in M-mode, with a0 = its hartid and a1 = 0."""
    m = Machine(harts=3)
    image = m.load_elf(SPIN)
    assert "tohost" in image.symbols and m.htif.armed
    for i, hart in enumerate(m.harts):
        assert (hart.pc, hart.priv, hart.x[10], hart.x[11]) == (image.entry, Priv.M, i, 0)


def test_limit_counts_instructions_and_advances_time():
    """A program that never ends stops at the limit; mtime gained one tick per 10 instructions."""
    m, r = run(SPIN, max_instructions=12_345)
    assert (r.reason, r.exit_code, r.instructions) == ("limit", None, 12_345)
    assert INSTRUCTIONS_PER_TICK == 10 and m.clint.mtime == 1234
    r2 = m.run(max_instructions=5)
    assert (r2.reason, r2.instructions) == ("limit", 5)  # a run continues where the last one stopped
    assert m.instructions == 12_350


def test_a_host_call_can_stop_the_run():
    """An M-mode call to a host function runs it, returns to ra, and m.stop() in it ends run() as "stopped"."""
    elf = program(
        "hostcall",
        """
        int main(void) {
            long (*add)(long, long) = (long (*)(long, long))0xFFFFFFFFFFF00000UL;
            void (*halt)(void) = (void (*)(void))0xFFFFFFFFFFF00010UL;
            printf("sum=%ld\\n", add(40, 2));
            halt();
            printf("not reached\\n");
            return 0;
        }
        """,
    )
    m = Machine()
    m.load_elf(elf)

    def add(hart):
        hart.x[10] = hart.x[10] + hart.x[11]

    assert m.hostcalls.register("add", add) == 0xFFFF_FFFF_FFF0_0000
    assert m.hostcalls.register("halt", lambda hart: m.stop("halt() called")) == 0xFFFF_FFFF_FFF0_0010
    r = m.run(max_instructions=1_000_000)
    assert (r.reason, r.detail) == ("stopped", "halt() called")
    assert m.uart.output.text == "sum=42\n"


def test_wfi_with_nothing_to_wake_it_is_idle():
    """A hart that sleeps with no interrupt enabled ends the run as "idle" (quickly, not at the limit)."""
    elf = program("sleep", 'int main(void) { printf("zz\\n"); for (;;) __asm__ volatile("wfi"); }')
    m, r = run(elf)
    assert r.reason == "idle" and r.instructions < 10_000
    assert m.uart.output.text == "zz\n"


def test_idle_time_is_fast_forwarded_to_the_timer():
    """WFI until a timer one emulated second away costs a few instructions, and time jumps to the deadline."""
    elf = program(
        "nap",
        """
        int main(void) {
            unsigned long start = *CLINT_MTIME;
            *CLINT_MTIMECMP(0) = start + 10000000;   /* one second at 10 MHz */
            csr_set(mie, 1UL << IRQ_MTI);            /* wakes wfi; mstatus.MIE stays off: no trap */
            while (*CLINT_MTIME < start + 10000000)
                __asm__ volatile("wfi");
            printf("slept %lu ticks\\n", *CLINT_MTIME - start);
            return 0;
        }
        """,
    )
    m, r = run(elf)
    assert (r.reason, r.exit_code) == ("exit", 0)
    slept = int(m.uart.output.text.split()[1])
    assert 10_000_000 <= slept < 10_000_000 + 1000
    assert r.instructions < 10_000


def test_idle_time_is_fast_forwarded_to_stimecmp():
    """With Sstc on (menvcfg.STCE), a WFI waiting for stimecmp also skips straight to the deadline."""
    elf = program(
        "snooze",
        """
        int main(void) {
            unsigned long start = csr_read(time);
            csr_set(0x30a, 1UL << 63);                   /* menvcfg.STCE */
            csr_write(0x14d, start + 5000000);           /* stimecmp: half a second */
            csr_set(mie, 1UL << IRQ_STI);
            while (csr_read(time) < start + 5000000)
                __asm__ volatile("wfi");
            printf("slept %lu ticks, stip=%lu\\n", csr_read(time) - start, (csr_read(mip) >> IRQ_STI) & 1);
            return 0;
        }
        """,
    )
    m, r = run(elf)
    assert (r.reason, r.exit_code) == ("exit", 0) and r.instructions < 10_000
    words = m.uart.output.text.split()
    assert 5_000_000 <= int(words[1]) < 5_000_000 + 1000 and words[-1] == "stip=1"


TIMER = program(
    "timer",
    """
    static volatile unsigned long fired, when, cause;
    static void on_trap(struct bare_frame *f) {
        cause = f->cause;
        when = *CLINT_MTIME;
        fired++;
        *CLINT_MTIMECMP(0) = ~0UL;                  /* no more */
    }
    int main(void) {
        bare_set_mtrap(on_trap);
        unsigned long deadline = *CLINT_MTIME + 500;
        *CLINT_MTIMECMP(0) = deadline;
        csr_set(mie, 1UL << IRQ_MTI);
        csr_set(mstatus, MSTATUS_MIE);
        unsigned long spins = 0;
        while (!fired)
            spins++;
        printf("cause=%lx late=%lu fired=%lu spun=%s\\n", cause, when - deadline, fired, spins > 0 ? "yes" : "no");
        return 0;
    }
    """,
)


def test_timer_interrupt_via_mtimecmp():
    """mtimecmp interrupts a busy hart (mcause = interrupt 7) on time, exactly once."""
    m, r = run(TIMER)
    assert (r.reason, r.exit_code) == ("exit", 0)
    assert m.uart.output.text.startswith("cause=8000000000000007 late=")
    late = int(m.uart.output.text.split()[1].split("=")[1])
    assert late <= 5  # the slice stopped at the deadline: only the trap entry's instructions passed
    assert m.uart.output.text.endswith("fired=1 spun=yes\n")


def test_runs_are_deterministic():
    """The same program run twice takes the same instructions and prints the same times."""
    (m1, r1), (m2, r2) = run(TIMER), run(TIMER)
    assert r1 == r2 and m1.uart.output.text == m2.uart.output.text and m1.clint.mtime == m2.clint.mtime


def test_ipi_between_two_harts():
    """Hart 0 writes hart 1's msip; hart 1 takes a software interrupt (cause 3), clears it and answers."""
    elf = program(
        "ipi",
        """
        static volatile unsigned long got, cause;
        static void on_trap(struct bare_frame *f) {
            cause = f->cause;
            *CLINT_MSIP(bare_hartid()) = 0;          /* acknowledge */
            got++;
        }
        static volatile int ready;
        void secondary_main(unsigned long hartid) {
            csr_set(mie, 1UL << IRQ_MSI);
            csr_set(mstatus, MSTATUS_MIE);
            ready = 1;
            while (!got)
                __asm__ volatile("wfi");
            printf("hart %lu: cause=%lx\\n", hartid, cause);
            ready = 2;
            for (;;) __asm__ volatile("wfi");
        }
        int main(void) {
            bare_set_mtrap(on_trap);
            while (ready != 1) ;
            *CLINT_MSIP(1) = 1;
            while (ready != 2) ;
            printf("hart 0: msip[1]=%u\\n", *CLINT_MSIP(1));
            return 5;
        }
        """,
    )
    m, r = run(elf, harts=2)
    assert (r.reason, r.exit_code) == ("exit", 5)
    assert m.uart.output.text == "hart 1: cause=8000000000000003\nhart 0: msip[1]=0\n"


def test_harts_take_turns():
    """With two harts, hart 0 sees hart 1 make progress while it runs (round-robin in one thread)."""
    elf = program(
        "turns",
        """
        static volatile unsigned long counter;
        void secondary_main(unsigned long hartid) { for (;;) counter++; }
        int main(void) {
            unsigned long seen = 0, changes = 0;
            for (int i = 0; i < 20000; i++) {
                unsigned long c = counter;
                if (c != seen) { changes++; seen = c; }
            }
            printf("%s\\n", changes > 3 ? "interleaved" : "not interleaved");
            return 0;
        }
        """,
    )
    m, r = run(elf, harts=2)
    assert m.uart.output.text == "interleaved\n"
    assert r.instructions > 2 * 20000  # both harts ran


def test_uart_receive_interrupt():
    """Fed input raises PLIC source 10 at hart 0's M context; the handler claims it, reads RBR and completes."""
    elf = program(
        "uartrx",
        """
        #define PLIC 0x0C000000UL
        #define REG32(a) (*(volatile unsigned int *)(a))
        #define UART(r) (*(volatile unsigned char *)(UART0_BASE + (r)))
        static volatile int lines;
        static char buf[64];
        static int len;
        static void on_trap(struct bare_frame *f) {
            unsigned int src = REG32(PLIC + 0x200004);       /* claim, context 0 */
            while (UART(5) & 1) {                            /* LSR.DR */
                char c = UART(0);
                buf[len++] = c;
                if (c == '\\n') lines++;
            }
            REG32(PLIC + 0x200004) = src;                    /* complete */
            buf[len] = 0;
        }
        int main(void) {
            bare_set_mtrap(on_trap);
            REG32(PLIC + 4 * 10) = 1;                        /* priority of source 10 */
            REG32(PLIC + 0x2000) = 1u << 10;                 /* enable for context 0 */
            REG32(PLIC + 0x200000) = 0;                      /* threshold */
            UART(1) = 1;                                     /* IER.ERBFI */
            csr_set(mie, 1UL << IRQ_MEI);
            csr_set(mstatus, MSTATUS_MIE);
            while (!lines)
                __asm__ volatile("wfi");
            printf("got: %s", buf);
            return len;
        }
        """,
    )
    m, r = run(elf, feed=b"ping\n")
    assert (r.reason, r.exit_code) == ("exit", 5)
    assert m.uart.output.text == "got: ping\n"


def test_waiting_for_input_that_never_comes_is_idle():
    """The same kind of program with no input sleeps forever: the run ends "idle", and feeding input later wakes it."""
    elf = program(
        "getc",
        """
        #define UART(r) (*(volatile unsigned char *)(UART0_BASE + (r)))
        int main(void) {
            *(volatile unsigned int *)(0x0C000000UL + 40) = 1;
            *(volatile unsigned int *)(0x0C002000UL) = 1u << 10;
            UART(1) = 1;
            csr_set(mie, 1UL << IRQ_MEI);                    /* wfi wakes; no trap: MIE is off */
            while (!(UART(5) & 1))
                __asm__ volatile("wfi");
            return UART(0);
        }
        """,
    )
    m, r = run(elf)
    assert r.reason == "idle"
    m.uart.feed("A")
    r = m.run(max_instructions=100_000)
    assert (r.reason, r.exit_code) == ("exit", ord("A"))


def test_a_finished_program_stays_finished():
    """run() after the exit returns "exit" again with no instruction executed."""
    m, r = run(build(PROGRAMS / "hello.c", mode="bare"))
    again = m.run()
    assert (again.reason, again.exit_code, again.instructions) == ("exit", 7, 0)


def test_mmio_events_name_the_device():
    """Every UART register access is an "mmio" event naming the uart and the hart."""
    m = Machine()
    m.load_elf(build(PROGRAMS / "hello.c", mode="bare"))
    writes = []
    m.events.subscribe("mmio", lambda e: writes.append(e) if e.is_write and e.pa == 0x1000_0000 else None)
    m.run(max_instructions=2_000_000)
    assert bytes(e.value for e in writes) == m.uart.output.data
    assert {(e.device, e.hart, e.size) for e in writes} == {("uart", 0, 1)}


@pytest.mark.parametrize("bad", [{"harts": 0}, {"harts": 5000}, {"ram_mib": 0}, {"harts": "2"}])
def test_impossible_boards_are_refused(bad):
    """A machine with no hart or no RAM is refused with a message naming the argument."""
    with pytest.raises(ValueError, match=next(iter(bad))):
        Machine(**bad)


def test_htif_console_putchar_and_unsupported_commands():
    """tohost device 1 command 1 prints a byte (and is cleared); a proxied system call stops the run, saying why."""
    elf = program(
        "htif",
        """
        extern volatile unsigned long tohost;
        int main(void) {
            for (const char *s = "hi\\n"; *s; s++) {
                tohost = (1UL << 56) | (1UL << 48) | (unsigned char)*s;
                while (tohost)
                    ;
            }
            tohost = 0x80001000UL;           /* even: a pointer to a Spike syscall block */
            for (;;)
                ;
        }
        """,
    )
    m, r = run(elf)
    assert m.uart.output.text == "hi\n"
    assert r.reason == "stopped" and r.detail.startswith("unsupported HTIF command 0x80001000")


def test_run_cannot_be_reentered_from_a_host_call():
    """Calling m.run() from inside a host function is an emulator-level error, not a guest event."""
    elf = program("reenter", "int main(void) { ((void (*)(void))0xFFFFFFFFFFF00000UL)(); return 0; }")
    m = Machine()
    m.load_elf(elf)
    m.hostcalls.register("again", lambda hart: m.run())
    with pytest.raises(RuntimeError, match="already running"):
        m.run(max_instructions=100_000)
    m.hostcalls.register("again", lambda hart: None)  # the hart is still at the call: make it harmless
    assert m.run(max_instructions=100_000).reason == "exit"  # and the machine runs again


def test_stop_from_an_event_takes_effect_at_the_next_instruction():
    """A watcher that calls m.stop() on the 10th instruction event ends the run after exactly 10 instructions."""
    m = Machine()
    m.load_elf(SPIN)
    seen = []

    def watch(ev):
        seen.append(ev.pc)
        if len(seen) == 10:
            m.stop("breakpoint")

    m.events.subscribe("instruction", watch)
    r = m.run(max_instructions=1000)
    assert (r.reason, r.detail, r.instructions, len(seen)) == ("stopped", "breakpoint", 10, 10)
    assert seen[0] == m.image.entry
