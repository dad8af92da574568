"""oskit.kernel.riscv: (map to be written)"""
