"""oskit.kernel.security: (map to be written)"""
