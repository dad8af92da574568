"""Host memory: guest RAM costs only what the guest touched, and a dropped kernel gives it back.

Each check runs in a fresh Python process, so what it measures is what a reader's notebook
kernel would see (this test process has other kernels and caches of its own).
"""

from __future__ import annotations

import subprocess
import sys

# VmHWM, the peak resident size of this process's own memory. Not getrusage's ru_maxrss: that
# also counts the memory of the process it was started from (the test runner, which vfork()ed it).
BOOT_AND_ECHO = """
import oskit
k = oskit.boot()
p = k.spawn("/bin/echo", ["echo", "hi"])
k.run(until=p.exited)
assert p.stdout == "hi\\n", p.stdout
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) // 1024)
"""

MANY_KERNELS = """
import oskit
def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 // 2**20
seen = []
for i in range(40):
    k = oskit.boot()
    p = k.spawn("/bin/echo", ["echo", str(i)])
    k.run(until=p.exited)
    assert p.stdout == f"{i}\\n"
    k = p = None              # dropped, as a notebook drops the kernel a cell booted before
    seen.append(rss_mib())
print(seen[9], seen[-1])
"""


def run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_a_booted_kernel_costs_the_ram_it_touched_not_all_of_it():
    """128 MiB of guest RAM; booting and running /bin/echo touches a few MiB of it.

    Measured once the programs are built and cached (the first boot after a change to the
    kernel's or libc's sources compiles them, once per install, and that takes more).
    """
    run("import oskit; oskit.boot(); print(0)")          # make sure the build cache is warm
    (peak,) = run(BOOT_AND_ECHO)
    assert int(peak) < 100, f"boot + /bin/echo peaked at {peak} MiB"   # 178 MiB when RAM was a bytearray


def test_kernels_booted_one_after_another_do_not_pile_up():
    """40 kernels booted and dropped in a loop: the process stays as big as after the first 10."""
    after_10, after_40 = map(int, run(MANY_KERNELS))
    assert after_40 <= after_10 + 24, f"{after_10} MiB after 10 kernels, {after_40} MiB after 40"
