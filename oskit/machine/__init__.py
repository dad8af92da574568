"""oskit.machine: a RISC-V board (RV64IMA, M/S/U, Sv39) modelled on QEMU's ``virt``.

The map, one module per block of hardware:

- ``machine.py``  Machine: builds the board, loads programs, runs the harts round-robin,
                  keeps time deterministic; RunResult
- ``cpu.py``      Hart: registers, fetch/decode/execute, run(n), step(), call()
- ``blocks.py``   the block translator: runs of instructions as one Python function (the fast path)
- ``decode.py``   the instruction table: decoding, execution and disassembly from one source
- ``csr.py``      control and status registers
- ``trap.py``     Trap and its kinds, cause codes and their names; taking traps and interrupts
- ``sv39.py``     the Sv39 layout, PTE bits, and the walk as pure functions (walk, leaves)
- ``mmu.py``      Sv39 translation as hardware: permissions, A/D bits, the TLB and its counters
- ``trigger.py``  debug triggers (Sdtrig): hardware breakpoints on instruction addresses
- ``choices.py``  every choice the specification leaves to an implementation, in one place
- ``bus.py``      the physical address space: RAM and memory-mapped devices; BusError
- ``clint.py``    timer (mtime, mtimecmp) and software interrupts (msip) per hart
- ``plic.py``     external interrupts routed to harts (M and S contexts)
- ``uart.py``     16550A serial port and the Console its output goes to
- ``htif.py``     the ``tohost`` convention that ends bare-metal programs
- ``elf.py``      ELF loading; ElfError
- ``events.py``   what the machine tells observers (trap, xret, walk, mmio, ...)
- ``hostcall.py`` Python functions that S-mode guest code calls like C functions
- ``snapshot.py`` snapshots: RAM page by page, objects restored in place; state_hash
- ``history.py``  step_back(): automatic snapshots and a log of steps, replayed
- ``inject.py``   interrupts injected at an exact instret (schedule_interrupt, instret_at)

The hardware knows nothing about any kernel.
"""

from oskit.machine.bus import BusError
from oskit.machine.elf import ElfError, ElfImage
from oskit.machine.events import EventBus
from oskit.machine.hostcall import HOSTCALL_BASE, HOSTCALL_END, JUMPED
from oskit.machine.machine import Machine, RunResult
from oskit.machine.trap import Priv
from oskit.machine.uart import Console

__all__ = [
    "Machine",
    "RunResult",
    "Priv",
    "BusError",
    "ElfError",
    "ElfImage",
    "EventBus",
    "Console",
    "HOSTCALL_BASE",
    "HOSTCALL_END",
    "JUMPED",
]

