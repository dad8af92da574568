"""The kernel as a whole: boot, spawn/run, tracing, ENOSYS, panics, determinism, several harts."""

import pytest

import oskit
from oskit.kernel import errno
from oskit.kernel.kern.panic import KernelPanic
from oskit.kernel.kern.proc import ProcState
from oskit.kernel.kernel import SpawnError
from oskit.toolchain import build

HELLO = r"""
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) { printf("hi %s\n", argc > 1 ? argv[1] : "?"); close(99); return 5; }
"""

# t0 = 9999 is no system call at all; the result comes back in a0 with the error flag in t0.
NOSYS = r"""
#include <stdio.h>
int main(void) {
    register long t0 asm("t0") = 9999;
    register long a0 asm("a0") = 0;
    asm volatile("ecall" : "+r"(t0), "+r"(a0) : : "memory");
    printf("error flag %ld, errno %ld\n", t0, a0);
    return 0;
}
"""

# Fill the callee-saved registers with known values, make system calls, check them after.
REGS = r"""
#include <unistd.h>
int main(void) {
    long bad = 0;
    for (int i = 0; i < 3; i++) {
        register long s2 asm("s2") = 0x1111; register long s3 asm("s3") = 0x2222;
        register long s4 asm("s4") = 0x3333; register long s11 asm("s11") = 0x4444;
        asm volatile("" : "+r"(s2), "+r"(s3), "+r"(s4), "+r"(s11));
        getpid();
        asm volatile("" : "+r"(s2), "+r"(s3), "+r"(s4), "+r"(s11));
        bad += (s2 != 0x1111) + (s3 != 0x2222) + (s4 != 0x3333) + (s11 != 0x4444);
    }
    return (int)bad;
}
"""


def make(source: str, name: str, **boot):
    k = oskit.boot(programs=False, **boot)
    k.install_program(f"/bin/{name}", build({f"{name}.c": source}, mode="user").read_bytes())
    return k


def test_boot_starts_init_as_pid_1():
    """After boot, init is process 1, sleeping (in sigsuspend) once it has run, and /dev/console exists."""
    k = oskit.boot(programs=False)
    r = k.run()
    assert r.reason == "idle"
    init = k.procs[1]
    assert init.comm == "init" and init.state is ProcState.ACTIVE
    assert init.main_thread.state.value == "sleeping"
    assert k.vfs.lookup("/dev/console") is not None
    assert [rec.name for rec in k.trace.syscalls(pid=1)][:2] == ["sigaction", "sigprocmask"]


def test_spawn_run_stdout_status_and_trace():
    """A spawned program's output, exit status and decoded system calls are all visible."""
    k = make(HELLO, "hello")
    p = k.spawn("/bin/hello", ["hello", "world"])
    r = k.run(until=p.exited)
    assert r.reason == "until"
    assert p.stdout == "hi world\n"
    assert p.exit_status == 5 and p.signaled is None
    calls = k.trace.syscalls(pid=p.pid)
    names = [c.name for c in calls]
    assert names[-1] == "exit" and "write" in names
    close = next(c for c in calls if c.name == "close")
    assert close.args == (99,) and close.errno == errno.EBADF
    assert "close(99) = -1 EBADF (Bad file descriptor)" in k.trace.render(pid=p.pid)
    write = next(c for c in calls if c.name == "write")
    assert write.call.startswith("write(1, 0x") and write.result == len("hi world\n")


def test_spawn_of_missing_program_is_enoent():
    """spawn() reports why a program cannot start."""
    k = oskit.boot(programs=False)
    with pytest.raises(SpawnError) as e:
        k.spawn("/bin/nothing")
    assert e.value.errno == errno.ENOENT
    assert "/bin/nothing" in str(e.value)


def test_unknown_system_call_is_enosys():
    """A number that is in no table gets ENOSYS (error flag set) and a recorded explanation."""
    k = make(NOSYS, "nosys")
    p = k.spawn("/bin/nosys")
    k.run(until=p.exited)
    assert p.stdout == f"error flag 1, errno {int(errno.ENOSYS)}\n"
    rec = next(r for r in k.trace.syscalls(pid=p.pid) if r.number == 9999)
    assert rec.errno == errno.ENOSYS and "9999" in rec.message


def test_registers_survive_system_calls():
    """The trampoline saves and restores every register: callee-saved values survive ecalls."""
    k = make(REGS, "regs")
    p = k.spawn("/bin/regs")
    k.run(until=p.exited)
    assert p.exit_status == 0


def test_trap_frame_holds_the_syscall_arguments():
    """At syscall entry the thread's trap frame (guest memory) holds t0 = number and a0.. = arguments."""
    k = make(HELLO, "hello")
    seen = []

    def on_entry(ev):
        if ev.record.name == "close":
            td = next(t for t in k.procs[ev.record.pid].threads)
            seen.append((td.frame.t0, td.frame.a0))

    k.probes.subscribe("syscall_entry", on_entry)
    p = k.spawn("/bin/hello")
    k.run(until=p.exited)
    assert seen == [(6, 99)]                      # SYS_close is 6 on FreeBSD


def test_a_bug_in_the_kernel_is_a_panic_with_a_report():
    """An exception inside trap() stops the machine, keeps a report, and refuses to run again."""
    k = make(HELLO, "hello")

    def buggy(ev):
        if ev.record.name == "write":
            raise ZeroDivisionError("a bug in a probe")

    k.probes.subscribe("syscall_entry", buggy)
    p = k.spawn("/bin/hello")
    r = k.run(until=p.exited)
    assert r.reason == "panic" and r.report is k.panic_report
    assert "kernel panic" in r._repr_html_() and "ZeroDivisionError" in r._repr_html_()
    rep = k.panic_report
    assert "ZeroDivisionError" in rep.message and "a bug in a probe" in rep.traceback
    assert "hello" in rep.thread and rep.csrs["scause"] == 8
    assert "panic:" in str(rep)
    with pytest.raises(KernelPanic):
        k.run()


def test_runs_are_deterministic():
    """The same program on two fresh kernels makes the same calls with the same results at the same times."""
    def once():
        k = make(HELLO, "hello")
        p = k.spawn("/bin/hello", ["hello", "x"])
        k.run(until=p.exited)
        return [(r.pid, r.call, r.result, r.errno, r.start, r.end) for r in k.trace.records], \
            k.machine.clint.mtime
    assert once() == once()


def test_two_harts_run_a_forking_program():
    """With two harts, parent and child run side by side and the results are the same."""
    src = r"""
    #include <stdio.h>
    #include <sys/wait.h>
    #include <unistd.h>
    int main(void) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) { volatile long s = 0; for (long i = 0; i < 100000; i++) s += i; _exit((int)(s & 0x7f)); }
        int st; waitpid(pid, &st, 0);
        printf("child said %d\n", WEXITSTATUS(st));
        return 0;
    }
    """
    k = make(src, "twohart", harts=2)
    p = k.spawn("/bin/twohart")
    r = k.run(until=p.exited, max_instructions=20_000_000)
    assert r.reason == "until"
    assert p.stdout == f"child said {sum(range(100000)) & 0x7f}\n"
    assert sum(hs.switches for hs in k.percpu) > 0
    assert all(hs.switches > 0 for hs in k.percpu)


def test_the_six_steps_of_a_context_switch_are_observable():
    """wait4 that sleeps shows: hardware trap, trampoline's call of trap(), dispatch, switch, sret into the child."""
    src = r"""
    #include <sys/wait.h>
    #include <unistd.h>
    int main(void) { pid_t pid = fork(); if (pid == 0) _exit(3); int st; wait4(pid, &st, 0, 0); return 0; }
    """
    k = make(src, "sixsteps")
    log = []
    m = k.machine
    m.events.subscribe("trap", lambda ev: log.append(("1 trap", ev.cause, ev.from_priv, ev.to_priv, ev.epc)))
    m.events.subscribe("hostcall", lambda ev: log.append(("2 trampoline calls", ev.name)))
    k.probes.subscribe("trap", lambda ev: log.append(("3 dispatch", ev.cause, ev.pid)))
    k.probes.subscribe("switch", lambda ev: log.append(("4 switch", ev.old.proc.pid, ev.new.proc.pid)))
    m.events.subscribe("xret", lambda ev: log.append(("5-6 sret", ev.kind, ev.to_priv, ev.pc)))
    p = k.spawn("/bin/sixsteps")
    k.run(until=p.exited)
    child = next(r.result for r in k.trace.syscalls(pid=p.pid) if r.name == "fork")
    wait = next(r for r in k.trace.syscalls(pid=p.pid) if r.name == "wait4")
    i = next(i for i, e in enumerate(log) if e[0] == "4 switch" and e[1:] == (p.pid, child))
    trap, call, dispatch, switch, sret = log[i - 3:i + 2]
    assert trap[:4] == ("1 trap", 8, 0, 1)                     # ecall from U, taken in S
    assert call == ("2 trampoline calls", "trap")
    assert dispatch == ("3 dispatch", 8, p.pid)
    assert sret[:3] == ("5-6 sret", "sret", 0)                 # back to U, in the child
    assert wait.sleeps == 1


FAULTS = r"""
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
static const char *name(int s) {
    return s == SIGBUS ? "SIGBUS" : s == SIGSEGV ? "SIGSEGV" : s == SIGTRAP ? "SIGTRAP" : s == SIGILL ? "SIGILL" : "?";
}
static void on_bus(int sig, siginfo_t *si, void *uc) { (void)uc; printf("handler %s at %p\n", name(sig), si->si_addr); _exit(0); }
static void run(const char *what, int n) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        static char buf[16];
        switch (n) {
        case 0: { volatile long *p = (long *)(buf + 1); (void)*p; break; }
        case 1: asm volatile("ebreak"); break;
        case 2: (void)*(volatile long *)0xffffffc000000000UL; break;       /* the trampoline page */
        case 3: ((void (*)(void))0xfffffffffff00000UL)(); break;           /* a host function */
        case 4: asm volatile("csrr t0, sstatus" ::: "t0"); break;          /* S-mode CSR from U-mode */
        case 5: { struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_sigaction = on_bus;
                  sa.sa_flags = SA_SIGINFO; sigaction(SIGBUS, &sa, 0);
                  volatile int *p = (int *)0x100002; (void)*p; break; }
        }
        _exit(0);
    }
    int st; waitpid(pid, &st, 0);
    printf("%s: %s\n", what, WIFSIGNALED(st) ? name(WTERMSIG(st)) : "exited");
}
int main(void) {
    run("misaligned load", 0); run("ebreak", 1); run("read kernel text", 2);
    run("call a host function", 3); run("S-mode CSR", 4); run("caught SIGBUS", 5);
    return 0;
}
"""


def test_faults_become_signals():
    """Misalignment is SIGBUS, ebreak SIGTRAP, kernel addresses SIGSEGV, privileged CSRs SIGILL.

    Misaligned accesses trap only when the machine is told to (by default the hardware does them).
    """
    k = make(FAULTS, "faults")
    k.machine.misaligned_access_traps = True
    p = k.spawn("/bin/faults")
    k.run(until=p.exited)
    assert k.panic_report is None
    assert p.stdout == ("misaligned load: SIGBUS\nebreak: SIGTRAP\nread kernel text: SIGSEGV\n"
                        "call a host function: SIGSEGV\nS-mode CSR: SIGILL\n"
                        "handler SIGBUS at 0x100002\ncaught SIGBUS: exited\n")
    killed = [q for q in k.procs.values() if q.exit_reason.startswith("killed by SIGBUS")]
    assert killed == [] or all("address" in q.exit_reason for q in killed)


def test_misaligned_accesses_are_done_by_the_hardware_by_default():
    """Without misaligned_access_traps, a misaligned load and store across a page boundary just work."""
    src = r"""
#include <stdio.h>
#include <string.h>
static char buf[8192] __attribute__((aligned(4096)));
int main(void) {
    for (int i = 0; i < 16; i++) buf[4088 + i] = (char)(i + 1);
    volatile long *p = (long *)(buf + 4093);          /* 3 bytes on one page, 5 on the next */
    printf("%lx\n", *p);
    *p = 0x1122334455667788L;
    printf("%x %x\n", (unsigned char)buf[4093], (unsigned char)buf[4100]);
    return 0;
}
"""
    k = make(src, "misaligned")
    p = k.spawn("/bin/misaligned")
    k.run(until=p.exited)
    assert k.panic_report is None
    assert (p.stdout, p.exit_status) == ("d0c0b0a09080706\n88 11\n", 0)


def test_the_credential_is_found_through_struct_proc_in_guest_memory():
    """p_ucred in guest RAM is authoritative: pointing it at init's credential makes a process root."""
    src = r"""
    #include <stdio.h>
    #include <unistd.h>
    int main(void) { setuid(1000); char c; read(0, &c, 1); printf("uid %d euid %d\n", (int)getuid(), (int)geteuid()); return 0; }
    """
    k = make(src, "whoami")
    p = k.spawn("/bin/whoami")
    assert k.run().reason == "idle"                      # asleep in read(), as uid 1000
    assert (p.cred.uid, p.cred.euid) == (1000, 1000)
    assert p.pstruct.p_pid == p.pid and bytes(p.pstruct.p_comm[:6]) == b"whoami"
    # What a kernel write-what-where bug could do: one 8-byte store in the direct map.
    k.machine.bus.store(p.pstruct.addr + p.pstruct.struct.offset("p_ucred"), 8, k.procs[1].pstruct.p_ucred)
    k.machine.uart.feed("\n")
    k.run(until=p.exited)
    assert p.stdout == "uid 0 euid 0\n"


def test_set_user_id_program_runs_with_its_owner_euid():
    """exec of a mode 4755 root-owned program gives euid 0 to a uid-1000 process, and issetugid() is 1."""
    src = r"""
    #include <stdio.h>
    #include <unistd.h>
    int main(void) { printf("uid %d euid %d issetugid %d\n", (int)getuid(), (int)geteuid(), issetugid()); return 0; }
    """
    k = oskit.boot(programs=False)
    elf = build({"ids.c": src}, mode="user").read_bytes()
    k.install_program("/bin/suid", elf, mode=0o4755)
    k.install_program("/bin/plain", elf, mode=0o755)
    p = k.spawn("/bin/suid", uid=1000, gid=1000)
    k.run(until=p.exited)
    q = k.spawn("/bin/plain", uid=1000, gid=1000)
    k.run(until=q.exited)
    assert p.stdout == "uid 1000 euid 0 issetugid 1\n"
    assert q.stdout == "uid 1000 euid 1000 issetugid 0\n"


def test_spawned_processes_get_their_own_process_group():
    """kill(0, sig) from a spawned program signals its own group, never init."""
    src = r"""
    #include <signal.h>
    #include <unistd.h>
    int main(void) { signal(SIGTERM, SIG_IGN); kill(0, SIGTERM); return 0; }
    """
    k = make(src, "grp")
    p = k.spawn("/bin/grp")
    k.run(until=p.exited)
    assert p.exit_status == 0 and p.pgid == p.pid
    assert k.procs[1].exited() is False and k.procs[1].siglist == 0


def test_guest_kernel_code_is_called_through_a_pointer():
    """Kernel code loaded into the kernel half runs in S-mode and returns its result to Python."""
    k = oskit.boot(programs=False)
    code = (0x00150513).to_bytes(4, "little") + (0x00008067).to_bytes(4, "little")   # addi a0,a0,1; ret
    addr = k.load_guest_code(code)
    assert addr >> 63 == 1
    assert k.call_guest(k.machine.harts[0], addr, 41) == 42


def test_a_null_kernel_function_pointer_is_a_panic():
    """Calling guest kernel code at address 0 faults in S-mode: a panic naming the fault, not a user signal."""
    k = oskit.boot(programs=False)
    with pytest.raises(KernelPanic):
        k.call_guest(k.machine.harts[0], 0)
    msg = k.panic_report.message
    assert "instruction page fault in guest kernel code at sepc=0x0" in msg


def test_time_without_a_system_call():
    """The shared page publishes timekeeping (auxv AT_TIMEKEEP); rdtime in U-mode agrees with clock_gettime."""
    src = r"""
    #include <stdio.h>
    #include <stdint.h>
    #include <time.h>
    extern char **environ;
    struct timekeep { uint64_t magic; uint32_t gen, enabled; uint64_t hz, boot_sec; };
    int main(void) {
        char **p = environ; while (*p) p++;
        uint64_t *aux = (uint64_t *)(p + 1);
        struct timekeep *tk = 0;
        for (; aux[0]; aux += 2) if (aux[0] == 22) tk = (struct timekeep *)aux[1];
        uint64_t t; asm volatile("rdtime %0" : "=r"(t));
        struct timespec ts; clock_gettime(CLOCK_REALTIME, &ts);
        long vdso_sec = (long)(tk->boot_sec + t / tk->hz);
        printf("hz %lu, agree %d\n", (unsigned long)tk->hz, vdso_sec == (long)ts.tv_sec);
        return 0;
    }
    """
    k = make(src, "vdso")
    p = k.spawn("/bin/vdso")
    k.run(until=p.exited)
    assert p.stdout == f"hz {k.timebase_hz}, agree 1\n"


def test_render_shows_signals_as_psig_lines():
    """The ktrace-like rendering interleaves PSIG lines: a caught signal, then a fatal one."""
    src = r"""
    #include <signal.h>
    #include <unistd.h>
    static void h(int s) { (void)s; }
    int main(void) { signal(SIGUSR1, h); kill(getpid(), SIGUSR1); kill(getpid(), SIGTERM); return 0; }
    """
    k = make(src, "psig")
    p = k.spawn("/bin/psig")
    k.run(until=p.exited)
    lines = k.trace.render(pid=p.pid).splitlines()
    caught = next(i for i, line in enumerate(lines) if "PSIG SIGUSR1 caught by handler 0x" in line)
    assert "kill(" in lines[caught - 1]
    assert "sigreturn(" in lines[caught + 1]
    assert lines[-1].endswith("PSIG SIGTERM SIG_DFL: killed")
    assert [r.signo for r in k.trace.signals(pid=p.pid)] == [30, 15]


def test_init_reaps_orphans_and_leaves_no_zombies():
    """An orphaned grandchild is adopted by init, which collects it: afterwards only init is left."""
    src = r"""
    #include <unistd.h>
    int main(void) {
        if (fork() == 0) {                       /* middle */
            if (fork() == 0) { usleep(20000); _exit(0); }   /* grandchild outlives the middle */
            _exit(0);
        }
        return 0;                                /* the middle child is never waited for either */
    }
    """
    k = make(src, "orph")
    p = k.spawn("/bin/orph")
    r = k.run(max_instructions=20_000_000)
    assert r.reason == "idle"
    assert p.exited() and "reaped" in p.flags
    assert sorted(k.procs) == [1]
    assert k.procs[1].children == []


def test_console_reads_lines_and_ctrl_d_is_end_of_file():
    """The console hands out one line per read; ^D at the start of a line reads as 0 bytes (EOF)."""
    src = r"""
    #include <stdio.h>
    #include <unistd.h>
    int main(void) {
        char buf[64]; int n;
        while ((n = read(0, buf, sizeof buf)) > 0) printf("got %d\n", n);
        printf("end %d\n", n);
        n = read(0, buf, sizeof buf);
        printf("after EOF: %d\n", n);
        return 0;
    }
    """
    k = make(src, "lines")
    p = k.spawn("/bin/lines", stdin="ab\ncdef\nxy\x04\x04last\n")
    k.run(until=p.exited)
    assert p.stdout == "got 3\ngot 5\ngot 2\nend 0\nafter EOF: 5\n"


ALARMED = r"""
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static volatile int rang;
static void ring(int s) { (void)s; rang++; }
int main(int argc, char **argv) {
    if (argc > 1) { struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = ring; sigaction(SIGALRM, &sa, 0); }
    char c;
    errno = 0;
    int n = read(0, &c, 1);                       /* no input ever comes */
    printf("read %d, EINTR %d, rang %d\n", n, errno == EINTR, rang);
    return 0;
}
"""


def arm_itimer(k, p, value_us: int, interval_us: int = 0):
    """Call setitimer(ITIMER_REAL) for a sleeping process, its arguments placed on its own stack."""
    import struct

    from oskit.kernel.kern.sys_time import sys_setitimer
    from oskit.kernel.param import PAGE_SIZE, USRSTACK
    from oskit.kernel.riscv.copyinout import copyout
    td = p.main_thread
    addr = USRSTACK - 8 * PAGE_SIZE
    copyout(td, addr, struct.pack("<qqqq", 0, interval_us, 0, value_us))
    assert sys_setitimer(td, 0, addr, 0) == 0


def test_setitimer_default_action_kills_with_sigalrm():
    """ITIMER_REAL posts SIGALRM when it expires: uncaught, it ends a process asleep in read()."""
    k = make(ALARMED, "alarmed")
    p = k.spawn("/bin/alarmed")
    assert k.run().reason == "idle"
    start = k.machine.clint.mtime
    arm_itimer(k, p, 50_000)                       # 50 ms
    k.run(until=p.exited)
    assert p.signaled == 14                        # SIGALRM
    assert k.machine.clint.mtime - start >= 50_000 * k.timebase_hz // 1_000_000


def test_setitimer_caught_alarm_interrupts_a_read():
    """A caught SIGALRM ends the blocked read() with EINTR after the handler ran."""
    k = make(ALARMED, "alarmed")
    p = k.spawn("/bin/alarmed", ["alarmed", "catch"])
    assert k.run().reason == "idle"
    arm_itimer(k, p, 10_000)
    k.run(until=p.exited)
    assert p.stdout == "read -1, EINTR 1, rang 1\n"
    assert k.sched.callouts == {}


def test_setitimer_interval_rings_again_until_exit():
    """An interval timer posts SIGALRM again and again; exit cancels it; getitimer reports what is left."""
    src = r"""
    #include <signal.h>
    #include <stdio.h>
    #include <string.h>
    #include <unistd.h>
    static volatile int rang;
    static void ring(int s) { (void)s; rang++; }
    int main(void) {
        struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = ring; sigaction(SIGALRM, &sa, 0);
        sigset_t none; sigemptyset(&none);
        char c; read(0, &c, 1);                  /* the test arms the timer while we sleep here */
        while (rang < 3) sigsuspend(&none);
        printf("rang %d\n", rang);
        return 0;
    }
    """
    import struct

    from oskit.kernel.kern.sys_time import sys_getitimer
    from oskit.kernel.param import PAGE_SIZE, USRSTACK
    from oskit.kernel.riscv.copyinout import copyin
    k = make(src, "interval")
    p = k.spawn("/bin/interval")
    assert k.run().reason == "idle"
    arm_itimer(k, p, 5_000, 5_000)
    addr = USRSTACK - 9 * PAGE_SIZE
    assert sys_getitimer(p.main_thread, 0, addr) == 0
    isec, iusec, vsec, vusec = struct.unpack("<qqqq", copyin(p.main_thread, addr, 32))
    assert (isec, iusec, vsec) == (0, 5000, 0) and 0 < vusec <= 5000
    k.machine.uart.feed("\n")
    k.run(until=p.exited)
    assert p.stdout == "rang 3\n"
    assert k.sched.callouts == {} and p.itimer is None


def test_a_process_that_calls_the_kernel_all_the_time_still_gets_only_its_slice():
    """Eight processes looping on getppid() and one that only computes share one hart round-robin:
    no slice lasts longer than the quantum, though the busy ones trap with an ecall before most
    timer interrupts (their slice must end at that trap)."""
    k = oskit.boot()
    k.install_program("/bin/busy", build({"busy.c": "#include <unistd.h>\nint main(void) { for (;;) getppid(); }"},
                                         mode="user").read_bytes())
    k.install_program("/bin/calc", build({"calc.c": "int main(void) { volatile unsigned long s = 0; "
                                                    "for (unsigned long i = 0; i < 40000; i++) s += i; return 0; }"},
                                         mode="user").read_bytes())
    busy = [k.spawn("/bin/busy", ["busy"]) for _ in range(8)]
    calc = k.spawn("/bin/calc", ["calc"])
    switches = []
    k.probes.subscribe("switch", lambda ev: switches.append(ev.mtime))
    start = k.machine.clint.mtime
    r = k.run(until=calc.exited, max_instructions=30_000_000)
    assert r.reason == "until" and calc.exit_status == 0
    slices = [b - a for a, b in zip(switches, switches[1:])]
    assert max(slices) <= k.sched.quantum + 200          # the clock moves in steps of at most 100 ticks
    # calc gets one slice in nine: it needs calc.rusage.utime_ticks of CPU, so it ends after about 9x that
    assert k.machine.clint.mtime - start < 9 * calc.rusage.utime_ticks + 9 * k.sched.quantum
    for q in busy:
        k.psignal(q, 9)
