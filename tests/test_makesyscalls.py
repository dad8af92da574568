"""makesyscalls: the generated files are fresh, the numbers are FreeBSD's, bad
input is reported with its line, and a new call can be added from Python."""

import re
import subprocess
import sys

import pytest

from oskit.kernel.kern import makesyscalls as ms
from oskit.kernel.kern import syscalls_table

# FreeBSD's numbers (sys/kern/syscalls.master, checked by hand against it).
FREEBSD = {
    "exit": 1, "fork": 2, "read": 3, "write": 4, "open": 5, "close": 6, "wait4": 7,
    "link": 9, "unlink": 10, "chdir": 12, "fchdir": 13, "chmod": 15, "chown": 16, "break": 17,
    "getpid": 20, "setuid": 23, "getuid": 24, "geteuid": 25, "access": 33, "kill": 37,
    "getppid": 39, "dup": 41, "getegid": 43, "getgid": 47, "ioctl": 54, "execve": 59,
    "umask": 60, "msync": 65, "munmap": 73, "mprotect": 74, "madvise": 75, "mincore": 78,
    "getgroups": 79, "setgroups": 80, "dup2": 90, "fcntl": 92, "gettimeofday": 116,
    "getrusage": 117, "rename": 128, "mkdir": 136, "rmdir": 137, "setgid": 181, "setegid": 182,
    "seteuid": 183, "getrlimit": 194, "setrlimit": 195, "clock_gettime": 232, "nanosleep": 240,
    "issetugid": 253, "__getcwd": 326, "sched_yield": 331, "sigprocmask": 340,
    "sigsuspend": 341, "sigpending": 343, "sigaction": 416, "sigreturn": 417, "mmap": 477,
    "lseek": 478, "openat": 499, "pipe2": 542, "fstat": 551, "fstatat": 552,
    "getdirentries": 554,
}

HEAD = "0\tAUE_NULL\tUNIMPL\tsyscall\n"


def error_of(text):
    with pytest.raises(ms.MasterError) as info:
        ms.parse(text)
    return info.value


def test_checked_in_files_are_fresh():
    """`python -m oskit.kernel.kern.makesyscalls --check` exits 0: nothing generated is stale."""
    proc = subprocess.run([sys.executable, "-m", "oskit.kernel.kern.makesyscalls", "--check"],
                          capture_output=True, text=True, cwd=ms.ROOT)
    assert proc.returncode == 0, proc.stderr
    assert ms.stale() == []


def test_check_names_a_stale_file(tmp_path):
    """A hand-edited generated file is listed as stale, and --check exits 1 naming it."""
    ms.write(root=tmp_path)
    assert ms.stale(root=tmp_path) == []
    header = tmp_path / ms.HEADER
    header.write_text(header.read_text().replace("SYS_fork", "SYS_spoon"))
    assert ms.stale(root=tmp_path) == [ms.HEADER]
    proc = subprocess.run([sys.executable, "-c",
                           "import sys, pathlib; from oskit.kernel.kern import makesyscalls as m;"
                           f"m.ROOT = pathlib.Path({str(tmp_path)!r});"
                           "sys.exit(m.main(['--check']))"],
                          capture_output=True, text=True, cwd=ms.ROOT)
    assert proc.returncode == 1
    assert "stale: oskit/userland/include/sys/syscall.h" in proc.stderr


def test_numbers_are_freebsds():
    """Every call has FreeBSD's number, in the master file and in all three outputs."""
    files = ms.generate()
    for name, number in FREEBSD.items():
        assert syscalls_table.BY_NAME[name].number == number, name
        assert re.search(rf"#define\tSYS_{name}\s+{number}\s+/\* {number} = {name} \*/",
                         files[ms.HEADER]), name
        assert f"/* {number} = {name} */\n" in files[ms.STUBS]
        assert re.search(rf"__sys_{re.escape(name)}:\n\tli\tt0, {number}\n\tecall\n\tbnez\tt0, cerror\n",
                         files[ms.STUBS]), name


def test_generated_files_say_do_not_edit():
    """Each generated file starts with the DO NOT EDIT banner."""
    for rel, text in ms.generate().items():
        assert text.splitlines()[0] in (f"/* {ms.BANNER} */", f"# {ms.BANNER}"), rel


def test_wrapped_calls_have_no_plain_alias():
    """exit and break are stubs only as __sys_exit/__sys_break; ordinary calls also get a weak alias."""
    stubs = ms.generate()[ms.STUBS]
    assert "__sys_exit:" in stubs and "\t.weak\texit\n" not in stubs
    assert "__sys_break:" in stubs and "\t.weak\tbreak\n" not in stubs
    assert "\t.weak\twrite\n\t.set\twrite, __sys_write\n" in stubs


def test_argument_decoding_follows_the_c_type():
    """int sign-extends from bit 31, uid_t zero-extends 32 bits, mode_t 16, off_t and pointers keep 64."""
    t = syscalls_table.BY_NAME
    assert t["close"].decode_args([0xFFFF_FFFF]) == (-1,)
    assert t["close"].decode_args([0x1234_0000_0000_0005]) == (5,)       # junk upper half ignored
    assert t["setuid"].decode_args([0xFFFF_FFFF_FFFF_FFFF]) == (0xFFFF_FFFF,)
    assert t["umask"].decode_args([0o1234567]) == (0o1234567 & 0xFFFF,)
    assert t["lseek"].decode_args([3, 2**64 - 10, 0]) == (3, -10, 0)
    assert t["read"].decode_args([0, 2**63, 2**64 - 1]) == (0, 2**63, 2**64 - 1)


def test_trace_formatting():
    """Paths are shown as strings fetched by the tracer, pointers in hex, modes in octal, NULL by name."""
    t = syscalls_table.BY_NAME
    strings = {0x2000: "/tmp/a\"b"}
    assert (t["open"].format_call((0x2000, 0x601, 0o644), strings.get)
            == 'open("/tmp/a\\"b", O_WRONLY|O_CREAT|O_TRUNC, 0644)')
    # without O_CREAT, open's third argument is whatever a2 held: not shown, as kdump does
    assert t["open"].format_call((0x3000, 0, 2), strings.get) == "open(0x3000, O_RDONLY)"
    assert t["openat"].format_call((-100, 0x2000, 0x200, 0o600), strings.get) \
        == 'openat(AT_FDCWD, "/tmp/a\\"b", O_RDONLY|O_CREAT, 0600)'
    assert t["wait4"].format_call((-1, 0, 1, 0)) == "wait4(-1, NULL, WNOHANG, NULL)"
    assert t["mmap"].format_return(0x4000_0000) == "0x40000000"
    assert t["getpid"].format_call(()) == "getpid()"
    assert t["dup2"].format_call((3, 1)) == "dup2(3, 1)"


def test_flags_and_named_values_are_shown_by_name():
    """Flag sets read as A|B (unnamed bits in hex), one-of values by their name, unknown values as numbers."""
    t = syscalls_table.BY_NAME
    assert (t["mmap"].format_call((0, 8192, 3, 0x1002, -1, 0))
            == "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANON, -1, 0)")
    assert t["mprotect"].format_call((0x1000, 4096, 0)) == "mprotect(0x1000, 4096, PROT_NONE)"
    assert t["open"].format_call((0x10, 0x4000_0202, 0)) == "open(0x10, O_RDWR|O_CREAT|0x40000000, 0)"
    assert t["openat"].format_call((-100, 0x10, 0x100000, 0)) == "openat(AT_FDCWD, 0x10, O_RDONLY|O_CLOEXEC)"
    assert t["openat"].format_call((5, 0x10, 0, 0)) == "openat(5, 0x10, O_RDONLY)"
    assert t["kill"].format_call((7, 15)) == "kill(7, SIGTERM)"
    assert t["kill"].format_call((7, 99)) == "kill(7, 99)"
    assert t["sigprocmask"].format_call((3, 0, 0)) == "sigprocmask(SIG_SETMASK, NULL, NULL)"
    assert t["lseek"].format_call((3, -4, 2)) == "lseek(3, -4, SEEK_END)"
    assert t["access"].format_call((0x10, 6)) == "access(0x10, W_OK|R_OK)"
    assert t["ioctl"].format_call((1, 0x402c7413, 0x20)) == "ioctl(1, TIOCGETA, 0x20)"
    assert t["clock_gettime"].format_call((4, 0x20)) == "clock_gettime(CLOCK_MONOTONIC, 0x20)"
    assert t["fcntl"].format_call((3, 17, 10)) == "fcntl(3, F_DUPFD_CLOEXEC, 10)"
    assert t["pipe2"].format_call((0x10, 0)) == "pipe2(0x10, 0)"                 # no access mode here
    assert t["pipe2"].format_call((0x10, 0x100000)) == "pipe2(0x10, O_CLOEXEC)"


def test_named_values_come_from_the_c_headers():
    """The tracer's constants are the headers' (#define O_CREAT 0x0200 -> ('O_CREAT', 0x200)); aliases are left out."""
    assert ("O_CREAT", 0x200) in syscalls_table.FLAGS["oflags"]
    assert ms.header_constants("fcntl.h", r"O_F?SYNC") == [("O_FSYNC", 0x80)]    # O_SYNC repeats 0x80
    assert syscalls_table.ENUMS["signal"][20] == "SIGCHLD"
    assert ms.header_constants("signal.h", r"SIGIOT") == []                         # defined as SIGABRT: not a number
    for (call, arg), style in ms.ARG_STYLES.items():                                # no typo in the table
        assert style in ms.STYLES
        assert arg in [a.name for a in syscalls_table.BY_NAME[call].args], (call, arg)


def test_new_call_from_python(tmp_path):
    """A call appended to the master text appears in the stubs, the header and the table."""
    text = ms.MASTER.read_text() + "555\tAUE_NULL\tSTD\t{ int hello(int times, const char *who); }\n"
    files = ms.generate(text)
    assert "#define\tSYS_hello" in files[ms.HEADER]
    assert "__sys_hello:\n\tli\tt0, 555\n" in files[ms.STUBS]
    ms.write(files, root=tmp_path)
    namespace = {}
    exec((tmp_path / ms.TABLE).read_text(), namespace)
    hello = namespace["BY_NAME"]["hello"]
    assert (hello.number, hello.handler_name) == (555, "sys_hello")
    assert [a.name for a in hello.args] == ["times", "who"]
    assert namespace["MAXSYSCALL"] == 556


def test_multiline_prototype_is_joined():
    """A prototype spread over several lines up to '}' parses like a one-line one."""
    text = HEAD + "1\tAUE_EXIT\tSTD\t{\n\t\tvoid exit(\n\t\t    int rval\n\t\t);\n\t}\n2\tAUE_FORK\tSTD\t{ int fork(void); }\n"
    entries = ms.parse(text)
    assert [(e.number, e.name) for e in entries] == [(0, "syscall"), (1, "exit"), (2, "fork")]
    assert entries[1].args == (ms.Arg("rval", "int"),)


@pytest.mark.parametrize("text, line, message", [
    (HEAD + "2\tAUE_NULL\tSTD\t{ int fork(void); }\n", 2,
     "numbers must be consecutive: expected 1, found 2 (leaves a gap"),
    (HEAD + "1\tAUE_NULL\tSTD\t{ int a(void); }\n1\tAUE_NULL\tSTD\t{ int b(void); }\n", 3,
     "expected 2, found 1 (repeats a number"),
    (HEAD + "1\tAUE_NULL\tSTDD\t{ int a(void); }\n", 2, "unknown type 'STDD': expected one of STD, UNIMPL"),
    (HEAD + "1\tAUE_NULL\tSTD|FAST\t{ int a(void); }\n", 2, "unknown flag 'FAST' on STD"),
    (HEAD + "1\tNULL\tSTD\t{ int a(void); }\n", 2, "expected an audit event like AUE_NULL, found 'NULL'"),
    (HEAD + "1\tAUE_NULL\tSTD\t{ int a(float x); }\n", 2,
     "unknown type 'float' of argument 'x' of a: expected a pointer or one of"),
    (HEAD + "1\tAUE_NULL\tSTD\t{ quad a(void); }\n", 2, "unknown return type 'quad' of a"),
    (HEAD + "1\tAUE_NULL\tSTD\t{ int a(int); }\n", 2, "argument 'int' of a is not 'TYPE NAME'"),
    (HEAD + "1\tAUE_NULL\tSTD\t{ int a(); }\n", 2, "a() has an empty argument list: write (void)"),
    (HEAD + "1\tAUE_NULL\tSTD\tint a(void);\n", 2, "a STD entry needs a prototype"),
    (HEAD + "1\tAUE_NULL\tSTD\t{ int a(void) }\n", 2, "expected a prototype like"),
    (HEAD + "1\tAUE_NULL\tSTD\t{ int a(int x, int x); }\n", 2, "a has two arguments named 'x'"),
    (HEAD + "1\tAUE_NULL\tSTD\t{ int a(void); }\n2\tAUE_NULL\tSTD\t{ int a(void); }\n", 3,
     "a is already system call 1"),
    (HEAD + "1\tAUE_NULL\tSTD\t{ int a(" + ", ".join(f"int x{i}" for i in range(9)) + "); }\n", 2,
     "a has 9 arguments; at most 8 fit in a0-a7"),
    (HEAD + "1-3\tAUE_NULL\tSTD\t{ int a(void); }\n", 2, "a STD entry is one call, not a range"),
    (HEAD + "1\tAUE_NULL\tSTD\t{\n\tint a(void);\n", 2, "prototype opened with '{' is never closed"),
    (HEAD + "x\tAUE_NULL\tSTD\t{ int a(void); }\n", 2, "expected a system call number or range N-M, found 'x'"),
])
def test_bad_input_is_reported_with_its_line(text, line, message):
    """Each kind of malformed master file raises MasterError naming the line and the problem."""
    err = error_of(text)
    assert err.line == line
    assert message in err.message
    assert str(err).startswith(f"syscalls.master:{line}: ")


def test_cli_reports_bad_master_file(tmp_path):
    """The command line prints the error with its line and exits 2 without writing anything."""
    bad = tmp_path / "syscalls.master"
    bad.write_text(HEAD + "5\tAUE_NULL\tSTD\t{ int a(void); }\n")
    proc = subprocess.run([sys.executable, "-m", "oskit.kernel.kern.makesyscalls", "--check", str(bad)],
                          capture_output=True, text=True, cwd=ms.ROOT)
    assert proc.returncode == 2
    assert "syscalls.master:2: numbers must be consecutive: expected 1, found 5" in proc.stderr


def test_load_switches_the_running_table_and_back():
    """load(generate(text)) makes a new call visible to the kernel at once; load() restores the checked-in table."""
    import importlib
    text = ms.MASTER.read_text() + "555\tAUE_NULL\tSTD\t{ int hello(int x); }\n"
    try:
        table = ms.load(ms.generate(text))
        assert importlib.import_module("oskit.kernel.kern.syscalls_table") is table
        assert table.SYSCALLS[555].name == "hello"
        assert ms.stale() == []                       # nothing on disk changed
    finally:
        restored = ms.load()
    assert 555 not in restored.SYSCALLS and restored.SYSCALLS[2].name == "fork"


def test_too_many_stubs_for_the_branch_to_cerror_is_an_error():
    """More STD calls than a bnez can span to cerror is refused with a message saying what to do."""
    lines = [HEAD] + [f"{n}\tAUE_NULL\tSTD\t{{ int call{n}(void); }}\n" for n in range(1, ms.MAX_STUBS + 2)]
    with pytest.raises(ValueError, match="reaches only .* give syscalls.S a second cerror"):
        ms.generate("".join(lines))
    ms.generate("".join(lines[:-1]))            # exactly MAX_STUBS is fine


def test_an_entry_in_freebsds_own_style_parses():
    """FreeBSD's CAPENABLED flag and SAL annotations (_In_z_, _Out_writes_bytes_(n), _Contains_...) are accepted and dropped."""
    text = HEAD + """1\tAUE_EXIT\tSTD|CAPENABLED {
\t\tvoid exit(
\t\t    int rval
\t\t);
\t}
2\tAUE_READ\tSTD|CAPENABLED {
\t\tssize_t read(
\t\t    int fd,
\t\t    _Out_writes_bytes_(nbyte) void *buf,
\t\t    size_t nbyte
\t\t);
\t}
3\tAUE_OPEN_RWTC\tSTD {
\t\tint open(
\t\t    _In_z_ const char *path,
\t\t    int flags,
\t\t    mode_t mode
\t\t);
\t}
4\tAUE_WAIT4\tSTD {
\t\tint wait4(int pid, _Out_opt_ int *status, int options,
\t\t    _Out_opt_ _Contains_long_timet_ struct rusage *rusage);
\t}
"""
    entries = {e.name: e for e in ms.parse(text)}
    assert entries["exit"].flags == ("CAPENABLED",)
    assert [(a.name, a.ctype) for a in entries["read"].args] == [
        ("fd", "int"), ("buf", "void *"), ("nbyte", "size_t")]
    assert entries["open"].args[0].is_string
    assert [a.ctype for a in entries["wait4"].args] == ["int", "int *", "int", "struct rusage *"]


def test_annotations_become_the_marshalling_table():
    """FreeBSD's pointer annotations say what crosses a wire: read's buf comes back, write's goes, a path is a string."""
    from oskit.kernel.kern.syscalls_marshal import MARSHAL
    read = {w.name: w for w in MARSHAL["read"]}
    assert (read["buf"].kind, read["buf"].size) == ("out_bytes", "nbyte")
    assert read["fd"].kind == "scalar"
    assert [(w.kind, w.size) for w in MARSHAL["write"]][1] == ("in_bytes", "nbyte")
    assert MARSHAL["open"][0].kind == "in_string"
    assert (MARSHAL["fstat"][1].kind, MARSHAL["fstat"][1].size) == ("out_object", 224)   # sizeof(struct stat)
    assert MARSHAL["getdirentries"][3].optional                                          # basep may be NULL
    assert "mmap" not in MARSHAL and "pipe2" not in MARSHAL      # unannotated pointers: not forwardable


def test_an_annotation_naming_no_argument_is_an_error():
    """_Out_writes_bytes_(len) on a call without an argument named len names the line."""
    text = HEAD + "1\tAUE_NULL\tSTD\t{ int f(_Out_writes_bytes_(len) void *buf, size_t n); }\n"
    with pytest.raises(ms.MasterError, match=r"must name the argument that holds the size"):
        ms.parse(text)


def test_an_unknown_annotation_parses_but_is_not_forwardable():
    """A FreeBSD annotation we cannot carry (_Inout_) keeps the line valid; the call is left out of MARSHAL."""
    text = HEAD + "1\tAUE_NULL\tSTD\t{ int f(_Inout_ int *x); }\n"
    (entry,) = [e for e in ms.parse(text) if e.name == "f"]
    assert entry.args[0].annotation == "_Inout_"
    assert ms.marshalling(entry) is None
