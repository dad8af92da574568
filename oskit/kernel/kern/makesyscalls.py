"""makesyscalls: turn ``syscalls.master`` into the files both sides of the
system-call boundary are built from.

The map:

- :func:`parse` reads the master text into :class:`Entry` rows, checking it
  as it goes (consecutive numbers, known types, well-formed prototypes) and
  raising :class:`MasterError` with the line number when it is not.
- :func:`generate` returns ``{path: text}`` for the four generated files:

  ``oskit/userland/libc/syscalls.S``
      one stub per STD call: number in t0, ``ecall``, ``bnez t0, cerror``.
  ``oskit/userland/include/sys/syscall.h``
      ``#define SYS_fork 2 /* 2 = fork */`` for C programs.
  ``oskit/kernel/kern/syscalls_table.py``
      the kernel's table: for each number, the name, the audit event, the
      argument names, C types and how to decode them, and the trace
      formatter.
  ``oskit/kernel/kern/syscalls_marshal.py``
      for each call whose pointers are all annotated (``_In_z_``,
      ``_Out_writes_bytes_(nbyte)``, ``_Out_ struct stat *``...): what each
      argument carries across a wire, for forwarding (kern/forward.py).

- ``STYLES`` and ``ARG_STYLES`` say which arguments the tracer shows by name
  (O_CREAT|O_TRUNC, SIGTERM); the names and values come from the C headers.
- :func:`write` writes them; :func:`stale` lists the ones that differ from
  what the master file says; :func:`load` makes the running kernel use a
  generated table without writing anything (for notebooks).
  ``python -m oskit.kernel.kern.makesyscalls`` writes, ``--check`` exits 1 and
  names the stale files.

A notebook adds a call like this (the kernel dispatches on the new table at
once; a program calls it with ``syscall(555, 7)`` from <unistd.h>)::

    from oskit.kernel import makesyscalls
    text = makesyscalls.MASTER.read_text() + "555\\tAUE_NULL\\tSTD\\t{ int hello(int x); }\\n"
    makesyscalls.load(makesyscalls.generate(text))      # makesyscalls.load() undoes it

and a developer adding a call for good edits syscalls.master and runs
``python -m oskit.kernel.kern.makesyscalls``, which rewrites the three files.

Generated files begin with ``DO NOT EDIT: generated from syscalls.master by
makesyscalls.py``.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]          # the repository (oskit/kernel/kern/ -> ../../..)
MASTER = Path(__file__).with_name("syscalls.master")

STUBS = "oskit/userland/libc/syscalls.S"
HEADER = "oskit/userland/include/sys/syscall.h"
TABLE = "oskit/kernel/kern/syscalls_table.py"
MARSHAL = "oskit/kernel/kern/syscalls_marshal.py"

BANNER = "DO NOT EDIT: generated from syscalls.master by makesyscalls.py"

TYPES = ("STD", "UNIMPL", "OBSOL", "RESERVED")
TYPE_FLAGS = ("WRAPPED", "CAPENABLED")  # CAPENABLED: FreeBSD's capability mode; accepted, ignored

# FreeBSD annotates pointer arguments (_In_z_, _Out_writes_bytes_(nbyte),
# _Contains_long_ptr_, ...). The C type is what the tracer needs; the
# annotation says what the pointer carries, which forwarding needs (MARSHAL_KINDS).
_ANNOTATION = re.compile(r"\b_(?:In|Out|Inout|Outptr)\w*_?(?:\([^()]*\))?|\b_Contains_\w+")
MAX_ARGS = 8                                        # a0..a7

# What an annotated argument carries across a wire (kern/forward.py):
#   annotation (without _opt_)  -> kind
#   scalar        a number (no annotation, not a pointer)
#   in_string     a NUL-terminated string the call reads
#   in_bytes      `size` bytes the call reads (size: the name of another argument)
#   out_bytes     up to `size` bytes the call writes
#   in_object     one object of `size` bytes the call reads (its C type's size)
#   out_object    one object of `size` bytes the call writes
MARSHAL_KINDS = {
    "_In_z_": "in_string",
    "_In_reads_bytes_": "in_bytes",
    "_In_reads_": "in_bytes",
    "_Out_writes_bytes_": "out_bytes",
    "_Out_writes_": "out_bytes",
    "_Out_writes_z_": "out_bytes",          # ...that the call may end with a NUL
    "_In_": "in_object",
    "_Out_": "out_object",
}
# Sizes of the objects an _In_/_Out_ pointer may point at (FreeBSD riscv64 LP64).
OBJECT_SIZES = {"struct stat *": 224, "off_t *": 8, "int *": 4, "long *": 8}

# How the kernel decodes a 64-bit argument register, per C type:
# (signed?, bits). Pointers are (False, 64) and are not listed here.
SCALARS: dict[str, tuple[bool, int]] = {
    "int": (True, 32),
    "pid_t": (True, 32), "lwpid_t": (True, 32),
    "clockid_t": (True, 32),
    "u_int": (False, 32),
    "uid_t": (False, 32),
    "gid_t": (False, 32),
    "mode_t": (False, 16),
    "long": (True, 64),
    "ssize_t": (True, 64),
    "off_t": (True, 64),
    "u_long": (False, 64),
    "size_t": (False, 64),
}
RETURN_TYPES = set(SCALARS) | {"void"}

# How the tracer shows an argument that holds flags or one of a few named
# values, instead of a bare number: open(..., O_WRONLY|O_CREAT|O_TRUNC, 0644),
# kill(12, SIGTERM). A style names the C header that defines the constants
# and the pattern of their names; the values are read from the header, so the
# trace always agrees with what a C program passes.
#   style: (header, name pattern, "flags" (a bit set) or "enum" (one value))
STYLES: dict[str, tuple[str, str, str]] = {
    "oflags": ("fcntl.h", r"O_[A-Z_]+", "flags"),        # access mode (low 2 bits) | flags
    "atflags": ("fcntl.h", r"AT_[A-Z_]+", "flags"),
    "atfd": ("fcntl.h", r"AT_FDCWD", "enum"),            # a descriptor, or AT_FDCWD
    "pipeflags": ("fcntl.h", r"O_(?:NONBLOCK|CLOEXEC)", "flags"),
    "fcntlcmd": ("fcntl.h", r"F_[A-Z_]+", "enum"),
    "prot": ("sys/mman.h", r"PROT_[A-Z]+", "flags"),
    "mapflags": ("sys/mman.h", r"MAP_[A-Z_0-9]+", "flags"),
    "madv": ("sys/mman.h", r"MADV_[A-Z]+", "enum"),
    "msflags": ("sys/mman.h", r"MS_[A-Z]+", "flags"),
    "signal": ("signal.h", r"SIG[A-Z0-9]+", "enum"),
    "sighow": ("signal.h", r"SIG_(?:BLOCK|UNBLOCK|SETMASK)", "enum"),
    "waitopts": ("sys/wait.h", r"W(?:NOHANG|UNTRACED|CONTINUED|NOWAIT|EXITED|TRAPPED)", "flags"),
    "whence": ("unistd.h", r"SEEK_[A-Z]+", "enum"),
    "amode": ("unistd.h", r"[RWXF]_OK", "flags"),
    "clock": ("time.h", r"CLOCK_[A-Z_]+", "enum"),
    "rusage": ("sys/resource.h", r"RUSAGE_[A-Z]+", "enum"),
    "rlimit": ("sys/resource.h", r"RLIMIT_[A-Z]+", "enum"),
    "ioctl": ("sys/ioctl.h", r"TIOC[A-Z]+", "enum"),
    "umtxop": ("sys/umtx.h", r"UMTX_OP_[A-Z_]+", "enum"),
    "rtpfunc": ("sys/rtprio.h", r"RTP_(?:LOOKUP|SET)", "enum"),
}
#: (call, argument) -> style
ARG_STYLES: dict[tuple[str, str], str] = {
    ("open", "flags"): "oflags", ("openat", "flag"): "oflags", ("openat", "fd"): "atfd",
    ("fstatat", "fd"): "atfd", ("fstatat", "flag"): "atflags", ("pipe2", "flags"): "pipeflags",
    ("fcntl", "cmd"): "fcntlcmd", ("ioctl", "com"): "ioctl", ("lseek", "whence"): "whence",
    ("access", "amode"): "amode",
    ("mmap", "prot"): "prot", ("mprotect", "prot"): "prot", ("mmap", "flags"): "mapflags",
    ("madvise", "behav"): "madv", ("msync", "flags"): "msflags",
    ("kill", "signum"): "signal", ("sigaction", "sig"): "signal", ("sigprocmask", "how"): "sighow",
    ("wait4", "options"): "waitopts", ("clock_gettime", "clock_id"): "clock",
    ("getrusage", "who"): "rusage", ("getrlimit", "which"): "rlimit", ("setrlimit", "which"): "rlimit",
    ("thr_kill", "sig"): "signal", ("_umtx_op", "op"): "umtxop",
    ("rtprio_thread", "function"): "rtpfunc",
}
INCLUDE = ROOT / "oskit" / "userland" / "include"

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_PROTO = re.compile(
    rf"^\{{\s*(?P<ret>{_IDENT}(?:\s*\*)?)\s*(?P<name>{_IDENT})\s*\((?P<args>.*)\)\s*;\s*\}}$")
_ARG = re.compile(rf"^(?P<type>(?:const\s+)?(?:struct\s+)?{_IDENT}(?:\s*\*+\s*|\s+))(?P<name>{_IDENT})$")


class MasterError(ValueError):
    """A malformed line in syscalls.master: ``path:line: message``."""

    def __init__(self, path: str, line: int, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}")


@dataclass(frozen=True)
class Arg:
    """One argument: its name, its C type, and how to decode the register."""
    name: str
    ctype: str
    annotation: str = ""       # FreeBSD's pointer annotation, e.g. "_Out_writes_bytes_(nbyte)"

    @property
    def is_pointer(self) -> bool:
        return self.ctype.endswith("*")

    @property
    def optional(self) -> bool:
        """The annotation allows NULL (``_Out_opt_``)."""
        return "_opt_" in self.annotation

    @property
    def is_string(self) -> bool:
        """A ``const char *``: a NUL-terminated path or name the tracer can show."""
        return self.ctype.replace(" ", "") == "constchar*"

    @property
    def decode(self) -> tuple[bool, int]:
        """(signed, bits) of the value in the register."""
        return (False, 64) if self.is_pointer else SCALARS[self.ctype]


@dataclass(frozen=True)
class Entry:
    """One system call (or a range of unimplemented numbers)."""
    number: int
    last: int                  # == number unless this row is a range N-M
    audit: str
    type: str                  # STD, UNIMPL, OBSOL, RESERVED
    flags: tuple[str, ...]     # e.g. ("WRAPPED",)
    name: str                  # "" for an unnamed range
    ret: str = "int"
    args: tuple[Arg, ...] = ()
    comment: str = ""
    line: int = 0


def _normalize_type(text: str) -> str:
    """'const  char*' -> 'const char *' (one space, star attached on the left)."""
    text = re.sub(r"\s*\*", " *", text.strip())
    text = re.sub(r"\s+", " ", text)
    return text.replace("* *", "**")


def _logical_lines(text: str):
    """Yield (line number, text) with comments dropped and a multi-line
    ``{ ... }`` prototype joined onto the line that opens it."""
    pending, start = None, 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if pending is not None:
            if not line or line.startswith(";"):
                continue
            pending += " " + line
            if "}" in line:
                yield start, pending
                pending = None
            continue
        if not line or line.startswith(";"):
            continue
        if "{" in line and "}" not in line:
            pending, start = line, lineno
            continue
        yield lineno, line
    if pending is not None:
        raise MasterError("syscalls.master", start, "prototype opened with '{' is never closed with '}'")


def _parse_proto(path: str, lineno: int, text: str) -> tuple[str, str, tuple[Arg, ...]]:
    proto = re.sub(r"\s+", " ", text.strip())
    proto = proto.replace("( ", "(").replace(" )", ")").replace(" ;", ";").replace(" ,", ",")
    m = _PROTO.match(proto)
    if not m:
        raise MasterError(path, lineno, "expected a prototype like '{ int name(int fd, void *buf); }', "
                          f"found {proto!r}")
    ret = _normalize_type(m["ret"])
    if ret not in RETURN_TYPES and not ret.endswith("*"):
        raise MasterError(path, lineno, f"unknown return type {ret!r} of {m['name']}: "
                          f"expected one of {', '.join(sorted(RETURN_TYPES))} or a pointer")
    args_text = m["args"].strip()
    args: list[Arg] = []
    if args_text != "void":
        if not args_text:
            raise MasterError(path, lineno, f"{m['name']}() has an empty argument list: write (void)")
        for part in args_text.split(","):
            notes = [a for a in _ANNOTATION.findall(part) if not a.startswith("_Contains_")]
            bare = re.sub(r"\s+", " ", _ANNOTATION.sub(" ", part)).strip()
            am = _ARG.match(bare)
            if not am:
                raise MasterError(path, lineno, f"argument {bare!r} of {m['name']} is not "
                                  "'TYPE NAME' (e.g. 'int fd', 'const char *path')")
            arg = Arg(am["name"], _normalize_type(am["type"]), " ".join(notes))
            if not arg.is_pointer and arg.ctype not in SCALARS:
                raise MasterError(path, lineno, f"unknown type {arg.ctype!r} of argument "
                                  f"{arg.name!r} of {m['name']}: expected a pointer or one of "
                                  f"{', '.join(sorted(SCALARS))}")
            args.append(arg)
        names = [a.name for a in args]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise MasterError(path, lineno, f"{m['name']} has two arguments named {sorted(dup)[0]!r}")
        for arg in args:
            if arg.annotation:
                _marshal_kind(path, lineno, m["name"], arg, names)      # checks it
    if len(args) > MAX_ARGS:
        raise MasterError(path, lineno, f"{m['name']} has {len(args)} arguments; at most {MAX_ARGS} "
                          "fit in a0-a7")
    return ret, m["name"], tuple(args)


def _marshal_kind(path: str, lineno: int, call: str, arg: Arg, names: list[str]) -> tuple[str, object] | None:
    """(kind, size) of an annotated argument; size is another argument's name,
    a byte count, or None. None when we cannot carry it (an annotation such as
    _Inout_ or _Outptr_, or an object whose size OBJECT_SIZES does not know):
    such a line still parses, its call just cannot be forwarded. A size that
    names no argument of the call is a MasterError."""
    m = re.fullmatch(r"(_\w+?_)(?:\((\w+)\))?", arg.annotation.replace("_opt_", "_"))
    kind = MARSHAL_KINDS.get(m[1]) if m else None
    if kind is None or not arg.is_pointer:
        return None
    if kind in ("in_bytes", "out_bytes"):
        if not m[2] or m[2] not in names:
            raise MasterError(path, lineno, f"argument {arg.name!r} of {call}: {arg.annotation} "
                              f"must name the argument that holds the size, one of {names}")
        return kind, m[2]
    if kind in ("in_object", "out_object"):
        size = OBJECT_SIZES.get(arg.ctype.replace("const ", ""))
        return None if size is None else (kind, size)
    return kind, None


def marshalling(entry: Entry) -> tuple[tuple[str, str, object, bool], ...] | None:
    """How each argument of a STD call crosses a wire: (name, kind, size, optional)
    per argument; None if some pointer argument has no annotation (the call
    cannot be forwarded: nobody knows what its pointer points at)."""
    if entry.type != "STD":
        return None
    names = [a.name for a in entry.args]
    rows = []
    for a in entry.args:
        if not a.is_pointer:
            rows.append((a.name, "scalar", None, False))
        else:
            how = _marshal_kind("syscalls.master", entry.line, entry.name, a, names) if a.annotation else None
            if how is None:
                return None
            rows.append((a.name, how[0], how[1], a.optional))
    return tuple(rows)


def parse(text: str, path: str = "syscalls.master") -> list[Entry]:
    """Parse and check the master text; return its rows in number order.

    Raises MasterError naming the line when the numbers are not consecutive
    from 0, a type is unknown, a prototype is malformed, or a name repeats.
    """
    entries: list[Entry] = []
    expected = 0
    seen: dict[str, int] = {}
    for lineno, line in _logical_lines(text):
        if line.startswith("#"):
            continue                    # FreeBSD copies #include lines to its outputs; we have none
        fields = line.split(None, 3)
        if len(fields) < 3:
            raise MasterError(path, lineno, f"expected 'number audit type ...', found {line!r}")
        number_text, audit, type_text = fields[:3]
        rest = fields[3] if len(fields) > 3 else ""
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", number_text)
        if not m:
            raise MasterError(path, lineno, f"expected a system call number or range N-M, found {number_text!r}")
        first = int(m[1])
        last = int(m[2]) if m[2] else first
        if first != expected:
            what = "repeats a number" if first < expected else "leaves a gap"
            raise MasterError(path, lineno, f"numbers must be consecutive: expected {expected}, "
                              f"found {first} ({what}; list missing numbers as 'N-M AUE_NULL UNIMPL')")
        if last < first:
            raise MasterError(path, lineno, f"range {number_text} ends before it starts")
        if not re.fullmatch(r"AUE_[A-Z0-9_]+", audit):
            raise MasterError(path, lineno, f"expected an audit event like AUE_NULL, found {audit!r}")
        kind, *flags = type_text.split("|")
        if kind not in TYPES:
            raise MasterError(path, lineno, f"unknown type {kind!r}: expected one of {', '.join(TYPES)}")
        for flag in flags:
            if flag not in TYPE_FLAGS or kind != "STD":
                raise MasterError(path, lineno, f"unknown flag {flag!r} on {kind}: "
                                  f"only STD takes a flag, one of {', '.join(TYPE_FLAGS)}")
        if kind == "STD":
            if last != first:
                raise MasterError(path, lineno, f"a STD entry is one call, not a range ({number_text})")
            if not rest.startswith("{"):
                raise MasterError(path, lineno, "a STD entry needs a prototype '{ int name(...); }', "
                                  f"found {rest!r}")
            ret, name, args = _parse_proto(path, lineno, rest)
            if name in seen:
                raise MasterError(path, lineno, f"{name} is already system call {seen[name]}")
            seen[name] = first
            entries.append(Entry(first, last, audit, kind, tuple(flags), name, ret, args, line=lineno))
        else:
            if rest.startswith("{"):
                raise MasterError(path, lineno, f"a {kind} entry takes a name and comment, not a prototype")
            words = rest.split(None, 1)
            name = words[0] if words and re.fullmatch(_IDENT, words[0]) and first == last else ""
            comment = (words[1] if name and len(words) > 1 else rest if not name else "").strip()
            entries.append(Entry(first, last, audit, kind, (), name, comment=comment, line=lineno))
        expected = last + 1
    if not entries:
        raise MasterError(path, 1, "no system calls found")
    return entries


def header_constants(header: str, pattern: str) -> list[tuple[str, int]]:
    """The ``#define NAME number`` lines of an include/ header whose NAME matches
    pattern, in file order; a name whose value repeats an earlier one (an alias
    such as O_SYNC for O_FSYNC) is left out."""
    text = (INCLUDE / header).read_text()
    found: list[tuple[str, int]] = []
    seen: set[int] = set()
    for m in re.finditer(rf"^#define\s+({pattern})\s+\(?(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[UL]*\)?(?:\s|$)",
                         text, re.M):
        digits = m[3]
        base = 16 if digits[:2].lower() == "0x" else 8 if digits.startswith("0") and digits != "0" else 10
        value = int(digits, base) * (-1 if m[2] else 1)
        if value not in seen:
            seen.add(value)
            found.append((m[1], value))
    return found


def _style_tables() -> tuple[dict, dict]:
    """(FLAGS, ENUMS) for the generated table: style -> constants."""
    flags, enums = {}, {}
    for style, (header, pattern, kind) in STYLES.items():
        consts = header_constants(header, pattern)
        if style == "oflags":       # the low two bits are one of three access modes, not flags
            enums["accmode"] = {v: n for n, v in consts if n in ("O_RDONLY", "O_WRONLY", "O_RDWR")}
            consts = [(n, v) for n, v in consts if v & 3 == 0 and v != 0]
        if kind == "enum":
            enums[style] = {v: n for n, v in consts}
        else:
            flags[style] = tuple((n, v) for n, v in consts if v >= 0)
        if not consts:
            raise ValueError(f"style {style!r}: no constants matching {pattern!r} in include/{header}")
    return flags, enums


# ----------------------------------------------------------------------------- generators

# A stub is at most 5 instructions (li of a number >= 2048 takes two); the last
# stub's bnez must still reach cerror, 4 KiB back at most.
MAX_STUBS = (4096 - 64) // 20


def _gen_stubs(entries: list[Entry]) -> str:
    count = sum(e.type == "STD" for e in entries)
    if count > MAX_STUBS:
        raise ValueError(f"syscalls.master has {count} STD calls; the stubs' 'bnez t0, cerror' reaches "
                         f"only {MAX_STUBS}: give syscalls.S a second cerror further down")
    out = [f"/* {BANNER} */",
           "/*",
           " * The libc side of every system call (FreeBSD's riscv ABI):",
           " *",
           " *	li	t0, NUMBER	# which call",
           " *	ecall			# trap into the kernel; arguments are already in a0-a7",
           " *	bnez	t0, cerror	# t0 = 1: a0 holds the errno value",
           " *	ret			# t0 = 0: a0 (a1) holds the result",
           " *",
           " * Each stub is __sys_NAME, with NAME a weak alias (a program may define",
           " * its own NAME). WRAPPED calls have no alias: libc defines NAME in C.",
           " * cerror sits first so that every bnez reaches it (a branch spans +-4 KiB).",
           " */",
           "",
           "	.text",
           "	.globl	cerror",
           "	.type	cerror, @function",
           "cerror:				# errno = a0; return -1",
           "	addi	sp, sp, -16",
           "	sd	ra, 8(sp)",
           "	sd	a0, 0(sp)",
           "	call	__error		# &errno of this thread",
           "	ld	t1, 0(sp)",
           "	sw	t1, 0(a0)",
           "	ld	ra, 8(sp)",
           "	addi	sp, sp, 16",
           "	li	a0, -1",
           "	ret",
           "	.size	cerror, . - cerror",
           ""]
    for e in entries:
        if e.type != "STD":
            continue
        sym = f"__sys_{e.name}"
        out += [f"/* {e.number} = {e.name} */",
                f"	.globl	{sym}",
                f"	.type	{sym}, @function"]
        if "WRAPPED" not in e.flags:
            out += [f"	.weak	{e.name}",
                    f"	.set	{e.name}, {sym}"]
        out += [f"{sym}:",
                f"	li	t0, {e.number}",
                "	ecall",
                "	bnez	t0, cerror",
                "	ret",
                f"	.size	{sym}, . - {sym}",
                ""]
    return "\n".join(out)


def _gen_header(entries: list[Entry]) -> str:
    out = [f"/* {BANNER} */",
           "/* System call numbers (FreeBSD's): SYS_NAME is the value the libc stub puts in t0. */",
           "#ifndef _SYS_SYSCALL_H_",
           "#define _SYS_SYSCALL_H_",
           ""]
    for e in entries:
        if e.type == "STD":
            out.append(f"#define\tSYS_{e.name:<18}\t{e.number:<4}\t/* {e.number} = {e.name} */")
        else:
            span = f"{e.number}" if e.last == e.number else f"{e.number}-{e.last}"
            what = {"UNIMPL": "not implemented", "OBSOL": "obsolete", "RESERVED": "reserved"}[e.type]
            label = f"{e.name} ({e.comment})" if e.name and e.comment else e.name or e.comment
            out.append(f"\t\t\t\t\t\t/* {span} {what}{': ' + label if label else ''} */")
    last = entries[-1].last
    out += ["", f"#define\tSYS_MAXSYSCALL\t{last + 1}\t/* one past the highest number */", "",
            "#endif /* !_SYS_SYSCALL_H_ */", ""]
    return "\n".join(out)


_TABLE_PREAMBLE = '''\
"""The system-call table the kernel dispatches on (generated; see makesyscalls.py).

``SYSCALLS[number]`` is a :class:`SyscallInfo`: the call's name (the kernel's
handler is ``sys_<name>``), its audit event, its arguments with their C types
and how to decode each register, and its return type. ``BY_NAME[name]`` is the
same object. Numbers not in ``SYSCALLS`` are unimplemented here: ENOSYS.

Tracing: ``info.decode_args(regs)`` turns the raw a0..a7 values into Python
ints (sign-extending 32-bit ints, so an fd of -1 shows as -1);
``info.format_call(args, fetch_string)`` renders ``open("/tmp/x", O_WRONLY|O_CREAT, 0644)``
(``fetch_string(addr)`` is the tracer's copyinstr: it returns the string, or
None when the address is bad); ``info.format_return(value)`` renders the result.
"""

from dataclasses import dataclass
from typing import Callable, Optional


@dataclass(frozen=True)
class ArgInfo:
    """One argument of a call: its name and C type, and how its register is decoded."""

    name: str
    ctype: str          # as in syscalls.master: "int", "const char *", "struct stat *"
    signed: bool        # decode: sign- or zero-extend ...
    bits: int           # ... from this many low bits of the register
    style: str = ""     # "": a number; else a key of FLAGS or ENUMS (how the tracer names it)

    @property
    def is_pointer(self) -> bool:
        return self.ctype.endswith("*")

    @property
    def is_string(self) -> bool:
        return self.ctype == "const char *"

    def decode(self, raw: int) -> int:
        """The argument's value from the 64-bit register contents."""
        value = raw & ((1 << self.bits) - 1)
        if self.signed and value >> (self.bits - 1):
            value -= 1 << self.bits
        return value

    def format(self, value: int, fetch_string: Optional[Callable[[int], Optional[str]]] = None) -> str:
        """One argument as a trace line shows it."""
        if self.is_string and fetch_string is not None and value != 0:
            text = fetch_string(value)
            if text is not None:
                return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\\\"') + '"'
        if self.is_pointer:
            return "NULL" if value == 0 else f"{value:#x}"
        if self.ctype == "mode_t":
            return f"0{value:o}" if value else "0"
        if self.style == "oflags":
            access = ENUMS["accmode"].get(value & 3, str(value & 3))
            rest = value & ~3
            return access if rest == 0 else access + "|" + format_flags(rest, FLAGS["oflags"])
        if self.style in ENUMS:
            return ENUMS[self.style].get(value, str(value))
        if self.style in FLAGS:
            return format_flags(value, FLAGS[self.style])
        if self.name in ("flags", "flag", "com"):     # bit masks and ioctl commands read best in hex
            return f"{value:#x}"
        return str(value)


def format_flags(value: int, names) -> str:
    """A bit set as NAME|NAME, with bits that have no name in hex; 0 as the zero-valued name or 0."""
    if value == 0:
        return next((n for n, v in names if v == 0), "0")
    parts = []
    for name, bit in names:
        if bit and value & bit == bit:
            parts.append(name)
            value &= ~bit
    if value:
        parts.append(f"{value:#x}")
    return "|".join(parts)


@dataclass(frozen=True)
class SyscallInfo:
    """One system call: a row of syscalls.master."""

    number: int
    name: str
    audit: str
    ret: str
    args: tuple

    @property
    def handler_name(self) -> str:
        return "sys_" + self.name

    def decode_args(self, regs) -> tuple:
        """Decode a0.. (an iterable of raw 64-bit values) into this call's arguments."""
        regs = list(regs)
        return tuple(arg.decode(regs[i]) for i, arg in enumerate(self.args))

    def format_call(self, args, fetch_string: Optional[Callable[[int], Optional[str]]] = None) -> str:
        """``name(arg, ...)`` with decoded argument values."""
        pairs = list(zip(self.args, args))
        if len(pairs) >= 2 and pairs[-1][0].ctype == "mode_t" and pairs[-2][0].style == "oflags" \
                and not pairs[-2][1] & dict(FLAGS["oflags"])["O_CREAT"]:
            pairs.pop()     # open's mode is a variadic argument, read only with O_CREAT: kdump hides it too
        shown = ", ".join(arg.format(v, fetch_string) for arg, v in pairs)
        return f"{self.name}({shown})"

    def format_return(self, value: int) -> str:
        """The successful result as a trace line shows it (pointers in hex)."""
        if self.ret.endswith("*"):
            return f"{value & (2**64 - 1):#x}"
        return str(value)


def _a(name, ctype, signed, bits, style=""):
    return ArgInfo(name, ctype, signed, bits, style)


'''


def _wrap(head: str, items: list[str], tail: str, width: int = 100) -> str:
    """head item item ... tail, broken between items (never inside one) to fit width."""
    lines, line = [], head
    for item in items:
        if len(line) + 1 + len(item) > width and line.strip():
            lines.append(line.rstrip())
            line = " " * 8
        line += item if line.endswith(("(", "{", " ")) else " " + item
    return "\n".join(lines + [line + tail])


def _gen_table(entries: list[Entry]) -> str:
    flags, enums = _style_tables()
    out = [f"# {BANNER}", _TABLE_PREAMBLE,
           "# Named constants for the tracer, read from the C headers (see STYLES in makesyscalls.py).",
           "FLAGS = {"]
    for k, v in flags.items():
        out.append(_wrap(f"    {k!r}: (", [f"({name!r}, {val:#x})," for name, val in v], "),"))
    out += ["}", "ENUMS = {"]
    for k, v in enums.items():
        items = [(f"{val:#x}" if k == "ioctl" else str(val)) + f": {name!r}," for val, name in v.items()]
        out.append(_wrap(f"    {k!r}: {{", items, "},"))
    out += ["}", "", "SYSCALLS = {"]
    for e in entries:
        if e.type != "STD":
            continue
        args = "".join(f"_a({a.name!r}, {a.ctype!r}, {a.decode[0]}, {a.decode[1]}"
                       + (f", {ARG_STYLES[e.name, a.name]!r}" if (e.name, a.name) in ARG_STYLES else "")
                       + "), " for a in e.args)
        out.append(f"    {e.number}: SyscallInfo({e.number}, {e.name!r}, {e.audit!r}, {e.ret!r}, "
                   f"({args.rstrip(' ')})),  # {e.number} = {e.name}")
    out.append("}")
    out.append("")
    out.append("BY_NAME = {info.name: info for info in SYSCALLS.values()}")
    out.append(f"MAXSYSCALL = {entries[-1].last + 1}")
    out.append("")
    return "\n".join(out)


_MARSHAL_PREAMBLE = '''"""How each forwardable system call's arguments cross a wire (kern/forward.py).

A call is here when every one of its pointer arguments is annotated in
syscalls.master (FreeBSD's _In_z_, _Out_writes_bytes_(nbyte), _Out_ ...).
``MARSHAL[name]`` is a tuple with one ``WireArg`` per argument, in order:

    kind        what travels                              size
    scalar      the number                                -
    in_string   the NUL-terminated string (client -> server)   -
    in_bytes    size bytes (client -> server)             the argument holding the count
    out_bytes   up to size bytes (server -> client)       the argument holding the count
    in_object   one object (client -> server)             its size in bytes
    out_object  one object (server -> client)             its size in bytes

``optional``: the pointer may be NULL (nothing travels then).
"""

from dataclasses import dataclass
from typing import Optional, Union


@dataclass(frozen=True)
class WireArg:
    """One argument of a forwardable call: its name, what travels, and how big it is."""

    name: str
    kind: str
    size: Optional[Union[str, int]] = None
    optional: bool = False
    annotation: str = ""


def _w(name, kind, size=None, optional=False, annotation=""):
    return WireArg(name, kind, size, optional, annotation)
'''


def _gen_marshal(entries: list[Entry]) -> str:
    out = [f"# {BANNER}", _MARSHAL_PREAMBLE, "MARSHAL = {"]
    for e in entries:
        rows = marshalling(e)
        if rows is None:
            continue
        notes = {a.name: a.annotation for a in e.args}
        items = []
        for name, kind, size, optional in rows:
            extra = (f", {size!r}" if size is not None or optional or notes[name] else "") \
                + (f", {optional}" if optional or notes[name] else "") \
                + (f", {notes[name]!r}" if notes[name] else "")
            items.append(f"_w({name!r}, {kind!r}{extra}),")
        out.append(_wrap(f"    {e.name!r}: (", items, f"),  # {e.number} = {e.name}"))
    out += ["}", ""]
    return "\n".join(out)


def generate(master_text: str | None = None) -> dict[str, str]:
    """Return ``{repository-relative path: text}`` for every generated file.

    Without an argument, reads syscalls.master next to this module.
    """
    if master_text is None:
        master_text = MASTER.read_text()
    entries = parse(master_text)
    return {STUBS: _gen_stubs(entries), HEADER: _gen_header(entries), TABLE: _gen_table(entries),
            MARSHAL: _gen_marshal(entries)}


def write(files: dict[str, str] | None = None, root: Path | None = None) -> list[str]:
    """Write the generated files under root (the repository); return the paths that changed."""
    files = generate() if files is None else files
    root = ROOT if root is None else root
    changed = []
    for rel, text in files.items():
        path = root / rel
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            changed.append(rel)
    return changed


def load(files: dict[str, str] | None = None):
    """Make the running kernel use the table in ``files`` (from generate()), without
    touching any file on disk; return the ``oskit.kernel.kern.syscalls_table`` module.

    A notebook adds a call with ``load(generate(text))`` and goes back to the
    checked-in table with ``load()``. User programs reach a call that has no
    libc stub yet through ``syscall(number, ...)`` (<unistd.h>).
    """
    files = generate() if files is None else files
    module = importlib.import_module("oskit.kernel.kern.syscalls_table")
    fresh = {"__name__": module.__name__}   # dataclasses look their module up while it runs:
    code = compile(files[TABLE], str(ROOT / TABLE), "exec")
    exec(code, fresh)                       # ...a syntax or name error leaves the live table alone
    # Fill the live module in place: whoever holds the module, or its SYSCALLS dict, sees the new table.
    for key, value in fresh.items():
        live = getattr(module, key, None)
        if isinstance(live, dict) and isinstance(value, dict) and not key.startswith("__"):
            live.clear()
            live.update(value)
        elif not key.startswith("__"):
            setattr(module, key, value)
    return module


def stale(root: Path | None = None, master_text: str | None = None) -> list[str]:
    """The generated files whose contents differ from what the master file says."""
    root = ROOT if root is None else root
    return [rel for rel, text in generate(master_text).items()
            if not (root / rel).exists() or (root / rel).read_text() != text]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m oskit.kernel.kern.makesyscalls",
                                 description="Generate libc stubs, <sys/syscall.h>, the kernel's "
                                             "system-call table and the marshalling table from syscalls.master.")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 listing the generated files that are stale")
    ap.add_argument("master", nargs="?", type=Path, default=MASTER, help="the master file")
    ns = ap.parse_args(argv)
    try:
        text = ns.master.read_text()
        if ns.check:
            bad = stale(master_text=text)
            for rel in bad:
                print(f"stale: {rel} (run python -m oskit.kernel.kern.makesyscalls)", file=sys.stderr)
            return 1 if bad else 0
        changed = write(generate(text))
        for rel in changed:
            print(f"wrote {rel}")
        if not changed:
            print("makesyscalls: the generated files are up to date")
        return 0
    except MasterError as err:
        print(f"makesyscalls: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
