"""Machine B: a second oskit kernel that carries out system calls forwarded from machine A.

    python -m oskit.remote --port 0 --file /etc/motd="only machine B has this file"

boots its own kernel (its own machine, memory and file system), listens on
127.0.0.1, and prints one line ``oskit-remote listening on 127.0.0.1:PORT``
once it accepts connections. Each client gets a "forwarded-calls" process
of its own on B (its descriptors, its memory: see kern/forward.py's
ForwardSession). One kernel serves them all, one call at a time.

``--exit-on CALL`` makes the server die (exit status 3, no reply) when a
request for CALL arrives: the fault the tests and the chapter use to show
what A sees when B goes away in the middle of a call.
"""

from __future__ import annotations

import os
import socket
import threading

from oskit.kernel.kern.forward import SCRATCH, ForwardSession, WireError, recv_message, send_message
from oskit.kernel.kern.syscall import HANDLERS
from oskit.kernel.kernel import Kernel, boot
from oskit.toolchain import build

# The forwarded-calls process's program: it never runs (its calls come over the
# wire); a process needs an image, and this is the smallest one.
IDLE_PROGRAM = "int main(void) { return 0; }\n"
PROT_READ, PROT_WRITE = 0x1, 0x2
MAP_PRIVATE, MAP_ANON = 0x2, 0x1000


class Server:
    """Machine B: a kernel and a listening socket; ``serve_forever()`` answers clients."""

    def __init__(self, files: dict[str, bytes] | None = None, port: int = 0, exit_on: str = ""):
        self.kernel: Kernel = boot(programs=False)
        for path, data in (files or {}).items():
            parent = path.rsplit("/", 1)[0] or "/"
            self.kernel.vfs.mkdir_p(parent)
            self.kernel.vfs.install_file(path, data, mode=0o644)
        self.kernel.install_program("/sbin/forwarded-calls", build({"forwarded-calls.c": IDLE_PROGRAM},
                                                                     mode="user").read_bytes())
        self.exit_on = exit_on
        self.lock = threading.Lock()            # one kernel: one call at a time, whoever sends it
        self.listener = socket.create_server(("127.0.0.1", port))
        self.address = self.listener.getsockname()

    def session(self) -> ForwardSession:
        """A new forwarded-calls process on B, with no descriptors and a scratch mapping."""
        k = self.kernel
        p = k.spawn("/sbin/forwarded-calls", ["forwarded-calls"])
        for fd, _file in p.fdtable.items():
            p.fdtable.close(fd)                 # stdin/out/err: a client reaches only what it opened
        td = p.main_thread
        scratch = HANDLERS["mmap"].fn(td, 0, SCRATCH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0)
        return ForwardSession(k, td, scratch)

    def serve_client(self, conn: socket.socket) -> None:
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                session = self.session()
            while True:
                try:
                    header, blobs, _n = recv_message(conn)
                except (OSError, WireError):    # the client left (or broke the protocol):
                    with self.lock:             # what it left open on B is closed
                        session.td.proc.fdtable.close_all()
                    return
                if self.exit_on and header.get("call") == self.exit_on:
                    os._exit(3)                 # --exit-on: die mid-call, without a reply
                with self.lock:                 # clients take turns, one call at a time
                    reply, out = session.handle(header, blobs)
                try:
                    send_message(conn, reply, out)
                except OSError:
                    return

    def serve_forever(self) -> None:
        while True:
            conn, _ = self.listener.accept()
            threading.Thread(target=self.serve_client, args=(conn,), daemon=True).start()
