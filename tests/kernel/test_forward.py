"""Forwarded system calls: a process on machine A uses files that only machine B, a second
Python process running its own oskit kernel, has (kern/forward.py, oskit/remote).

The golden program tests/programs/forward/fwdprobe.c prints what each call answers; its
.expected file is what it printed on Linux (x86-64, gcc) with local files. On A the same
program, given paths under /b/, must print the same.
"""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oskit.kernel.errno import Errno
from oskit.kernel.kern.forward import Forwarder, recv_message, send_message
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.kernel import boot
from oskit.toolchain import build

PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "forward"
MOTD = "hello from B\\n"          # as --file takes it: \n is a newline


def start_server(*extra):
    """Machine B as a subprocess; returns (Popen, port)."""
    proc = subprocess.Popen([sys.executable, "-m", "oskit.remote", "--file", f"/etc/motd={MOTD}", *extra],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("oskit-remote listening on "), line
    return proc, int(line.rsplit(":", 1)[1])


def stop(proc):
    proc.kill()
    proc.wait(timeout=10)
    proc.stdout.close()


@pytest.fixture(scope="module")
def machine_b():
    proc, port = start_server()
    yield port
    stop(proc)


@pytest.fixture(scope="module")
def fwdprobe():
    return build([PROGRAMS / "fwdprobe.c"], mode="user", name="fwdprobe").read_bytes()


@pytest.mark.parametrize("harts", [1, 2])
def test_golden_program_on_forwarded_files(machine_b, fwdprobe, harts):
    """open/read/fstat/lseek/write/close of B's file and open of a missing one answer as Linux does locally."""
    k = boot(harts=harts, programs=False)
    k.install_program("/bin/fwdprobe", fwdprobe)
    fw = Forwarder(k, ("127.0.0.1", machine_b), prefix="/b")
    p = k.spawn("/bin/fwdprobe", ["fwdprobe", "/b/etc/motd", "/b/etc/nope"])
    k.run(until=p.exited)
    fw.detach()
    assert p.stdout == (PROGRAMS / "fwdprobe.expected").read_text()
    assert p.exit_status == 0
    calls = [m.header["call"] for m in fw.log if m.direction == "A->B"]
    # EFAULT is found on A before sending (no message); the write is B's EBADF; close goes
    # when the last descriptor does; the missing file's ENOENT comes from B.
    assert calls == ["open", "read", "fstat", "lseek", "read", "write", "close", "open"]
    replies = [m.header.get("errno") for m in fw.log if m.direction == "B->A"]
    assert replies == [0, 0, 0, 0, 0, int(Errno.EBADF), 0, int(Errno.ENOENT)]


def test_cat_reads_a_file_only_b_has(machine_b):
    """cat on A prints B's file; A's own /etc/motd does not exist."""
    k = boot()
    fw = Forwarder(k, ("127.0.0.1", machine_b), prefix="/b")
    p = k.spawn("/bin/cat", ["cat", "/b/etc/motd"])
    k.run(until=p.exited)
    assert (p.stdout, p.exit_status) == ("hello from B\n", 0)
    q = k.spawn("/bin/cat", ["cat", "/etc/motd"])             # not forwarded: A's file system
    k.run(until=q.exited)
    assert "No such file or directory" in q.stdout and q.exit_status == 1
    fw.detach()


def test_each_client_has_its_own_descriptors(machine_b):
    """B's descriptor numbers belong to the client that opened them: another client gets EBADF."""
    k1, k2 = boot(programs=False), boot(programs=False)
    a = Forwarder(k1, ("127.0.0.1", machine_b))
    b = Forwarder(k2, ("127.0.0.1", machine_b))
    fd, _ = a.call_remote("open", [{"string": "/etc/motd"}, 0, 0])
    rv, (data,) = a.call_remote("read", [fd, {"out": 5}, 5])
    assert (rv, data) == (5, b"hello")
    with pytest.raises(SyscallError) as e:
        b.call_remote("read", [fd, {"out": 5}, 5])
    assert e.value.errno == Errno.EBADF
    a.detach()
    b.detach()


def test_server_refuses_calls_it_does_not_carry(machine_b):
    """A request for a call outside the forwarded set (kill) is ENOSYS, not run on B."""
    fw = Forwarder(boot(programs=False), ("127.0.0.1", machine_b))
    with pytest.raises(SyscallError) as e:
        fw.call_remote("kill", [1, 9])
    assert e.value.errno == Errno.ENOSYS
    fw.detach()


def test_garbage_on_the_wire_does_not_hurt_b(machine_b):
    """A peer that sends a bogus header is dropped; B goes on serving others."""
    with socket.create_connection(("127.0.0.1", machine_b), timeout=5) as s:
        s.sendall(b"\xff\xff\xff\xffnot json")
        try:
            assert s.recv(1) == b""                           # B closed this connection...
        except ConnectionResetError:
            pass                                              # ...with our bytes unread
    with socket.create_connection(("127.0.0.1", machine_b), timeout=5) as s:
        send_message(s, {"seq": 1, "call": "open", "args": [{"blob": 0}, 0, 0]}, [b"/etc/motd"])
        header, _, _ = recv_message(s)
        assert header["errno"] == 0


def test_b_dying_mid_call_is_eio_not_a_hang(fwdprobe):
    """B exits when the read arrives: A's read fails with EIO at once, and every later forwarded call too."""
    proc, port = start_server("--exit-on", "read")
    try:
        k = boot(programs=False)
        k.install_program("/bin/fwdprobe", fwdprobe)
        fw = Forwarder(k, ("127.0.0.1", port), timeout=5)
        p = k.spawn("/bin/fwdprobe", ["fwdprobe", "/b/etc/motd", "/b/etc/nope"])
        started = time.monotonic()
        k.run(until=p.exited)
        assert time.monotonic() - started < 5                  # the closed socket is seen at once
        out = p.stdout.splitlines()
        assert out[0] == "open: ok"
        assert out[2] == "read: -1 \"\""                       # read(fd, buf, 5): EIO
        assert out[-1] == "open missing: -1 (Input/output error)"
        assert p.exit_status == 0
        assert proc.wait(timeout=10) == 3
        assert "closed the connection" in fw.broken
    finally:
        stop(proc)


def test_a_call_that_would_sleep_on_b_is_eagain(machine_b):
    """A read of B's console would wait for typing: B refuses it with EAGAIN and goes on serving."""
    fw = Forwarder(boot(programs=False), ("127.0.0.1", machine_b))
    fd, _ = fw.call_remote("open", [{"string": "/dev/console"}, 0, 0])
    for _ in range(2):                                   # B's thread is not left asleep
        with pytest.raises(SyscallError) as e:
            fw.call_remote("read", [fd, {"out": 8}, 8])
        assert e.value.errno == Errno.EAGAIN and "would sleep" in e.value.message
    assert fw.call_remote("close", [fd]) == (0, [])
    fw.detach()


def test_detach_gives_back_a_replacement_that_was_there(machine_b):
    """A Forwarder runs a lab's replacement read for local descriptors, and puts it back on detach."""
    from oskit.kernel.kern.syscall import HANDLERS, Handler
    k = boot()
    k.vfs.install_file("/tmp/local", b"mine\n", mode=0o644)
    seen = []

    def counting_read(td, fd, buf, nbyte):
        seen.append(fd)
        return HANDLERS["read"].fn(td, fd, buf, nbyte)

    mine = Handler("read", counting_read, 3)
    k.sysent["read"] = mine
    fw = Forwarder(k, ("127.0.0.1", machine_b))
    assert k.sysent["read"] is not mine
    p = k.spawn("/bin/cat", ["cat", "/tmp/local", "/b/etc/motd"])
    k.run(until=p.exited)
    assert p.stdout == "mine\nhello from B\n"
    assert seen == [3, 3]                                # the local file's reads only: B's went to B
    fw.detach()
    assert k.sysent["read"] is mine and "open" not in k.sysent


def test_ls_of_a_directory_on_b(machine_b):
    """ls -l /b/etc (fstatat, open, getdirentries, fstatat per name, all forwarded) prints what
    ls -l prints on A for a local directory holding the same file."""
    k = boot()
    k.vfs.mkdir_p("/etc2")
    k.vfs.install_file("/etc2/motd", b"hello from B\n", mode=0o644)
    fw = Forwarder(k, ("127.0.0.1", machine_b))
    remote = k.spawn("/bin/ls", ["ls", "-l", "/b/etc"])
    k.run(until=remote.exited)
    local = k.spawn("/bin/ls", ["ls", "-l", "/etc2"])
    k.run(until=local.exited)
    fw.detach()
    assert (remote.stdout, remote.exit_status) == (local.stdout, 0)
    assert "motd" in remote.stdout
    assert {"fstatat", "getdirentries"} <= {m.header["call"] for m in fw.log if m.direction == "A->B"}


def test_getdirentries_basep_comes_back_even_at_the_end(machine_b):
    """getdirentries returns 0 at the end of a directory and still writes *basep (an _Out_ object)."""
    fw = Forwarder(boot(programs=False), ("127.0.0.1", machine_b))
    fd, _ = fw.call_remote("open", [{"string": "/etc"}, 0, 0])
    total = 0
    while True:
        rv, (entries, basep) = fw.call_remote("getdirentries", [fd, {"out": 4096}, 4096, {"out": 8}])
        assert len(entries) == rv and len(basep) == 8
        if rv == 0:
            break
        total += rv
    assert int.from_bytes(basep, "little") > 0 and total > 0   # the end's offset, past the entries
    fw.detach()


def test_a_silent_b_is_eio_after_the_timeout():
    """A peer that accepts the connection and never answers: the call fails with EIO after `timeout`."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        fw = Forwarder(boot(programs=False), silent.getsockname(), timeout=0.5)
        started = time.monotonic()
        with pytest.raises(SyscallError) as e:
            fw.call_remote("open", [{"string": "/etc/motd"}, 0, 0])
        assert e.value.errno == Errno.EIO and "timed out" in e.value.message
        assert 0.4 < time.monotonic() - started < 5
        fw.detach()


def test_b_answers_nonsense_arguments_with_einval(machine_b):
    """Wrong argument counts, a negative out-buffer, a scalar that is not a number: EINVAL, B lives on."""
    with socket.create_connection(("127.0.0.1", machine_b), timeout=5) as s:
        for args in ([1], [0, {"out": -5}, 5], [{"x": 1}, {"out": 5}, 5], [0, {"blob": 3}, 1]):
            send_message(s, {"seq": 1, "call": "read", "args": args})
            header, _, _ = recv_message(s)
            assert header["errno"] == int(Errno.EINVAL), (args, header)
        send_message(s, {"seq": 2, "call": "open", "args": [{"blob": 0}, 0, 0]}, [b"/etc/motd"])
        assert recv_message(s)[0]["errno"] == 0
