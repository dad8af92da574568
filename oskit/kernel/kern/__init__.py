"""oskit.kernel.kern: (map to be written)"""
