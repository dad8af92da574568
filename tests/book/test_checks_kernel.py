"""The exercise checks of chapters 3, 4 and 7 (oskit/book/checks_kernel.py) tell right from wrong, and why."""

import pytest

import oskit
from oskit.book import checks_kernel as c
from oskit.kernel.kern import makesyscalls
from oskit.kernel.kern.syscall import HANDLERS, SyscallError, syscall
from oskit.magic import compile_into

RIGHT_ABI = {"number": "t0", "first_arg": "a0", "third_arg": "a2", "error_flag": "t0", "errno": "a0"}


@pytest.fixture(scope="module")
def k():
    """One kernel for the module (checks install their own programs into it)."""
    return oskit.boot(programs=False)


def test_elf_code_disassembles_a_generated_stub(k):
    """elf_code shows getpid's stub: the number into t0, then ecall; an unknown symbol is a KeyError."""
    p, why = c.run_program(k, "stubby", "#include <unistd.h>\nint main(void){return getpid() > 0 ? 0 : 1;}")
    assert why is None and p.exit_status == 0
    elf = k.vfs.read_file("/bin/stubby")
    code = [text for _, text in c.elf_code(elf, "getpid", 2)]
    assert code == ["li t0, 20", "ecall"]
    with pytest.raises(KeyError, match="no_such_symbol"):
        c.elf_code(elf, "no_such_symbol", 1)


def test_abi_right_answer_is_measured(k):
    """The right register names pass, each with the value the kernel saw in it."""
    v = c.check_abi(RIGHT_ABI, k)
    assert v.ok
    assert "at write's ecall it held 4" in repr(v) and "after read(-1) returned it held 9" in repr(v)


def test_abi_wrong_and_malformed_answers_say_why(k):
    """a7 for the number is wrong (named with what it held), a non-register is named, missing keys too."""
    wrong = c.check_abi(dict(RIGHT_ABI, number="a7"), k)
    assert not wrong.ok and "you said a7" in repr(wrong) and "was 4" in repr(wrong)
    assert "expected a register name" in repr(c.check_abi(dict(RIGHT_ABI, errno="x99"), k))
    assert "lacks" in repr(c.check_abi({"number": "t0"}, k))
    assert "no answer yet" in repr(c.check_abi(None, k))


def test_nanosleep_is_not_restarted(k):
    """Under SA_RESTART, a signal still ends nanosleep with EINTR: "eintr" passes, "restarted" fails."""
    assert c.check_nanosleep_restart("eintr", k).ok
    wrong = c.check_nanosleep_restart("restarted", k)
    assert not wrong.ok and "printed 'eintr'" in repr(wrong)
    assert "expected one of" in repr(c.check_nanosleep_restart(3, k))


def test_new_syscall_check_follows_the_reader_step_by_step(k):
    """No table line, then a wrong handler, then the right one: each state gets its own verdict."""
    assert "no call number 555" in repr(c.check_new_syscall(k))
    master = makesyscalls.MASTER.read_text()
    try:
        makesyscalls.load(makesyscalls.generate(master + "555\tAUE_NULL\tSTD\t{ int double_it(int x); }\n"))
        assert "no handler is registered" in repr(c.check_new_syscall(k))

        @syscall
        def sys_double_it(td, x):
            return 2 * x                     # forgets EINVAL for negative x
        v = c.check_new_syscall(k)
        assert not v.ok and "EINVAL" in repr(v)
        HANDLERS.pop("double_it")

        @syscall
        def sys_double_it(td, x):            # noqa: F811 (the reader's second try)
            if x < 0:
                raise SyscallError(22)
            return 2 * x
        v = c.check_new_syscall(k)
        assert v.ok and "double_it(21) = 42" in repr(v)
    finally:
        HANDLERS.pop("double_it", None)
        makesyscalls.load()
    assert 555 not in oskit.kernel.kern.syscalls_table.SYSCALLS


def test_fork_lines_counts_four(k):
    """fork(); fork(); printf prints four lines; 3 is wrong and shows the forks."""
    assert c.check_fork_lines(4, k).ok
    wrong = c.check_fork_lines(3, k)
    assert not wrong.ok and "the console shows 4 lines" in repr(wrong) and "fork() =" in repr(wrong)


def test_wait_status_is_the_raw_encoding(k):
    """exit(3) gives status 768; 3 is called out as WEXITSTATUS's value."""
    assert c.check_wait_status(768, k).ok
    assert "WEXITSTATUS" in c.check_wait_status(3, k).summary
    assert "expected an int" in repr(c.check_wait_status("768", k))


def test_copy_semantics_reader_gets_the_old_bytes(k):
    """The reader gets "apple", what was in the buffer when write returned."""
    assert c.check_copy_semantics("apple", k).ok
    assert "printed 'apple'" in repr(c.check_copy_semantics("melon", k))


def test_fault_count_is_one_per_first_touch(k):
    """Eight of sixteen pages written (page 0 twice) are eight zero-fill faults."""
    v = c.check_fault_count(8, k)
    assert v.ok and "[0, 2, 4, 6, 8, 10, 12, 14]" in repr(v) and "'zero'" in repr(v)
    assert "took 8 faults" in repr(c.check_fault_count(9, k))


def test_cow_copies_only_written_pages(k):
    """A child that reads 8 shared pages and writes 3 gets 3 copies."""
    assert c.check_cow_copies(3, k).ok
    wrong = c.check_cow_copies(8, k)
    assert not wrong.ok and "['copy', 'copy', 'copy']" in repr(wrong)


def test_sweep_order_random_thrashes_less():
    """Random passes over 1000 pages on 4 MiB swap far less than ordered ones: "fewer" passes, "more" fails."""
    n = c.measure_sweep_order()
    assert n["random"] * 10 < n["order"]
    v = c.check_sweep_order("fewer")
    assert v.ok and f"in order: {n['order']}" in repr(v)
    assert "you said more" in repr(c.check_sweep_order("more"))
    assert "expected one of" in repr(c.check_sweep_order("less"))


ATOMIC = r"""
#include <pthread.h>
#include <stdio.h>
static long counter;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void *work(void *arg) {
    (void)arg;
    for (int i = 0; i < 10000; i++) {
        LOCK;
        INCREMENT;
        UNLOCK;
    }
    return NULL;
}
int main(void) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    printf("counter = %ld\n", counter);
    return 0;
}
"""


def atomic_program(increment, lock=False):
    defs = {"INCREMENT": increment, "LOCK": "pthread_mutex_lock(&m)" if lock else "(void)0",
            "UNLOCK": "pthread_mutex_unlock(&m)" if lock else "(void)0"}
    return "".join(f"#define {k} {v}\n" for k, v in defs.items()) + ATOMIC


def test_atomic_counter_is_run_on_two_harts():
    """amoadd passes; a plain ++ loses updates on two harts; the mutex version is right but sleeps."""
    k = oskit.boot(programs=False)
    assert "run your %%c cell first" in repr(c.check_atomic_counter(k))
    compile_into(k, "atomic", atomic_program("__atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED)"))
    assert c.check_atomic_counter(k).ok
    compile_into(k, "atomic", atomic_program("*(volatile long *)&counter += 1"))
    v = c.check_atomic_counter(k)
    assert not v.ok and "updates were lost" in repr(v)
    compile_into(k, "atomic", atomic_program("counter++", lock=True))
    v = c.check_atomic_counter(k)
    assert not v.ok and "slept on a lock" in repr(v)
