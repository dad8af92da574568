"""libc: the portable parts compiled with the host's gcc and compared against the
host C library (differential tests), and every header built for RISC-V.

The host build renames every symbol of our objects with an ``oskit_`` prefix
(objcopy --prefix-symbols), so our snprintf and the host's live in one
program; a small driver runs both on the same inputs and prints any
difference.
"""

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

ROOT = Path(__file__).resolve().parents[1]
USERLAND = ROOT / "oskit" / "userland"
INCLUDE = USERLAND / "include"
LIBC = USERLAND / "libc"
PORTABLE = ["string.c", "ctype.c", "printf.c", "dtoa.c", "strtol.c", "strtod.c", "qsort.c", "malloc.c", "strerror.c",
            "scanf.c",
            "getopt.c"]

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None or shutil.which("objcopy") is None,
                               reason="the host gcc and objcopy are needed")


def compile_prefixed(out, names):
    """Compile these libc sources with the host's gcc into one object whose symbols are prefixed oskit_."""
    gcc_include = subprocess.run(["gcc", "-print-file-name=include"], capture_output=True,
                                 text=True, check=True).stdout.strip()
    objs = []
    for name in names:
        obj = out / (name + ".o")
        subprocess.run(["gcc", "-std=c11", "-O2", "-Wall", "-Werror", "-ffreestanding", "-fno-builtin",
                        "-fno-stack-protector", "-fno-tree-loop-distribute-patterns", "-fno-pic",
                        "-nostdinc", "-isystem", gcc_include, "-I", str(INCLUDE), "-I", str(LIBC),
                        "-c", str(LIBC / name), "-o", str(obj)], check=True)
        objs.append(str(obj))
    combined = out / "oskit_libc.o"
    subprocess.run(["ld", "-r", "-o", str(combined), *objs], check=True)
    subprocess.run(["objcopy", "--prefix-symbols=oskit_", str(combined)], check=True)
    return combined


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    """Our portable libc objects, one relocatable file with every symbol prefixed oskit_."""
    return compile_prefixed(tmp_path_factory.mktemp("hostlibc"), PORTABLE)


def run_driver(ours, tmp_path, body, prelude=""):
    """Compile a host C driver against our prefixed objects, run it, return its stdout lines."""
    src = tmp_path / "driver.c"
    src.write_text(DRIVER_HEAD + prelude + "\nint main(void) {\n" + body + "\n  return failures != 0;\n}\n")
    exe = tmp_path / "driver"
    subprocess.run(["gcc", "-O0", "-w", "-fno-pic", "-no-pie", "-o", str(exe), str(src), str(ours)],
                   check=True)
    proc = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    lines = proc.stdout.splitlines()
    fails = [line for line in lines if line.startswith("FAIL")]
    assert not fails, "\n".join(fails[:20]) + f"\n({len(fails)} failures)"
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return lines


DRIVER_HEAD = r"""
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int failures, checks;
static int our_errno;
int *oskit___error(void) { return &our_errno; }

/* malloc's view of the kernel: a fake program break over a static arena, and the host's mmap. */
static char arena[8 << 20] __attribute__((aligned(4096)));
static size_t arena_brk = 8;            /* start misaligned, like a real break can be */
static long sbrk_calls;
void *oskit_sbrk(intptr_t incr) {
    sbrk_calls++;
    if (incr < 0 || arena_brk + incr > sizeof arena) { our_errno = 12; return (void *)-1; }
    void *old = arena + arena_brk;
    arena_brk += incr;
    return old;
}
static long mmaps, munmaps;
static int mmap_fails;                  /* pretend the kernel has no mmap */
void *oskit_mmap(void *a, size_t len, int prot, int flags, int fd, long off) {
    if (mmap_fails) { our_errno = 78; return (void *)-1; }
    mmaps++;
    return mmap(a, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}
int oskit_munmap(void *a, size_t len) { munmaps++; return munmap(a, len); }

/* What scanf.c and getopt.c use of stdio, which is not part of this host build. */
void *oskit___stdinp, *oskit___stderrp;
const char *oskit___progname = "prog";
int oskit_fgetc(void *fp) { return -1; }
int oskit_ungetc(int c, void *fp) { return c; }
int oskit_fprintf(void *fp, const char *fmt, ...) { return 0; }

int oskit_snprintf(char *, size_t, const char *, ...);
long oskit_strtol(const char *, char **, int);
unsigned long oskit_strtoul(const char *, char **, int);
long long oskit_strtoll(const char *, char **, int);
unsigned long long oskit_strtoull(const char *, char **, int);
int oskit_atoi(const char *);
size_t oskit_strlen(const char *);
int oskit_strcmp(const char *, const char *);
int oskit_strncmp(const char *, const char *, size_t);
int oskit_strcasecmp(const char *, const char *);
int oskit_strncasecmp(const char *, const char *, size_t);
char *oskit_strchr(const char *, int);
char *oskit_strrchr(const char *, int);
char *oskit_strstr(const char *, const char *);
size_t oskit_strspn(const char *, const char *);
size_t oskit_strcspn(const char *, const char *);
char *oskit_strpbrk(const char *, const char *);
int oskit_memcmp(const void *, const void *, size_t);
void *oskit_memmove(void *, const void *, size_t);
void *oskit_memcpy(void *, const void *, size_t);
void *oskit_memset(void *, int, size_t);
void *oskit_memchr(const void *, int, size_t);
char *oskit_strncpy(char *, const char *, size_t);
char *oskit_strncat(char *, const char *, size_t);
char *oskit_strtok_r(char *, const char *, char **);
char *oskit_strerror(int);
char *oskit_strsignal(int);
void oskit_qsort(void *, size_t, size_t, int (*)(const void *, const void *));
void *oskit_bsearch(const void *, const void *, size_t, size_t, int (*)(const void *, const void *));
void *oskit_malloc(size_t);
void *oskit_calloc(size_t, size_t);
void *oskit_realloc(void *, size_t);
void oskit_free(void *);
int oskit_sscanf(const char *, const char *, ...);
int oskit_getopt(int, char *const[], const char *);
extern char *oskit_optarg;
extern int oskit_optind, oskit_opterr, oskit_optopt;
#define CT(name) int oskit_##name(int);
CT(isalnum) CT(isalpha) CT(isblank) CT(iscntrl) CT(isdigit) CT(isgraph) CT(islower)
CT(isprint) CT(ispunct) CT(isspace) CT(isupper) CT(isxdigit) CT(tolower) CT(toupper)

static int sign(int x) { return (x > 0) - (x < 0); }

#define PF(...) do { \
    char a[300], b[300]; \
    int na = oskit_snprintf(a, sizeof a, __VA_ARGS__); \
    int nb = snprintf(b, sizeof b, __VA_ARGS__); \
    checks++; \
    if (na != nb || strcmp(a, b) != 0) { failures++; \
        printf("FAIL printf(%s): ours [%s] %d, host [%s] %d\n", #__VA_ARGS__, a, na, b, nb); } \
} while (0)
"""


def _printf_cases():
    values = ["0", "1", "-1", "42", "-42", "INT_MAX", "INT_MIN", "255", "123456789"]
    for conv in "diuxXo":
        allowed = "-+ 0#" if conv in "xXo" else "-+ 0"
        if conv in "uxXo":
            allowed = allowed.replace("+", "").replace(" ", "")
        flag_sets = {""} | set(allowed) | {"".join(p) for p in itertools.combinations(allowed, 2)}
        for flags in sorted(flag_sets):
            for width in ("", "6", "12"):
                for prec in ("", ".0", ".4"):
                    for v in values:
                        yield f'PF("[%{flags}{width}{prec}{conv}]", {v});'
    lengths = {"l": ["LONG_MAX", "LONG_MIN", "-5L", "0L"], "ll": ["LLONG_MAX", "LLONG_MIN", "-7LL"],
               "h": ["70000", "-3", "32768"], "hh": ["300", "-129", "127"],
               "z": ["(size_t)-1", "(size_t)0"], "j": ["INTMAX_MAX", "INTMAX_MIN"], "t": ["(ptrdiff_t)-9"]}
    for length, vals in lengths.items():
        for conv in "dux":
            for v in vals:
                yield f'PF("[%{length}{conv}|%-+22{length}{conv}|%#0*{length}{conv}]", {v}, {v}, 25, {v});'
    for s in ['"hello"', '""', '"a longer string"', "(char *)0"]:
        for spec in ("%s", "%10s", "%-10s|", "%.3s", "%10.2s", "%-8.0s|", "%*s", "%-*.*s|"):
            args = {"%*s": f"7, {s}", "%-*.*s|": f"9, 4, {s}"}.get(spec, s)
            if s == "(char *)0" and "." in spec:
                continue                        # glibc prints "" for a cut "(null)"; FreeBSD cuts it
            yield f'PF("[{spec}]", {args});'
    for spec, arg in [("%c", "'x'"), ("%5c", "'y'"), ("%-5c|", "'z'"), ("%c", "0x141"),
                      ("%p", "(void *)0x1234"), ("%20p", "(void *)0xdeadbeef"), ("%-20p|", "(void *)&failures"),
                      ("100%%", None), ("%d%%%s", "3, \"x\""), ("%5%|", None)]:
        yield f'PF("[{spec}]"{", " + arg if arg else ""});'
    yield 'PF("%d %i %u %x %o %c %s %%", -5, 6, 7u, 255u, 8u, 65, "str");'
    yield 'PF("%*d|%-*d|%.*d", -6, 5, 4, 3, -1, 7);'


@needs_gcc
def test_printf_formatting_matches_the_host(ours, tmp_path):
    """snprintf gives the same text and return value as the host's for thousands of conversions."""
    cases = list(_printf_cases())
    body = "\n".join(cases) + '\nprintf("checks %d\\n", checks);'
    lines = run_driver(ours, tmp_path, body)
    assert lines[-1] == f"checks {len(cases)}"
    assert len(cases) > 2000


@needs_gcc
def test_snprintf_truncates_like_the_host(ours, tmp_path):
    """snprintf never writes past n, always NUL-terminates, and returns the untruncated length."""
    body = r"""
    for (size_t n = 0; n < 14; n++) {
        char a[32], b[32];
        memset(a, 'Q', sizeof a); memset(b, 'Q', sizeof b);
        int na = oskit_snprintf(a, n, "%s-%05d", "abcdef", 42);
        int nb = snprintf(b, n, "%s-%05d", "abcdef", 42);
        if (na != nb || memcmp(a, b, sizeof a) != 0) { failures++; printf("FAIL n=%zu: [%.32s] [%.32s]\n", n, a, b); }
    }
    { int a1 = -1, b1 = -1; short a2 = -1, b2 = -1; long a3 = -1, b3 = -1; char ca[8], cb[8];
      int ra = oskit_snprintf(ca, sizeof ca, "ab%ncdef%hnghijkl%ln!", &a1, &a2, &a3);
      int rb = snprintf(cb, sizeof cb, "ab%ncdef%hnghijkl%ln!", &b1, &b2, &b3);
      if (ra != rb || a1 != b1 || a2 != b2 || a3 != b3 || strcmp(ca, cb)) { failures++; printf("FAIL %%n: %d %d %ld vs %d %d %ld\n", a1, a2, a3, b1, b2, b3); } }
    char *p = (char *)0; int n0 = oskit_snprintf(p, 0, "%d", 123456);
    if (n0 != 6) { failures++; printf("FAIL snprintf(NULL, 0) = %d\n", n0); }
    """
    run_driver(ours, tmp_path, body)


STRTO_INPUTS = ["0", "42", "-42", "+17", "  \t\n 99", "0x1f", "0X1F", "0x", "0xg", "017", "08", "-0",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                "-9223372036854775809", "18446744073709551615", "18446744073709551616",
                "99999999999999999999999", "-1", "zz", "Zz9", "1010102", "  -0x80000000", "",
                "   ", "+", "-", "12abc", "0b101", "777777777777777777777777", "0x7fffffffffffffff",
                "0xffffffffffffffff", "0x10000000000000000", "-0x8000000000000000", "1e10", "٣"]


@needs_gcc
def test_strtol_family_matches_the_host(ours, tmp_path):
    """strtol, strtoul, strtoll, strtoull: same value, end pointer and ERANGE/EINVAL as the host."""
    lines = []
    for s, base in itertools.product(STRTO_INPUTS, (0, 2, 8, 10, 16, 36, 1, 37)):
        lit = '"' + s.encode("unicode_escape").decode().replace('"', '\\"') + '"'
        for fn, typ, fmt in (("strtol", "long", "%ld"), ("strtoul", "unsigned long", "%lu"),
                             ("strtoll", "long long", "%lld"), ("strtoull", "unsigned long long", "%llu")):
            lines.append(f"""{{ const char *s = {lit}; char *ea = (char *)s, *eb = (char *)s; our_errno = 0; errno = 0;
    {typ} a = oskit_{fn}(s, &ea, {base}); int erra = our_errno;
    {typ} b = {fn}(s, &eb, {base}); int errb = errno;
    if (erra == 22 && errb == EINVAL) {{ erra = errb = 0; }}   /* EINVAL: same number on both */
    if (erra == 34 && errb == ERANGE) {{ erra = errb = 0; }}
    checks++;
    if (a != b || ea - s != eb - s || erra != errb) {{ failures++;
        printf("FAIL {fn}(%s, {base}): ours {fmt} end %td errno %d; host {fmt} end %td errno %d\\n",
               {lit}, a, ea - s, erra, b, eb - s, errb); }} }}""")
    lines.append('if (oskit_atoi(" -123x") != -123) { failures++; printf("FAIL atoi\\n"); }')
    lines.append('printf("checks %d\\n", checks);')
    out = run_driver(ours, tmp_path, "\n".join(lines))
    assert out[-1] == f"checks {len(STRTO_INPUTS) * 8 * 4}"


@needs_gcc
def test_string_functions_match_the_host(ours, tmp_path):
    """strlen, strcmp, strchr, strstr, strspn, memmove, strncpy, strtok_r, ... agree with the host."""
    words = ["", "a", "abc", "abd", "ab", "ABC", "abcabc", "hello world", "\x7f\x80\xff", "zzz", "a b\tc"]
    body = []
    for x in words:
        lx = '"' + "".join(f"\\x{ord(c):02x}" for c in x) + '"'
        body.append(f'if (oskit_strlen({lx}) != strlen({lx})) {{ failures++; printf("FAIL strlen\\n"); }}')
        for ch in ("'a'", "'c'", "0", "'z'", "0x80", "' '"):
            for fn in ("strchr", "strrchr"):
                body.append(f'{{ const char *s = {lx}; char *p = oskit_{fn}(s, {ch}), *q = {fn}(s, {ch});'
                            f' if ((p ? p - s : -1) != (q ? q - s : -1)) {{ failures++; printf("FAIL {fn}(%s, %d)\\n", s, {ch}); }} }}')
        for y in words:
            ly = '"' + "".join(f"\\x{ord(c):02x}" for c in y) + '"'
            for fn in ("strcmp", "strcasecmp"):
                body.append(f'if (sign(oskit_{fn}({lx}, {ly})) != sign({fn}({lx}, {ly}))) {{ failures++; printf("FAIL {fn}(%s, %s)\\n", {lx}, {ly}); }}')
            for n in (0, 1, 2, 5):
                for fn in ("strncmp", "strncasecmp"):
                    body.append(f'if (sign(oskit_{fn}({lx}, {ly}, {n})) != sign({fn}({lx}, {ly}, {n}))) {{ failures++; printf("FAIL {fn} %s %s {n}\\n", {lx}, {ly}); }}')
                body.append(f'if (sign(oskit_memcmp({lx} "\\0\\0\\0\\0\\0", {ly} "\\0\\0\\0\\0\\0", {n})) != sign(memcmp({lx} "\\0\\0\\0\\0\\0", {ly} "\\0\\0\\0\\0\\0", {n}))) {{ failures++; printf("FAIL memcmp\\n"); }}')
            for fn in ("strstr", "strpbrk"):
                body.append(f'{{ const char *s = {lx}; char *p = oskit_{fn}(s, {ly}), *q = {fn}(s, {ly});'
                            f' if ((p ? p - s : -1) != (q ? q - s : -1)) {{ failures++; printf("FAIL {fn}(%s, %s)\\n", s, {ly}); }} }}')
            for fn in ("strspn", "strcspn"):
                body.append(f'if (oskit_{fn}({lx}, {ly}) != {fn}({lx}, {ly})) {{ failures++; printf("FAIL {fn}\\n"); }}')
    body.append(r"""
    for (int shift = -5; shift <= 5; shift++) for (int len = 0; len < 12; len++) {
        char a[32], b[32];
        for (int i = 0; i < 32; i++) a[i] = b[i] = 'a' + i % 26;
        oskit_memmove(a + 10 + shift, a + 10, len); memmove(b + 10 + shift, b + 10, len);
        if (memcmp(a, b, 32)) { failures++; printf("FAIL memmove shift %d len %d\n", shift, len); }
    }
    for (int off = 0; off < 9; off++) for (int soff = 0; soff < 9; soff++) for (int len = 0; len < 40; len++) {
        unsigned char a[64], b[64], src[64];
        for (int i = 0; i < 64; i++) { a[i] = b[i] = 0xEE; src[i] = (unsigned char)(i * 7 + 1); }
        oskit_memcpy(a + off, src + soff, len); memcpy(b + off, src + soff, len);
        if (memcmp(a, b, 64)) { failures++; printf("FAIL memcpy off %d soff %d len %d\n", off, soff, len); }
        oskit_memset(a + off, 0x100 + len, len); memset(b + off, 0x100 + len, len);
        if (memcmp(a, b, 64)) { failures++; printf("FAIL memset off %d len %d\n", off, len); }
    }
    for (int n = 0; n < 10; n++) {
        char a[16], b[16]; memset(a, 'X', 16); memset(b, 'X', 16);
        oskit_strncpy(a, "abcd", n); strncpy(b, "abcd", n);
        if (memcmp(a, b, 16)) { failures++; printf("FAIL strncpy %d\n", n); }
        strcpy(a, "xy"); strcpy(b, "xy");
        oskit_strncat(a, "abcdef", n); strncat(b, "abcdef", n);
        if (strcmp(a, b)) { failures++; printf("FAIL strncat %d\n", n); }
    }
    { char a[] = "  one,two,, three ,", b[] = "  one,two,, three ,"; char *la, *lb, *ta, *tb;
      ta = oskit_strtok_r(a, " ,", &la); tb = strtok_r(b, " ,", &lb);
      while (ta || tb) {
          if (!ta || !tb || strcmp(ta, tb)) { failures++; printf("FAIL strtok_r\n"); break; }
          ta = oskit_strtok_r(NULL, " ,", &la); tb = strtok_r(NULL, " ,", &lb);
      } }
    { const char s[] = "abcabc"; if (oskit_memchr(s, 'c', 6) != memchr(s, 'c', 6) || oskit_memchr(s, 'q', 6)) { failures++; printf("FAIL memchr\n"); } }
    """)
    run_driver(ours, tmp_path, "\n".join(body))


@needs_gcc
def test_ctype_matches_the_c_locale(ours, tmp_path):
    """Every ctype function agrees with the host's "C" locale for EOF and all 256 byte values."""
    fns = ["isalnum", "isalpha", "isblank", "iscntrl", "isdigit", "isgraph", "islower", "isprint",
           "ispunct", "isspace", "isupper", "isxdigit", "tolower", "toupper"]
    body = "for (int c = -1; c < 256; c++) {\n" + "\n".join(
        f'  if (!!oskit_{f}(c) != !!{f}(c) || ({int(f.startswith("to"))} && oskit_{f}(c) != {f}(c))) '
        f'{{ failures++; printf("FAIL {f}(%d)\\n", c); }}' for f in fns) + "\n}"
    run_driver(ours, tmp_path, body)


@needs_gcc
def test_qsort_sorts_like_the_host(ours, tmp_path):
    """qsort on random, sorted, reversed and all-equal arrays ends in the same order as the host's; bsearch finds keys."""
    prelude = r"""
static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static long compares;
static int cmp_count(const void *a, const void *b) { compares++; return cmp_int(a, b); }
"""
    body = r"""
    srand(7);
    for (int n = 0; n < 300; n += 1 + n / 4) for (int kind = 0; kind < 5; kind++) {
        int a[400], b[400];
        for (int i = 0; i < n; i++) {
            int v = kind == 0 ? rand() % 1000 - 500 : kind == 1 ? i : kind == 2 ? n - i : kind == 3 ? 5 : rand() % 3;
            a[i] = b[i] = v;
        }
        oskit_qsort(a, n, sizeof a[0], cmp_int); qsort(b, n, sizeof b[0], cmp_int);
        if (memcmp(a, b, n * sizeof a[0])) { failures++; printf("FAIL qsort n=%d kind=%d\n", n, kind); }
        for (int i = 0; i < n; i++) {
            int *p = oskit_bsearch(&a[i], a, n, sizeof a[0], cmp_int);
            if (!p || *p != a[i]) { failures++; printf("FAIL bsearch n=%d i=%d\n", n, i); break; }
        }
        int missing = 100000;
        if (oskit_bsearch(&missing, a, n, sizeof a[0], cmp_int)) { failures++; printf("FAIL bsearch found a missing key\n"); }
    }
    { static int big[20000]; for (int i = 0; i < 20000; i++) big[i] = 42;
      compares = 0; oskit_qsort(big, 20000, sizeof big[0], cmp_count);
      if (compares > 200000) { failures++; printf("FAIL qsort of equal keys took %ld comparisons\n", compares); } }
    { char s[][8] = {"pear", "apple", "fig", "kiwi", "banana", "date", "cherry", "grape", "lime", "plum", "melon"};
      char t[11][8]; memcpy(t, s, sizeof s);
      oskit_qsort(s, 11, 8, (int (*)(const void *, const void *))strcmp);
      qsort(t, 11, 8, (int (*)(const void *, const void *))strcmp);
      if (memcmp(s, t, sizeof s)) { failures++; printf("FAIL qsort strings\n"); } }
    """
    run_driver(ours, tmp_path, body, prelude)


@needs_gcc
def test_malloc_keeps_blocks_apart_and_reuses_memory(ours, tmp_path):
    """Random malloc/realloc/free keep contents intact, 16-byte aligned, merge freed neighbours, and mmap big blocks."""
    body = r"""
    enum { SLOTS = 200 };
    static unsigned char *p[SLOTS]; static size_t len[SLOTS];
    srand(12345);
    for (int step = 0; step < 20000; step++) {
        int i = rand() % SLOTS;
        if (p[i]) {                                  /* check the pattern we left, then free or grow */
            for (size_t k = 0; k < len[i]; k++)
                if (p[i][k] != (unsigned char)(i * 31 + k)) { failures++; printf("FAIL block %d corrupted at %zu\n", i, k); return 1; }
            if (rand() % 3 == 0) {
                size_t n = rand() % 3000;
                unsigned char *q = oskit_realloc(p[i], n);
                if (!q) { failures++; printf("FAIL realloc\n"); return 1; }
                size_t keep = n < len[i] ? n : len[i];
                for (size_t k = 0; k < keep; k++)
                    if (q[k] != (unsigned char)(i * 31 + k)) { failures++; printf("FAIL realloc lost data\n"); return 1; }
                p[i] = q; len[i] = n;
            } else {
                oskit_free(p[i]); p[i] = 0; continue;
            }
        } else {
            len[i] = rand() % 5 == 0 ? rand() % 4000 : rand() % 64;
            p[i] = rand() % 4 == 0 ? oskit_calloc(1, len[i]) : oskit_malloc(len[i]);
            if (!p[i]) { failures++; printf("FAIL malloc(%zu)\n", len[i]); return 1; }
            if ((uintptr_t)p[i] % 16) { failures++; printf("FAIL misaligned %p\n", p[i]); }
        }
        for (size_t k = 0; k < len[i]; k++) p[i][k] = (unsigned char)(i * 31 + k);
    }
    for (int i = 0; i < SLOTS; i++) { oskit_free(p[i]); p[i] = 0; }
    size_t grown = arena_brk;
    long calls = sbrk_calls;
    /* Everything is free and merged: one block nearly as big as the heap fits without sbrk
     * (with mmap failing, so that the heap must serve it). */
    mmap_fails = 1;
    void *all = oskit_malloc(grown - 4096);
    if (!all || sbrk_calls != calls) { failures++; printf("FAIL freed blocks did not merge (heap %zu)\n", grown); }
    oskit_free(all);
    mmap_fails = 0;
    long unmapped = munmaps;
    unsigned char *z = oskit_calloc(1000, 10);
    for (int k = 0; k < 10000; k++) if (z[k]) { failures++; printf("FAIL calloc not zero\n"); break; }
    oskit_free(z);
    our_errno = 0;
    if (oskit_calloc((size_t)1 << 40, (size_t)1 << 40) || our_errno != 12) { failures++; printf("FAIL calloc overflow\n"); }
    long before = mmaps;
    char *big = oskit_malloc(1 << 20);
    if (!big || mmaps != before + 1) { failures++; printf("FAIL big block not mmapped\n"); }
    memset(big, 7, 1 << 20);
    oskit_free(big);
    if (munmaps != unmapped + 1) { failures++; printf("FAIL big block not munmapped\n"); }
    printf("heap %zu\n", grown);
    """
    lines = run_driver(ours, tmp_path, body)
    heap = int(lines[-1].split()[1])
    assert heap < 2 << 20, f"the heap grew to {heap} bytes for < 1 MiB of live data"


def c_str(text):
    """A C string literal for text (every byte escaped, so nothing in it can break the driver)."""
    return '"' + "".join(f"\\x{b:02x}" for b in text.encode()) + '"'


SCANF_CASES = [
    ("%d", "42"), ("%d", "  -17xyz"), ("%d", "+5"), ("%d", "abc"), ("%d", ""), ("%d", "   "), ("%d", "-"),
    ("%i", "0x1F"), ("%i", "017"), ("%i", "-0x10"), ("%i", "9"), ("%x", "ff"), ("%x", "0XaB"), ("%o", "777"),
    ("%u", "4294967295"), ("%3d", "12345"), ("%2d%3d", "12345"), ("%d %d", "1   2"), ("%d,%d", "3,4"),
    ("%d,%d", "3;4"), ("%d%%", "50%"), ("%d %% %d", "5 % 6"), ("%s", "  hello world"), ("%3s", "abcdef"),
    ("%s %s", "one two three"), ("%c", " x"), ("%3c", "abcd"), (" %c", "   z"), ("%*d %d", "7 8"),
    ("%d%n", "123abc"), ("x%dy", "x5y"), ("x%dy", "y5x"), ("%ld", "-9223372036854775807"),
    ("%lx", "7fffffffffffffff"), ("%hd", "70000"), ("%hhd", "300"), ("%d %s %c", "10 ten t"),
    ("%d", "  \n\t 8"), ("%s%n", "word"), ("%d %d %d", "1 2"), ("%i", "08"), ("%x", "0x"),
]


def sscanf_case(fmt: str, text: str, targets) -> str:
    """C code for one case: sscanf(text, fmt, ...) by ours and by the host's, a failure if they differ.

    ``targets``: for each conversion that assigns, (C type, "a != b"-style C expression that is
    true when the two values differ, written with a and b); "char[32]" is a buffer compared whole.
    """
    decls, args_a, args_b, cmps = [], [], [], []
    for i, (ctype, differ) in enumerate(targets):
        if ctype == "char[32]":
            decls.append(f"char a{i}[32] = {{0}}, b{i}[32] = {{0}};")
            args_a.append(f"a{i}"), args_b.append(f"b{i}")
            cmps.append(f"memcmp(a{i}, b{i}, 32)")
        else:
            decls.append(f"{ctype} a{i} = -99, b{i} = -99;")
            args_a.append(f"&a{i}"), args_b.append(f"&b{i}")
            cmps.append("(" + re.sub(r"\b([ab])\b", rf"\g<1>{i}", differ) + ")")
    fa = ", ".join([c_str(text), c_str(fmt)] + args_a)
    fb = ", ".join([c_str(text), c_str(fmt)] + args_b)
    diff = " || ".join(["ra != rb"] + cmps)
    return ("{ " + " ".join(decls) + f" int ra = oskit_sscanf({fa}); int rb = sscanf({fb}); checks++;"
            f' if ({diff}) {{ failures++; printf("FAIL sscanf(%s, %s): %d vs %d\\n", {c_str(text)}, {c_str(fmt)}, ra, rb); }} }}')


@needs_gcc
def test_sscanf_matches_the_host(ours, tmp_path):
    """sscanf assigns the same values and returns the same count as the host's, for integers, words, chars and %n."""
    body = []
    for fmt, text in SCANF_CASES:
        convs = re.findall(r"%(\*?)\d*(hh|h|ll|l)?([dioxusc n%])".replace(" ", ""), fmt)
        targets = []
        for star, length, conv in convs:
            if star or conv == "%":
                continue
            ctype = {"hh": "signed char", "h": "short", "l": "long", "ll": "long long"}.get(length, "int")
            targets.append(("char[32]" if conv in "sc" else ctype, "a != b"))
        body.append(sscanf_case(fmt, text, targets))
    body.append('printf("checks %d\\n", checks);')
    lines = run_driver(ours, tmp_path, "\n".join(body))
    assert lines[-1] == f"checks {len(SCANF_CASES)}"


GETOPT_CASES = [
    ["prog", "-a", "-b", "val", "file"], ["prog", "-ab", "-cfoo", "x"], ["prog", "-c", "foo", "--", "-a"],
    ["prog", "-x", "-a"], ["prog", "-c"], ["prog", "file", "-a"], ["prog", "-", "-a"], ["prog"],
    ["prog", "-aaa", "-bc", "v"], ["prog", "-c", "-a", "rest"],
]


@needs_gcc
def test_getopt_matches_posix_getopt(ours, tmp_path):
    """getopt returns the same options, optarg and optind as the host's getopt in POSIX mode ('+')."""
    body = ["oskit_opterr = 0; opterr = 0;"]
    for argv in GETOPT_CASES:
        init = ", ".join(f'"{a}"' for a in argv)
        body.append(f"""{{ char *va[] = {{ {init}, NULL }}, *vb[] = {{ {init}, NULL }}; int n = {len(argv)};
    oskit_optind = 1; optind = 0;
    for (;;) {{
        int a = oskit_getopt(n, va, "abc:"), b = getopt(n, vb, "+abc:");
        checks++;
        if (a != b || oskit_optind != optind || (a != -1 && (!oskit_optarg != !optarg ||
            (optarg && strcmp(oskit_optarg, optarg))))) {{
            failures++; printf("FAIL getopt %d: ours %d optind %d, host %d optind %d\\n", n, a, oskit_optind, b, optind);
            break;
        }}
        if (a == -1) break;
    }} }}""")
    run_driver(ours, tmp_path, "\n".join(body))


ERRNO_H = (INCLUDE / "errno.h").read_text()


def _errno_header():
    return {m[1]: (int(m[2]), m[3]) for m in
            re.finditer(r"#define\s+(E[A-Z0-9]+)\s+(\d+)\s+/\* (.+?) \*/", ERRNO_H) if m[1] != "ELAST"}


def test_errno_values_match_the_kernel():
    """errno.h and oskit/kernel/errno.py give every name the same FreeBSD value."""
    from oskit.kernel import errno as kerrno
    header = _errno_header()
    assert len(header) >= 97
    for name, (value, _) in header.items():
        assert int(getattr(kerrno, name)) == value, name
    for name in ("EAGAIN", "ENOSYS", "EPIPE", "ECHILD", "EFAULT", "EINTR"):
        assert name in header


@needs_gcc
def test_strerror_says_what_errno_h_says(ours, tmp_path):
    """strerror(n) is the message in errno.h's comment for n (FreeBSD's wording); unknown numbers say so."""
    header = _errno_header()
    body = []
    for name, (value, text) in header.items():
        lit = '"' + text.replace('"', '\\"') + '"'
        body.append(f'if (strcmp(oskit_strerror({value}), {lit})) {{ failures++; printf("FAIL strerror({name}) = %s\\n", oskit_strerror({value})); }}')
    body.append('if (strcmp(oskit_strerror(1000), "Unknown error: 1000")) { failures++; printf("FAIL unknown\\n"); }')
    body.append('if (strcmp(oskit_strsignal(11), "Segmentation fault") || strcmp(oskit_strsignal(200), "Unknown signal: 200")) { failures++; printf("FAIL strsignal\\n"); }')
    run_driver(ours, tmp_path, "\n".join(body))


# ----------------------------------------------------------------------------- RISC-V

HEADERS = sorted(str(p.relative_to(INCLUDE)) for p in INCLUDE.rglob("*.h"))

EVERY_HEADER_PROGRAM = "\n".join(f"#include <{h}>" for h in HEADERS) + r"""
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static void bye(void) { puts("bye"); }
static void on_int(int sig) { (void)sig; }

int main(int argc, char **argv, char **envp)
{
    struct stat sb; struct rusage ru; struct rlimit rl; struct timespec ts; struct timeval tv;
    struct sigaction sa; sigset_t set; int fds[2], status, v[3] = {3, 1, 2}; char buf[64];
    static_assert(sizeof(struct stat) == 224, "FreeBSD struct stat");
    static_assert(sizeof(struct sigaction) == 32, "FreeBSD struct sigaction");
    static_assert(sizeof(sigset_t) == 16 && sizeof(siginfo_t) == 80, "FreeBSD signal types");
    static_assert(sizeof(struct rusage) == 144 && sizeof(struct termios) == 44, "FreeBSD rusage, termios");
    static_assert(sizeof(struct dirent) == 280, "FreeBSD dirent");
    atexit(bye);
    if (fstat(1, &sb) == 0 && S_ISCHR(sb.st_mode)) printf("tty %d\n", isatty(1));
    if (stat("/", &sb) != 0) perror("stat");
    getrusage(RUSAGE_SELF, &ru); getrlimit(RLIMIT_NOFILE, &rl); setrlimit(RLIMIT_NOFILE, &rl);
    clock_gettime(CLOCK_MONOTONIC, &ts); gettimeofday(&tv, NULL); nanosleep(&ts, NULL); sched_yield();
    memset(&sa, 0, sizeof sa); sa.sa_handler = on_int; sigemptyset(&sa.sa_mask); sigaction(SIGINT, &sa, NULL);
    sigemptyset(&set); sigaddset(&set, SIGUSR2); sigprocmask(SIG_BLOCK, &set, NULL); sigpending(&set); signal(SIGUSR1, SIG_IGN);
    if (pipe(fds) == 0) { write(fds[1], "x", 1); read(fds[0], buf, 1); close(fds[0]); close(fds[1]); }
    pid_t pid = fork();
    if (pid == 0) { execvp("true", argv); _exit(127); }
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) printf("exit %d\n", WEXITSTATUS(status));
    int fd = open("/tmp/f", O_CREAT | O_WRONLY | O_TRUNC, 0644); dup2(fd, 5); lseek(fd, 0, SEEK_SET);
    void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (m != MAP_FAILED) { mprotect(m, 4096, PROT_READ); madvise(m, 4096, MADV_NORMAL); mincore(m, 4096, buf); msync(m, 4096, MS_SYNC); munmap(m, 4096); }
    DIR *d = opendir("/"); if (d) { struct dirent *e; while ((e = readdir(d))) puts(e->d_name); closedir(d); }
    FILE *f = fopen("/tmp/f", "w+"); if (f) { fprintf(f, "%d", 1); fflush(f); rewind(f); fgets(buf, sizeof buf, f); fclose(f); }
    setvbuf(stdout, NULL, _IOLBF, 0);
    qsort(v, 3, sizeof v[0], cmp);
    printf("%s %ld %d %s %s\n", getenv("HOME") ? getenv("HOME") : "-", strtol("42", NULL, 0), toupper('a'),
           strerror(ENOENT), strsignal(SIGSEGV));
    setenv("X", "1", 1); char *cwd = getcwd(NULL, 0); free(cwd); chdir("/"); umask(022); mkdir("/tmp/d", 0755);
    unlink("/tmp/f"); access("/", R_OK); dprintf(2, "pid %d ppid %d uid %u %u gid %u %u\n", getpid(), getppid(),
           getuid(), geteuid(), getgid(), getegid());
    void *brk0 = sbrk(0); char *heap = malloc(100000); free(heap); (void)brk0; (void)envp;
    if (argc > 5) { setuid(0); setgid(0); seteuid(0); setegid(0); kill(getpid(), SIGTERM); raise(SIGINT); abort(); }
    assert(argc >= 0);
    time_t now = time(NULL); (void)now; usleep(10); sleep(0);
    bool ok = issetugid() == 0; int64_t big = INT64_MAX; (void)big;
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
"""


def compile_riscv(tmp_path, text, *flags):
    """Compile C text to an object for RISC-V with the toolchain's flags; return the compiler's result.

    The source is a file and the object goes to tmp_path: zig cc reading stdin
    would leave a file named "-.o" in the working directory, whatever -o says."""
    import sys

    from oskit.toolchain.build import TARGET_FLAGS
    src = tmp_path / "check.c"
    src.write_text(text)
    return subprocess.run([sys.executable, "-m", "ziglang", "cc", *TARGET_FLAGS, *flags, "-std=c11",
                           "-I", str(INCLUDE), "-c", str(src), "-o", str(tmp_path / "check.o")],
                          capture_output=True, text=True, cwd=tmp_path)


def test_every_header_compiles_for_riscv(tmp_path):
    """Each header compiles on its own for RISC-V with -Wall -Werror (no hidden dependency on another header)."""
    for h in HEADERS:
        proc = compile_riscv(tmp_path, f"#include <{h}>\nint x;\n", "-Wall", "-Wextra", "-Werror")
        assert proc.returncode == 0, f"{h}:\n{proc.stderr}"


@pytest.fixture(scope="module")
def every_header_elf():
    from oskit.toolchain import build
    return build({"everything.c": EVERY_HEADER_PROGRAM}, mode="user", cflags=("-Wall", "-Werror"))


def test_program_using_every_header_links_in_user_mode(every_header_elf):
    """A program calling into every header links with crt0, libc and user.ld into a static RISC-V ELF."""
    with open(every_header_elf, "rb") as f:
        elf = ELFFile(f)
        assert elf["e_machine"] == "EM_RISCV" and elf["e_type"] == "ET_EXEC"
        symbols = {s.name: s["st_value"] for s in elf.get_section_by_name(".symtab").iter_symbols()}
        assert elf["e_entry"] == symbols["_start"] == 0x10_0000
    for name in ("main", "__libc_start", "__error", "cerror", "__sys_fork", "__sys_wait4", "__sys_execve",
                 "__sys_exit", "__sys_break", "malloc", "printf", "fork", "_end", "end", "__global_pointer$"):
        assert name in symbols, name
    assert symbols["_end"] == symbols["end"] and symbols["_end"] % 16 == 0


def test_user_layout_has_separate_text_and_data_pages(every_header_elf):
    """user.ld gives an R-X text segment at 0x100000 and a page-aligned RW data segment, plus PT_TLS; page 0 is unused."""
    with open(every_header_elf, "rb") as f:
        segs = [(s["p_type"], s["p_vaddr"], s["p_memsz"], s["p_flags"], s["p_align"], s["p_offset"])
                for s in ELFFile(f).iter_segments()]
    loads = [s for s in segs if s[0] == "PT_LOAD"]
    assert len(loads) == 2
    (_, tva, tsz, tfl, _, toff), (_, dva, dsz, dfl, _, doff) = loads
    assert (tva, tfl) == (0x10_0000, 0b101)             # R-X
    assert dfl == 0b110                                  # RW-
    assert tva % 4096 == 0 and dva % 4096 == 0 and toff % 4096 == 0 and doff % 4096 == 0
    assert dva >= tva + tsz                              # data starts on a later page
    assert any(s[0] == "PT_TLS" for s in segs)
    assert min(s[1] for s in loads) >= 0x10_0000         # nothing in the first MiB: NULL faults


def test_crt0_reads_argc_argv_envp_from_the_stack():
    """crt0 loads argc from 0(sp), argv = sp + 8, envp = argv + argc + 1, and sets gp and tp before C runs."""
    text = (USERLAND / "crt0.S").read_text()
    code = [l.split("/*")[0].strip() for l in text.splitlines()]
    code = [re.sub(r"\s+", " ", c) for c in code if c]
    start = code.index("_start:")
    body = code[start:]
    assert body.index("la gp, __global_pointer$") < body.index("call __libc_init_tls")
    assert body.index("mv tp, sp") < body.index("call __libc_init_tls") < body.index("call __libc_start")
    assert "ld a0, 0(s0)" in body and "addi a1, s0, 8" in body
    assert body[body.index("slli t0, a0, 3"):body.index("slli t0, a0, 3") + 3] == [
        "slli t0, a0, 3", "add a2, a1, t0", "addi a2, a2, 8"]


def _header_constants():
    """Every '#define NAME number' in our headers: {name: (value, header)}."""
    found = {}
    for h in INCLUDE.rglob("*.h"):
        for m in re.finditer(r"^#define\s+([A-Z][A-Z0-9_]*)\s+\(?(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[UL]*\)?\s*(?:/\*.*)?$",
                             h.read_text(), re.M):
            digits = m[3]
            value = int(digits, 16) if digits[:2].lower() == "0x" else int(digits, 8) if digits.startswith("0") else int(digits)
            found[m[1]] = (-value if m[2] else value, str(h.relative_to(INCLUDE)))
    return found


def test_header_constants_agree_with_the_kernel():
    """A constant both sides name (O_CREAT, SIGCHLD, SA_RESTART, F_GETFL, S_IFDIR, ...) has one value in C and in Python."""
    import importlib
    ours = _header_constants()
    # NSIG: C's NSIG is the classic 32 signals (FreeBSD), the kernel's is the size of a sigset (_SIG_MAXSIG).
    skip = {"NSIG"}
    compared = []
    for mod in ("errno", "param", "kern.signal", "fs.file", "fs.vfs", "fs.sys_file", "kern.sys_proc",
                "kern.sys_time", "vm.sys_mman"):
        module = importlib.import_module(f"oskit.kernel.{mod}")
        for name, (value, header) in ours.items():
            theirs = getattr(module, name, None)
            if name in skip or not isinstance(theirs, int):
                continue
            assert int(theirs) == value, f"{name}: {value} in {header}, {int(theirs)} in oskit.kernel.{mod}"
            compared.append(name)
    for name in ("O_CREAT", "SIGCHLD", "SA_RESTART", "SIG_SETMASK", "F_DUPFD_CLOEXEC", "S_IFDIR", "AT_FDCWD", "ENOENT"):
        assert name in compared, name


def _offsets(fmt, names):
    """Field offsets of a little-endian Python struct format, one name per item ('' skips one)."""
    import struct
    order, items = fmt[0], []
    for count, code in re.findall(r"(\d*)([a-zA-Z])", fmt[1:]):
        items += [f"{count}x"] if code == "x" else [code] * int(count or 1)
    out, so_far = {}, order
    for name, item in zip(names, items):
        if name:
            out[name] = struct.calcsize(so_far)
        so_far += item
    return out, struct.calcsize(fmt)


def test_struct_layouts_agree_with_the_kernel(tmp_path):
    """struct stat, sigaction, dirent, timespec and the signal frame (ucontext_t) have the kernel's offsets and sizes."""
    from oskit.kernel import structs
    from oskit.kernel.fs import vfs
    from oskit.kernel.kern import signal as ksignal
    from oskit.kernel.kern import sys_time
    stat_names = ["st_dev", "st_ino", "st_nlink", "st_mode", "st_bsdflags", "st_uid", "st_gid", "st_padding1",
                  "st_rdev", "st_atim.tv_sec", "st_atim.tv_nsec", "st_mtim.tv_sec", "", "st_ctim.tv_sec", "",
                  "st_birthtim.tv_sec", "", "st_size", "st_blocks", "st_blksize", "st_flags", "st_gen"]
    layouts = [("struct stat", *_offsets(vfs.STAT_FORMAT, stat_names)),
               ("struct sigaction", *_offsets(ksignal.SIGACTION.format, ["sa_handler", "sa_flags", "sa_mask"])),
               ("struct dirent", *_offsets(vfs.DIRENT_HEADER.format + "c",
                                           ["d_fileno", "d_off", "d_reclen", "d_type", "", "d_namlen", "", "d_name"])),
               ("struct timespec", *_offsets(sys_time.TIMESPEC.format, ["tv_sec", "tv_nsec"])),
               ("ucontext_t", {"uc_sigmask": structs.UCONTEXT.offset("uc_sigmask"),
                               "uc_mcontext.mc_gpregs.gp_ra": structs.UCONTEXT.offset("gp_ra"),
                               "uc_mcontext.mc_gpregs.gp_sp": structs.UCONTEXT.offset("gp_sp"),
                               "uc_mcontext.mc_gpregs.gp_gp": structs.UCONTEXT.offset("gp_gp"),
                               "uc_mcontext.mc_gpregs.gp_tp": structs.UCONTEXT.offset("gp_tp"),
                               "uc_mcontext.mc_gpregs.gp_t": structs.UCONTEXT.offset("gp_t"),
                               "uc_mcontext.mc_gpregs.gp_s": structs.UCONTEXT.offset("gp_s"),
                               "uc_mcontext.mc_gpregs.gp_a": structs.UCONTEXT.offset("gp_a"),
                               "uc_mcontext.mc_gpregs.gp_sepc": structs.UCONTEXT.offset("gp_sepc"),
                               "uc_mcontext.mc_gpregs.gp_sstatus": structs.UCONTEXT.offset("gp_sstatus"),
                               "uc_mcontext.mc_fpregs.fp_x": structs.UCONTEXT.offset("fp_x"),
                               "uc_mcontext.mc_fpregs.fp_fcsr": structs.UCONTEXT.offset("fp_fcsr"),
                               "uc_mcontext.mc_fpregs.fp_flags": structs.UCONTEXT.offset("fp_flags"),
                               "uc_mcontext.mc_flags": structs.UCONTEXT.offset("mc_flags"),
                               "uc_mcontext.mc_pad": structs.UCONTEXT.offset("mc_pad"),
                               "uc_mcontext.mc_spare": structs.UCONTEXT.offset("mc_spare"),
                               "uc_link": structs.UCONTEXT.offset("uc_link"),
                               "uc_stack.ss_sp": structs.UCONTEXT.offset("uc_stack"),
                               "uc_stack.ss_size": structs.UCONTEXT.offset("uc_stack") + 8,
                               "uc_stack.ss_flags": structs.UCONTEXT.offset("uc_stack") + 16,
                               "uc_flags": structs.UCONTEXT.offset("uc_flags"),
                               "__spare__": structs.UCONTEXT.offset("uc_spare")},
                structs.UCONTEXT.size),
               ("siginfo_t", {"si_signo": structs.SIGFRAME.offset("si_signo"),
                              "si_code": structs.SIGFRAME.offset("si_code"),
                              "si_addr": structs.SIGFRAME.offset("si_addr")},
                structs.SF_UC)]
    lines = ["#include <stddef.h>", "#include <dirent.h>", "#include <signal.h>", "#include <sys/stat.h>",
             "#include <time.h>", "#include <ucontext.h>"]
    for ctype, offsets, size in layouts:
        for field, off in offsets.items():
            lines.append(f'_Static_assert(offsetof({ctype}, {field}) == {off}, "{ctype} {field}: kernel says {off}");')
        if ctype != "struct dirent":     # the kernel's dirent format is the header only
            lines.append(f'_Static_assert(sizeof({ctype}) == {size}, "sizeof {ctype}: kernel says {size}");')
    assert len(lines) > 30
    proc = compile_riscv(tmp_path, "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
