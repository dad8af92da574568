"""The instructor's answers to the chapters' exercises, as the code a student would write.

The course builder (oskit/course/build.py) puts each answer into the nbgrader *source*
notebook, between BEGIN/END SOLUTION markers, where ``nbgrader generate_assignment``
removes it from the students' copy. Every answer here is checked by the exercise's own
``check_...()`` in tests/course/test_solutions.py, for the book's numbers and for
seeded variants.

An answer is a function of nothing: it reads the seed in force (oskit.book.variant),
so a seeded course gets answers that fit its numbers. A C answer is a whole program
(the %%c cell's body); a Python answer is statements that set the exercise's variable.

    SOLUTIONS   check function -> () -> the answer's source text
    PROSE       check function -> [(the book's words, the same words for the seeded numbers)]

Both are keyed by the name of the check the exercise's cell calls, not by the exercise's
number, so they stay right when chapters are renumbered.
"""

from __future__ import annotations

from oskit.book import checks, variant
from oskit.kernel.structs import TRAPFRAME


def _counting() -> str:
    n = variant.value("0.1")
    return ("#include <stdio.h>\n\nint main(void) {\n"
            f"    for (int i = 1; i <= {n}; i++)\n"
            '        printf("%d\\n", i);\n'
            f"    return {n};\n}}")


def _frame_offset() -> str:
    reg = variant.value("2.3")
    return f"answer = {TRAPFRAME.fields[reg].offset}     # {reg}"


NEW_SYSCALL = '''from oskit.kernel.kern import makesyscalls
from oskit.kernel.kern.syscall import SyscallError, syscall

line = "555\\tAUE_NULL\\tSTD\\t{ int double_it(int x); }\\n"
makesyscalls.load(makesyscalls.generate(makesyscalls.MASTER.read_text() + line))

@syscall
def sys_double_it(td, x):
    if x < 0:
        raise SyscallError(22, "double_it takes no negative numbers")    # EINVAL
    return 2 * x'''

ATOMIC = r'''#include <pthread.h>
#include <stdio.h>

static long counter;

static void *work(void *arg) {
    (void)arg;
    for (int i = 0; i < 10000; i++)
        __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
    return NULL;
}

int main(void) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    printf("counter = %ld\n", counter);
    return 0;
}'''

ZEROING = '''def zeroing(pmem):
    original = pmem.alloc_frame

    def alloc_frame(owner=""):
        pa = original(owner)
        pmem.ram.data[pa - pmem.base:pa - pmem.base + 4096] = bytes(4096)
        return pa
    return alloc_frame'''

EUID_EXPLOIT = r'''#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct lab_kaddr { uint64_t lk_proc, lk_ucred; };        /* from lab.h */
#define LABIOC_KADDR _IOR('L', 3, struct lab_kaddr)

int main(void) {
    struct lab_kaddr ka;
    int lab = open("/dev/lab", O_RDWR);
    ioctl(lab, LABIOC_KADDR, &ka);                          /* ka.lk_ucred: where my ucred is */
    int zero = open("/dev/zero", O_RDONLY);
    read(zero, (void *)(ka.lk_ucred + 4), 4);               /* cr_uid, the effective uid */
    return 0;
}'''

SOLUTIONS = {
    "check_counting": _counting,
    "check_write_count": lambda: f"answer = {variant.value('0.2')}",
    "check_trap_causes": lambda: ('answers = {"null_store": 15, "kernel_load": 13, "illegal_csr": 2,\n'
                    '           "breakpoint": 3, "syscall": 8}'),
    "check_division": lambda: ('answers = {"7 / 0": -1, "7 % 0": 7, "-7 / 0": -1, "-7 % 0": -7,\n'
                    '           "INT64_MIN / -1": INT64_MIN, "INT64_MIN % -1": 0}'),
    "check_step_order": lambda: 'order = "BDFEAC"',
    "check_sscratch": lambda: 'answer = "b"',
    "check_frame_offset": _frame_offset,
    "check_abi": lambda: ('answers = {"number": "t0", "first_arg": "a0", "third_arg": "a2",\n'
                    '           "error_flag": "t0", "errno": "a0"}'),
    "check_nanosleep_restart": lambda: 'answer = "eintr"',
    "check_new_syscall": lambda: NEW_SYSCALL,
    "check_fork_lines": lambda: "answer = 4",
    "check_wait_status": lambda: "answer = 768",
    "check_copy_semantics": lambda: 'answer = "apple"',
    "check_atomic_counter": lambda: ATOMIC,
    "check_changed_buffer": lambda: 'answer = "melon"',
    "check_request_uid": lambda: "answer = 0",
    "check_second_return": lambda: 'answer = "EINVAL"',
    "check_inversion_wait": lambda: "answer = 10     # low 1 ms more, medium 6 ms, low its last 2 ms",
    "check_fallback_calls": lambda: "answer = 5",
    "check_sbi_trap": lambda: 'answers = {"cause": 9, "handled_in": "M", "returns_with": "mret"}',
    "check_breakpoint_arg": lambda: "answer = 18",
    "check_readlink_annotation": lambda: ('answer = "{ ssize_t readlink(_In_z_ const char *path, '
                                          '_Out_writes_bytes_(count) char *buf, size_t count); }"'),
    "check_fault_count": lambda: "answer = 8",
    "check_cow_copies": lambda: "answer = 3",
    "check_sweep_order": lambda: 'answer = "fewer"',
    "check_setuid_steps": lambda: ('answers = {"1 seteuid(1000)": "ok", "2 seteuid(0)": "ok",\n'
                                   '           "3 setuid(1000)": "ok",\n'
                    '           "4 seteuid(0)": "EPERM", "5 setuid(0)": "EPERM"}'),
    "check_refused_forks": lambda: ('refused = k.audit.records(call="fork", uid=1000, failed=True)\n'
                    'answer = (len(refused), "EAGAIN")'),
    "check_hogs_to_starve": lambda: "answer = 9",
    "check_padding_bytes": lambda: "answer = set(range(1, 8)) | set(range(18, 24))",
    "check_zeroing_patch": lambda: ZEROING,
    "check_copyout_patch": lambda: ("from oskit.kernel.riscv import copyinout\n"
                    "my_copyout = copyinout.copyout"),
    "check_euid_exploit": lambda: EUID_EXPLOIT,
    "check_supervisor_rules": lambda: ('answers = {"U-mode load": True, "S-mode load, SUM=0": False,\n'
                                       '           "S-mode load, SUM=1": True,\n'
                    '           "S-mode store, SUM=1": True, "S-mode fetch, SUM=0": False,\n'
                    '           "S-mode fetch, SUM=1": False}'),
}


def _printf_lines(n: int) -> str:
    return " ".join(f'printf("{w}\\n");' for w in checks.LINE_WORDS[:n])


NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}

# The book's words for an exercise's numbers, and the same words for the numbers of the seed in
# force. The builder replaces each in the exercise's prose and fails, naming the words, when the
# chapter no longer contains them (a chapter author reworded the exercise: update this table).
PROSE = {
    "check_counting": lambda: [("prints the numbers 1 to 5, one per line, and exits with status 5",
                     f"prints the numbers 1 to {variant.value('0.1')}, one per line, and exits with "
                     f"status {variant.value('0.1')}")],
    "check_write_count": lambda: [("calls `printf` three times",
                     f"calls `printf` {NUMBER_WORDS[variant.value('0.2')]} times"),
                    (_printf_lines(3), _printf_lines(variant.value("0.2")))],
    "check_frame_offset": lambda: [("At which byte offset is `a0`?",
                                    f"At which byte offset is `{variant.value('2.3')}`?")],
}
