"""oskit.kernel.vm: virtual memory, machine-independent (FreeBSD's sys/vm/).

    pmem.py      page frames and the kmalloc heap, in guest RAM (vm_phys, kern_malloc)
    object.py    VMObject, AnonObject (zero fill, shadows), VnodeObject (a file's pages), Page (vm_object, vm_page)
    map.py       VMEntry, VMSpace: a process's map; fork's copy-on-write (vm_map)
    fault.py     vm_fault(): the page-fault handler's entry, its accounting and probe (vm_fault)
    pager.py     the clock pager and swap, when frames run low (vm_pageout, swap_pager)
    stats.py     VMStats: the system-wide counters, k.vmstats (vmmeter)
    sys_mman.py  mmap, munmap, mprotect, msync, madvise, mincore (vm_mmap)

The page tables themselves are machine-dependent: riscv/pmap.py (Sv39) and
riscv/tlb.py (shootdowns). The address-space layout is in param.py.

The pieces, as in BSD's VM (vm_map / vm_object / vm_page / pmap):

- ``Pmap``: one Sv39 page table in guest memory, which the MMU walks. Python
  writes PTEs here; the hardware only ever sees this, and sets A and D in it.
- ``VMObject``: where the contents of pages come from. ``AnonObject``: zero
  fill, or a *shadow* of another object (``backing_object`` at
  ``backing_offset``): copy-on-write keeps its own modified pages and reads
  the rest through the chain below it. ``VnodeObject``: the pages of a file.
  An object keeps the frames it holds by page index (``pages``) and the
  pages the pager sent to swap (``swap``).
- ``Page``: one frame holding one object page, with its reverse map (every
  address space and address that maps it), so the pager can unmap it.
- ``VMEntry``: a range [start, end) of one address space: protection,
  maximum protection, inheritance (what fork does), the object and the
  offset of ``start`` in it.
- ``VMSpace``: the entries of one process plus its Pmap and its resident
  pages. ``fault()`` is the page-fault handler; ``copy_into()`` is fork
  (copy-on-write); ``unmap``/``protect`` split and merge entries.

Copy-on-write, as BSD does it. fork gives the parent's entry and the child's
entry each a new, empty shadow object over the entry's old object, and
write-protects every resident page in both page tables::

    parent entry ─> shadow P ─┐                    a read: the page is found below,
                              ├─> old object         mapped read-only
    child entry  ─> shadow C ─┘   (pages shared)   a write: copied into the shadow
                                                     ("copy"), mapped read-write

When one side goes away (exit, execve), the old object has a single shadow
left: its pages move up into that shadow (a *collapse*), so chains stay
short however many children a shell forks.

Fault resolutions (the "fault" probe's ``how``, k.vmstats): "zero" (a fresh
zero page), "file" (read from the file: major), "swap" (back from swap:
major), "copy" (copy-on-write), "mapped" (the page was resident, only the
PTE was missing or read-only).

Kernel-wide state lives on the kernel (made by ``vm_init``, called by boot
right after physical memory is set up): ``k.vmstats`` (counters), ``k.pager``
(pager.py: the clock and swap), ``k.vm_pages`` (frame -> Page).
"""
