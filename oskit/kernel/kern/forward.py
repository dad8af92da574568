"""Forwarding system calls to a kernel on another machine: a stub as a remote procedure call.

A libc stub already *marshals* a call: it puts the number in t0 and the
arguments in a0-a7, and ``ecall`` carries them to the kernel. Here the same
call goes one step further, to a second machine, as an RPC:

    machine A (this kernel)                         machine B (another Python process)
    process: read(3, buf, 64)                       server (oskit/remote): one "forwarded-calls"
      ecall -> syscallenter -> k.sysent["read"]       process per client, its own descriptors
        fd 3 is a RemoteFile: forward               |
        marshal: copyin the in-args (EFAULT here)   |
        ── request {"call": "read", "args": [5, {"out": 64}, 64]} ──>
                                                    copy in-args into the process's memory,
                                                    set t0/a0-a7, syscallenter on B: the real
                                                    read() runs there, copyout into B's memory
        <── reply {"rv": 12, "errno": 0} + 12 bytes ──
        copyout the 12 bytes into buf on A
      sret: a0 = 12, as for a local read

What each argument carries comes from syscalls.master's annotations
(``_Out_writes_bytes_(nbyte) void *buf``), through the generated
``syscalls_marshal.MARSHAL``: nothing here knows read() by hand.

Which calls go: ``open``/``openat`` of a path under the mount prefix (say
``/b/etc/motd`` -> B's ``/etc/motd``) are forwarded and give a local
descriptor that holds a ``RemoteFile`` (B's descriptor number); ``fstatat``
and ``access`` of such a path are forwarded as they are; ``read``,
``write``, ``lseek``, ``fstat``, ``getdirentries`` on such a descriptor are
forwarded; everything else runs locally, so ``cat`` reads B's file and writes
A's console. ``close`` is local, and the last close of a RemoteFile (close,
exit, or the last of several dup'ed or inherited descriptors) sends one
``close`` to B, as an open file's release does.

Where errors come from, so a program sees what a local call would give:

- EFAULT is found on A, *before* anything is sent: in-buffers and strings are
  copied in, and every out-buffer is checked writable (its bytes read and
  written back unchanged). A bad buffer thus costs no message and, as for a
  local read, does not move the file offset on B. The check is stricter than a
  local call in one case: a local read checks only the bytes it returns, so
  ``read(fd, buf, 4096)`` with buf 10 bytes from the end of the mapping works
  locally on a 10-byte file; forwarded, A checks all 4096 bytes and says EFAULT.
  And the order of checks differs: a ``write`` from a bad buffer to a read-only
  descriptor is EBADF locally (the descriptor is checked first), EFAULT here
  (A checks the memory before B sees the descriptor).
- Every other errno (EBADF, ENOENT, EISDIR...) is B's kernel's answer, sent back.
- If B goes away (the connection closes, or no answer within ``timeout``
  seconds) the call fails with EIO, and so does every later forwarded call.

Wire format (both directions, documented so that a message can be read on
screen): a 4-byte big-endian length, a JSON header of that many bytes, then
the raw bytes of each blob listed, in order, in the header's ``"blobs"``
(their lengths)::

    request  {"seq": 1, "call": "read", "args": [5, {"out": 64}, 64], "blobs": []}
    request  {"seq": 2, "call": "open", "args": [{"blob": 0}, 0, 0], "blobs": [9]} + b"/etc/motd"
    reply    {"seq": 1, "rv": 12, "errno": 0, "error": "", "blobs": [12]} + 12 bytes

Argument encodings: a number; ``{"blob": i}`` (in_string, in_bytes,
in_object: blob i); ``{"out": n}`` (out_bytes, out_object: B allocates n
bytes); ``null`` (an optional pointer that was NULL). A reply carries one
blob per out-argument, in argument order.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from dataclasses import dataclass, field

from oskit.kernel.errno import Errno
from oskit.kernel.fs.file import O_CREAT, File
from oskit.kernel.fs.sys_file import AT_FDCWD, MAXIO
from oskit.kernel.fs.vfs import PATH_MAX
from oskit.kernel.kern import subr_syscall, syscalls_table
from oskit.kernel.kern.proc import ThreadState
from oskit.kernel.kern.syscall import HANDLERS, Handler, SyscallError
from oskit.kernel.kern.syscalls_marshal import MARSHAL
from oskit.kernel.riscv.copyinout import copyin, copyinstr, copyout

#: The calls a Forwarder replaces in k.sysent: opened by path, or used on a RemoteFile.
BY_PATH = ("open", "openat", "fstatat", "access")
BY_FD = ("read", "write", "lseek", "fstat", "getdirentries")
LENGTH = struct.Struct(">I")             # the 4-byte length before each JSON header
MAX_HEADER = 1 << 16                     # a longer header is a broken peer, not a message


# -- the wire --------------------------------------------------------------------------

class WireError(Exception):
    """The peer closed the connection, sent garbage, or did not answer in time."""


def send_message(sock: socket.socket, header: dict, blobs: list[bytes] = ()) -> int:
    """Send one message; returns the bytes it took on the wire."""
    header = dict(header, blobs=[len(b) for b in blobs])
    raw = json.dumps(header, separators=(",", ":")).encode()
    data = LENGTH.pack(len(raw)) + raw + b"".join(blobs)
    sock.sendall(data)
    return len(data)


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 16))
        if not chunk:
            raise WireError(f"the peer closed the connection ({got} of {n} bytes received)")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def recv_message(sock: socket.socket) -> tuple[dict, list[bytes], int]:
    """Receive one message: (header, blobs, bytes it took on the wire)."""
    (n,) = LENGTH.unpack(_recv_exactly(sock, LENGTH.size))
    if n > MAX_HEADER:
        raise WireError(f"a header of {n} bytes (at most {MAX_HEADER}): not an oskit peer")
    try:
        header = json.loads(_recv_exactly(sock, n))
        sizes = [int(s) for s in header["blobs"]]
    except (ValueError, KeyError, TypeError) as e:
        raise WireError(f"a malformed header: {e}") from None
    if any(s < 0 or s > MAXIO + PATH_MAX for s in sizes):
        raise WireError(f"blob sizes out of range: {sizes}")
    blobs = [_recv_exactly(sock, s) for s in sizes]
    return header, blobs, LENGTH.size + n + sum(sizes)


# -- machine A: the client side -------------------------------------------------------

@dataclass
class Message:
    """One message of the log: which way it went, its header, and its size on the wire."""

    direction: str              # "A->B" or "B->A"
    header: dict
    blobs: list[bytes]
    wire_bytes: int

    def __str__(self) -> str:
        shown = {k: v for k, v in self.header.items() if k != "blobs"}
        data = " + ".join(repr(b[:24]) + ("..." if len(b) > 24 else "") for b in self.blobs)
        return f"{self.direction} {json.dumps(shown)}" + (f" + {data}" if data else "") \
            + f"  ({self.wire_bytes} bytes)"


class RemoteFile(File):
    """A descriptor on A whose open file lives on machine B, as B's descriptor ``remote_fd``.

    Only the forwarded calls use it; a local call that reaches it (ioctl, a
    pipe-like use) gets the File defaults (EINVAL, ESPIPE, ENOTTY).
    """

    kind = "remote"

    def __init__(self, forwarder: "Forwarder", remote_fd: int, flags: int, path: str):
        super().__init__(flags)
        self.forwarder = forwarder
        self.remote_fd = remote_fd
        self.path = path

    def describe(self) -> str:
        return f"remote {self.path} (fd {self.remote_fd} on {self.forwarder.peer})"

    def release(self) -> None:
        """The last descriptor on A went: close B's descriptor (a failure is only logged)."""
        try:
            self.forwarder.call_remote("close", [self.remote_fd])
        except SyscallError:
            pass


@dataclass
class ForwardStats:
    """What forwarding cost: calls, messages and bytes each way, host seconds waiting."""

    calls: int = 0
    messages: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    seconds: float = 0.0
    by_call: dict = field(default_factory=dict)


class Forwarder:
    """Machine A's end: forward the file calls on paths under ``prefix`` to the server at ``address``.

    ``Forwarder(k, ("127.0.0.1", port), prefix="/b")`` connects and installs
    its handlers in ``k.sysent``; ``detach()`` takes them out and closes the
    connection. ``log`` holds every message (``keep_log=False`` for benchmarks).
    """

    def __init__(self, kernel, address, prefix: str = "/b", timeout: float = 10.0, keep_log: bool = True):
        if not prefix.startswith("/") or prefix.endswith("/"):
            raise ValueError(f"Forwarder: prefix must look like '/b' (absolute, no trailing /), found {prefix!r}")
        self.kernel = kernel
        self.prefix = prefix
        self.peer = f"{address[0]}:{address[1]}"
        self.keep_log = keep_log
        self.log: list[Message] = []
        self.stats = ForwardStats()
        self.broken = ""                    # why the connection is unusable ("" while it works)
        self.seq = 0
        self.sock = socket.create_connection(address, timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)   # small messages go at once
        # What ran these calls before (a lab's replacement, or nothing: the built-in handler):
        # it still runs every call that is not forwarded, and comes back on detach().
        self.previous = {name: kernel.sysent.get(name) for name in BY_PATH + BY_FD}
        for name in BY_PATH + BY_FD:
            kernel.sysent[name] = Handler(name, self._handler(name), HANDLERS[name].nargs)

    def detach(self) -> None:
        """Give the kernel its previous handlers back and close the connection."""
        for name, handler in self.previous.items():
            if handler is None:
                self.kernel.sysent.pop(name, None)
            else:
                self.kernel.sysent[name] = handler
        self.sock.close()
        self.broken = self.broken or "detached"

    # The handler that k.sysent runs for `name`: forward, or run the local handler.
    def _handler(self, name: str):
        local = (self.previous[name] or HANDLERS[name]).fn

        def forwarded(td, *args):
            if name in ("open", "openat"):
                return self._open(td, name, local, args)
            if name in BY_PATH:
                return self._by_path(td, name, local, args)
            file = _file_or_none(td, args[0])
            if not isinstance(file, RemoteFile):
                return local(td, *args)
            return self.call(td, name, (file.remote_fd,) + tuple(args[1:]))

        forwarded.__name__ = f"forwarded_{name}"
        forwarded.__qualname__ = f"Forwarder.forwarded_{name}"
        return forwarded

    def _remote_path(self, td, name: str, args) -> str | None:
        """The path on B if this call names a path under the prefix (absolute, or AT_FDCWD), else None."""
        wire = MARSHAL[name]
        at = next(i for i, w in enumerate(wire) if w.kind == "in_string")
        if at > 0 and wire[0].name == "fd" and args[0] != AT_FDCWD:
            return None                                           # relative to a descriptor: local
        path = copyinstr(td, args[at], PATH_MAX)                  # EFAULT / ENAMETOOLONG on A
        if path != self.prefix and not path.startswith(self.prefix + "/"):
            return None
        return path[len(self.prefix):] or "/"

    def _by_path(self, td, name: str, local, args):
        """fstatat/access of a path under the prefix: forward with B's path."""
        remote_path = self._remote_path(td, name, args)
        if remote_path is None:
            return local(td, *args)
        return self.call(td, name, args, strings={"path": remote_path})

    def _open(self, td, name: str, local, args):
        """open/openat: forward a path under the prefix; the result is a new local descriptor."""
        path_arg = 0 if name == "open" else 1
        remote_path = self._remote_path(td, name, args)
        if remote_path is None:
            return local(td, *args)
        path = self.prefix + remote_path.rstrip("/")
        fdt = td.proc.fdtable
        fdt.lowest_free()                                        # EMFILE before B opens anything
        flags = args[path_arg + 1]
        # open's mode is a variadic argument, read only with O_CREAT: otherwise a0-a7 hold
        # whatever was there, and B need not see it.
        mode = args[path_arg + 2] if flags & O_CREAT else 0
        remote_fd = self.call_remote("open", [{"string": remote_path}, flags, mode])[0]
        return fdt.alloc(RemoteFile(self, remote_fd, flags, path))

    def call(self, td, name: str, args: tuple, strings: dict | None = None) -> int:
        """Forward one call made by thread td on A: marshal, send, wait, copy the results out.

        ``strings``: string arguments already read (a path with the prefix taken off).
        """
        wire = MARSHAL[name]
        values = {w.name: args[i] for i, w in enumerate(wire)}
        sent: list = []
        outs: list[tuple[int, int]] = []            # (address on A, size) per out-argument
        for w, value in zip(wire, args):
            if w.kind == "scalar":
                sent.append(value)
            elif value == 0 and w.optional:
                sent.append(None)
            elif w.kind == "in_string":
                text = (strings or {}).get(w.name)
                sent.append({"string": copyinstr(td, value, PATH_MAX) if text is None else text})
            else:
                size = min(values[w.size], MAXIO) if isinstance(w.size, str) else w.size
                if w.kind.startswith("in_"):
                    sent.append({"bytes": copyin(td, value, size)})
                else:
                    copyout(td, value, copyin(td, value, size))   # writable? (unchanged if so)
                    sent.append({"out": size})
                    outs.append((value, size))
        rv, out_blobs = self.call_remote(name, sent)
        for (addr, _size), data in zip(outs, out_blobs):
            copyout(td, addr, data)
        return rv

    def call_remote(self, name: str, args: list) -> tuple[int, list[bytes]]:
        """Send ``name(args)`` to B and wait: (result, out-blobs), or SyscallError(B's errno / EIO).

        args: numbers, None, {"string": str}, {"bytes": b}, {"out": n}.
        """
        if self.broken:
            raise SyscallError(Errno.EIO, f"machine B at {self.peer} is unreachable: {self.broken}")
        blobs: list[bytes] = []
        encoded = []
        for a in args:
            if isinstance(a, dict) and ("string" in a or "bytes" in a):
                blobs.append(a["string"].encode() if "string" in a else a["bytes"])
                encoded.append({"blob": len(blobs) - 1})
            else:
                encoded.append(a)
        self.seq += 1
        request = {"seq": self.seq, "call": name, "args": encoded}
        started = time.perf_counter()
        try:
            n = send_message(self.sock, request, blobs)
            self._record("A->B", dict(request, blobs=[len(b) for b in blobs]), blobs, n)
            reply, out_blobs, m = recv_message(self.sock)
        except (OSError, WireError) as e:
            self.broken = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
            self.sock.close()                       # a half-read reply cannot be resynchronised
            self._record("B->A", {"seq": self.seq, "lost": self.broken}, [], 0)
            raise SyscallError(Errno.EIO, f"{name} forwarded to {self.peer}: {self.broken}") from None
        self._record("B->A", reply, out_blobs, m)
        st = self.stats
        st.calls += 1
        st.messages += 2
        st.bytes_sent += n
        st.bytes_received += m
        st.seconds += time.perf_counter() - started
        st.by_call[name] = st.by_call.get(name, 0) + 1
        if reply.get("errno"):
            raise SyscallError(reply["errno"], f"on {self.peer}: {reply.get('error', '')}")
        return reply["rv"], out_blobs

    def _record(self, direction: str, header: dict, blobs: list[bytes], n: int) -> None:
        if self.keep_log:
            self.log.append(Message(direction, header, list(blobs), n))

    def show_log(self, last: int | None = None) -> str:
        """The message log, one line per message (the last ``last`` ones)."""
        return "\n".join(str(m) for m in self.log[-last if last else 0:])


def _file_or_none(td, fd: int):
    fdt = td.proc.fdtable
    return fdt.slots[fd] if 0 <= fd < len(fdt.slots) else None


# -- machine B: the server side -------------------------------------------------------

SCRATCH = MAXIO + 4 * PATH_MAX + 4096          # one call's in/out memory in the forwarded-calls process


class ForwardSession:
    """Machine B's end of one client: a process of B's kernel whose system calls arrive as messages.

    ``td`` is that process's thread. It never runs instructions: it owns
    descriptors (its own table: a client sees only what it opened) and a
    scratch mapping where each call's arguments are placed, so that B's
    real handlers copy in and out of real user memory. ``handle(header,
    blobs)`` runs one request through B's ``syscallenter`` and returns the
    reply (header, blobs).
    """

    def __init__(self, kernel, td, scratch: int):
        self.kernel = kernel
        self.td = td
        self.scratch = scratch

    def handle(self, header: dict, blobs: list[bytes]) -> tuple[dict, list[bytes]]:
        seq = header.get("seq")
        name = header.get("call")
        wire = MARSHAL.get(name)
        if wire is None or name not in BY_PATH + BY_FD + ("close",):
            return {"seq": seq, "rv": -1, "errno": int(Errno.ENOSYS),
                    "error": f"{name!r} is not a call this server carries"}, []
        args = header.get("args", [])
        if len(args) != len(wire):
            return {"seq": seq, "rv": -1, "errno": int(Errno.EINVAL),
                    "error": f"{name} takes {len(wire)} arguments, the request has {len(args)}"}, []
        td = self.td
        regs, outs, at = [], [], self.scratch
        try:
            for w, a in zip(wire, args):
                if w.kind == "scalar":
                    regs.append(int(a) & (2**64 - 1))
                elif a is None:
                    regs.append(0)
                elif "blob" in a:
                    data = blobs[a["blob"]] + (b"\0" if w.kind == "in_string" else b"")
                    copyout(td, at, data)
                    regs.append(at)
                    at += (len(data) + 7) & ~7
                else:
                    size = int(a["out"])
                    if not 0 <= size <= SCRATCH:
                        raise ValueError(f"an out-buffer of {size} bytes")
                    regs.append(at)
                    outs.append((at, size, w.kind))
                    at += (size + 7) & ~7
                if at > self.scratch + SCRATCH:
                    raise SyscallError(Errno.E2BIG, "the arguments do not fit the scratch memory")
        except (SyscallError, KeyError, IndexError, TypeError, ValueError) as e:
            error = e.errno if isinstance(e, SyscallError) else Errno.EINVAL
            return {"seq": seq, "rv": -1, "errno": int(error), "error": f"bad request: {e}"}, []
        error, rv, why = self._syscall(syscalls_table.BY_NAME[name].number, regs)
        if error:
            return {"seq": seq, "rv": -1, "errno": error, "error": why or Errno(error).name}, []
        info = syscalls_table.BY_NAME[name]
        counted = info.ret == "ssize_t"                 # read-like: it wrote as many bytes as it returns
        out_blobs = [copyin(td, addr, min(size, rv) if counted and kind == "out_bytes" else size)
                     for addr, size, kind in outs]
        return {"seq": seq, "rv": rv, "errno": 0, "error": ""}, out_blobs

    def _syscall(self, number: int, regs: list[int]) -> tuple[int, int, str]:
        """Run system call ``number`` on B as an ``ecall`` of this process would: (errno, result, why).

        A call that would sleep (a read of B's console) is not carried: its sleep is
        undone and it fails with EAGAIN, since the server answers one call at a time.
        """
        td, f = self.td, self.td.frame
        saved_pc, saved_state = f.sepc, td.state
        f.t0 = number
        for reg, value in zip(("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"), regs):
            setattr(f, reg, value)
        td.state = ThreadState.RUNNING              # in the kernel, on B's behalf
        subr_syscall.syscallenter(self.kernel, td)
        if td.pending is not None:                  # it went to sleep: a call that waits is not carried
            self.kernel.sched.sleepers.get(td.wchan, []).remove(td)
            td.wchan, td.pending = None, None
            td.state, f.sepc = saved_state, saved_pc
            return int(Errno.EAGAIN), -1, "EAGAIN: the call would sleep on machine B; calls that wait are not carried"
        td.state, f.sepc = saved_state, saved_pc
        if f.t0:
            return int(f.a0), -1, ""
        value = f.a0
        return 0, value - (1 << 64) if value >> 63 else value, ""
