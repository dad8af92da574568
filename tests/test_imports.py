"""The shape of the code: no import cycle, the kernel imports neither the lab nor the views, no giant module.

The import graph counts every import, at module level and inside functions:
an import moved into a function to dodge a cycle is still a cycle in the
design (a constant or a type in the wrong layer).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("oskit", "widgets")
MAX_LINES = 1000


def modules() -> dict[str, Path]:
    """Every module of oskit and widgets: dotted name -> file."""
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ours that ``name`` imports, anywhere in its file.

    ``from pkg import x`` is an edge to ``pkg.x`` when that is a module, else to ``pkg``.
    Importing a submodule runs its package's __init__ too, but so does every import
    of it, so that edge is left out (as linters do).
    """
    is_package = path.name == "__init__.py"
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = name.split(".") if is_package else name.split(".")[:-1]
                base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module
            out.update(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names)
    return {m for m in out if m in known and m != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a list of modules (first == last), or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    color = dict.fromkeys(edges, WHITE)
    stack: list[str] = []

    def visit(v):
        color[v] = GREY
        stack.append(v)
        for w in sorted(edges[v]):
            if color[w] == GREY:
                return stack[stack.index(w):] + [w]
            if color[w] == WHITE and (cycle := visit(w)):
                return cycle
        stack.pop()
        color[v] = BLACK
        return None

    for v in sorted(edges):
        if color[v] == WHITE and (cycle := visit(v)):
            return cycle
    return None


def test_the_import_graph_has_no_cycle():
    """No module of oskit or widgets reaches itself through imports, counting imports inside functions."""
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_find_cycle_finds_one():
    """The cycle finder itself: a -> b -> c -> a is found, a DAG is not."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


@pytest.mark.parametrize("outside", ["oskit.lab", "oskit.cli", "oskit.magic", "oskit.book", "widgets"])
def test_the_kernel_never_imports_what_sits_on_top_of_it(outside):
    """oskit.kernel imports neither the security lab, nor the front ends, nor the book, nor the views."""
    edges = graph()
    bad = sorted(f"{m} -> {t}" for m, ts in edges.items() if m.startswith("oskit.kernel")
                 for t in ts if t == outside or t.startswith(outside + "."))
    assert not bad, bad


def test_the_bottom_layer_imports_no_kernel_module():
    """param, errno and structs are the bottom: any kernel module may import them, so they import none."""
    edges = graph()
    for bottom in ("oskit.kernel.param", "oskit.kernel.errno", "oskit.kernel.structs"):
        assert not {t for t in edges[bottom] if t.startswith("oskit.kernel")}, bottom
    assert {t for t in edges["oskit.kernel.kern.syscall"] if t.startswith("oskit.kernel")} <= {"oskit.kernel.errno"}


def test_only_riscv_writes_control_registers():
    """Machine-independent kernel code never writes a CSR: it asks riscv/cpu.py (or trap entry, copy) for an effect."""
    writers = sorted(str(p.relative_to(REPO)) for p in (REPO / "oskit" / "kernel").rglob("*.py")
                     if "csr.write(" in p.read_text() and p.parent.name != "riscv")
    assert writers == []


def test_no_module_is_over_a_thousand_lines():
    """A module a student reads stays under 1,000 lines (generated tables excepted)."""
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text().splitlines())) > MAX_LINES and "DO NOT EDIT" not in path.read_text()[:200]}
    assert long == {}
