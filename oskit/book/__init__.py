"""oskit.book: small helpers the chapters (notebooks/) use, importable without Jupyter.

The map:

    checks.py   the exercises' checks for chapters 0-2: each ``check_...()`` runs the
                real machine or kernel, compares with the reader's answer, and returns
                a Verdict that says what is right or wrong, and why.
    checks_kernel.py   the same for chapters 3, 4 and 7, plus elf_code() (a function's instructions
                from an ELF, disassembled) and run_program() (compile, install, run).

Nothing here imports ipywidgets: a check works the same in a notebook, a script or a test.
"""
