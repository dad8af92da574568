"""User contexts (getcontext 421, setcontext 422, swapcontext 423, libc's makecontext).

Golden programs in tests/programs/context/: NAME.expected is what the same
source printed compiled with the host's gcc on Linux (check_native.py context).
A bad pointer is oskit's (and FreeBSD's) own: there setcontext is a system call
and fails with EFAULT, where glibc's, in user space, would crash; so that case
is checked here rather than against Linux.
"""

from pathlib import Path

import pytest
from golden import run_golden

from oskit.kernel.structs import UCONTEXT

HERE = Path(__file__).resolve().parents[1] / "programs" / "context"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))


@pytest.mark.parametrize("harts", [1, 2])
@pytest.mark.parametrize("name", PROGRAMS)
def test_program_matches_unix(name, harts):
    """The program prints on oskit exactly what it printed natively on Linux, on one hart and on two."""
    out, p, k = run_golden(HERE / f"{name}.c", harts=harts)
    assert out == (HERE / f"{name}.expected").read_text()


BAD = r"""
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
int main(void) {
    ucontext_t uc, junk;
    int r;
    errno = 0; r = setcontext((const ucontext_t *)8);
    printf("setcontext(8): %d %s\n", r, errno == EFAULT ? "EFAULT" : strerror(errno));
    errno = 0; r = setcontext((const ucontext_t *)0xffffffffffffff00UL);
    printf("setcontext(kernel address): %d %s\n", r, errno == EFAULT ? "EFAULT" : strerror(errno));
    errno = 0; r = getcontext((ucontext_t *)16);
    printf("getcontext(16): %d %s\n", r, errno == EFAULT ? "EFAULT" : strerror(errno));
    getcontext(&uc);
    errno = 0; r = swapcontext((ucontext_t *)16, &uc);
    printf("swapcontext(16, &uc): %d %s\n", r, errno == EFAULT ? "EFAULT" : strerror(errno));
    memset(&junk, 0, sizeof junk);
    errno = 0; r = setcontext(&junk);
    printf("setcontext(zeroes): %d %s\n", r, errno == EINVAL ? "EINVAL" : strerror(errno));
    printf("sizeof(ucontext_t) %d\n", (int)sizeof(ucontext_t));
    return 0;
}
"""


def test_bad_pointers_are_efault_not_a_crash(tmp_path):
    """setcontext/getcontext/swapcontext on an unmapped or kernel address fail with EFAULT; the kernel lives on."""
    src = tmp_path / "badctx.c"
    src.write_text(BAD)
    out, p, k = run_golden(src)
    assert out.splitlines() == [
        "setcontext(8): -1 EFAULT",
        "setcontext(kernel address): -1 EFAULT",
        "getcontext(16): -1 EFAULT",
        "swapcontext(16, &uc): -1 EFAULT",
        "setcontext(zeroes): -1 EINVAL",
        f"sizeof(ucontext_t) {UCONTEXT.size}",
    ]
    assert p.exit_status == 0
