/*
 * math_private.h: what the math*.c files share.
 *
 * 1. The bits of a double: sign (1), biased exponent (11), fraction (52).
 *
 * 2. Double-double arithmetic: a number carried as an unevaluated sum hi + lo
 *    of two doubles with |lo| <= ulp(hi)/2, about 106 significant bits. The
 *    transcendental functions compute in it, so that their error before the
 *    final rounding (hi + lo to one double) is far below half an ulp: the
 *    result is then within 0.5 ulp plus a hair, always under 1 ulp.
 *    The building blocks are exact: two_sum (Knuth) gives a + b as s + err
 *    exactly, two_prod (Dekker, with Veltkamp's split into 26-bit halves,
 *    since there is no fused multiply-add) gives a * b as p + err exactly.
 */
#ifndef _MATH_PRIVATE_H_
#define _MATH_PRIVATE_H_

#include <errno.h>
#include <math.h>
#include <stdint.h>

/* Keep a * b + c as two roundings: the error analysis counts on it. */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

static inline uint64_t asbits(double x) { union { double d; uint64_t u; } v = { x }; return v.u; }
static inline double asdouble(uint64_t u) { union { uint64_t u; double d; } v = { u }; return v.d; }

#define SIGN_BIT        0x8000000000000000ull
#define EXP_MASK        0x7ff0000000000000ull
#define FRAC_MASK       0x000fffffffffffffull
#define BIASED_EXP(u)   ((int)(((u) >> 52) & 0x7ff))

typedef struct { double hi, lo; } dd;

static inline dd dd_make(double hi, double lo) { dd r = { hi, lo }; return r; }

/* a + b exactly, any order of magnitudes (Knuth's TwoSum, 6 additions). */
static inline dd two_sum(double a, double b)
{
    double s = a + b, bb = s - a;
    return dd_make(s, (a - (s - bb)) + (b - bb));
}

/* a + b exactly when |a| >= |b| or a == 0 (Dekker's Fast2Sum, 3 additions). */
static inline dd fast_two_sum(double a, double b)
{
    double s = a + b;
    return dd_make(s, b - (s - a));
}

/* a * b exactly (Dekker): each factor split into two 26-bit halves whose
   products are exact. Needs |a|, |b| < 2^996 (the split multiplies by 2^27 + 1). */
static inline dd two_prod(double a, double b)
{
    double p = a * b;
    double ca = 134217729.0 * a, ah = ca - (ca - a), al = a - ah;
    double cb = 134217729.0 * b, bh = cb - (cb - b), bl = b - bh;
    return dd_make(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl);
}

/* Sums and products of double-doubles: relative error about 2^-100. */
static inline dd dd_add(dd a, dd b)
{
    dd s = two_sum(a.hi, b.hi), t = two_sum(a.lo, b.lo);
    s = fast_two_sum(s.hi, s.lo + t.hi);
    return fast_two_sum(s.hi, s.lo + t.lo);
}

static inline dd dd_add_d(dd a, double b)
{
    dd s = two_sum(a.hi, b);
    return fast_two_sum(s.hi, s.lo + a.lo);
}

static inline dd dd_neg(dd a) { return dd_make(-a.hi, -a.lo); }

static inline dd dd_mul(dd a, dd b)
{
    dd p = two_prod(a.hi, b.hi);
    return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

static inline dd dd_mul_d(dd a, double b)
{
    dd p = two_prod(a.hi, b);
    return fast_two_sum(p.hi, p.lo + a.lo * b);
}

/* a / b: a first quotient, then one correction by the exact remainder. */
static inline dd dd_div(dd a, dd b)
{
    double q = a.hi / b.hi;
    dd r = dd_add(a, dd_neg(dd_mul_d(b, q)));
    double q2 = r.hi / b.hi;
    r = dd_add(r, dd_neg(dd_mul_d(b, q2)));
    return dd_add_d(fast_two_sum(q, q2), r.hi / b.hi);
}

static inline double dd_value(dd a) { return a.hi + a.lo; }

/* Shared between the files (declared here, not in math.h). */
dd __exp_dd(dd x, int *k);              /* e^x = (result) * 2^k, for |x| < 1100 */
dd __log_dd(double x);                  /* ln x for finite x > 0 */
dd __sqrt_dd(dd a);                     /* sqrt of a > 0 */
double __scale_dd(dd v, int k);         /* v * 2^k rounded once, even when subnormal */

#endif
