"""Build C and assembly into RISC-V ELF files, with a cache.

    build(sources, mode="bare"|"user", name=None, cflags=(), include_dirs=()) -> Path

The compiler is the clang inside ziglang (from PyPI), run as
``python -m ziglang cc`` with the interpreter that runs oskit, for
RV64IMA (no C, no F/D), code model medany (code linked at 0x8000_0000 needs
it), freestanding: no host C library, our own start-up code.

Two modes:

- ``"bare"``: linked with oskit/toolchain/bare/ (crt0.S, bare.c, link.ld) at
  0x8000_0000. Runs on the machine with no kernel; main's return value is the
  exit code, through the HTIF ``tohost`` word.
- ``"user"``: linked with oskit/userland/ (crt0, libc, user.ld) for a process
  of oskit's kernel. The libc is compiled once into an archive, cached by the
  hash of its sources and headers.

The cache: an output's name holds the SHA-256 of everything that goes into it
(the sources, headers next to them and in include_dirs, the runtime files,
the flags, the compiler version), so an identical build finds its file and
returns at once. Files are written under a temporary name and renamed into
place, so builds running at the same time never see half a file.
Cache directory: $OSKIT_CACHE, or ~/.cache/oskit.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version as _package_version
from pathlib import Path
from typing import Iterable, Mapping, Union

from oskit.toolchain.errors import CompileError

# The flags every compilation gets (see the module docstring for why).
TARGET_FLAGS = (
    "-target", "riscv64-freestanding-none",
    "-mcpu=generic_rv64+m+a",
    "-mcmodel=medany",
    # No C library (ours comes from bare/ or userland/; a freestanding target
    # has no start files to leave out), but the compiler's runtime stays:
    # without it, C using double or float does not link (soft-float routines
    # such as __muldf3 live there).
    "-nodefaultlibs", "-ffreestanding", "-static", "-fno-pic",
)
# zig cc defines NDEBUG at -O2; C programmers expect assert() to work unless they ask
# otherwise, so undefine it (a user's cflags=["-DNDEBUG"] comes later and wins).
OPT_FLAGS = ("-O2", "-g", "-UNDEBUG")

TOOLCHAIN_DIR = Path(__file__).resolve().parent
BARE_DIR = TOOLCHAIN_DIR / "bare"
USERLAND_DIR = TOOLCHAIN_DIR.parent / "userland"

SOURCE_SUFFIXES = (".c", ".S", ".s")
HEADER_SUFFIXES = (".h",)

Sources = Union[str, os.PathLike, Iterable[Union[str, os.PathLike]], Mapping[str, str]]


def cache_dir() -> Path:
    """Where built files live: $OSKIT_CACHE, or ~/.cache/oskit."""
    env = os.environ.get("OSKIT_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "oskit"


@functools.cache
def compiler_version() -> str:
    """The version of the ziglang package (its clang comes with it); read once per process."""
    return _package_version("ziglang")


# ---------------------------------------------------------------- sources ---

class _Source:
    """One input file: the name the user knows it by, and its bytes."""

    def __init__(self, shown: str, data: bytes, path: Path | None):
        self.shown = shown      # the name diagnostics should show
        self.data = data
        self.path = path        # the real file, or None for text given in a dict

    @property
    def compiled(self) -> bool:
        return self.shown.endswith(SOURCE_SUFFIXES)


def _collect(sources: Sources) -> list[_Source]:
    if isinstance(sources, Mapping):
        out = []
        for fname, text in sources.items():
            if not isinstance(text, (str, bytes)):
                raise TypeError(f"build: the text of {fname!r} must be str or bytes, "
                                f"found {type(text).__name__}")
            if os.path.isabs(fname) or ".." in Path(fname).parts:
                raise ValueError(f"build: a source name in a dict must be a relative "
                                 f"file name, found {fname!r}")
            data = text.encode() if isinstance(text, str) else text
            out.append(_Source(fname, data, None))
    else:
        if isinstance(sources, (str, os.PathLike)):
            sources = [sources]
        out = []
        for s in sources:
            p = Path(s)
            if not p.is_file():
                raise FileNotFoundError(f"build: source file {str(s)!r} does not exist")
            out.append(_Source(str(s), p.read_bytes(), p.resolve()))
    if not any(s.compiled for s in out):
        raise ValueError(f"build: expected at least one .c or .S source, "
                         f"found {[s.shown for s in out] or 'none'}")
    for s in out:
        if not s.shown.endswith(SOURCE_SUFFIXES + HEADER_SUFFIXES):
            raise ValueError(f"build: {s.shown!r} is neither a source "
                             f"({', '.join(SOURCE_SUFFIXES)}) nor a header (.h)")
    return out


def _tree_files(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Every file under root with one of these suffixes, in a stable order."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name.endswith(suffixes))


# path -> (mtime_ns, size, sha256 of the contents): a file is read again only when it changed,
# so that a cached build of a user program does not re-read all of libc every time. A file
# modified in the last two seconds is always read: two edits within one tick of the file
# system's clock can leave the same mtime and size (git calls this "racy").
_file_digests: dict[Path, tuple[int, int, bytes]] = {}


def _digest(f: Path) -> bytes:
    st = f.stat()
    known = _file_digests.get(f)
    if known and known[0] == st.st_mtime_ns and known[1] == st.st_size:
        return known[2]
    d = hashlib.sha256(f.read_bytes()).digest()
    if time.time_ns() - st.st_mtime_ns > 2_000_000_000:
        _file_digests[f] = (st.st_mtime_ns, st.st_size, d)
    return d


def _hash_files(h, files: Iterable[Path]) -> None:
    for f in files:
        h.update(str(f).encode() + b"\0")
        h.update(_digest(f))


# --------------------------------------------------------------- compiler ---

def zig_cache_dir() -> Path:
    """zig's own object cache: $OSKIT_ZIG_CACHE, or ~/.cache/oskit-zig.

    Kept apart from cache_dir() on purpose: zig builds the compiler's runtime
    (compiler_rt) into it once, which takes several seconds, and a fresh
    OSKIT_CACHE (a test's, a notebook's) should not pay that again. zig's
    cache is content-addressed, so sharing it is safe.
    """
    env = os.environ.get("OSKIT_ZIG_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "oskit-zig"


def _zig_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("ZIG_GLOBAL_CACHE_DIR", str(zig_cache_dir()))
    env.setdefault("ZIG_LOCAL_CACHE_DIR", str(zig_cache_dir()))
    return env


def _run_cc(args: list[str], *, cwd: Path, name: str, shown: Mapping[str, str]) -> None:
    """Run zig cc; on failure raise CompileError with file names as the user gave them."""
    cmd = [sys.executable, "-m", "ziglang", "cc", *args]
    proc = subprocess.run(cmd, cwd=cwd, env=_zig_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        stderr = proc.stderr
        # Longest paths first so that a directory never replaces part of a file's path.
        for real in sorted(shown, key=len, reverse=True):
            stderr = stderr.replace(real, shown[real])
        # Objects in zig's own cache: show "prog.o", not the cache path.
        stderr = re.sub(r"\S*/zig/o/[0-9a-f]+/", "", stderr)
        raise CompileError(stderr or proc.stdout or f"zig cc exited with status {proc.returncode}",
                           command="zig cc", name=name)


def _atomic_write_from(tmp: Path, final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)


# ------------------------------------------------------------------- libc ---

def _userland_parts() -> tuple[list[Path], Path, Path, Path | None]:
    """(libc sources, include dir, linker script, separate crt0 or None); checks they exist."""
    include = USERLAND_DIR / "include"
    ldscript = USERLAND_DIR / "user.ld"
    libc = _tree_files(USERLAND_DIR / "libc", SOURCE_SUFFIXES)
    crt0 = next((p for p in (USERLAND_DIR / "crt0.S", USERLAND_DIR / "crt0.c") if p.is_file()), None)
    missing = [str(p.relative_to(USERLAND_DIR.parent.parent)) for p in (include, ldscript)
               if not p.exists()]
    if not libc:
        missing.append("oskit/userland/libc/**/*.c")
    if missing:
        raise FileNotFoundError("build(mode='user') needs the userland: missing "
                                + ", ".join(missing))
    return libc, include, ldscript, crt0


def libc_archive() -> Path:
    """The userland libc as an archive (libc.a), built once per version of its sources."""
    libc, include, _, _ = _userland_parts()
    h = hashlib.sha256(b"oskit-libc-1\0")
    h.update(" ".join(TARGET_FLAGS + OPT_FLAGS).encode())
    h.update(compiler_version().encode())
    _hash_files(h, libc + _tree_files(USERLAND_DIR / "include", HEADER_SUFFIXES)
                + _tree_files(USERLAND_DIR / "libc", HEADER_SUFFIXES))
    final = cache_dir() / "libc" / f"libc-{h.hexdigest()[:24]}.a"
    if final.exists():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=final.parent, prefix="tmp-libc-") as tmp:
        tmpdir = Path(tmp)
        shown = {str(USERLAND_DIR.parent.parent) + os.sep: ""}
        objs = []
        jobs = []
        for i, src in enumerate(libc):
            obj = tmpdir / f"{i:04d}-{src.stem}.o"
            objs.append(obj)
            jobs.append([*TARGET_FLAGS, *OPT_FLAGS, "-I", str(include),
                         "-I", str(USERLAND_DIR / "libc"), "-c", str(src), "-o", str(obj)])
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            for f in [pool.submit(_run_cc, j, cwd=tmpdir, name="libc", shown=shown) for j in jobs]:
                f.result()
        archive = tmpdir / "libc.a"
        proc = subprocess.run([sys.executable, "-m", "ziglang", "ar", "rcs", str(archive),
                               *map(str, objs)], cwd=tmpdir, env=_zig_env(),
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise CompileError(proc.stderr, command="zig ar", name="libc")
        _atomic_write_from(archive, final)
    return final


# ------------------------------------------------------------------ build ---

def build(sources: Sources, mode: str = "bare", name: str | None = None,
          cflags: Iterable[str] = (), include_dirs: Iterable[str | os.PathLike] = ()) -> Path:
    """Compile and link sources into a RISC-V ELF; return its path in the cache.

    sources: a path, a list of paths (.c, .S, and .h files that are only
    included), or a dict {file name: text}. mode: "bare" or "user".
    name: the output's name (default: the first source's stem). cflags: extra
    compiler flags (e.g. "-DOSKIT_QEMU", "-O0"). include_dirs: more -I directories.
    Raises CompileError when the compiler or linker fails.
    """
    if mode not in ("bare", "user"):
        raise ValueError(f"build: mode must be 'bare' or 'user', found {mode!r}")
    if isinstance(cflags, str):
        raise TypeError(f"build: cflags must be a sequence of flags, found the string {cflags!r}")
    cflags = tuple(cflags)
    incs = [Path(d).resolve() for d in include_dirs]
    srcs = _collect(sources)
    if name is None:
        name = Path(next(s.shown for s in srcs if s.compiled)).stem
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"build: name must be a plain file name, found {name!r}")

    # Everything that can change the output goes into the key.
    h = hashlib.sha256(b"oskit-build-1\0" + mode.encode() + b"\0")
    h.update("\0".join(TARGET_FLAGS + OPT_FLAGS + cflags).encode())
    h.update(compiler_version().encode())
    for s in srcs:
        h.update(s.shown.encode() + b"\0" + s.data + b"\0")
    # Headers the sources may include: beside them and in the include dirs.
    near = {s.path.parent for s in srcs if s.path is not None}
    _hash_files(h, [f for d in sorted(near) for f in sorted(d.glob("*.h"))])
    _hash_files(h, [f for d in incs for f in _tree_files(d, HEADER_SUFFIXES)])

    if mode == "bare":
        runtime = [BARE_DIR / "crt0.S", BARE_DIR / "bare.c"]
        ldscript = BARE_DIR / "link.ld"
        runtime_incs = [BARE_DIR]
        _hash_files(h, runtime + [ldscript, BARE_DIR / "bare.h"])
        libs: list[Path] = []
    else:
        _, include, ldscript, crt0 = _userland_parts()
        runtime = [crt0] if crt0 else []
        runtime_incs = [include]
        _hash_files(h, runtime + [ldscript])
        libs = [libc_archive()]          # its name carries the libc's own hash
        h.update(str(libs[0].name).encode())

    final = cache_dir() / "elf" / f"{name}-{h.hexdigest()[:24]}.elf"
    if final.exists():
        return final

    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=final.parent, prefix=f"tmp-{name}-") as tmp:
        tmpdir = Path(tmp)
        shown: dict[str, str] = {}
        inputs: list[str] = []
        srcdir = tmpdir / "src"
        for s in srcs:
            if s.path is None:
                f = srcdir / s.shown
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_bytes(s.data)
                if s.compiled:
                    inputs.append(s.shown)      # relative: diagnostics show the user's name
            else:
                shown[str(s.path)] = s.shown
                if s.compiled:
                    inputs.append(str(s.path))
        srcdir.mkdir(exist_ok=True)
        shown[str(srcdir) + os.sep] = ""
        out = tmpdir / "out.elf"
        args = [*TARGET_FLAGS, *OPT_FLAGS, *cflags]
        for d in [*incs, *runtime_incs]:
            args += ["-I", str(d)]
        args += [*(str(r) for r in runtime), *inputs, *(str(l) for l in libs),
                 "-T", str(ldscript), "-o", str(out)]
        _run_cc(args, cwd=srcdir, name=name, shown=shown)
        _atomic_write_from(out, final)
    return final
