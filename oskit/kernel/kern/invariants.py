"""Kernel invariants: what must be true of a quiet kernel, checked from the outside (FreeBSD's INVARIANTS).

``check_invariants(k)`` walks every structure of a kernel that is between two
traps and returns what it found wrong, one sentence each (an empty list: all
is well). It changes nothing: no PTE bit, no counter, no time. The system-call
fuzzer (tools/fuzz_syscalls.py) calls it after every round; a test or a
notebook may call it at any time the machine is stopped.

Each check is a promise some part of the kernel makes, with the module that
keeps it:

    frames       vm/pmem.py      every frame is free or has exactly one owner: a page
                                 table, a kernel stack, a VM page (or guest kernel code)
    kmalloc      vm/pmem.py      free and used blocks tile the heap; every used block
                                 belongs to a proc, a trap frame, a credential or a pipe;
                                 each process's kmem equals what is billed to it
    maps         vm/map.py       entries are page-aligned, sorted, disjoint and in the user
                                 half; prot within max_prot; offsets never negative; the
                                 shared page (sigcode, the vDSO clock) can never be writable
    objects      vm/object.py    an object's refs = the map entries + the shadows that
                                 point at it; its ``shadows`` list is exactly those shadows;
                                 its pages are Pages that say they belong to it
    pages        vm/pager.py     every Page is in k.vm_pages, in its object, in the pager's
                                 queue, not busy; every swap slot has one owner
    rmap         vm/map.py       page.pv is exactly the set of (space, va) that map the page
    ptes         riscv/pmap.py   every valid user PTE is in its space's ``resident``, maps
                                 the frame the map's object chain says (never a free frame),
                                 with no more rights than the entry; a writable PTE of a
                                 private entry maps a page of its top object (copy-on-write);
                                 the page every process shares (sigcode) is never writable
    tlbs         riscv/tlb.py    no hart caches a user translation with more rights than the
                                 PTE now gives, or to another frame, unless a shootdown for it
                                 is queued (the only check that reads the hardware: hart TLBs)
    creds        kern/cred.py    cr_ref = the processes whose p_ucred points at the credential
    files        fs/file.py      a File's refs = the descriptors that point at it; a pipe's
                                 readers/writers = its open ends
    tree         fs/vfs.py       the directories form a tree from / (each reached once, ".."
                                 its parent); nlink = the names of a file, 2 + subdirectories
                                 for a directory
    procs        kern/proc.py    parent and child lists agree; a zombie holds no memory,
    threads      kern/sched.py   RUNNABLE is on the run queue once, SLEEPING on its channel's
                                 queue once, RUNNING is some hart's current thread, DEAD none
    panic        kern/panic.py   the machine did not panic

The messages name the thing, what was expected and what was found, so a
failing fuzz run says where to look.
"""

from __future__ import annotations

from collections import Counter

from oskit.kernel.fs.pipe import PipeFile
from oskit.kernel.kern.proc import ProcState, ThreadState, Ucred
from oskit.kernel.param import PAGE_MASK, PAGE_SHIFT, PROT_WRITE, VM_MAXUSER_ADDRESS, dmap, prot_str
from oskit.kernel.riscv.pmap import pte_bits
from oskit.machine.mmu import GLOBAL
from oskit.machine.sv39 import PTE_PPN_SHIFT, PTE_R, PTE_U, PTE_W, PTE_X


def owned_once(what: str, claims, allocated, name) -> list[str]:
    """Each allocated thing (a frame, a swap slot) has exactly one owner, and only allocated ones do.

    ``claims``: thing -> how many owners point at it; ``allocated``: what the allocator
    says is in use; ``name(thing)``: how a message names it.
    """
    out = []
    for x, n in claims.items():
        if n > 1:
            out.append(f"{what}: {name(x)} has {n} owners, expected 1")
        if x not in allocated:
            out.append(f"{what}: {name(x)} is in use but the allocator says it is free")
    for x in allocated.keys() - claims.keys():
        out.append(f"{what}: {name(x)} is allocated but nothing owns it (a leak)")
    return out


def check_invariants(k) -> list[str]:
    """Every invariant of kernel ``k`` that does not hold, as sentences; [] when all hold."""
    problems: list[str] = []
    if k.panic_report is not None:
        problems.append(f"panic: the kernel panicked: {k.panic_report.message}")
    for check in (check_frames, check_kmalloc, check_maps, check_objects, check_ptes_and_rmap, check_tlbs,
                  check_creds, check_files, check_tree, check_procs_and_threads):
        problems += check(k)
    return problems


# -- what is alive ------------------------------------------------------------------------------
def all_procs(k) -> list:
    """proc0 and every process in the table (zombies not yet reaped included)."""
    return [k.proc0, *k.procs.values()] if k.proc0 is not None else list(k.procs.values())


def all_threads(k) -> list:
    """Every thread that still holds a trap frame and a kernel stack."""
    out = [td for p in all_procs(k) for td in p.threads]
    return out + [td for td in k.dead_threads if td not in out]


def vmspaces(k) -> list:
    """Every live address space (the kernel's own, proc0's, included)."""
    return [p.vmspace for p in all_procs(k) if p.vmspace is not None]


def vm_objects(k) -> list:
    """Every VM object reachable from a map entry or the vnode cache, with its shadow chain."""
    seen: dict[int, object] = {}
    roots = [e.object for vs in vmspaces(k) for e in vs.entries] + list(k.vm_vnode_objects.values())
    for obj in roots:
        while obj is not None and id(obj) not in seen:
            seen[id(obj)] = obj
            obj = obj.backing_object
    return list(seen.values())


# -- physical memory ------------------------------------------------------------------------------
def check_frames(k) -> list[str]:
    """Every frame is free or has exactly one owner, and the allocator agrees."""
    pmem = k.pmem
    out = []
    free = Counter(pmem.free)
    for pa, n in free.items():
        if n > 1:
            out.append(f"frames: {pa:#x} is on the free list {n} times")
        if pa in pmem.owner:
            out.append(f"frames: {pa:#x} is both free and owned by {pmem.owner[pa]!r}")
    if len(free) + len(pmem.owner) != pmem.nframes:
        out.append(f"frames: {len(free)} free + {len(pmem.owner)} owned, expected {pmem.nframes} in all")
    claims: Counter = Counter()
    for pm in {id(vs.pmap): vs.pmap for vs in vmspaces(k)}.values():
        claims.update(pm.tables)
    claims.update(td.kstack_pa for td in all_threads(k) if td.kstack_pa is not None)
    claims.update(k.vm_pages.keys())
    for pa, owner in pmem.owner.items():
        if owner == "guest kernel code":          # load_guest_code: lives as long as the kernel
            claims[pa] += 1
    out += owned_once("frames", claims, pmem.owner,
                      lambda pa: f"{pa:#x} ({pmem.owner.get(pa, 'free')!r})")
    return out


def check_kmalloc(k) -> list[str]:
    """The heap's free and used blocks tile it; every used block has an owner; kmem billing adds up."""
    pmem = k.pmem
    out = []
    blocks = sorted([(a, s, "free") for a, s in pmem.heap_free] + [(a, s, "used") for a, s in pmem.heap_used.items()])
    at = pmem.heap_start
    for addr, size, kind in blocks:
        if addr != at:
            what = "overlaps the block before" if addr < at else f"leaves a gap of {addr - at} bytes before it"
            out.append(f"kmalloc: {kind} block at {addr:#x} {what}")
        at = max(at, addr + size)
    if at != pmem.heap_end:
        out.append(f"kmalloc: the blocks end at {at:#x}, expected the heap's end {pmem.heap_end:#x}")
    for (a, s), (b, _) in zip(pmem.heap_free, pmem.heap_free[1:]):
        if a + s == b:
            out.append(f"kmalloc: free blocks at {a:#x} and {b:#x} touch but were not merged")
    # Who holds each used block.
    claims: Counter = Counter()
    claims.update(p.pstruct.addr for p in all_procs(k) if p.pstruct is not None)
    claims.update(td.frame_addr for td in all_threads(k) if td.frame_addr is not None)
    claims.update({p.cred_alloc for p in all_procs(k) if p.cred_alloc})
    claims.update({id(f.pipe): f.pipe.addr for f in open_files(k)
                   if isinstance(f, PipeFile) and f.pipe.addr is not None}.values())
    claims.update(job.kaiocb for job in k.aio.jobs.values())   # the kernel's copy of each aiocb
    for addr, n in claims.items():
        if n > 1:
            out.append(f"kmalloc: block {addr:#x} has {n} owners, expected 1")
        if addr not in pmem.heap_used:
            out.append(f"kmalloc: block {addr:#x} is in use but the heap says it is free")
    if k.lab is None:                             # the lab keeps blocks of its own (its device)
        for addr in pmem.heap_used.keys() - claims.keys():
            out.append(f"kmalloc: block {addr:#x} ({pmem.heap_used[addr]} bytes) is used but nothing owns it (a leak)")
    # kmem billing (resource.py): each process is billed exactly what it holds.
    billed: Counter = Counter()
    for addr, (p, size) in k.kmem_owner.items():
        billed[id(p)] += size
        if addr not in pmem.heap_used:
            out.append(f"kmem: pid {p.pid} is billed for {addr:#x}, which is not allocated")
    for p in all_procs(k):
        if p.kmem != billed[id(p)]:
            out.append(f"kmem: pid {p.pid} has kmem {p.kmem}, expected {billed[id(p)]} (its billed blocks)")
    return out


# -- virtual memory --------------------------------------------------------------------------------
def check_maps(k) -> list[str]:
    """The entries of every process's map: their shape, their rights, their offsets."""
    out = []
    for p in k.procs.values():
        vs = p.vmspace
        if vs is None:
            continue
        end = 0
        for e in vs.entries:
            where = f"maps: pid {p.pid} {e!r}"
            if e.start & PAGE_MASK or e.end & PAGE_MASK or not end <= e.start < e.end <= VM_MAXUSER_ADDRESS:
                out.append(f"{where}: not a page-aligned range after the previous entry (ending {end:#x}) "
                           f"and below {VM_MAXUSER_ADDRESS:#x}")
            end = e.end
            if e.prot & ~e.max_prot:
                out.append(f"{where}: protection {prot_str(e.prot)} exceeds its maximum {prot_str(e.max_prot)}")
            if e.offset < 0 or e.offset & PAGE_MASK:
                out.append(f"{where}: offset {e.offset} in its object is negative or not page-aligned")
            if e.object is k.sigcode_object and (e.prot | e.max_prot) & PROT_WRITE:
                out.append(f"{where}: the shared page (sigcode, the vDSO clock) may be made writable "
                           f"(max {prot_str(e.max_prot)})")
    for obj in vm_objects(k):
        if obj.backing_offset < 0 or obj.backing_offset & PAGE_MASK:
            out.append(f"maps: {obj.kind} object {id(obj):#x} starts at offset {obj.backing_offset} "
                       f"of the object below: negative or not page-aligned")
    return out


def check_objects(k) -> list[str]:
    """Reference counts, shadow lists, resident pages and swap slots of every VM object."""
    out = []
    objects = vm_objects(k)
    refs: Counter = Counter()
    shadows: dict[int, list] = {}
    for vs in vmspaces(k):
        for e in vs.entries:
            refs[id(e.object)] += 1
    for obj in objects:
        if obj.backing_object is not None:
            refs[id(obj.backing_object)] += 1
            shadows.setdefault(id(obj.backing_object), []).append(obj)
    slots: Counter = Counter()
    for obj in objects:
        name = f"{obj.kind} object {id(obj):#x}"
        if obj is k.sigcode_object:
            continue                                   # shared by every process, never freed
        if obj.refs != refs[id(obj)]:
            out.append(f"objects: {name} has refs {obj.refs}, expected {refs[id(obj)]} "
                       f"(entries and shadows pointing at it)")
        mine = shadows.get(id(obj), [])
        if Counter(map(id, obj.shadows)) != Counter(map(id, mine)):
            out.append(f"objects: {name} lists {len(obj.shadows)} shadows, expected the {len(mine)} "
                       f"objects whose backing_object it is")
        for pindex in [i for i in (*obj.pages, *obj.swap) if i < 0]:
            out.append(f"objects: {name} holds page {pindex}: no object has a page before its start")
        for pindex, pa in obj.pages.items():
            page = k.vm_pages.get(pa)
            if page is None:
                out.append(f"objects: page {pindex} of {name} is frame {pa:#x}, which has no Page")
            elif page.obj is not obj or page.pindex != pindex:
                out.append(f"objects: page {pindex} of {name} is frame {pa:#x}, whose Page says "
                           f"it is page {page.pindex} of {page.obj.kind} object {id(page.obj):#x}")
            if pindex in obj.swap:
                out.append(f"objects: page {pindex} of {name} is both resident and in swap")
        slots.update(obj.swap.values())
    out += owned_once("swap", slots, k.pager.swap.slots, lambda slot: f"slot {slot}")
    live = {id(o) for o in objects}
    for pa, page in k.vm_pages.items():
        if page.pa != pa:
            out.append(f"pages: k.vm_pages[{pa:#x}] is the Page of frame {page.pa:#x}")
        if id(page.obj) not in live:
            out.append(f"pages: frame {pa:#x} belongs to a {page.obj.kind} object no map reaches (a leak)")
        elif page.obj.pages.get(page.pindex) != pa:
            out.append(f"pages: frame {pa:#x} says it is page {page.pindex} of its object, which disagrees")
        if page.busy:
            out.append(f"pages: frame {pa:#x} is still busy outside a fault")
        if k.pager.queue.get(pa) is not page:
            out.append(f"pages: frame {pa:#x} is not in the pager's queue")
    for pa in k.pager.queue.keys() - k.vm_pages.keys():
        out.append(f"pages: the pager's queue holds frame {pa:#x}, which is no Page")
    return out


def check_ptes_and_rmap(k) -> list[str]:
    """Every valid user PTE against its space's ``resident``, its map entry and the reverse map."""
    out = []
    spaces = [vs for vs in vmspaces(k) if vs.pmap is not k.kpmap]
    live = {id(vs) for vs in spaces}
    for vs in spaces:
        who = next((f"pid {p.pid}" for p in k.procs.values() if p.vmspace is vs), "a space")
        ptes = {va: (pa, pte) for va, pa, pte in vs.pmap.mappings()}
        for va in vs.resident.keys() - ptes.keys():
            pte = vs.pmap.lookup(va)
            has = "no valid PTE there" if pte is None else \
                f"PTE {pte:#x} there, no leaf a walk would use (no R, W or X: the MMU faults on it)"
            out.append(f"ptes: {who} lists {va:#x} as resident, but its page table has {has}")
        for va, (pa, pte) in ptes.items():
            where = f"{who} va {va:#x} -> {pa:#x}"
            if vs.resident.get(va) != pa:
                out.append(f"ptes: {where}: resident says {vs.resident.get(va, 'not resident')!r}")
            if pa not in k.pmem.owner and pa != k.sigcode_object.pages[0]:
                out.append(f"ptes: {where}: the frame is free (use after free)")
            if pa == k.sigcode_object.pages[0] and pte & PTE_W:
                out.append(f"ptes: {where}: the shared page (sigcode, the vDSO clock) is writable")
            if not pte & PTE_U:
                out.append(f"ptes: {where}: a user page without the U bit")
            entry = vs.find(va)
            if entry is None:
                out.append(f"ptes: {where}: no map entry covers the address")
                continue
            extra = pte & (PTE_R | PTE_W | PTE_X) & ~pte_bits(entry.prot)
            if extra:
                out.append(f"ptes: {where}: PTE rights {pte & (PTE_R | PTE_W | PTE_X):#x} exceed "
                           f"{entry.name}'s protection {prot_str(entry.prot)}")
            obj, _idx, chain_pa = vs.lookup_page(entry, va)
            if chain_pa != pa:
                out.append(f"ptes: {where}: the entry's object chain has {chain_pa!r} for this page")
            elif pte & PTE_W and not entry.shared and obj is not entry.object:
                out.append(f"ptes: {where}: writable, but the page belongs to an object below "
                           f"{entry.name}'s top object (copy-on-write broken)")
            page = k.vm_pages.get(pa)
            if page is not None and (vs, va) not in page.pv:
                out.append(f"rmap: {where}: missing from the Page's reverse map")
    for pa, page in k.vm_pages.items():
        for vs, va in page.pv:
            if id(vs) not in live:
                out.append(f"rmap: frame {pa:#x} lists a mapping at {va:#x} in an address space that is gone")
            elif vs.resident.get(va) != pa:
                out.append(f"rmap: frame {pa:#x} lists a mapping at {va:#x} that maps "
                           f"{vs.resident.get(va, 'nothing')!r}")
    return out


def check_tlbs(k) -> list[str]:
    """No hart's TLB holds a user translation the page table has since narrowed, moved or removed.

    An entry may be stale only if a shootdown for it is still queued for that hart
    (k.tlb_mailbox: the hart flushes at its next instruction, when it takes the IPI).
    Entries of address spaces that are gone are harmless: their ASID is not handed
    out again before every TLB is flushed (Kernel.new_pmap).
    """
    out = []
    by_asid: dict[int, list] = {}
    for vs in vmspaces(k):
        if vs.pmap is not k.kpmap:
            by_asid.setdefault(vs.pmap.asid, []).append(vs.pmap)
    rights = PTE_R | PTE_W | PTE_X | PTE_U
    for hart in k.machine.harts:
        queued = k.tlb_mailbox[hart.hartid]
        for e in hart.mmu.entries():
            pmaps = by_asid.get(e.asid, [])
            if e.asid == GLOBAL or e.level != 0 or len(pmaps) != 1:
                continue                               # kernel pages; a dead space; ASIDs that wrapped
            va = e.vpn << PAGE_SHIFT
            if any((qva is None or qva >> PAGE_SHIFT == e.vpn) and (qasid is None or qasid == e.asid)
                   for qva, qasid in queued):
                continue                               # a flush is on its way
            pte = pmaps[0].lookup(va)
            if pte is None or pte >> PTE_PPN_SHIFT != e.ppn or e.pte & rights & ~pte:
                now = "no valid PTE" if pte is None else f"PTE {pte:#x}"
                out.append(f"tlbs: hart {hart.hartid} caches va {va:#x} (asid {e.asid}) -> frame "
                           f"{e.ppn << PAGE_SHIFT:#x} with PTE {e.pte:#x}, but the page table has {now} "
                           f"(a missed shootdown)")
    return out


# -- credentials, files, processes --------------------------------------------------------------
def check_creds(k) -> list[str]:
    """cr_ref of each credential = the processes holding it; p_ucred points at what each holds."""
    out = []
    holders: Counter = Counter()
    for p in k.procs.values():
        if p.pstruct is None or not p.cred_alloc:
            continue
        holders[p.cred_alloc] += 1
        if p.pstruct.p_ucred != dmap(p.cred_alloc):
            out.append(f"creds: pid {p.pid}: p_ucred is {p.pstruct.p_ucred:#x}, expected {dmap(p.cred_alloc):#x}")
    for job in k.aio.jobs.values():                     # a pending aio job holds its submitter's
        if not job.done:                                # credential too (kern/vfs_aio.py)
            holders[job.cred.addr] += 1
    for addr, n in holders.items():
        if addr not in k.pmem.heap_used:
            out.append(f"creds: the credential at {addr:#x} (held by {n}) was freed")
            continue
        ref = Ucred(k, addr).view.cr_ref
        if ref != n:
            out.append(f"creds: the credential at {addr:#x} has cr_ref {ref}, expected {n} (processes holding it)")
    return out


def open_files(k) -> list:
    """Every open File reachable from a descriptor table or held by an aio request (each once)."""
    files = {id(f): f for p in all_procs(k) if p.fdtable is not None for _, f in p.fdtable.items()}
    files.update((id(j.file), j.file) for j in k.aio.jobs.values() if j.file is not None)
    return list(files.values())


def check_files(k) -> list[str]:
    """A File's refs = the descriptors (and aio requests) pointing at it; a pipe's reader/writer counts = its open ends."""
    out = []
    descriptors: Counter = Counter(id(f) for p in all_procs(k) if p.fdtable is not None
                                   for _, f in p.fdtable.items())
    descriptors.update(id(j.file) for j in k.aio.jobs.values() if j.file is not None)   # a pending aio
    #                                                   job holds its file as a descriptor would (vfs_aio.py)
    ends: dict[int, Counter] = {}
    pipes = {}
    for f in open_files(k):
        if f.refs != descriptors[id(f)]:
            out.append(f"files: {f.describe()} has refs {f.refs}, expected {descriptors[id(f)]} descriptors")
        if f.closed:
            out.append(f"files: {f.describe()} is closed but a descriptor still points at it")
        if isinstance(f, PipeFile):
            pipes[id(f.pipe)] = f.pipe
            ends.setdefault(id(f.pipe), Counter())[f.end] += 1
    for key, pipe in pipes.items():
        if (pipe.readers, pipe.writers) != (ends[key]["r"], ends[key]["w"]):
            out.append(f"files: pipe {pipe.id} counts {pipe.readers} readers and {pipe.writers} writers, "
                       f"expected {ends[key]['r']} and {ends[key]['w']} (open ends)")
    return out


def check_tree(k) -> list[str]:
    """The directory tree: no directory reached twice, ".." right, every link count right."""
    out = []
    root = k.vfs.root
    if root.parent is not root:
        out.append("tree: the parent of / is not / itself")
    names: Counter = Counter()                  # vnode -> directory entries naming it
    vnodes: dict[int, object] = {}
    stack = [("", root)]
    seen = {id(root)}
    while stack:
        path, d = stack.pop()
        subdirs = 0
        for name, child in d.entries.items():
            names[id(child)] += 1
            vnodes[id(child)] = child
            if not child.is_dir():
                continue
            subdirs += 1
            if id(child) in seen:
                out.append(f"tree: directory {path}/{name} is reached twice (a cycle, or a hard link to it)")
                continue
            seen.add(id(child))
            if child.parent is not d:
                out.append(f"tree: the \"..\" of {path}/{name} is not {path or '/'}")
            stack.append((f"{path}/{name}", child))
        if d.nlink != 2 + subdirs:
            out.append(f"tree: directory {path or '/'} has nlink {d.nlink}, expected {2 + subdirs} "
                       f"(2 + its subdirectories)")
    for key, n in names.items():
        vp = vnodes[key]
        if not vp.is_dir() and vp.nlink != n:
            out.append(f"tree: inode {vp.ino} has nlink {vp.nlink}, expected {n} (the names it has)")
    return out


def check_procs_and_threads(k) -> list[str]:
    """Parent/child links, zombies, and each thread's state against the scheduler's queues."""
    out = []
    for pid, p in k.procs.items():
        if p.pid != pid:
            out.append(f"procs: k.procs[{pid}] is pid {p.pid}")
        if p.parent is not None and p not in p.parent.children:
            out.append(f"procs: pid {pid} is not among its parent {p.parent.pid}'s children")
        for c in p.children:
            if c.parent is not p or k.procs.get(c.pid) is not c:
                out.append(f"procs: pid {pid} lists child {c.pid}, whose parent is "
                           f"{c.parent.pid if c.parent else None} (or which is gone)")
        if p.state is ProcState.ZOMBIE:
            if p.xstat is None or p.vmspace is not None or any(t.state is not ThreadState.DEAD for t in p.threads):
                out.append(f"procs: zombie {pid} still has an address space, a live thread or no status")
        elif p.state is ProcState.ACTIVE:
            if p.vmspace is None or not any(t.state is not ThreadState.DEAD for t in p.threads):
                out.append(f"procs: active pid {pid} has no address space or no live thread")
        else:
            out.append(f"procs: pid {pid} is {p.state.value} between two traps")
    sched = k.sched
    queued = Counter(map(id, sched.runq))
    sleeping = Counter(id(td) for q in sched.sleepers.values() for td in q)
    running = {id(hs.curthread) for hs in k.percpu}
    for td in all_threads(k):
        if td.proc is k.proc0:
            continue                                   # the idle threads: RUNNING whenever their hart idles
        name = f"thread {td.proc.pid}.{td.tid}"
        want = {ThreadState.RUNNABLE: (1, 0), ThreadState.SLEEPING: (0, 1)}.get(td.state, (0, 0))
        if (queued[id(td)], sleeping[id(td)]) != want:
            out.append(f"threads: {name} is {td.state.value} but is on the run queue {queued[id(td)]} "
                       f"times and on sleep queues {sleeping[id(td)]} times")
        if td.state is ThreadState.SLEEPING and td not in sched.sleepers.get(td.wchan, []):
            out.append(f"threads: {name} sleeps on {td.wchan!r} but is not on that channel's queue")
        if (td.state is ThreadState.RUNNING) != (id(td) in running):
            out.append(f"threads: {name} is {td.state.value}, and "
                       f"{'is' if id(td) in running else 'is not'} some hart's current thread")
    return out
