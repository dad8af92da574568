"""Unit tests of the VM map and objects (oskit/kernel/vm/), driven from Python on a booted kernel.

Each test builds an address space with k.new_vmspace(), maps entries, and
resolves faults with vs.fault(va, access) as the trap handler would; page
contents are read through the page table from guest RAM.
"""

import pytest

import oskit
from oskit.kernel.param import PAGE_SIZE, PROT_READ, PROT_WRITE
from oskit.kernel.vm.fault import FaultError
from oskit.kernel.vm.map import VMSpace
from oskit.kernel.vm.object import vnode_object
from oskit.machine.sv39 import PTE_V, PTE_W

P = PAGE_SIZE
BASE = 0x1000_0000


@pytest.fixture(scope="module")
def kernel():
    return oskit.boot(programs=False)


def poke(vs, va, data: bytes):
    """Write through the page table, faulting the page in for writing first (as a store would)."""
    vs.fault(va, "w")
    pa = (vs.pmap.lookup(va) >> 10 << 12) + (va & (P - 1))
    vs.kernel.machine.bus.write_bytes(pa, data)


def peek(vs, va, n=1) -> bytes:
    """Read through the page table, faulting the page in for reading when it is not mapped."""
    if vs.pmap.lookup(va) is None:
        vs.fault(va, "r")
    pa = (vs.pmap.lookup(va) >> 10 << 12) + (va & (P - 1))
    return vs.kernel.machine.bus.read_bytes(pa, n)


def shape(vs):
    return [(e.start - BASE, e.end - BASE, e.prot) for e in vs.entries]


def test_partial_munmap_splits_an_entry_and_frees_only_the_middle(kernel):
    """munmap of a middle page leaves two entries on one object; the other pages keep their data."""
    vs = kernel.new_vmspace()
    vs.map(BASE, BASE + 4 * P, PROT_READ | PROT_WRITE, "mmap")
    for i in range(4):
        poke(vs, BASE + i * P, bytes([i + 1]))
    free_before = kernel.pmem.free_frames
    vs.unmap(BASE + P, BASE + 2 * P)
    assert shape(vs) == [(0, P, 3), (2 * P, 4 * P, 3)]
    a, b = vs.entries
    assert a.object is b.object and a.object.refs == 2 and b.offset == 2 * P
    assert kernel.pmem.free_frames == free_before + 1          # the middle page's frame came back
    assert vs.find(BASE + P) is None
    with pytest.raises(FaultError):
        vs.fault(BASE + P, "r")
    assert [peek(vs, BASE + i * P) for i in (0, 2, 3)] == [b"\x01", b"\x03", b"\x04"]
    vs.destroy()


def test_mprotect_splits_then_merges_back(kernel):
    """mprotect of the middle makes three entries; restoring the protection merges them into one."""
    vs = kernel.new_vmspace()
    vs.map(BASE, BASE + 3 * P, PROT_READ | PROT_WRITE, "mmap")
    poke(vs, BASE + P, b"x")
    vs.protect(BASE + P, BASE + 2 * P, PROT_READ)
    assert shape(vs) == [(0, P, 3), (P, 2 * P, 1), (2 * P, 3 * P, 3)]
    assert not vs.pmap.lookup(BASE + P) & PTE_W                # the resident page lost W at once
    with pytest.raises(FaultError, match="r--"):
        vs.fault(BASE + P, "w")
    vs.protect(BASE + P, BASE + 2 * P, PROT_READ | PROT_WRITE)
    assert shape(vs) == [(0, 3 * P, 3)]
    assert vs.entries[0].object.refs == 1
    assert peek(vs, BASE + P) == b"x"
    vs.destroy()


def test_mprotect_none_removes_ptes_and_keeps_contents(kernel):
    """PROT_NONE leaves no PTE at all (R=W=X=0 would mean a page-table pointer); the data survives."""
    vs = kernel.new_vmspace()
    vs.map(BASE, BASE + 2 * P, PROT_READ | PROT_WRITE, "mmap")
    poke(vs, BASE, b"keep")
    vs.protect(BASE, BASE + 2 * P, 0)
    assert vs.pmap.lookup(BASE) is None and vs.rss == 0
    with pytest.raises(FaultError):
        vs.fault(BASE, "r")
    vs.protect(BASE, BASE + 2 * P, PROT_READ)
    assert peek(vs, BASE, 4) == b"keep"
    vs.destroy()


def test_mprotect_refuses_holes_and_rights_beyond_max_prot(kernel):
    """A hole in the range is ValueError (ENOMEM); beyond max_prot is PermissionError (EACCES); nothing changes."""
    vs = kernel.new_vmspace()
    vs.map(BASE, BASE + P, PROT_READ, "file", max_prot=PROT_READ)
    vs.map(BASE + 2 * P, BASE + 3 * P, PROT_READ | PROT_WRITE, "mmap")
    with pytest.raises(ValueError):
        vs.protect(BASE, BASE + 3 * P, PROT_READ)
    with pytest.raises(PermissionError):
        vs.protect(BASE, BASE + P, PROT_READ | PROT_WRITE)
    assert shape(vs) == [(0, P, 1), (2 * P, 3 * P, 3)]
    vs.destroy()


def test_map_refuses_overlap_and_find_space_skips_entries(kernel):
    """Entries never overlap; find_space returns the first gap that fits."""
    vs = kernel.new_vmspace()
    vs.map(BASE, BASE + 2 * P, PROT_READ, "a")
    vs.map(BASE + 3 * P, BASE + 4 * P, PROT_READ, "b")
    with pytest.raises(ValueError, match="overlaps"):
        vs.map(BASE + P, BASE + 3 * P, PROT_READ, "c")
    assert vs.find_space(P, 0, BASE) == BASE + 2 * P
    assert vs.find_space(2 * P, 0, BASE) == BASE + 4 * P
    vs.destroy()


def test_fork_shares_frames_read_only_and_the_first_write_copies(kernel):
    """copy_into: parent and child map the same frame without W; a write gives the writer its own copy."""
    parent = kernel.new_vmspace()
    parent.map(BASE, BASE + 2 * P, PROT_READ | PROT_WRITE, "heap")
    poke(parent, BASE, b"A")
    child = kernel.new_vmspace()
    parent.copy_into(child)
    pp, cp = parent.pmap.lookup(BASE), child.pmap.lookup(BASE)
    assert pp >> 10 == cp >> 10 and not pp & PTE_W and not cp & PTE_W
    copies = kernel.vmstats.cow_copies
    poke(child, BASE, b"C")
    assert kernel.vmstats.cow_copies == copies + 1
    assert child.pmap.lookup(BASE) >> 10 != parent.pmap.lookup(BASE) >> 10
    assert peek(parent, BASE) == b"A" and peek(child, BASE) == b"C"
    # The untouched page stays demand-zero in both.
    assert peek(parent, BASE + P) == b"\0" and peek(child, BASE + P) == b"\0"
    child.destroy()
    parent.destroy()


def test_exit_of_the_child_collapses_the_shadow_chain(kernel):
    """When the child goes, the parent's shadow absorbs the shared object: the chain is one object again."""
    parent = kernel.new_vmspace()
    parent.map(BASE, BASE + P, PROT_READ | PROT_WRITE, "data")
    poke(parent, BASE, b"z")
    for _ in range(5):                       # a shell forking children one after another
        child = kernel.new_vmspace()
        parent.copy_into(child)
        child.destroy()
    top = parent.entries[0].object
    assert top.backing_object is None and len(top.pages) == 1
    assert peek(parent, BASE) == b"z"
    assert parent.fault(BASE, "w") == "mapped"     # the page is the parent's alone now: no copy
    parent.destroy()


def test_shared_entries_are_shared_by_fork(kernel):
    """A MAP_SHARED entry points parent and child at one object: a write by either is seen by both."""
    parent = kernel.new_vmspace()
    parent.map(BASE, BASE + P, PROT_READ | PROT_WRITE, "mmap", shared=True)
    child = kernel.new_vmspace()
    parent.copy_into(child)
    poke(child, BASE, b"S")
    assert peek(parent, BASE) == b"S"
    child.destroy()
    parent.destroy()


def test_file_mapping_private_copy_and_shared_writeback(kernel):
    """A private write to a file page stays private; a shared write reaches the file on msync-style writeback."""
    vp = kernel.vfs.install_file("/tmp/vmfile", b"0123456789" * 500, 0o644)
    obj = vnode_object(kernel, vp)
    vs = kernel.new_vmspace()
    vs.map(BASE, BASE + 2 * P, PROT_READ | PROT_WRITE, "file", obj, 0, shared=False)
    vs.map(BASE + 4 * P, BASE + 6 * P, PROT_READ | PROT_WRITE, "file", obj, 0, shared=True)
    assert vs.fault(BASE, "r") == "file"                      # the first touch reads the file: major
    assert peek(vs, BASE, 4) == b"0123"
    poke(vs, BASE, b"priv")
    assert bytes(vp.data[:4]) == b"0123"
    assert peek(vs, BASE + 4 * P, 4) == b"0123"               # the shared view still has the file's page
    poke(vs, BASE + 4 * P + 1, b"SH")
    assert obj.writeback(0) and bytes(vp.data[:4]) == b"0SH3"
    assert not obj.writeback(0)                               # clean now: nothing to write
    vs.destroy()


def test_zero_frames_off_leaks_old_contents_but_anonymous_pages_stay_zero():
    """zero_frames=False: a recycled frame keeps its old bytes; anonymous memory is still zero-filled."""
    k = oskit.boot(programs=False, zero_frames=False)
    pa = k.pmem.alloc_frame("test")
    k.machine.bus.write_bytes(pa, b"secret")
    k.pmem.free_frame(pa)
    assert k.pmem.alloc_frame("test") == pa and k.machine.bus.read_bytes(pa, 6) == b"secret"
    k.pmem.free_frame(pa)
    vs = VMSpace(k, k.new_pmap())
    vs.map(BASE, BASE + P, PROT_READ | PROT_WRITE, "mmap")
    assert peek(vs, BASE, 6) == bytes(6)
    k2 = oskit.boot(programs=False)
    pa = k2.pmem.alloc_frame("test")
    k2.machine.bus.write_bytes(pa, b"secret")
    k2.pmem.free_frame(pa)
    assert k2.pmem.alloc_frame("test") == pa and k2.machine.bus.read_bytes(pa, 6) == bytes(6)


def test_resident_set_follows_faults_and_unmaps(kernel):
    """vs.rss counts valid PTEs; maxrss keeps the peak."""
    vs = kernel.new_vmspace()
    vs.map(BASE, BASE + 8 * P, PROT_READ | PROT_WRITE, "mmap")
    for i in range(8):
        vs.fault(BASE + i * P, "w")
    assert vs.rss == 8
    vs.unmap(BASE, BASE + 4 * P)
    assert (vs.rss, vs.maxrss) == (4, 8)
    assert all(vs.pmap.lookup(BASE + i * P) is None for i in range(4))
    assert all(vs.pmap.lookup(BASE + i * P) & PTE_V for i in range(4, 8))
    vs.destroy()
