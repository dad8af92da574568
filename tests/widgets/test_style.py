"""The shared look and the rules every view follows (docstring, example, what it shows as argument)."""

import inspect
import re

import widgets
from widgets import style
from widgets.base import View


def test_every_colour_is_a_jupyterlab_theme_variable():
    """Each colour in the style sheet is var(--jp-...) with a fallback, so it follows light and dark themes."""
    sheet = style.CSS
    bare = re.sub(r"var\(--jp-[a-z0-9-]+, [^)]*\)", "VAR", sheet)
    bare = re.sub(r"color-mix\(in srgb, VAR \d+%, transparent\)", "VAR", bare)
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", bare), "a colour outside var(--jp-...)"
    assert not re.search(r"\b(rgb|hsl)a?\(", bare)
    found = re.findall(r"(?:^|[;{\s])(color|background|fill|stroke): ([^;]+);", sheet)
    assert len(found) > 10
    for prop in found:
        value = re.sub(r"^color-mix\(in srgb, (var\(--jp-[^)]*\)) \d+%, transparent\)$", r"\1", prop[1])
        assert value.startswith("var(--jp-") or value in ("none", "currentColor"), prop


def test_every_class_is_prefixed():
    """Every selector in the sheet is an oskit- class (the sheet never restyles the rest of the page)."""
    for rule in re.findall(r"([^{}]+)\{", style.CSS):
        for selector in rule.split(","):
            first = selector.split()[0]
            assert first.startswith(".oskit-"), selector


def test_html_helpers_escape_and_group():
    """esc() escapes markup; hexw() zero-pads and groups digits by four."""
    assert style.esc('<b a="1">&') == "&lt;b a=&quot;1&quot;&gt;&amp;"
    assert style.hexw(0x8000_0000) == "0x0000_0000_8000_0000"
    assert style.hexw(0x1000, 9) == "0x0_0000_1000"
    assert style.hexw(None) == "-"
    assert "<script" not in style.table(["a"], [[style.esc("<script>")]])


def test_every_view_has_a_docstring_an_example_and_takes_what_it_shows():
    """Each exported view: a one-line summary, an Example:: block, and a required first argument."""
    for name in widgets.__all__:
        cls = getattr(widgets, name)
        assert issubclass(cls, View), name
        doc = inspect.getdoc(cls)
        assert doc and len(doc.splitlines()[0]) <= 110 and doc.splitlines()[0].endswith("."), name
        assert "Example::" in doc, f"{name} has no example in its docstring"
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        assert params and params[0].default is inspect.Parameter.empty, f"{name}: first argument must be required"
