"""Benchmark: aio throughput against read/write on the same file, on oskit's kernel.

    python bench/aio.py [--quick]

Writes then reads back N blocks of 4 KiB (default 64) in a file of the in-memory
file system, three ways:

- sync:    pwrite-style lseek + write, then lseek + read, one block per call;
- aio:     N aio_write queued at once, then each waited for (aio_suspend) and
           collected (aio_return); then the same with aio_read;
- aio-1:   one aio request at a time (submit, wait, collect), the worst case.

For each: bytes per *guest* second (the machine's clock, instructions plus the
kernel's work as billed by kern/ktime.py: what a program on the machine would
measure) and bytes per *host* second (wall time of the Python emulator). Each
figure is the difference between a run with N blocks and one with 0 blocks, so
boot, exec and exit cancel out; every run uses its own fresh kernel on one hart
after a warm-up (the programs are compiled once). Guest figures are the same on
every run; host figures take the fastest of three runs.
"""

from __future__ import annotations

import sys
import time

import oskit
from oskit.toolchain import build

PROGRAM = r"""
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define B 4096
static char blocks[64][B];
static struct aiocb cbs[64];
static void wait_one(struct aiocb *cb) {
    const struct aiocb *l[1] = { cb };
    while (aio_error(cb) == EINPROGRESS) aio_suspend(l, 1, NULL);
}
int main(int argc, char **argv) {
    int mode = atoi(argv[1]), n = atoi(argv[2]);
    int fd = open("/tmp/bench", O_RDWR | O_CREAT | O_TRUNC, 0644);
    for (int i = 0; i < n; i++) memset(blocks[i], 'a' + i % 26, B);
    for (int pass = 0; pass < 2; pass++) {          /* 0: write, 1: read back */
        if (mode == 0) {
            for (int i = 0; i < n; i++) {
                lseek(fd, (off_t)i * B, SEEK_SET);
                if (pass == 0) write(fd, blocks[i], B); else read(fd, blocks[i], B);
            }
            continue;
        }
        for (int i = 0; i < n; i++) {
            memset(&cbs[i], 0, sizeof cbs[i]);
            cbs[i].aio_fildes = fd; cbs[i].aio_buf = blocks[i];
            cbs[i].aio_nbytes = B; cbs[i].aio_offset = (off_t)i * B;
            if (pass == 0) aio_write(&cbs[i]); else aio_read(&cbs[i]);
            if (mode == 2) { wait_one(&cbs[i]); aio_return(&cbs[i]); }
        }
        if (mode == 1)
            for (int i = 0; i < n; i++) { wait_one(&cbs[i]); aio_return(&cbs[i]); }
    }
    return 0;
}
"""
MODES = {0: "sync read/write", 1: "aio, all queued", 2: "aio, one at a time"}


def run(elf: bytes, mode: int, n: int) -> tuple[int, float]:
    """(machine ticks, host seconds) of one run of the program on a fresh one-hart kernel."""
    k = oskit.boot(programs=False)
    k.install_program("/bin/bench", elf)
    p = k.spawn("/bin/bench", ["bench", str(mode), str(n)])
    t0, m0 = time.perf_counter(), k.machine.clint.mtime
    k.run(until=p.exited, max_instructions=500_000_000)
    assert p.exit_status == 0, p.exit_reason
    return k.machine.clint.mtime - m0, time.perf_counter() - t0


def main(argv: list[str]) -> int:
    n = 16 if "--quick" in argv else 64
    elf = build({"bench.c": PROGRAM}, mode="user", name="aiobench").read_bytes()
    run(elf, 1, 2)                                  # warm-up
    hz = oskit.boot(programs=False).timebase_hz
    moved = 2 * n * 4096                            # written, then read back
    print(f"{n} x 4 KiB written and read back ({moved // 1024} KiB moved), one hart")
    print(f"{'':22} {'guest ms':>9} {'guest MB/s':>11} {'host s':>7} {'host MB/s':>10}")
    for mode, name in MODES.items():
        # guest time is deterministic; host time is the best of three (the machine is shared)
        (ticks1, host1), (ticks0, host0) = (min((run(elf, mode, m) for _ in range(3)), key=lambda r: r[1])
                                            for m in (n, 0))
        ticks, host = ticks1 - ticks0, host1 - host0
        gsec = ticks / hz
        print(f"{name:22} {gsec * 1e3:9.3f} {moved / gsec / 1e6:11.2f} {host:7.3f} {moved / host / 1e6:10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
