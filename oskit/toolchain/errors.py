"""Compile and link errors, with the compiler's own diagnostics.

    Exception
      └── CompileError        the compiler or the linker said no
          .diagnostics        list of Diagnostic(file, line, column, severity, message)
          .stderr             the compiler's raw output (file names as the user gave them)

A Diagnostic comes from a clang line such as::

    hello.c:3:5: error: use of undeclared identifier 'y'

or from a linker message (ld.lld, as zig runs it)::

    error: ld.lld: undefined symbol: foo
        note: referenced by hello.c:3

which becomes Diagnostic(file="hello.c", line=3, column=None, severity="error",
message="undefined symbol: foo").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# file:line:col: severity: message     (clang)
_CLANG = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<sev>fatal error|error|warning|note): (?P<msg>.*)$"
)
# error: ld.lld: message   or   ld.lld: error: message
_LINKER = re.compile(r"^(?:error: )?ld\.lld: (?:error: )?(?P<msg>.*)$")
# note: referenced by file.c:12   /   >>> referenced by file.c:12
_REFERENCED = re.compile(r"referenced by (?P<file>[^\s:]+):(?P<line>\d+)")


@dataclass(frozen=True)
class Diagnostic:
    """One message from the compiler or linker."""

    file: str | None
    line: int | None
    column: int | None
    severity: str          # "error", "fatal error", "warning" or "note"
    message: str

    def __str__(self) -> str:
        where = self.file or "<link>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"


def parse_diagnostics(stderr: str) -> list[Diagnostic]:
    """Pick the compiler's and the linker's messages out of its output."""
    found: list[Diagnostic] = []
    for raw in stderr.splitlines():
        line = raw.strip()
        m = _CLANG.match(line)
        if m:
            found.append(Diagnostic(m["file"], int(m["line"]), int(m["col"]),
                                    m["sev"], m["msg"]))
            continue
        m = _LINKER.match(line)
        if m:
            found.append(Diagnostic(None, None, None, "error", m["msg"]))
            continue
        m = _REFERENCED.search(line)
        if m and found and found[-1].file is None and found[-1].line is None:
            # The first "referenced by" tells where an undefined symbol is used.
            last = found.pop()
            found.append(Diagnostic(m["file"], int(m["line"]), None,
                                    last.severity, last.message))
    return found


class CompileError(Exception):
    """The compiler or the linker rejected a program.

    ``diagnostics`` holds the parsed messages (file, line, column, severity,
    message); ``stderr`` the compiler's whole output. ``str()`` shows the
    errors first, then the raw output.
    """

    def __init__(self, stderr: str, *, command: str = "zig cc", name: str = ""):
        self.stderr = stderr
        self.command = command
        self.name = name
        self.diagnostics = parse_diagnostics(stderr)
        super().__init__(self._text())

    @property
    def errors(self) -> list[Diagnostic]:
        """Only the diagnostics of severity error or fatal error."""
        return [d for d in self.diagnostics if "error" in d.severity]

    def _text(self) -> str:
        what = f"building {self.name!r}" if self.name else "building"
        errors = self.errors
        head = f"{what} failed with {len(errors)} error{'s' if len(errors) != 1 else ''}"
        lines = [head + ":"] + [f"  {d}" for d in errors]
        lines += ["", f"{self.command} said:", self.stderr.rstrip()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """How a notebook shows the error: the messages, then the raw output."""
        rows = "".join(
            f"<li><code>{html.escape(str(d))}</code></li>" for d in self.errors
        )
        return (
            f'<div class="oskit-compile-error"><b>CompileError</b>'
            f"{' in ' + html.escape(self.name) if self.name else ''}"
            f"<ul>{rows}</ul>"
            f"<pre>{html.escape(self.stderr.rstrip())}</pre></div>"
        )
