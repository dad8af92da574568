"""The check for the exercise of chapter 6's "Stubs as RPC" section (notebooks/06-invocation*).

Same contract as checks.py: the check takes the reader's answer, finds the truth
with the real tools (here makesyscalls, which turns the line into what crosses
the wire), and returns a ``Verdict``; it never raises on a bad answer.

    check_readlink_annotation(line)   annotate readlink(2) so that it can be forwarded
"""

from __future__ import annotations

from oskit.book.checks import Verdict, _not_answered
from oskit.kernel.kern import makesyscalls

# readlink(path, buf, count): reads the path, writes at most count bytes into buf,
# returns how many. What each argument must carry, and why, for the verdict.
READLINK_WIRE = {
    "path": ("in_string", None, "the server must receive the path: a NUL-terminated string the call reads (_In_z_)"),
    "buf": ("out_bytes", "count", "the call writes up to count bytes into buf, which come back "
            "(_Out_writes_bytes_(count), or _Out_writes_z_(count) as FreeBSD writes it)"),
    "count": ("scalar", None, "a number: it travels as it is"),
}


def check_readlink_annotation(line) -> Verdict:
    """``line``: the prototype of readlink with FreeBSD's annotations, e.g.
    ``{ ssize_t readlink(_In_z_ const char *path, ... char *buf, size_t count); }``."""
    if line is None or line is ... or (isinstance(line, str) and not line.strip()):
        return _not_answered("write readlink's annotated prototype as a string")
    if not isinstance(line, str):
        return Verdict(False, f"expected the prototype as a string, found {type(line).__name__}")
    text = line.strip()
    if not text.startswith("{"):
        text = "{ " + text
    if not text.endswith("}"):
        text = text + " }"
    master = "0\tAUE_NULL\tUNIMPL\tsyscall\n1\tAUE_READLINK\tSTD\t" + text + "\n"
    try:
        entry = next(e for e in makesyscalls.parse(master, "your line") if e.type == "STD")
    except makesyscalls.MasterError as e:
        return Verdict(False, "makesyscalls cannot read the line", [e.message])
    if entry.name != "readlink":
        return Verdict(False, f"this is a prototype of {entry.name}, not of readlink")
    got_names = [a.name for a in entry.args]
    if got_names != list(READLINK_WIRE):
        return Verdict(False, f"readlink's arguments are (path, buf, count); your line has {tuple(got_names)}")
    if entry.ret != "ssize_t":
        return Verdict(False, f"readlink returns ssize_t (how many bytes it wrote), your line says {entry.ret}")
    wire = makesyscalls.marshalling(entry)
    if wire is None:
        missing = [a.name for a in entry.args if a.is_pointer and not a.annotation]
        why = (f"no annotation on {', '.join(missing)}: nobody knows what it points at" if missing
               else "an annotation makesyscalls cannot carry (see MARSHAL_KINDS): "
               + ", ".join(f"{a.name}: {a.annotation}" for a in entry.args if a.annotation))
        return Verdict(False, "the call cannot be forwarded yet", [why])
    wrong = []
    for (name, kind, size, _optional) in wire:
        want_kind, want_size, why = READLINK_WIRE[name]
        if (kind, size) != (want_kind, want_size):
            shown = kind + (f"({size})" if size else "")
            wrong.append(f"{name} would travel as {shown}; {why}")
    if wrong:
        return Verdict(False, "the annotations do not say what readlink does with its memory", wrong)
    return Verdict(True, "readlink can be forwarded: the path goes to the server, up to count "
                   "bytes of buf come back, count travels as a number",
                   [f"{n}: {k}" + (f", size from {s}" if s else "") for n, k, s, _o in wire])
