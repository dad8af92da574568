"""oskit.lab: (map to be written)"""
