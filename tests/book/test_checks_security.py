"""The exercise checks of chapters 8-10 (oskit/book/checks_security.py) tell right from wrong, and why."""

import pytest

import oskit
from oskit.book import checks_security as checks
from oskit.kernel.riscv import copyinout as uio
from oskit.lab import weaknesses
from oskit.magic import compile_into

EUID_EXPLOIT = r"""
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>
struct lab_kaddr { uint64_t lk_proc, lk_ucred; };
#define LABIOC_KADDR _IOR('L', 3, struct lab_kaddr)
int main(void) {
    struct lab_kaddr ka;
    int lab = open("/dev/lab", O_RDWR);
    ioctl(lab, LABIOC_KADDR, &ka);
    int zero = open("/dev/zero", O_RDONLY);
    read(zero, (void *)(ka.lk_ucred + 4), LENGTH);
    return 0;
}
"""

RIGHT_RULES = {"U-mode load": True, "S-mode load, SUM=0": False, "S-mode load, SUM=1": True,
               "S-mode store, SUM=1": True, "S-mode fetch, SUM=0": False, "S-mode fetch, SUM=1": False}


@pytest.fixture(scope="module")
def k():
    """One kernel for the module (the exploit checks install their programs into it)."""
    return oskit.boot(programs=False)


def test_padding_bytes_right_and_wrong():
    """struct lab_info's 13 padding bytes pass; a set missing the tail padding names those bytes."""
    assert checks.padding_offsets() == set(range(1, 8)) | set(range(18, 24))
    assert checks.check_padding_bytes(set(range(1, 8)) | set(range(18, 24))).ok
    v = checks.check_padding_bytes(set(range(1, 8)) | {8})
    assert not v.ok and "8 belong to a field" in repr(v) and "18-23 are padding too" in repr(v)
    assert "expected a set of byte offsets" in repr(checks.check_padding_bytes("eight"))
    assert "no answer yet" in repr(checks.check_padding_bytes(None))


def test_copyout_patch_accepts_the_real_copyout_and_refuses_the_weak_one():
    """uio.copyout stops ucred_zero with EFAULT; the weak copyout lets it become root."""
    assert checks.check_copyout_patch(uio.copyout).ok
    v = checks.check_copyout_patch(weaknesses.unchecked_copyout)
    assert not v.ok and "made the process root" in repr(v)
    assert weaknesses.unchecked_copyout.__name__ == "unchecked_copyout"     # put back after the check


def test_copyout_patch_that_breaks_the_kernel_is_a_verdict():
    """A replacement that raises a Python error panics the check's kernel and says so, without raising."""
    def broken(td, uaddr, data):
        raise KeyError("oops")
    v = checks.check_copyout_patch(broken)
    assert not v.ok and "did not survive" in repr(v) and "KeyError" in repr(v)
    v = checks.check_copyout_patch(lambda td, uaddr, data: None)        # writes nothing at all
    assert not v.ok and "ordinary read" in repr(v)


def test_euid_exploit_is_judged_from_guest_memory(k):
    """Writing 4 bytes makes only the effective uid 0 (right); 12 bytes changes the real uid too (wrong)."""
    compile_into(k, "euid4", EUID_EXPLOIT.replace("LENGTH", "4"))
    compile_into(k, "euid12", EUID_EXPLOIT.replace("LENGTH", "12"))
    assert checks.check_euid_exploit(k, "/bin/euid4").ok
    v = checks.check_euid_exploit(k, "/bin/euid12")
    assert not v.ok and "real uid changed too" in repr(v)
    assert "unchecked_user_pointer" not in k.lab                   # switched off again
    v = checks.check_euid_exploit(k, "/bin/missing")
    assert not v.ok and "could not run /bin/missing" in repr(v)


def test_supervisor_rules_follow_the_mmu():
    """The right table passes; saying S-mode may fetch with SUM=1 is named as wrong."""
    assert checks.check_supervisor_rules(RIGHT_RULES).ok
    v = checks.check_supervisor_rules({**RIGHT_RULES, "S-mode fetch, SUM=1": True})
    assert not v.ok and "S-mode fetch, SUM=1: you said True, the MMU says False" in repr(v)
    assert "no answer yet" in repr(checks.check_supervisor_rules({}))


def test_zeroing_patch_stops_the_reuse_leak_and_names_a_wrapper_that_does_not():
    """An allocator that clears each frame passes; one that returns the original unchanged is told the secret leaks."""
    def zeroing(pmem):
        original = pmem.alloc_frame

        def alloc_frame(owner=""):
            pa = original(owner)
            pmem.ram.data[pa - pmem.base:pa - pmem.base + 4096] = bytes(4096)
            return pa
        return alloc_frame
    assert checks.check_zeroing_patch(zeroing).ok
    v = checks.check_zeroing_patch(lambda pmem: pmem.alloc_frame)
    assert not v.ok and "still reads the first one's secret" in repr(v)
    v = checks.check_zeroing_patch(lambda pmem: 42)
    assert not v.ok and "must return a function" in repr(v)


RIGHT_SETUID = {"1 seteuid(1000)": "ok", "2 seteuid(0)": "ok", "3 setuid(1000)": "ok",
                "4 seteuid(0)": "EPERM", "5 setuid(0)": "EPERM"}


def test_setuid_steps_are_measured_on_the_kernel(k):
    """The FreeBSD answers pass; thinking root can come back after setuid(1000) is named as wrong."""
    assert checks.check_setuid_steps(RIGHT_SETUID, k).ok
    v = checks.check_setuid_steps({**RIGHT_SETUID, "4 seteuid(0)": "ok"}, k)
    assert not v.ok and "4 seteuid(0): you said 'ok', the kernel says EPERM" in repr(v)
    assert "no answer yet" in repr(checks.check_setuid_steps({}, k))


def test_refused_forks_are_counted_from_the_audit_trail():
    """A fork bomb under RLIMIT_NPROC: the right count and EAGAIN pass; a wrong errno is named."""
    from oskit.kernel.kern import resource
    kb = oskit.boot(programs=False)
    compile_into(kb, "bomb", "#include <unistd.h>\nint main(void){for(int i=0;i<12;i++)fork();return 0;}")
    p = kb.spawn("/bin/bomb", uid=1000, gid=1000)
    resource.set_limit(p, resource.RLIMIT_NPROC, 4)
    kb.run(max_instructions=5_000_000)
    refused = len(kb.audit.records(call="fork", uid=1000, failed=True))
    assert refused > 0
    assert checks.check_refused_forks((refused, "EAGAIN"), kb).ok
    v = checks.check_refused_forks((refused, "EPERM"), kb)
    assert not v.ok and "the trail says EAGAIN" in repr(v)
    assert "expected a pair" in repr(checks.check_refused_forks(3, kb))


def test_hogs_to_starve_is_what_the_limits_predict():
    """Each hog is stopped by its 64 descriptors (30 pipes); the heap/120 KiB-th hog starves the victim."""
    import math

    from oskit.kernel.param import NOFILE
    truth, said = checks.measure_hogs_to_starve()
    pipes = (NOFILE - 3) // 2
    assert said[0] == f"{pipes} pipes, then Too many open files"
    heap = 1 << 20                                   # a 16 MiB machine's kernel heap
    assert truth == math.ceil(heap / (pipes * 4096))
    assert said[-1].endswith("then Cannot allocate memory")
    assert checks.check_hogs_to_starve(truth).ok
    v = checks.check_hogs_to_starve(4)
    assert not v.ok and f"first refused after {truth} hogs" in repr(v) and "descriptors" in repr(v)
    assert "expected an int" in repr(checks.check_hogs_to_starve("nine"))
    assert "no answer yet" in repr(checks.check_hogs_to_starve(None))
