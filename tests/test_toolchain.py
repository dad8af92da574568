"""oskit.toolchain: building C and assembly into RISC-V ELF files, the cache, compile errors."""

import struct
import threading
import time

import pytest

from oskit.toolchain import CompileError, build, symbols

HELLO = '#include "bare.h"\nint main(void) { printf("hi\\n"); return 0; }\n'


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh, empty build cache for one test."""
    monkeypatch.setenv("OSKIT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def elf_header(path):
    """(class, machine, entry, flags) from an ELF file's header."""
    data = path.read_bytes()[:64]
    assert data[:4] == b"\x7fELF"
    machine, = struct.unpack_from("<H", data, 18)
    entry, = struct.unpack_from("<Q", data, 24)
    flags, = struct.unpack_from("<I", data, 48)
    return data[4], machine, entry, flags


def test_bare_build_is_rv64_elf_at_ram_base(cache):
    """A bare build is a 64-bit RISC-V ELF, entry at 0x8000_0000, without the C extension, with tohost."""
    path = build({"hello.c": HELLO})
    elf_class, machine, entry, flags = elf_header(path)
    assert (elf_class, machine, entry) == (2, 243, 0x8000_0000)
    assert flags & 1 == 0, "EF_RISCV_RVC set: compressed instructions were emitted"
    syms = symbols(path)
    assert syms["_start"] == 0x8000_0000
    assert syms["tohost"] % 64 == 0 and "main" in syms
    assert path.is_relative_to(cache) and path.name.startswith("hello-")


def test_second_identical_build_comes_from_the_cache(cache):
    """Building the same source twice gives the same file, the second time without compiling."""
    t0 = time.perf_counter()
    first = build({"hello.c": HELLO})
    t1 = time.perf_counter()
    mtime = first.stat().st_mtime_ns
    second = build({"hello.c": HELLO})
    t2 = time.perf_counter()
    assert second == first and second.stat().st_mtime_ns == mtime
    assert t2 - t1 < 0.25, f"cached build took {t2 - t1:.3f} s (first build: {t1 - t0:.3f} s)"


def test_cache_key_follows_source_flags_and_mode_inputs(cache, tmp_path):
    """A changed source, a changed flag, or a changed included header gives a new output."""
    base = build({"hello.c": HELLO})
    assert build({"hello.c": HELLO.replace("hi", "ho")}) != base
    assert build({"hello.c": HELLO}, cflags=["-DX=1"]) != base
    src = tmp_path / "p.c"
    hdr = tmp_path / "p.h"
    hdr.write_text("#define V 1\n")
    src.write_text('#include "p.h"\nint main(void) { return V; }\n')
    one = build([src])
    hdr.write_text("#define V 2\n")
    assert build([src]) != one


def test_path_sources_and_name(cache, tmp_path):
    """Sources given as paths compile (several files link together) and name sets the output's name."""
    (tmp_path / "a.c").write_text("int twice(int x);\nint main(void) { return twice(21); }\n")
    (tmp_path / "b.S").write_text(".globl twice\ntwice:\n  slliw a0, a0, 1\n  ret\n")
    path = build([tmp_path / "a.c", tmp_path / "b.S"], name="answer")
    assert path.name.startswith("answer-")
    assert {"twice", "main"} <= symbols(path).keys()


def test_compile_error_carries_the_compilers_diagnostics(cache):
    """A C error raises CompileError with file, line, column and message, under the user's file name."""
    src = "int main(void) {\n    return y;\n}\n"
    with pytest.raises(CompileError) as info:
        build({"prog.c": src})
    err = info.value
    assert err.errors[0].file == "prog.c"
    assert (err.errors[0].line, err.errors[0].column) == (2, 12)
    assert err.errors[0].severity == "error"
    assert "undeclared identifier 'y'" in err.errors[0].message
    text = str(err)
    assert "prog.c:2:12: error: use of undeclared identifier 'y'" in text
    assert "tmp-" not in text and "tmp-" not in err.stderr
    assert "return y;" in err.stderr          # the compiler's own source excerpt is kept
    html = err._repr_html_()
    assert "prog.c:2:12" in html and "<pre>" in html


def test_link_error_names_the_undefined_symbol_and_where(cache):
    """An undefined function is a CompileError naming the symbol and the file and line using it."""
    with pytest.raises(CompileError) as info:
        build({"prog.c": "int missing(void);\nint main(void) {\n  return missing();\n}\n"})
    d = info.value.errors[0]
    assert d.message == "undefined symbol: missing"
    assert (d.file, d.line) == ("prog.c", 3)
    assert "/zig/o/" not in info.value.stderr   # no cache paths in what the user reads


def test_html_escapes_compiler_text(cache):
    """The notebook view escapes < and > from the compiler's messages."""
    with pytest.raises(CompileError) as info:
        build({"prog.c": "#include <nonexistent_header.h>\nint main(void) { return 0; }\n"})
    assert info.value.errors[0].severity == "fatal error"
    html = info.value._repr_html_()
    assert "&lt;nonexistent_header.h&gt;" in html
    assert "<nonexistent_header.h>" not in html


@pytest.mark.parametrize("kwargs, exc, words", [
    ({"sources": {"a.c": "int main(void){return 0;}"}, "mode": "kernel"}, ValueError, "mode must be"),
    ({"sources": ["/nonexistent/x.c"]}, FileNotFoundError, "does not exist"),
    ({"sources": {"a.c": "int main(void){return 0;}"}, "cflags": "-O0"}, TypeError, "sequence of flags"),
    ({"sources": {"a.txt": "hello"}}, ValueError, "at least one .c or .S"),
    ({"sources": {"/abs.c": "int x;"}}, ValueError, "relative file name"),
])
def test_bad_arguments_are_clear_errors(cache, kwargs, exc, words):
    """Wrong arguments raise an error that says what was expected and what was found."""
    with pytest.raises(exc, match=words):
        build(**kwargs)


def test_concurrent_builds_of_the_same_program_agree(cache):
    """Threads building the same program at once all get the same complete file."""
    results, errors = [], []

    def work():
        try:
            results.append(build({"race.c": HELLO}))
        except Exception as e:      # reported below, not swallowed
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(results)) == 1
    assert elf_header(results[0])[1] == 243
    leftovers = [p for p in (cache / "elf").iterdir() if p.name.startswith("tmp-")]
    assert leftovers == []


@pytest.fixture(scope="module")
def user_cache(tmp_path_factory):
    """One build cache shared by the user-mode tests, so libc is compiled once for them."""
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("user-cache")
        mp.setenv("OSKIT_CACHE", str(path))
        yield path


USER_PROG = ('#include <stdio.h>\n'
             'int main(int argc, char **argv) { printf("argc=%d %s\\n", argc, argv[1]); return 3; }\n')


def test_user_build_links_libc_at_the_user_base(user_cache):
    """A user build starts at user.ld's base, has R-X text and RW data segments, and links libc."""
    from elftools.elf.elffile import ELFFile

    from oskit.toolchain import libc_archive

    path = build({"t.c": USER_PROG}, mode="user")
    syms = symbols(path)
    assert syms["_start"] == elf_header(path)[2] == 0x10_0000
    assert {"main", "printf", "write"} <= syms.keys()
    with open(path, "rb") as f:
        loads = [(s["p_flags"], s["p_vaddr"]) for s in ELFFile(f).iter_segments()
                 if s["p_type"] == "PT_LOAD"]
    assert [flags for flags, _ in loads] == [5, 6]          # R-X, then RW-
    archive = libc_archive()
    mtime = archive.stat().st_mtime_ns
    assert libc_archive() == archive and archive.stat().st_mtime_ns == mtime


def test_user_program_runs_as_a_process(user_cache):
    """A program built with mode="user" runs on the kernel: argv arrives, printf prints, main's value is the exit status."""
    from oskit.kernel.kernel import Kernel

    k = Kernel.boot(programs=False)
    k.install_program("/bin/t", build({"t.c": USER_PROG}, mode="user"))
    p = k.spawn("/bin/t", ["t", "hi"])
    k.run(until=p.exited, max_instructions=2_000_000)
    assert (p.stdout, p.exit_status) == ("argc=2 hi\n", 3)


def test_assert_stays_on_unless_asked(cache):
    """NDEBUG is not defined by default (assert works), and cflags=["-DNDEBUG"] still turns it off."""
    src = {"nd.c": "#ifdef NDEBUG\nint ndebug_on(void) { return 1; }\n"
                   "#else\nint ndebug_off(void) { return 0; }\n#endif\n"
                   "int main(void) { return 0; }\n"}
    assert "ndebug_off" in symbols(build(src))
    assert "ndebug_on" in symbols(build(src, cflags=["-DNDEBUG"]))


def test_floating_point_c_links_and_computes_in_software(cache):
    """C code using double links (soft-float from the compiler's runtime) and computes what the host computes."""
    from oskit.machine import Machine

    source = (
        '#include "bare.h"\n'
        "volatile double a = 7.5, b = 2.0;\n"
        "int main(void) { double r = a * b + a / b; long scaled = (long)(r * 1000);\n"
        '  printf("%ld\\n", scaled); return scaled == 18750; }\n'
    )
    m = Machine(ram_mib=8)
    m.load_elf(build({"fp.c": source}))
    result = m.run(max_instructions=1_000_000)
    assert m.uart.output.text == f"{int((7.5 * 2.0 + 7.5 / 2.0) * 1000)}\n"
    assert (result.reason, result.exit_code) == ("exit", 1)
