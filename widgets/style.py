"""One look for every view: a style sheet over JupyterLab's theme variables, and HTML helpers.

Colours come from JupyterLab's CSS variables, so a view reads the same in
the light and the dark theme; each has a fallback for pages outside
JupyterLab (a static HTML export of a notebook with saved widget state):

    --jp-ui-font-color1     text                 --jp-layout-color1    background
    --jp-ui-font-color2     secondary text       --jp-layout-color2    table headers, panels
    --jp-brand-color1       the current thing    --jp-border-color2    grid lines
                            (a tint of it behind the theme's text)
    --jp-warn-color1        changed since the last step (a tint of it behind the theme's text)
    --jp-error-color1       faults, errors       --jp-success-color1   success, "user" mode
    --jp-code-font-family   registers, addresses, disassembly

Highlights are tints (``color-mix`` of a theme colour with transparency)
behind the theme's own text colour, so text keeps its contrast in both
themes; a solid light background would put white text on pale blue in the
dark theme.

Every class is prefixed ``oskit-`` so the sheet never touches the rest of
the page. The sheet travels inside the views' HTML (a ``<style>`` element in
each view's header): no custom JavaScript, nothing to install, and a saved
notebook shows the same look.

Helpers (all return HTML text, with every piece of data escaped):

    esc(text)                  HTML-escaped text
    hexw(value, digits=16)     0x-prefixed, zero-padded, in groups of 4 digits
    header(title, subtitle)    a view's title line, carrying the style sheet
    table(header, rows, ...)   a table; a row is a list of cells (already HTML)
    badge(text, kind)          a small label: kind in "", "cur", "chg", "err", "ok", "dim"
"""

from __future__ import annotations

import html

CSS = """
.oskit-view { color: var(--jp-ui-font-color1, #222); background: var(--jp-layout-color1, #fff);
  font-family: var(--jp-ui-font-family, sans-serif); font-size: var(--jp-ui-font-size1, 13px);
  border: 1px solid var(--jp-border-color2, #ddd); border-radius: 4px; padding: 6px 8px;
  max-width: 100%; box-sizing: border-box; }
.oskit-view .widget-html-content { line-height: 1.4; }
.oskit-title { font-weight: 600; font-size: 1.1em; }
.oskit-sub { color: var(--jp-ui-font-color2, #666); font-weight: normal; margin-left: .6em; }
.oskit-code, .oskit-table td.oskit-mono, .oskit-mono { font-family: var(--jp-code-font-family, monospace);
  font-size: var(--jp-code-font-size, 12px); }
.oskit-table { border-collapse: collapse; margin: 4px 0; }
.oskit-table th { background: var(--jp-layout-color2, #eee); color: var(--jp-ui-font-color1, #222);
  text-align: left; padding: 1px 6px; font-weight: 600; }
.oskit-table td { padding: 1px 6px; border-top: 1px solid var(--jp-border-color2, #ddd);
  vertical-align: top; white-space: pre; }
.oskit-dim { color: var(--jp-ui-font-color2, #666); }
.oskit-pre div, .oskit-pre summary { white-space: pre; }
.oskit-chg { background: color-mix(in srgb, var(--jp-warn-color1, #f57c00) 30%, transparent); }
.oskit-cur { background: color-mix(in srgb, var(--jp-brand-color1, #1976d2) 28%, transparent);
  font-weight: 600; }
.oskit-err { color: var(--jp-error-color1, #c62828); }
.oskit-ok { color: var(--jp-success-color1, #2e7d32); }
.oskit-badge { display: inline-block; padding: 0 6px; border-radius: 8px; margin: 0 2px;
  border: 1px solid var(--jp-border-color1, #bbb); font-size: .9em; }
.oskit-badge.oskit-cur { border-color: var(--jp-brand-color1, #1976d2); }
.oskit-badge.oskit-err { border-color: var(--jp-error-color1, #c62828); }
.oskit-badge.oskit-ok { border-color: var(--jp-success-color1, #2e7d32); }
.oskit-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(21em, max-content));
  column-gap: 14px; }
.oskit-grid span { white-space: pre; }
.oskit-term { font-family: var(--jp-code-font-family, monospace); white-space: pre-wrap;
  background: var(--jp-layout-color0, #fff); border: 1px solid var(--jp-border-color2, #ddd);
  padding: 4px; margin: 0; max-height: 24em; overflow-y: auto; }
.oskit-view details { margin-left: 1em; }
.oskit-view summary { cursor: pointer; font-family: var(--jp-code-font-family, monospace);
  white-space: pre; }
.oskit-svg text { fill: var(--jp-ui-font-color1, #222); font-family: var(--jp-ui-font-family, sans-serif);
  font-size: 12px; }
.oskit-svg .oskit-box { fill: var(--jp-layout-color2, #eee); stroke: var(--jp-border-color1, #999); }
.oskit-svg .oskit-box.oskit-lit { fill: color-mix(in srgb, var(--jp-brand-color1, #1976d2) 35%, transparent);
  stroke: var(--jp-brand-color1, #1976d2); stroke-width: 2.5; }
.oskit-svg .oskit-arrow { stroke: var(--jp-ui-font-color2, #666); fill: none; stroke-width: 1.5; }
.oskit-svg .oskit-arrow.oskit-lit { stroke: var(--jp-brand-color1, #1976d2); stroke-width: 3; }
"""

STYLE = f"<style>{CSS}</style>"


def esc(text) -> str:
    """`text` (anything; str() is taken) with &, < and > escaped for HTML."""
    return html.escape(str(text), quote=True)


def hexw(value: int | None, digits: int = 16) -> str:
    """`value` as 0x-prefixed hex, zero-padded to `digits`, grouped by 4 with '_' ("-" for None)."""
    if value is None:
        return "-"
    text = f"{value:0{digits}x}"
    groups = [text[max(0, i - 4):i] for i in range(len(text), 0, -4)][::-1]
    return "0x" + "_".join(groups)


def header(title: str, subtitle: str = "") -> str:
    """A view's title line (with the style sheet, so every view carries the look it needs)."""
    sub = f'<span class="oskit-sub">{esc(subtitle)}</span>' if subtitle else ""
    return f'{STYLE}<div class="oskit-title">{esc(title)}{sub}</div>'


def badge(text: str, kind: str = "") -> str:
    """A small rounded label; kind "cur" (current), "chg" (changed), "err", "ok", "dim" or ""."""
    cls = f" oskit-{kind}" if kind else ""
    return f'<span class="oskit-badge{cls}">{esc(text)}</span>'


def table(head: list[str], rows: list[list[str]], row_classes: list[str] | None = None,
          cls: str = "") -> str:
    """An HTML table: `head` is plain text, each row a list of cells that are already HTML.

    row_classes[i] (e.g. "oskit-cur") is put on row i; cls on the table itself.
    """
    out = [f'<table class="oskit-table {cls}"><tr>']
    out += [f"<th>{esc(h)}</th>" for h in head]
    out.append("</tr>")
    for i, row in enumerate(rows):
        rc = row_classes[i] if row_classes and row_classes[i] else ""
        out.append(f'<tr class="{rc}">' if rc else "<tr>")
        out += [f"<td>{cell}</td>" for cell in row]
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)
