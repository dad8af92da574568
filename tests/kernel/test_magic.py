"""The %%c cell magic: a cell becomes /bin/NAME in a kernel, or a readable compile error."""

import pytest

import oskit
from oskit.magic import c_magic
from oskit.toolchain import CompileError

CELL = '#include <stdio.h>\nint main(void) { puts("from a cell"); return 0; }\n'


def test_cell_is_compiled_into_bin_and_runs():
    """%%c hello --kernel k installs /bin/hello in k; spawning it prints the cell's output."""
    k = oskit.boot(programs=False)
    path = c_magic("hello --kernel k", CELL, {"k": k})
    assert path == "/bin/hello"
    p = k.spawn(path)
    k.run(until=p.exited)
    assert p.stdout == "from a cell\n"


def test_compile_error_is_returned_readably_and_installs_nothing():
    """A broken cell gives the CompileError (with the compiler's message) and no /bin entry."""
    k = oskit.boot(programs=False)
    err = c_magic("broken --kernel k", "int main(void) { return nope; }\n", {"k": k})
    assert isinstance(err, CompileError)
    assert "nope" in str(err) and "nope" in err._repr_html_()
    assert "broken" not in k.vfs.listdir("/bin")


def test_bad_arguments_are_explained():
    """A missing name or an unknown kernel variable is a clear error."""
    with pytest.raises(ValueError, match="needs a program name"):
        c_magic("", CELL, {})
    with pytest.raises(ValueError, match="no notebook variable 'kk'"):
        c_magic("x --kernel kk", CELL, {})


def test_load_ext_registers_the_magic():
    """%load_ext oskit makes %%c available in IPython."""
    from IPython.core.interactiveshell import InteractiveShell
    ip = InteractiveShell.instance()
    try:
        ip.run_line_magic("load_ext", "oskit")
        assert "c" in ip.magics_manager.magics["cell"]
    finally:
        InteractiveShell.clear_instance()
