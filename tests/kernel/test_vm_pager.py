"""The pager (oskit/kernel/vm/pager.py), TLB shootdowns and VM accounting, on booted kernels.

The clock tests drive ``k.pager`` from Python on an address space built with
k.new_vmspace(); the others run C programs with little RAM or several harts.
"""

from pathlib import Path

import pytest

import oskit
from oskit.kernel.param import PAGE_SIZE, PROT_READ, PROT_WRITE
from oskit.kernel.vm.object import vnode_object
from oskit.machine.sv39 import PTE_A
from oskit.toolchain import build

P = PAGE_SIZE
BASE = 0x1000_0000
VM_PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "vm"


def pa_of(vs, va):
    return (vs.pmap.lookup(va) >> 10) << 12


def test_clock_gives_referenced_pages_a_second_chance():
    """Pages whose A bit is clear go first; referenced ones lose their A bit and stay."""
    k = oskit.boot(programs=False)
    vs = k.new_vmspace()
    vs.map(BASE, BASE + 12 * P, PROT_READ | PROT_WRITE, "mmap")
    for i in range(12):
        vs.fault(BASE + i * P, "w")
        k.machine.bus.write_bytes(pa_of(vs, BASE + i * P), bytes([0x40 + i]) * 8)
    for i in range(6, 12):
        vs.pmap.update(BASE + i * P, clear_bits=PTE_A)          # not used since the hand last passed
    obj = vs.entries[0].object
    evicted = k.pager.reclaim(want=k.pmem.free_frames + 3)
    assert evicted == 3
    assert sorted(obj.swap) == [6, 7, 8] and sorted(obj.pages) == [0, 1, 2, 3, 4, 5, 9, 10, 11]
    assert all(not vs.pmap.lookup(BASE + i * P) & PTE_A for i in range(6))   # second chance used up
    assert vs.rss == 9 and k.vmstats.swap_outs == 3
    # A later touch is a major fault that brings the page back intact.
    assert vs.fault(BASE + 7 * P, "r") == "swap"
    assert k.machine.bus.read_bytes(pa_of(vs, BASE + 7 * P), 8) == b"\x47" * 8
    assert 7 not in obj.swap and len(k.pager.swap.slots) == 2


def test_clean_file_pages_are_dropped_and_dirty_ones_written_back():
    """Evicting a clean file page costs nothing; a dirty MAP_SHARED page goes back to the file first."""
    k = oskit.boot(programs=False)
    vp = k.vfs.install_file("/tmp/f", b"a" * P + b"b" * P, 0o644)
    vs = k.new_vmspace()
    vs.map(BASE, BASE + 2 * P, PROT_READ | PROT_WRITE, "file", vnode_object(k, vp), 0, shared=True)
    assert vs.fault(BASE, "r") == "file" and vs.fault(BASE + P, "w") == "file"
    k.machine.bus.write_bytes(pa_of(vs, BASE + P), b"B")
    obj = vs.entries[0].object
    for pindex in (0, 1):
        k.pager.evict(k.vm_pages[obj.pages[pindex]])
    assert (k.vmstats.clean_drops, k.vmstats.writebacks) == (1, 1)
    assert bytes(vp.data[P:P + 2]) == b"Bb" and bytes(vp.data[:1]) == b"a"
    assert obj.pages == {} and obj.swap == {}
    assert vs.fault(BASE + P, "r") == "file"                  # read again from the file: major


PRESSURE_OOM = r"""
#include <stdio.h>
#include <sys/mman.h>
int main(void)
{
    /* one page every 2 MiB: each needs its own page-table page, which is never evicted */
    char *p = mmap(0, 4L << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    printf("mapped\n");
    fflush(stdout);
    for (long i = 0; i < 2048; i++)
        p[i << 21] = 1;
    printf("survived\n");
    return 0;
}
"""


def test_nothing_evictable_kills_the_faulting_process_not_the_kernel():
    """With RAM full of page tables, the process that faults is killed with a reason; the kernel runs on."""
    k = oskit.boot(programs=False, ram_mib=4)
    k.install_program("/bin/oom", build({"oom.c": PRESSURE_OOM}, mode="user", name="oom").read_bytes())
    p = k.spawn("/bin/oom")
    r = k.run(until=p.exited, max_instructions=50_000_000)
    assert r.reason == "until" and k.panic_report is None
    assert p.stdout == "mapped\n"
    assert p.exit_status == -9                              # SIGKILL
    assert "out of memory" in p.exit_reason and "page table" in p.exit_reason
    assert k.vmstats.oom_kills == 1 and any("out of memory" in line for line in k.log)
    # Its memory came back: another program runs fine.
    q = k.spawn("/bin/oom")
    k.run(until=q.exited, max_instructions=50_000_000)
    assert q.stdout == "mapped\n" and k.panic_report is None


def test_pressure_program_counts_major_faults_and_keeps_every_page():
    """8 MiB written and read back in 4 MiB of RAM: every word intact, major faults counted per process."""
    k = oskit.boot(programs=False, ram_mib=4)
    k.install_program("/bin/pressure", build([VM_PROGRAMS / "pressure.c"], mode="user", name="pressure").read_bytes())
    p = k.spawn("/bin/pressure")
    assert k.run(until=p.exited, max_instructions=200_000_000).reason == "until"
    out = p.stdout
    assert out == "wrote and read back 8 MiB twice: 0 bad words\n"
    assert p.rusage.majflt > 2048 and p.rusage.minflt >= 2048
    s = k.vmstats
    assert s.swap_outs > 2048 and s.swap_ins > 2048 and s.evictions >= s.swap_outs
    assert p.vmspace is None and s.oom_kills == 0


def test_fault_probe_reports_kind_resolution_and_address():
    """Every fault fires the "fault" probe with pid, address, kind and how it was resolved."""
    k = oskit.boot(programs=False)
    events = []
    k.probes.subscribe("fault", events.append)
    k.install_program("/bin/segv", build([VM_PROGRAMS / "segv.c"], mode="user", name="segv").read_bytes())
    p = k.spawn("/bin/segv")
    k.run(until=p.exited, max_instructions=20_000_000)
    mine = [e for e in events if e.pid == p.pid]
    hows = {e.how for e in mine}
    assert {"zero", "file", "SIGSEGV"} <= hows
    segv = [e for e in mine if e.how == "SIGSEGV"]
    assert [e.va for e in segv][-1] == 0 and all(e.kind == "error" for e in segv)
    assert all(e.kind == "major" for e in mine if e.how == "file")
    assert all(isinstance(e.mtime, int) for e in mine)
    assert all(e.pa is not None and e.pa >= 0x8000_0000 for e in mine if e.kind != "error")
    assert p.rusage.minflt + p.rusage.majflt == len(mine) - len(segv)


def test_munmap_on_two_harts_shoots_down_the_other_harts_tlb():
    """munmap sends an IPI (CLINT msip) to the other hart; it flushes before it touches user memory again."""
    k = oskit.boot(programs=False, harts=2)
    vs = k.new_vmspace()
    vs.map(BASE, BASE + P, PROT_READ | PROT_WRITE, "mmap")
    vs.fault(BASE, "w")
    h1 = k.machine.harts[1]
    saved = h1.csr.read("satp")
    h1.csr.write("satp", vs.pmap.satp)
    h1.translate(BASE, "r", priv=0)                          # hart 1 now caches the translation
    h1.csr.write("satp", saved)
    assert any(e.vpn == BASE >> 12 for e in h1.mmu.entries())
    mmio = []
    k.machine.events.subscribe("mmio", mmio.append)
    ipis = k.vmstats.ipis
    k.machine.bus.current_hart = 0
    vs.unmap(BASE, BASE + P)
    assert k.vmstats.ipis == ipis + 1 and k.tlb_mailbox[1] == [(BASE, vs.pmap.asid)]
    assert k.vmstats.shootdowns_by["munmap"] == 1
    assert any(e.is_write and e.pa == 0x0200_0004 for e in mmio)   # msip[1]
    assert h1.csr.read("sip") & 2                                   # SSIP pending on hart 1
    k.run(max_instructions=20_000)
    assert k.tlb_mailbox[1] == [] and k.vmstats.ipi_flushes >= 1
    assert not any(e.vpn == BASE >> 12 and e.asid == vs.pmap.asid for e in h1.mmu.entries())


@pytest.mark.parametrize("mib", [1, 16])
def test_fork_cost_grows_with_resident_pages_not_mapped_bytes(mib):
    """fork copies no page: the frames in use after fork grow with page tables, not with the mapped bytes."""
    k = oskit.boot(programs=False)
    vs = k.new_vmspace()
    vs.map(BASE, BASE + (mib << 20), PROT_READ | PROT_WRITE, "mmap")
    for va in range(BASE, BASE + (mib << 20), P):
        vs.fault(va, "w")
    free = k.pmem.free_frames
    copies = k.vmstats.cow_copies
    child = k.new_vmspace()
    vs.copy_into(child)
    used = free - k.pmem.free_frames
    assert k.vmstats.cow_copies == copies
    assert used <= 3 + (mib << 20) // (2 << 20)               # root + page tables of the child only
    assert child.rss == vs.rss == (mib << 20) // P


def test_a_full_swap_area_ends_in_an_out_of_memory_kill():
    """Swap is finite: once it is full, anonymous pages cannot leave RAM and the process that needs more dies."""
    k = oskit.boot(programs=False, ram_mib=4)
    k.pager.swap.capacity = 256                            # 1 MiB of swap for this test
    k.install_program("/bin/pressure", build([VM_PROGRAMS / "pressure.c"], mode="user", name="pressure").read_bytes())
    p = k.spawn("/bin/pressure")
    assert k.run(until=p.exited, max_instructions=200_000_000).reason == "until"
    assert p.exit_status == -9 and "swap full (256 pages)" in p.exit_reason
    assert k.panic_report is None
    # Its swap slots were freed at exit: what is left belongs to init.
    held = 0
    for e in k.procs[1].vmspace.entries:
        obj = e.object
        while obj is not None:
            held += len(obj.swap)
            obj = obj.backing_object
    assert len(k.pager.swap.slots) == held
