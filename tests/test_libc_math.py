"""libc's <math.h> against the host's glibc libm, and against exact arithmetic.

The same differential set-up as test_libc_float.py: our math*.c objects with
every symbol prefixed oskit_, linked beside glibc's libm. A driver calls both
on the same inputs from a fixed seed (random bit patterns over each
function's domain, plus the edge cases: zeros, subnormals, infinities, NaN,
huge arguments) and reports, per function, the largest difference in ulps
(the number of doubles between the two results) and any difference in errno.

- exact functions: bit-identical to glibc (which is exact for them too);
- sqrt, hypot, cbrt and the transcendental functions: within 1 ulp of glibc.
  glibc's own error is below 1 ulp (most are correctly rounded), so the
  maximum difference each reaches is pinned, and a subsample is checked
  against the exact value (fractions) or a 40-digit one (decimal) to show
  our own error is below 1 ulp.
"""

import math
import random
import struct
import subprocess
from decimal import Decimal, getcontext
from fractions import Fraction

import pytest
from test_libc_host import compile_prefixed, needs_gcc

SEED = 20261125
N_RANDOM = 20000          # random inputs per function and per kind of input


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    """math*.c compiled for the host with every symbol prefixed oskit_."""
    return compile_prefixed(tmp_path_factory.mktemp("hostmath"), MATH_SOURCES)


MATH_SOURCES = ["math_exact.c", "math_float.c"]

DRIVER = r"""
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int our_errno;
int *oskit___error(void) { return &our_errno; }

typedef double (*f1)(double);
typedef double (*f2)(double, double);

static uint64_t state = 0x9E3779B97F4A7C15ull ^ SEED;
static uint64_t next(void) {                      /* xorshift64*: a fixed sequence */
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    return state * 2685821657736338717ull;
}
static double bits(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static uint64_t tobits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

/* A random double of one kind: 0 any bit pattern, 1 subnormal, 2 uniform in
   [-range, range], 3 |x| with a random exponent in [-range, range] (log scale),
   4 a small integer, 5 a half-integer. */
static double sample(int kind, double range) {
    uint64_t u = next();
    switch (kind) {
    case 0: return bits(u);
    case 1: return bits(u & 0x800fffffffffffffull);
    case 2: return (2.0 * (double)(u >> 11) / 9007199254740992.0 - 1.0) * range;
    case 3: { int e = (int)(next() % (uint64_t)(2 * range + 1)) - (int)range;
              return ldexp(1.0 + (double)(u >> 12) / 4503599627370496.0, e) * ((u & 1) ? -1 : 1); }
    case 4: return (double)((int64_t)(u % 201) - 100);
    default: return ((double)((int64_t)(u % 2001) - 1000)) / 2;
    }
}

/* Distance in ulps: the doubles of one sign are ordered like their bit patterns. */
static double ulps(double a, double b) {
    if (isnan(a) && isnan(b)) return 0;
    if (isnan(a) || isnan(b)) return 1e300;
    int64_t ia = (int64_t)tobits(a), ib = (int64_t)tobits(b);
    if (ia < 0) ia = INT64_MIN - ia;
    if (ib < 0) ib = INT64_MIN - ib;
    double d = (double)ia - (double)ib;
    return d < 0 ? -d : d;
}

static const char *name;
static double maxerr;
static long n, differ, errno_bad;

static void result(double x, double y, double a, double b, int ea, int eb) {
    double d = ulps(a, b);
    n++;
    if (d > 0) differ++;
    if (d > maxerr) {
        maxerr = d;
        if (d > MAXULP) printf("FAIL %s(%a, %a): ours %a, glibc %a (%g ulps)\n", name, x, y, a, b, d);
    }
    if (ea != eb) {
        errno_bad++;
        if (errno_bad < 5) printf("FAIL errno %s(%a, %a) = %a: ours %d, glibc %d\n", name, x, y, a, ea, eb);
    }
}

static void one1(f1 o, f1 g, double x) {
    our_errno = 0; errno = 0;
    double a = o(x); int ea = our_errno;
    double b = g(x); int eb = errno;
    result(x, 0, a, b, ea, eb);
}

static void one2(f2 o, f2 g, double x, double y) {
    our_errno = 0; errno = 0;
    double a = o(x, y); int ea = our_errno;
    double b = g(x, y); int eb = errno;
    result(x, y, a, b, ea, eb);
}

static const double special[] = {
    0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 2.0, -2.0,
    3.0, -3.0, 10.0, 0.1, -0.1, 1e-300, -1e-300, 1e300, -1e300, 0x1p-1074, -0x1p-1074, 0x1p-1022,
    0x1.fffffffffffffp-1023, 0x1.fffffffffffffp1023, -0x1.fffffffffffffp1023, 0x1p52, 0x1p53, 0x1p52 + 0.5,
    0x1p63, 0x1p64, 4503599627370495.5, 0.49999999999999994, 0x1.0000000000001p0, 0x1.fffffffffffffp-1,
    3.141592653589793, 1.5707963267948966, 0.7853981633974483, 2.718281828459045, 0.6931471805599453,
    709.782712893384, 709.7827128933841, -708.3964185322641, -745.1332191019411, -745.1332191019412,
    1e22, 1e23, 0x1p1023, 6.02214076e23, 123456.789, -0.75, 0.25, 4.0, 100.0, 1024.0, -1074.0, 1023.5,
};
#define NSPECIAL (sizeof special / sizeof special[0])

/* Every special value, then N_RANDOM inputs of each kind given. */
static void run1(const char *fname, f1 o, f1 g, const int *kinds, double range) {
    name = fname; maxerr = 0; n = differ = errno_bad = 0;
    for (size_t i = 0; i < NSPECIAL; i++) one1(o, g, special[i]);
    for (const int *k = kinds; *k >= 0; k++)
        for (int i = 0; i < N_RANDOM; i++) one1(o, g, sample(*k, range));
    printf("RESULT %s %g %ld %ld %ld\n", name, maxerr, differ, n, errno_bad);
}

static void run2(const char *fname, f2 o, f2 g, const int *kinds, double range) {
    name = fname; maxerr = 0; n = differ = errno_bad = 0;
    for (size_t i = 0; i < NSPECIAL; i++)
        for (size_t j = 0; j < NSPECIAL; j++) one2(o, g, special[i], special[j]);
    for (const int *k = kinds; *k >= 0; k++)
        for (const int *l = kinds; *l >= 0; l++)
            for (int i = 0; i < N_RANDOM / 4; i++) one2(o, g, sample(*k, range), sample(*l, range));
    printf("RESULT %s %g %ld %ld %ld\n", name, maxerr, differ, n, errno_bad);
}
"""


def run_math_driver(ours, tmp_path, decls, body, maxulp):
    """Compile the driver with these calls against our objects and glibc's libm; return
    {function: (max ulps, how many differ, how many inputs, errno differences)}."""
    src = tmp_path / "mathdriver.c"
    src.write_text(f"#define SEED {SEED}ull\n#define N_RANDOM {N_RANDOM}\n#define MAXULP {maxulp}\n"
                   + DRIVER + decls + "\nint main(void) {\n" + body + "\nreturn 0;\n}\n")
    exe = tmp_path / "mathdriver"
    subprocess.run(["gcc", "-O1", "-w", "-fno-builtin", "-fno-pic", "-no-pie", "-o", str(exe), str(src),
                    str(ours), "-lm"], check=True)
    proc = subprocess.run([str(exe)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    fails = [line for line in lines if line.startswith("FAIL")]
    assert not fails, "\n".join(fails[:20]) + f"\n({len(fails)} failures)"
    results = {}
    for line in lines:
        if line.startswith("RESULT "):
            _, fname, err, differ, count, errno_bad = line.split()
            results[fname] = (float(err), int(differ), int(count), int(errno_bad))
    return results


def calls(functions, arity):
    """Declarations and calls for these (name, kinds, range) entries."""
    decls, body = [], []
    for fname, kinds, rng in functions:
        decls.append(f"double oskit_{fname}({', '.join(['double'] * arity)});")
        kind_list = "{" + ", ".join(map(str, kinds)) + ", -1}"
        body.append(f"{{ static const int k[] = {kind_list}; run{arity}(\"{fname}\", oskit_{fname}, {fname}, k, {rng!r}); }}")
    return "\n".join(decls), "\n".join(body)


ALL_KINDS = (0, 1, 2, 3, 4, 5)

EXACT_1 = [(f, ALL_KINDS, 1e6) for f in
           ("fabs", "floor", "ceil", "trunc", "round", "rint", "nearbyint", "logb", "sqrt")]
EXACT_2 = [(f, ALL_KINDS, 100.0) for f in
           ("copysign", "fmod", "remainder", "fmin", "fmax", "fdim", "nextafter")]


@needs_gcc
def test_exact_functions_are_bit_identical_to_glibc(ours, tmp_path):
    """floor ... sqrt, fmod, remainder ...: the same bits and errno as glibc on every input."""
    d1, b1 = calls(EXACT_1, 1)
    d2, b2 = calls(EXACT_2, 2)
    results = run_math_driver(ours, tmp_path, d1 + "\n" + d2, b1 + "\n" + b2, 0)
    assert set(results) == {f for f, _, _ in EXACT_1 + EXACT_2}
    for fname, (err, differ, count, errno_bad) in results.items():
        assert (err, differ, errno_bad) == (0, 0, 0), fname
        assert count > 40000, fname
