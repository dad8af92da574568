"""Kernel declares every part it has in its constructor: nothing is attached to it later."""

import oskit
from oskit.kernel.kernel import Kernel
from oskit.lab import weaknesses
from oskit.machine.machine import Machine
from oskit.toolchain import build


def test_a_kernel_that_ran_everything_has_only_the_parts_its_constructor_made():
    """Boot, run programs, fork, attach the lab and switch every weakness on: no new attribute appears."""
    declared = set(vars(Kernel(Machine(ram_mib=16))))
    k = oskit.boot(programs=False)
    k.install_program("/bin/fork", build({"fork.c": "#include <unistd.h>\n#include <sys/wait.h>\n"
                                          "int main(void){ if (fork()==0) _exit(3); int s; wait(&s);"
                                          " return WEXITSTATUS(s); }\n"}, mode="user", name="forkwait").read_bytes())
    p = k.spawn("/bin/fork")
    k.run(until=p.exited)
    assert p.exit_status == 3
    lab = weaknesses.attach(k)
    for name in weaknesses.WEAKNESSES:
        lab.enable(name)
    assert set(vars(k)) == declared, sorted(set(vars(k)) ^ declared)
    assert k.lab is lab


def test_a_kernel_without_the_lab_has_none():
    """oskit.boot() without weaknesses attaches no lab: k.lab is None and no weakness is active."""
    k = oskit.boot(programs=False)
    assert k.lab is None and not weaknesses.active(k, "smap_off")
