"""Constants every layer of the kernel may use (FreeBSD's sys/param.h and machine/vmparam.h).

This module is the bottom of the kernel: it imports nothing of the kernel, so
any module may import it. A constant that two subsystems share lives here,
not in one of them (otherwise the lower one would have to import the higher).

The layout of every address space (Sv39: 39-bit virtual addresses, sign-extended)::

    0xFFFF_FFFF_FFFF_FFFF ┬────────────────────────────┐
                          │ host functions (machine)   │ HOSTCALL_BASE.. (never in a page table)
    0xFFFF_FFD0_0000_0000 ├────────────────────────────┤
                          │ DMAP: all of RAM, R/W      │ va = DMAP_BASE + (pa - RAM_BASE)
    0xFFFF_FFC0_0000_0000 ├────────────────────────────┤ KERNBASE
                          │ kernel text: trampoline    │ R/X, no U bit: user code cannot touch it
                          ├ ─ ─ (kernel half, shared by every process: root entries 256..511) ─ ┤
                          │          (hole)            │
    0x0000_0040_0000_0000 ├────────────────────────────┤ VM_MAXUSER_ADDRESS
                          │ shared page: sigcode       │ R/X, U
                          │ stack (grows down, 8 MiB)  │ demand-zero, down to RLIMIT_STACK
                          │ guard (never mapped)       │ a touch here is SIGSEGV
                          │ mmap regions               │ placed above the heap's limit
                          │ heap (break)               │ demand-zero
                          │ bss, data, text            │ from the ELF file, on first touch
    0x0000_0000_0000_1000 │                            │ page 0: never mapped (NULL)
    0x0000_0000_0000_0000 ┴────────────────────────────┘
"""

from __future__ import annotations

# -- pages ----------------------------------------------------------------------------------
PAGE_SHIFT = 12
PAGE_SIZE = 1 << PAGE_SHIFT
PAGE_MASK = PAGE_SIZE - 1


def page_floor(a: int) -> int:
    """The start of the page holding address ``a``."""
    return a & ~PAGE_MASK


def page_ceil(a: int) -> int:
    """``a`` rounded up to a page boundary."""
    return (a + PAGE_MASK) & ~PAGE_MASK


# -- the address-space layout (the picture above) ------------------------------------------------
RAM_BASE = 0x8000_0000                     # where RAM starts in physical memory (QEMU's virt board)
KERNBASE = 0xFFFF_FFC0_0000_0000           # the kernel half starts here
TRAMPOLINE = KERNBASE                      # the trampoline page: uservec, userret, idle
DMAP_BASE = 0xFFFF_FFD0_0000_0000          # the direct map of all RAM
VM_MAXUSER_ADDRESS = 0x40_0000_0000        # first address above the user half
SHAREDPAGE = VM_MAXUSER_ADDRESS - PAGE_SIZE  # sigcode, mapped R/X/U in every process
USRSTACK = SHAREDPAGE                      # the stack grows down from here
MAXSSIZ = 8 << 20                          # largest stack (its entry); below it: unmapped guard
STACK_GUARD = USRSTACK - MAXSSIZ - PAGE_SIZE  # the guard page: mmap never places anything here
USER_MIN = PAGE_SIZE                       # page 0 is never mapped


def dmap(pa: int) -> int:
    """The kernel virtual address of physical address pa (through the direct map; FreeBSD's PHYS_TO_DMAP)."""
    return DMAP_BASE + (pa - RAM_BASE)


# -- memory protection (sys/mman.h) ----------------------------------------------------------
PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC = 0, 1, 2, 4
PROT_ALL = PROT_READ | PROT_WRITE | PROT_EXEC


def prot_str(prot: int) -> str:
    """PROT_* bits as "rwx" text, a dash for each missing right."""
    return ("r" if prot & PROT_READ else "-") + ("w" if prot & PROT_WRITE else "-") + \
           ("x" if prot & PROT_EXEC else "-")


# -- limits --------------------------------------------------------------------------------------
NOFILE = 64                    # descriptors per process (RLIMIT_NOFILE's default); small, for teaching
HEAP_SIZE = 4 << 20            # the kmalloc arena (smaller on a small machine: see Kernel.boot)
IMAGE_PAGES = 2                # kernel image frames at the start of RAM: trampoline, sigcode
