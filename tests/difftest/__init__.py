"""Differential testing of oskit's machine against QEMU: random programs, run on both, compared.

The map:

- ``asm.py``      a small two-pass assembler (labels, la/li/j/csrr/csrw) over
                  tests/machine/mc_asm.py, which encodes from the spec's tables and
                  never looks at oskit's decoder (a second reading of the spec)
- ``gen.py``      Sequence: one random RV64IMA + Zicsr instruction sequence with the
                  machine state it starts from (privilege mode, Sv39 page tables,
                  delegation, registers, data pages); Batch: many sequences and the
                  harness that runs them one after another, as one bare-metal image
- ``run.py``      run a Batch on QEMU and on oskit's Machine, compare the state each
                  sequence left behind, and explain the first difference

``tools/qemudiff.py`` is the command line (millions of sequences);
``tests/machine/test_qemu_diff.py`` runs a few hundred in CI.

It lives under tests/ (not tools/) because it is test code that the pytest
imports, and it reuses the test assembler in tests/machine/.
"""

import sys
from pathlib import Path

# mc_asm.py is a module of the machine tests (pytest puts tests/machine on the path for them);
# the command-line tool imports this package without pytest, so put it there too.
_MACHINE_TESTS = str(Path(__file__).resolve().parent.parent / "machine")
if _MACHINE_TESTS not in sys.path:
    sys.path.append(_MACHINE_TESTS)
