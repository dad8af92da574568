"""Pipes: a bounded byte queue in guest memory between a writer and a reader.

    write end (PipeFile "w") ──> [ ring buffer, PIPE_SIZE bytes, kmalloc'd ] ──> read end (PipeFile "r")

The buffer is guest RAM from ``kernel.kmalloc`` (a program that could read
kernel memory could read what sits in a pipe); the bookkeeping (where the
data starts, how much there is, how many ends are open) is in Python.

The rules a reader and a writer see (POSIX, as FreeBSD implements them):

- read of an empty pipe sleeps until data comes, returns 0 (end of file)
  once no write end is open, or fails with EAGAIN under O_NONBLOCK;
- read returns what is there, up to the size asked for: never waits to fill;
- write to a pipe with no read end open fails with EPIPE and sends SIGPIPE to
  the writer (whose default action ends it);
- write of at most PIPE_BUF bytes is atomic: it waits until all of it fits,
  so writers never interleave inside such a write;
- a larger blocking write returns only when everything is in the pipe,
  sleeping as often as it must; the bytes already written are remembered in
  ``td.scratch`` across the re-runs of the call (see ``syscall.py``). If a
  caught signal ends such a write after some bytes went in, the write
  succeeds with that count (``Sleep(partial=...)``): never EINTR, and never
  restarted from its first byte.

Sleeping follows the kernel's rule: decide first, ``raise Sleep(chan)``
before changing anything. Readers sleep on ``pipe.rchan``, writers on
``pipe.wchan``; each side wakes the other when it changes the buffer.
"""

from __future__ import annotations

from oskit.kernel.errno import Errno
from oskit.kernel.fs.file import O_RDONLY, O_WRONLY, File
from oskit.kernel.fs.vfs import S_IFIFO, Stat
from oskit.kernel.kern import resource
from oskit.kernel.kern.signal import SIGPIPE
from oskit.kernel.kern.syscall import Sleep, SyscallError
from oskit.kernel.vm.pmem import OutOfMemory

PIPE_SIZE = 4096     # the buffer: one page (FreeBSD starts at 16 KiB)
PIPE_BUF = 512       # writes up to this size are atomic (FreeBSD's PIPE_BUF)


class Pipe:
    """The shared part of a pipe: buffer, fill level and open-end counts."""

    def __init__(self, kernel, size: int = PIPE_SIZE, owner: tuple[int, int] = (0, 0), td=None):
        self.kernel = kernel
        self.size = size
        self.bus = kernel.machine.bus
        # The buffer is kernel memory a program asks for: it is billed to the
        # creating process (resource.py), so no process can fill the kernel
        # heap with pipes (ENOMEM past its share).
        if td is not None:
            self.addr = resource.kmalloc_charged(td, size, "pipe buffer")
        else:
            try:
                self.addr = kernel.kmalloc(size)   # physical address of the ring buffer
            except OutOfMemory:                    # the kernel heap is full
                raise SyscallError(Errno.ENOMEM, "no kernel memory for a pipe buffer") from None
        self.head = 0                      # offset of the oldest byte in the ring
        self.count = 0                     # bytes in the pipe
        self.readers = 0
        self.writers = 0
        # The inode number doubles as the pipe's name; numbered per boot, so two
        # runs of one program show the same numbers.
        self.ino = self.id = kernel.vfs.new_ino()
        self.uid, self.gid = owner
        self.ctime = self.mtime = self.atime = self._now()
        # Wait channels, named as FreeBSD names them in ps's WCHAN column.
        self.rchan = ("piperd", self.id)
        self.wchan = ("pipewr", self.id)

    def __repr__(self) -> str:
        return (f"<Pipe {self.id} {self.count}/{self.size} bytes, "
                f"readers={self.readers} writers={self.writers}>")

    # -- the ring buffer in guest memory ---------------------------------------

    def _copy_in(self, data: bytes) -> None:
        """Append data at the tail of the ring (the caller checked it fits)."""
        tail = (self.head + self.count) % self.size
        first = min(len(data), self.size - tail)      # up to the end of the buffer...
        self.bus.write_bytes(self.addr + tail, data[:first])
        if first < len(data):                         # ...then wrap to its start
            self.bus.write_bytes(self.addr, data[first:])
        self.count += len(data)

    def _copy_out(self, n: int) -> bytes:
        """Remove and return the n oldest bytes."""
        first = min(n, self.size - self.head)
        data = bytes(self.bus.read_bytes(self.addr + self.head, first))
        if first < n:
            data += self.bus.read_bytes(self.addr, n - first)
        self.head = (self.head + n) % self.size
        self.count -= n
        return data

    def contents(self) -> bytes:
        """The bytes waiting in the pipe, oldest first, without removing them (for widgets)."""
        first = min(self.count, self.size - self.head)
        data = bytes(self.bus.read_bytes(self.addr + self.head, first)) if first else b""
        if first < self.count:
            data += self.bus.read_bytes(self.addr, self.count - first)
        return data

    # -- the two operations ---------------------------------------------------------

    def read(self, td, n: int, nonblock: bool) -> bytes:
        """Take up to n bytes; b"" at end of file. May sleep on rchan."""
        if n == 0:
            return b""
        if self.count == 0:
            if self.writers == 0:
                return b""                     # end of file: nobody can ever write
            if nonblock:
                raise SyscallError(Errno.EAGAIN)
            raise Sleep(self.rchan)
        data = self._copy_out(min(n, self.count))
        self.atime = self._now()
        self.kernel.wakeup(self.wchan)         # room for a sleeping writer
        return data

    def write(self, td, data: bytes, nonblock: bool) -> int:
        """Put data into the pipe; returns len(data) (less only under O_NONBLOCK)."""
        done = td.scratch.get("pipe_written", 0)    # from earlier rounds of this call
        if self.readers == 0:
            if done:
                return done                    # report what did get through
            self.kernel.psignal(td.proc, SIGPIPE)
            raise SyscallError(Errno.EPIPE)
        rest = data[done:]
        if not rest:
            return done
        free = self.size - self.count
        # A small write goes in whole or not at all (atomic); a big one takes
        # whatever room there is.
        needed = len(rest) if len(data) <= PIPE_BUF else 1
        if free < needed:
            if nonblock:
                if done:
                    return done
                raise SyscallError(Errno.EAGAIN)
            raise self._sleep_after(done) if done else Sleep(self.wchan)
        n = min(free, len(rest))
        self._copy_in(rest[:n])
        self.mtime = self._now()
        self.kernel.wakeup(self.rchan)         # data for a sleeping reader
        done += n
        if done < len(data) and not nonblock:
            td.scratch["pipe_written"] = done  # sleep, then carry on from here
            raise self._sleep_after(done)
        return done

    def _sleep_after(self, done: int) -> Sleep:
        """Sleep for room, with done bytes of this write already in the pipe.

        If a signal ends that sleep, the write succeeds with done (a partial
        transfer is not an error, and must not be restarted from the start).
        """
        return Sleep(self.wchan, partial=done)

    def _now(self) -> int:
        return self.kernel.vfs.now()

    def close_end(self, end: str) -> None:
        """One end ("r" or "w") was closed for good; wake whoever must notice."""
        if end == "r":
            self.readers -= 1
            self.kernel.wakeup(self.wchan)     # writers now get EPIPE
        else:
            self.writers -= 1
            self.kernel.wakeup(self.rchan)     # readers now get end of file
        if self.readers == 0 and self.writers == 0:
            resource.kfree_charged(self.kernel, self.addr)   # credits the process billed for it
            self.addr = None


class PipeFile(File):
    """One end of a pipe as an open file."""

    kind = "pipe"

    def __init__(self, pipe: Pipe, end: str, flags: int = 0):
        access = O_RDONLY if end == "r" else O_WRONLY
        super().__init__(access | flags)
        self.pipe = pipe
        self.end = end
        if end == "r":
            pipe.readers += 1
        else:
            pipe.writers += 1

    def describe(self) -> str:
        return f"pipe {self.pipe.id} ({'read' if self.end == 'r' else 'write'} end)"

    def read(self, td, n: int) -> bytes:
        if self.end != "r":
            raise SyscallError(Errno.EBADF)
        return self.pipe.read(td, n, self.nonblocking)

    def write(self, td, data: bytes) -> int:
        if self.end != "w":
            raise SyscallError(Errno.EBADF)
        return self.pipe.write(td, data, self.nonblocking)

    def stat(self) -> Stat:
        p = self.pipe
        return Stat(dev=0, ino=p.ino, nlink=1, mode=S_IFIFO | 0o600, uid=p.uid, gid=p.gid,
                    rdev=0, atime=p.atime, mtime=p.mtime, ctime=p.ctime, birthtime=p.ctime,
                    size=p.count, blksize=p.size)

    def release(self) -> None:
        self.pipe.close_end(self.end)


def make_pipe(kernel, flags: int = 0, owner: tuple[int, int] = (0, 0),
              td=None) -> tuple[PipeFile, PipeFile]:
    """A new pipe: (read end, write end). ``flags`` may hold O_NONBLOCK; the buffer is billed to td's process."""
    pipe = Pipe(kernel, owner=owner, td=td)
    return PipeFile(pipe, "r", flags), PipeFile(pipe, "w", flags)
