"""copyin/copyout/copyinstr: user memory seen with user privilege, EFAULT on anything else."""

import pytest

import oskit
from oskit.kernel import errno
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.param import DMAP_BASE, PAGE_SIZE, TRAMPOLINE, USRSTACK
from oskit.kernel.riscv.copyinout import copyin, copyinstr, copyout

WAITER = r"""
#include <unistd.h>
char message[] = "hello, kernel";
int main(void) { char c; read(0, &c, 1); return message[0]; }
"""


@pytest.fixture(scope="module")
def waiting():
    """A kernel with one process asleep in read() on the console: its memory is ours to copy."""
    k = oskit.boot(programs=False)
    from oskit.toolchain import build
    k.install_program("/bin/waiter", build({"waiter.c": WAITER}, mode="user").read_bytes())
    p = k.spawn("/bin/waiter")
    r = k.run()
    assert r.reason == "idle"
    return k, p, p.main_thread


def entry(p, name):
    return next(e for e in p.vmspace.entries if e.name == name)


def test_copyout_copyin_round_trip_on_the_stack(waiting):
    """Bytes copied out to the user stack come back unchanged."""
    k, p, td = waiting
    addr = USRSTACK - 3 * PAGE_SIZE + 100
    copyout(td, addr, b"abc\x00def")
    assert copyin(td, addr, 7) == b"abc\x00def"


def test_copy_across_a_page_boundary(waiting):
    """A buffer spanning two stack pages is copied whole."""
    k, p, td = waiting
    addr = USRSTACK - 2 * PAGE_SIZE - 5
    copyout(td, addr, bytes(range(10)))
    assert copyin(td, addr, 10) == bytes(range(10))


def test_copyout_crossing_into_an_unmapped_page_fails_and_writes_nothing(waiting):
    """A buffer that runs from the last data page into unmapped space is EFAULT, and its mapped part stays untouched."""
    k, p, td = waiting
    data = entry(p, "data")
    heap = [e for e in p.vmspace.entries if e.name == "heap"]
    assert not heap or heap[0].start > data.end      # nothing mapped right after data
    addr = data.end - 4
    before = copyin(td, addr, 4)
    with pytest.raises(SyscallError) as e:
        copyout(td, addr, b"12345678")
    assert e.value.errno == errno.EFAULT
    assert copyin(td, addr, 4) == before


def test_copyin_of_kernel_addresses_is_efault(waiting):
    """The kernel half (trampoline, direct map) has no U bit: a user pointer there is EFAULT."""
    k, p, td = waiting
    for addr in (TRAMPOLINE, DMAP_BASE, DMAP_BASE + td.frame_addr - 0x8000_0000):
        with pytest.raises(SyscallError) as e:
            copyin(td, addr, 8)
        assert e.value.errno == errno.EFAULT


def test_copyin_crossing_from_user_into_kernel_half_is_efault(waiting):
    """A length that wraps past the top of the address space is EFAULT, not a wild read."""
    k, p, td = waiting
    with pytest.raises(SyscallError) as e:
        copyin(td, 2**64 - 4, 8)
    assert e.value.errno == errno.EFAULT


def test_null_page_is_efault(waiting):
    """Page 0 is never mapped."""
    k, p, td = waiting
    with pytest.raises(SyscallError) as e:
        copyin(td, 0, 1)
    assert e.value.errno == errno.EFAULT


def test_copyout_to_text_is_efault(waiting):
    """Text is read-only: the kernel cannot be tricked into writing it for the user."""
    k, p, td = waiting
    text = entry(p, "text")
    assert copyin(td, text.start, 4) != b"\0\0\0\0"
    with pytest.raises(SyscallError) as e:
        copyout(td, text.start, b"\0\0\0\0")
    assert e.value.errno == errno.EFAULT


def test_copyinstr_reads_a_string_from_data(waiting):
    """copyinstr finds the program's initialised string through demand paging of its data."""
    k, p, td = waiting
    import io

    from elftools.elf.elffile import ELFFile
    elf = ELFFile(io.BytesIO(k.vfs.read_file("/bin/waiter")))
    addr = elf.get_section_by_name(".symtab").get_symbol_by_name("message")[0]["st_value"]
    assert copyinstr(td, addr, 64) == "hello, kernel"


def test_copyinstr_too_long_is_enametoolong(waiting):
    """A string with no NUL within maxlen bytes is ENAMETOOLONG."""
    k, p, td = waiting
    addr = USRSTACK - 5 * PAGE_SIZE
    copyout(td, addr, b"x" * 100)
    with pytest.raises(SyscallError) as e:
        copyinstr(td, addr, 50)
    assert e.value.errno == errno.ENAMETOOLONG


def test_copyout_to_a_fresh_heap_page_demand_faults_it(waiting):
    """copyout into a heap page never touched runs the fault handler (a minor fault), as a user store would."""
    k, p, td = waiting
    vs = p.vmspace
    start = p.brk_base
    vs.map(start, start + 2 * PAGE_SIZE, 3, "heap")
    assert vs.pmap.lookup(start) is None
    minflt = p.rusage.minflt
    copyout(td, start + 8, b"fresh")
    assert vs.pmap.lookup(start) is not None
    assert p.rusage.minflt == minflt + 1
    assert copyin(td, start, 13) == b"\0" * 8 + b"fresh"
