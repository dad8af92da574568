"""Unit tests of pipes (oskit/kernel/fs/pipe.py) over real guest RAM and the kmalloc heap.

The kernel around the pipe is reduced to what a pipe uses: the machine's bus
and RAM, the physical-memory allocator, and records of wakeups and signals.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oskit.kernel.errno import Errno
from oskit.kernel.fs.file import O_NONBLOCK, FileTable
from oskit.kernel.fs.pipe import PIPE_BUF, PIPE_SIZE, make_pipe
from oskit.kernel.fs.vfs import S_IFIFO, VFS
from oskit.kernel.kern.signal import SIGPIPE
from oskit.kernel.kern.syscall import Sleep, SyscallError
from oskit.kernel.vm.pmem import PhysMem
from oskit.machine.bus import Bus, Ram
from oskit.toolchain import build


class PipeKernel:
    """A kernel with just what pipes need: RAM, kmalloc, a VFS (inode numbers, clock), and
    wakeup and psignal that record what they were asked."""

    def __init__(self, heap_size=64 * 1024):
        ram = Ram(1 << 20)
        ram.data[:] = b"\xAA" * len(ram.data)          # poison: unwritten bytes show up

        class Machine:
            bus = Bus(ram)
        self.machine = Machine()
        self.pmem = PhysMem(ram, reserved=4096, heap_size=heap_size)
        self.vfs = VFS(clock=lambda: 0)
        self.kmem_owner = {}        # kmalloc address -> process billed (resource.py)
        self.woken = []
        self.signals = []

    def kmalloc(self, size):
        return self.pmem.kmalloc(size)

    def kfree(self, addr):
        self.pmem.kfree(addr)

    def wakeup(self, chan):
        self.woken.append(chan)

    def psignal(self, proc, signo):
        self.signals.append((proc, signo))


class Td:
    """A calling thread: its process and the per-call scratch dict the syscall path keeps."""

    def __init__(self, name="p"):
        self.proc = name
        self.scratch = {}


@pytest.fixture
def kernel():
    return PipeKernel()


def errno_of(fn, *args):
    with pytest.raises(SyscallError) as info:
        fn(*args)
    return info.value.errno


def test_bytes_come_out_in_order(kernel):
    """What is written comes out in order, and read never waits to fill its buffer."""
    r, w = make_pipe(kernel)
    td = Td()
    assert w.write(td, b"hello, ") == 7
    assert w.write(td, b"world") == 5
    assert r.read(td, 3) == b"hel"
    assert r.read(td, 100) == b"lo, world"


def test_buffer_lives_in_guest_ram(kernel):
    """The pipe's bytes sit in the kmalloc'd buffer in guest RAM."""
    r, w = make_pipe(kernel)
    w.write(Td(), b"secret")
    addr = r.pipe.addr
    assert kernel.pmem.heap_start <= addr < kernel.pmem.heap_end
    assert kernel.machine.bus.read_bytes(addr, 6) == b"secret"
    assert r.pipe.contents() == b"secret"


def test_empty_pipe_sleeps_then_eof(kernel):
    """Reading an empty pipe sleeps while a writer exists, returns b'' after it closes."""
    fdt = FileTable()
    r, w = make_pipe(kernel)
    rfd, wfd = fdt.alloc(r), fdt.alloc(w)
    with pytest.raises(Sleep) as info:
        r.read(Td(), 10)
    assert info.value.chan == r.pipe.rchan
    fdt.close(wfd)
    assert r.pipe.rchan in kernel.woken                 # the sleeping reader is woken
    assert r.read(Td(), 10) == b""
    fdt.close(rfd)


def test_eof_only_after_last_writer(kernel):
    """A forked copy of the write end keeps the pipe open: EOF waits for the last close."""
    parent = FileTable()
    r, w = make_pipe(kernel)
    parent.alloc(r)
    wfd = parent.alloc(w)
    child = parent.fork()
    parent.close(wfd)
    with pytest.raises(Sleep):
        r.read(Td(), 1)
    child.close_all()
    assert r.read(Td(), 1) == b""


def test_nonblocking_read_is_eagain(kernel):
    """With O_NONBLOCK an empty pipe says EAGAIN instead of sleeping."""
    r, w = make_pipe(kernel, O_NONBLOCK)
    assert errno_of(r.read, Td(), 1) == Errno.EAGAIN


def test_epipe_and_sigpipe(kernel):
    """A write with no reader left fails with EPIPE and signals SIGPIPE to the writer."""
    fdt = FileTable()
    r, w = make_pipe(kernel)
    rfd = fdt.alloc(r)
    fdt.alloc(w)
    fdt.close(rfd)
    assert errno_of(w.write, Td("writer"), b"x") == Errno.EPIPE
    assert kernel.signals == [("writer", SIGPIPE)]


def test_small_write_is_atomic(kernel):
    """A write of at most PIPE_BUF bytes waits until it fits whole, never splits."""
    r, w = make_pipe(kernel)
    td = Td()
    w.write(td, b"x" * (PIPE_SIZE - 100))
    before = r.pipe.count
    with pytest.raises(Sleep) as info:
        w.write(Td(), b"y" * PIPE_BUF)
    assert info.value.chan == r.pipe.wchan
    assert r.pipe.count == before                       # nothing went in
    r.read(td, PIPE_BUF)
    assert w.write(Td(), b"y" * PIPE_BUF) == PIPE_BUF


def test_big_write_completes_across_sleeps(kernel):
    """A blocking write larger than the buffer sleeps and resumes until every byte is in."""
    r, w = make_pipe(kernel)
    data = bytes(range(256)) * 40                       # 10240 bytes: 2.5 buffers
    writer = Td("writer")
    got = bytearray()
    rounds = 0
    while True:
        try:
            result = w.write(writer, data)
            break
        except Sleep:
            rounds += 1
            got += r.read(Td(), PIPE_SIZE)              # the reader makes room
    got += r.read(Td(), PIPE_SIZE)
    assert result == len(data)
    assert rounds == 2
    assert bytes(got) == data


def test_nonblocking_big_write_is_partial(kernel):
    """Under O_NONBLOCK a big write takes what fits and returns that count."""
    r, w = make_pipe(kernel, O_NONBLOCK)
    assert w.write(Td(), b"z" * (PIPE_SIZE + 1000)) == PIPE_SIZE
    assert errno_of(w.write, Td(), b"z") == Errno.EAGAIN


def test_ring_wraps_around(kernel):
    """Data that wraps past the end of the ring buffer comes out intact."""
    r, w = make_pipe(kernel)
    td = Td()
    w.write(td, b"a" * (PIPE_SIZE - 10))
    r.read(td, PIPE_SIZE - 20)
    w.write(td, b"0123456789" * 3)                      # crosses the end of the buffer
    assert r.read(td, PIPE_SIZE) == b"a" * 10 + b"0123456789" * 3


def test_buffer_freed_when_both_ends_close(kernel):
    """Closing both ends gives the buffer back to the kernel heap."""
    fdt = FileTable()
    used = dict(kernel.pmem.heap_used)
    r, w = make_pipe(kernel)
    a, b = fdt.alloc(r), fdt.alloc(w)
    assert len(kernel.pmem.heap_used) == len(used) + 1
    fdt.close(a)
    fdt.close(b)
    assert kernel.pmem.heap_used == used


def test_out_of_kernel_memory_is_enomem():
    """When the kernel heap cannot hold another buffer, making a pipe fails with ENOMEM."""
    small = PipeKernel(heap_size=PIPE_SIZE)
    make_pipe(small)
    assert errno_of(make_pipe, small) == Errno.ENOMEM


def test_pipe_stat_is_fifo(kernel):
    """fstat of a pipe end reports a FIFO whose size is the bytes waiting."""
    r, w = make_pipe(kernel, owner=(1001, 100))
    w.write(Td(), b"abc")
    st = r.stat()
    assert st.mode & 0o170000 == S_IFIFO
    assert (st.size, st.uid, st.gid) == (3, 1001, 100)
    assert w.stat().ino == st.ino


def test_wrong_end_is_ebadf(kernel):
    """The read end cannot be written, nor the write end read."""
    r, w = make_pipe(kernel)
    assert errno_of(r.write, Td(), b"x") == Errno.EBADF
    assert errno_of(w.read, Td(), 1) == Errno.EBADF


def test_pipe_numbers_repeat_per_boot():
    """Pipes are numbered per kernel, so two identical runs show identical inode numbers."""
    one_boot = make_pipe(PipeKernel())[0].pipe.ino
    k = PipeKernel()
    another_boot = make_pipe(k)[0].pipe.ino
    assert one_boot == another_boot
    assert make_pipe(k)[0].pipe.ino == another_boot + 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("rw"), st.integers(0, 3 * PIPE_SIZE)), max_size=40))
def test_pipe_is_a_fifo_queue(ops):
    """Against a plain Python queue: any mix of reads and writes gives back exactly the bytes
    written, in order; a read sleeps only when empty, a write only when it cannot go on."""
    kernel = PipeKernel()
    r, w = make_pipe(kernel)
    sent = bytearray()                   # everything the writer finished writing
    got = bytearray()
    writer = Td("writer")
    counter = 0
    for op, n in ops:
        if op == "w":
            counter += 1
            data = bytes((counter + i) % 251 for i in range(n))
            writer.scratch = {}
            while True:                  # the syscall path: re-run after each Sleep, the reader drains
                try:
                    assert w.write(writer, data) == n
                    break
                except Sleep:
                    assert r.pipe.count == PIPE_SIZE or (n <= PIPE_BUF and PIPE_SIZE - r.pipe.count < n)
                    got += r.read(Td(), PIPE_SIZE)
            sent += data
        else:
            if r.pipe.count == 0:
                with pytest.raises(Sleep):
                    r.read(Td(), n or 1)
            else:
                got += r.read(Td(), n)
        assert r.pipe.count <= PIPE_SIZE
    while r.pipe.count:
        got += r.read(Td(), PIPE_SIZE)
    assert bytes(got) == bytes(sent)


def test_pipe_buffer_is_billed_to_its_creator():
    """pipe2 bills the buffer to the calling process and closing both ends credits it back."""
    from oskit.kernel.fs import sys_file
    from oskit.kernel.kernel import boot
    k = boot(programs=False)
    k.install_program("/bin/t", build({"t.c": "int main(void) { return 0; }\n"}, mode="user").read_bytes())
    p = k.spawn("/bin/t", ["t"])
    td = p.main_thread
    before = getattr(p, "kmem", 0)
    sys_file.sys_pipe2(td, td.frame.sp - 64, 0)             # fildes on the user stack
    assert p.kmem == before + PIPE_SIZE
    sys_file.sys_close(td, 3)
    sys_file.sys_close(td, 4)
    assert p.kmem == before
