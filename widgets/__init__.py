"""Views of oskit's machine and kernel, as ipywidgets. A view only looks: it never changes what it shows."""
