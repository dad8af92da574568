"""Benchmark: a read forwarded to another machine against the same read done locally.

    python bench/forward.py [--quick]

Starts machine B (``python -m oskit.remote``, a second Python process) with a
file, puts the same file in machine A's own file system, and runs on A a
program that reads the file in chunks of SIZE bytes, once from A's copy and
once from B's (``/b/...``). Prints per read, for each SIZE:

- host microseconds (the Python kernel, the loopback TCP round trip and
  machine B's kernel included);
- messages and bytes on the wire (forwarded only: one request, one reply).

Each figure is the difference between two runs reading N1 and N2 chunks,
divided by N2 - N1, so exec, open and exit cancel out. Both machines are on
this host: the network is loopback TCP, so the figure is the cost of the
marshalling, the two kernels and the sockets, not of a real network.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import oskit
from oskit.kernel.kern.forward import Forwarder
from oskit.toolchain import build

READER = r"""
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
static char buf[65536];
int main(int argc, char **argv) {
    int fd = open(argv[1], O_RDONLY);
    long n = atol(argv[2]), size = atol(argv[3]);
    if (fd < 0) return 1;
    for (long i = 0; i < n; i++)
        if (read(fd, buf, size) != size) return 2;
    return 0;
}
"""


def start_b(data_path: Path):
    proc = subprocess.Popen([sys.executable, "-m", "oskit.remote", "--file", f"/data=@{data_path}"],
                            stdout=subprocess.PIPE, text=True)
    return proc, int(proc.stdout.readline().rsplit(":", 1)[1])


def run(k, path: str, n: int, size: int) -> float:
    """Host seconds of one run of the reader (n reads of size bytes)."""
    p = k.spawn("/bin/reader", ["reader", path, str(n), str(size)])
    started = time.perf_counter()
    k.run(until=p.exited)
    elapsed = time.perf_counter() - started
    if p.exit_status != 0:
        raise RuntimeError(f"reader {path} {n} {size}: exit status {p.exit_status}, {p.stdout!r}")
    return elapsed


def per_read(k, path: str, n1: int, n2: int, size: int, repeat: int = 3) -> float:
    """Host seconds per read: (best run of n2 - best run of n1) / (n2 - n1)."""
    best1 = min(run(k, path, n1, size) for _ in range(repeat))
    best2 = min(run(k, path, n2, size) for _ in range(repeat))
    return (best2 - best1) / (n2 - n1)


def measure(size: int, n1: int, n2: int) -> dict:
    """Per-read figures for chunks of ``size`` bytes: local and forwarded host µs, messages, bytes."""
    data = b"x" * size * n2
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        proc, port = start_b(Path(f.name))
    try:
        k = oskit.boot(programs=False)
        k.trace.enabled = False
        k.install_program("/bin/reader", build({"reader.c": READER}, mode="user").read_bytes())
        k.vfs.install_file("/data", data, mode=0o644)
        fw = Forwarder(k, ("127.0.0.1", port), prefix="/b", keep_log=False)
        run(k, "/data", n1, size)                                   # warm-up: translated blocks
        local = per_read(k, "/data", n1, n2, size)
        forwarded = per_read(k, "/b/data", n1, n2, size)
        st = fw.stats                      # n2 - n1 more reads per pair of runs, 3 pairs
        before = (st.messages, st.bytes_sent + st.bytes_received)
        run(k, "/b/data", n1, size)
        mid = (st.messages, st.bytes_sent + st.bytes_received)
        run(k, "/b/data", n2, size)
        after = (st.messages, st.bytes_sent + st.bytes_received)
        fw.detach()
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    runs = n2 - n1
    return {"size": size, "local_us": local * 1e6, "forwarded_us": forwarded * 1e6,
            "messages": ((after[0] - mid[0]) - (mid[0] - before[0])) / runs,
            "wire_bytes": ((after[1] - mid[1]) - (mid[1] - before[1])) / runs}


def main() -> None:
    quick = "--quick" in sys.argv
    n1, n2 = (50, 250) if quick else (200, 1000)
    print(f"{'bytes/read':>10} {'local µs':>9} {'forwarded µs':>13} {'ratio':>6} {'messages':>9} {'wire bytes':>11}")
    for size in (64, 4096, 65536):
        r = measure(size, n1, n2)
        print(f"{r['size']:>10} {r['local_us']:>9.1f} {r['forwarded_us']:>13.1f} "
              f"{r['forwarded_us'] / r['local_us']:>6.1f} {r['messages']:>9.1f} {r['wire_bytes']:>11.0f}")


if __name__ == "__main__":
    main()
