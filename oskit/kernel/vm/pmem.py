"""Physical memory: page frames and the kernel heap (kmalloc), all in guest RAM.

    RAM_BASE ─┬──────────────────────────┐
              │ kernel image             │  trampoline page, sigcode page
              ├──────────────────────────┤
              │ kmalloc heap             │  trap frames, ucreds, small kernel structs
              ├──────────────────────────┤
              │ page frames              │  page tables, kernel stacks, user pages
    RAM end  ─┴──────────────────────────┘

Frames are handed out last-freed-first. A frame is zeroed when it is handed
out, so one process never sees what another left behind; ``zero_frames=False``
turns that off (the confidentiality chapter shows the leak it causes).

When the free list falls to RESERVE_FRAMES, ``alloc_frame`` first asks the
pager (``reclaim``, set by the Kernel: pager.py's clock) to evict pages; the
last few frames are kept for page tables and kernel stacks.

The kmalloc heap is a first-fit allocator over a fixed region, 16-byte
aligned; its bookkeeping stays in Python, the memory it hands out is guest RAM.
"""

from __future__ import annotations

from oskit.kernel.param import PAGE_SIZE

RESERVE_FRAMES = 16            # below this many free frames, the pager runs first


class OutOfMemory(Exception):
    """No free frame (or heap space) is left: the caller decides who pays (ENOMEM, or kill)."""


class PhysMem:
    """Frame allocator and kmalloc heap over one machine's RAM."""

    def __init__(self, ram, reserved: int, heap_size: int, zero_frames: bool = True):
        self.ram = ram                              # machine.bus.ram: .data, .base, .size
        self.base = ram.base
        self.zero_frames = zero_frames
        self.image_end = ram.base + reserved        # [base, image_end): kernel image
        self.heap_start = self.image_end
        self.heap_end = self.heap_start + heap_size
        first = self.heap_end
        last = ram.base + ram.size
        if first >= last:
            raise ValueError(f"RAM of {ram.size} bytes is too small for the kernel "
                             f"(needs more than {first - ram.base})")
        # Free frames, the lowest address on top, so boots are deterministic.
        self.free = list(range(last - PAGE_SIZE, first - PAGE_SIZE, -PAGE_SIZE))
        self.nframes = len(self.free)
        self.owner: dict[int, str] = {}            # frame -> what it is used for (for the views)
        # kmalloc: sorted free blocks [(addr, size)]; allocated addr -> size
        self.heap_free: list[tuple[int, int]] = [(self.heap_start, heap_size)]
        self.heap_used: dict[int, int] = {}
        self.zeroed = 0
        self.reclaim = None                         # the pager: called when frames run low
        self.clock = None                           # the kernel's KernelClock: zeroing a frame takes time
        self._reclaiming = False

    # -- frames ---------------------------------------------------------------------
    def alloc_frame(self, owner: str = "") -> int:
        """A free 4 KiB frame (zeroed unless zero_frames is off); its physical address."""
        if len(self.free) <= RESERVE_FRAMES and self.reclaim is not None and not self._reclaiming:
            self._reclaiming = True                 # the pager itself never needs a frame
            try:
                self.reclaim()
            finally:
                self._reclaiming = False
        if not self.free:
            raise OutOfMemory(f"no free page frame (all {self.nframes} are in use"
                              + (f"; {self.reclaim.explain()}" if hasattr(self.reclaim, "explain") else "")
                              + ")")
        pa = self.free.pop()
        if self.zero_frames:
            off = pa - self.base
            self.ram.data[off:off + PAGE_SIZE] = bytes(PAGE_SIZE)
            self.zeroed += 1
            if self.clock is not None:
                self.clock.charge("page_zero")         # kernel time (kern/ktime.py)
        self.owner[pa] = owner
        return pa

    def free_frame(self, pa: int) -> None:
        """Give a frame back; it is zeroed when next handed out."""
        if pa & (PAGE_SIZE - 1) or pa not in self.owner:
            raise ValueError(f"free_frame: {pa:#x} is not an allocated frame")
        del self.owner[pa]
        self.free.append(pa)

    @property
    def free_frames(self) -> int:
        return len(self.free)

    # -- kmalloc --------------------------------------------------------------------
    def kmalloc(self, size: int) -> int:
        """``size`` bytes (16-aligned, zeroed) from the kernel heap; their physical address."""
        if size <= 0:
            raise ValueError(f"kmalloc: size must be positive, found {size}")
        size = (size + 15) & ~15
        for i, (addr, avail) in enumerate(self.heap_free):
            if avail >= size:
                if avail == size:
                    del self.heap_free[i]
                else:
                    self.heap_free[i] = (addr + size, avail - size)
                self.heap_used[addr] = size
                off = addr - self.base
                self.ram.data[off:off + size] = bytes(size)
                return addr
        raise OutOfMemory(f"kmalloc({size}): kernel heap exhausted")

    def kfree(self, addr: int) -> None:
        """Free memory from kmalloc (coalescing with its free neighbours)."""
        size = self.heap_used.pop(addr, None)
        if size is None:
            raise ValueError(f"kfree: {addr:#x} was not returned by kmalloc")
        blocks = self.heap_free
        blocks.append((addr, size))
        blocks.sort()
        merged: list[tuple[int, int]] = []
        for a, s in blocks:
            if merged and merged[-1][0] + merged[-1][1] == a:
                merged[-1] = (merged[-1][0], merged[-1][1] + s)
            else:
                merged.append((a, s))
        self.heap_free = merged
