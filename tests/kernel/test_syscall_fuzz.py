"""The system-call fuzzer and the invariant checker it relies on.

A small fuzz run (tools/fuzz_syscalls.py, the guest program
oskit/userland/fuzz/syscall_fuzz.c) must end with no panic and every
invariant of oskit/kernel/kern/invariants.py holding. Then the checker itself
is put to the test: a kernel in a rich, quiet state (copy-on-write after fork,
a pipe, a sleeping child) passes it, and each corruption made by hand below
(a reference count bumped, a PTE aimed at a free frame, ...) must be reported.
A check that cannot fail would prove nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import oskit
from oskit.kernel.kern.invariants import check_invariants
from oskit.kernel.kern.proc import ThreadState
from oskit.kernel.param import SHAREDPAGE
from oskit.machine.mmu import TLBEntry
from oskit.machine.sv39 import PTE_R, PTE_U, PTE_W
from oskit.toolchain import build

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import fuzz_syscalls  # noqa: E402


def test_a_small_fuzz_run_breaks_nothing():
    """5000 random calls with hostile arguments on two harts: no panic, no escaped exception, every invariant holds."""
    report = fuzz_syscalls.fuzz(5000, seed=7, harts=2)
    assert report.problems == [], report.summary()
    assert report.calls >= 5000 and report.rounds >= 2
    assert report.invariant_checks > report.rounds       # inside the rounds too, not only after them
    # The hostile arguments reached the kernel and were turned away with the right errnos.
    for err in ("OK", "EFAULT", "EINVAL", "EBADF", "ENOSYS"):
        assert report.errnos[err] > 0, (err, report.summary())
    assert report.workers["exited"] > 0


# -- the checker catches corruption -------------------------------------------------------------
QUIET = r"""
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    char *m = mmap(0, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    for (int i = 0; i < 4; i++)
        m[i * 4096] = 1;                  /* resident, then shared copy-on-write by fork */
    int fds[2];
    pipe(fds);
    if (fork() == 0) {
        char c;
        read(fds[0], &c, 1);              /* sleeps: nobody writes */
        _exit(0);
    }
    m[0] = 2;                             /* the parent's own copy of page 0 */
    wait(0);                              /* sleeps: the child never ends */
    return 0;
}
"""


@pytest.fixture
def quiet():
    """A kernel whose parent and child both sleep, sharing pages copy-on-write: (kernel, parent, child)."""
    k = oskit.boot(programs=False)
    k.install_program("/bin/quiet", build({"quiet.c": QUIET}, mode="user", name="quiet").read_bytes())
    parent = k.spawn("/bin/quiet")
    r = k.run(until=lambda: len(parent.children) == 1
              and all(td.state is ThreadState.SLEEPING for p in (parent, *parent.children) for td in p.threads),
              max_instructions=20_000_000)
    assert r.reason == "until"
    return k, parent, parent.children[0]


def shared_page(k, parent, child):
    """(va, Page) of a page both processes map read-only (copy-on-write)."""
    for va, pa in child.vmspace.resident.items():
        page = k.vm_pages.get(pa)
        if page is not None and parent.vmspace.resident.get(va) == pa and len(page.pv) == 2:
            return va, page
    raise AssertionError("no page is shared copy-on-write")


def test_the_quiet_kernel_passes(quiet):
    """Before any corruption, every invariant holds (so the ones below are caught, not background)."""
    k, _, _ = quiet
    assert check_invariants(k) == []


def test_a_bumped_object_reference_count_is_caught(quiet):
    """One reference too many on a VM object (a leak that keeps it alive for ever)."""
    k, parent, _ = quiet
    parent.vmspace.entries[0].object.refs += 1
    assert any(p.startswith("objects:") and "has refs" in p for p in check_invariants(k))


def test_a_pte_pointing_at_a_free_frame_is_caught(quiet):
    """A user PTE that maps a frame on the free list: the worst bug a VM can have (use after free)."""
    k, parent, _ = quiet
    va = next(iter(parent.vmspace.resident))
    free_pa = k.pmem.free[-1]
    parent.vmspace.pmap.enter(va, free_pa, PTE_R | PTE_U)
    problems = check_invariants(k)
    assert any("the frame is free" in p for p in problems), problems


def test_a_frame_freed_while_mapped_is_caught(quiet):
    """A resident page's frame handed back to the allocator behind the VM's back."""
    k, parent, _ = quiet
    pa = next(iter(parent.vmspace.resident.values()))
    k.pmem.free_frame(pa)
    problems = check_invariants(k)
    assert any(p.startswith("frames:") and "says it is free" in p for p in problems), problems


def test_a_leaked_frame_is_caught(quiet):
    """A frame allocated and never given to anything."""
    k, _, _ = quiet
    pa = k.pmem.alloc_frame("forgotten")
    assert f"frames: {pa:#x} ('forgotten') is allocated but nothing owns it (a leak)" in check_invariants(k)


def test_a_missing_reverse_mapping_is_caught(quiet):
    """A page mapped by the child whose reverse map forgot it (the pager would leave a stale PTE)."""
    k, parent, child = quiet
    va, page = shared_page(k, parent, child)
    page.pv.discard((child.vmspace, va))
    assert any(p.startswith("rmap:") and "missing" in p for p in check_invariants(k))


def test_a_writable_pte_on_a_shared_page_is_caught(quiet):
    """W set on a copy-on-write page: the child's writes would reach the parent."""
    k, parent, child = quiet
    va, _ = shared_page(k, parent, child)
    child.vmspace.pmap.update(va, set_bits=PTE_W)
    assert any("copy-on-write broken" in p for p in check_invariants(k))


def test_a_stale_tlb_entry_is_caught(quiet):
    """A hart still caches a writable translation of a page that is now read-only (a missed shootdown)."""
    k, parent, child = quiet
    va, page = shared_page(k, parent, child)
    pte = child.vmspace.pmap.lookup(va)
    mmu = k.machine.harts[0].mmu
    mmu.tlb[(va >> 12, 0, child.vmspace.pmap.asid)] = TLBEntry(va >> 12, child.vmspace.pmap.asid, page.pa >> 12,
                                                                pte | PTE_W, 0, 0)
    assert any(p.startswith("tlbs: hart 0 caches") for p in check_invariants(k))


def test_a_writable_shared_page_is_caught(quiet):
    """The page every process shares (sigcode, the vDSO clock) mapped writable in one of them."""
    k, parent, _ = quiet
    vs = parent.vmspace
    vs._map_page(SHAREDPAGE, k.sigcode_object.pages[0], PTE_R | PTE_W, write=True)
    problems = check_invariants(k)
    assert any("the shared page (sigcode, the vDSO clock) is writable" in p for p in problems), problems


def test_overlapping_map_entries_are_caught(quiet):
    """Two entries of one map that overlap (a page would belong to both)."""
    k, parent, _ = quiet
    a, b = parent.vmspace.entries[:2]
    a.end = b.start + 4096
    assert any(p.startswith(f"maps: pid {parent.pid}") and "not a page-aligned range" in p for p in check_invariants(k))


def test_a_directory_cycle_is_caught(quiet):
    """A directory entered inside its own subdirectory: the tree has a cycle."""
    k, _, _ = quiet
    tmp = k.vfs.lookup("/tmp")
    k.vfs.lookup("/bin").entries["loop"] = tmp.parent
    assert any(p.startswith("tree: directory /bin/loop is reached twice") for p in check_invariants(k))


def test_a_bumped_credential_reference_is_caught(quiet):
    """cr_ref one higher than the processes sharing the credential (fork shares it: 2 holders)."""
    k, parent, child = quiet
    assert parent.cred_alloc == child.cred_alloc
    parent.cred.view.cr_ref = parent.cred.view.cr_ref + 1
    assert f"creds: the credential at {parent.cred_alloc:#x} has cr_ref 3, expected 2 (processes holding it)" \
        in check_invariants(k)


def test_a_leaked_kmalloc_block_is_caught(quiet):
    """Kernel heap allocated and never owned by anything."""
    k, _, _ = quiet
    addr = k.kmalloc(48)
    assert f"kmalloc: block {addr:#x} (48 bytes) is used but nothing owns it (a leak)" in check_invariants(k)


def test_wrong_kmem_billing_is_caught(quiet):
    """A process billed for kernel memory it does not hold (the pipe buffer is billed to the parent)."""
    k, parent, _ = quiet
    parent.kmem += 4096
    assert any(p.startswith(f"kmem: pid {parent.pid}") for p in check_invariants(k))


def test_a_file_reference_count_is_caught(quiet):
    """An open file whose count says one descriptor more than point at it (it would never close)."""
    k, parent, _ = quiet
    parent.fdtable.get(3).refs += 1
    assert any(p.startswith("files:") and "has refs" in p for p in check_invariants(k))


def test_a_sleeping_thread_lost_by_the_scheduler_is_caught(quiet):
    """A thread marked SLEEPING that no sleep queue holds: no wakeup can ever reach it."""
    k, _, child = quiet
    td = child.main_thread
    k.sched.sleepers[td.wchan].remove(td)
    assert any(p.startswith(f"threads: thread {child.pid}.") for p in check_invariants(k))


def test_a_panic_is_reported(quiet):
    """A panicked kernel fails the check, whatever else holds."""
    k, _, _ = quiet
    k.panic("test: a panic on purpose")
    assert check_invariants(k)[0] == "panic: the kernel panicked: test: a panic on purpose"
