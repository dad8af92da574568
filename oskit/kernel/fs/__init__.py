"""oskit.kernel.fs: (map to be written)"""
