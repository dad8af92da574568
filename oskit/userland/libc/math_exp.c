/*
 * math_exp.c: exponentials, logarithms, pow, and the hyperbolic functions.
 *
 * Two cores, both in double-double arithmetic (math_private.h), with
 * relative errors near 2^-70; each function rounds the core's result to a
 * double once, so its error is 0.5 ulp plus that hair: below 1 ulp
 * everywhere, and correctly rounded but in rare cases.
 *
 *   expm1_core: e^x = 2^k * (1 + u). k = x / ln 2 rounded, r = x - k ln 2
 *     (|r| <= 0.347, in double-double), then e^r - 1 for r / 256 by its Taylor
 *     series (|r / 256| < 0.0014: seven terms, truncation below 2^-78), and
 *     eight doublings u <- u (2 + u) (that is, (1 + u)^2 - 1).
 *   __log_dd: x = 2^e * m, m in [sqrt(1/2), sqrt 2); ln m = 2 atanh(s) with
 *     s = (m - 1) / (m + 1), |s| < 0.172: 2s (1 + s^2/3 + s^4/5 + ...), 15
 *     terms (truncation below 2^-71); ln x = e ln 2 + ln m.
 *
 * The constants: ln 2, 1/ln 2, 1/ln 10, 1/3, 1/5 each as hi + lo, the
 * double nearest the value and the double nearest the rest (from Python's
 * decimal module at 60 digits).
 */
#include "math_private.h"

static const dd LN2 = { 0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56 };
static const dd INV_LN2 = { 0x1.71547652b82fep+0, 0x1.777d0ffda0d24p-56 };
static const dd INV_LN10 = { 0x1.bcb7b1526e50ep-2, 0x1.95355baaafad3p-57 };
static const dd THIRD = { 0x1.5555555555555p-2, 0x1.5555555555555p-56 };
static const dd FIFTH = { 0x1.999999999999ap-3, -0x1.999999999999ap-57 };

#define EXP_OVERFLOW    0x1.62e42fefa39efp+9    /* above this, e^x > DBL_MAX */
#define EXP_UNDERFLOW   -0x1.74910d52d3052p+9   /* below this, e^x < 2^-1075: rounds to 0 */

/* e^x = 2^k * (1 + u), u returned; |x| < 1100. */
static dd expm1_core(dd x, int *k)
{
    double kd = x.hi * INV_LN2.hi;
    kd = kd < 0 ? -(double)(long)(0.5 - kd) : (double)(long)(kd + 0.5);
    *k = (int)kd;
    dd kln2 = dd_add(two_prod(kd, LN2.hi), two_prod(kd, LN2.lo));     /* k ln 2, exact to 2^-106 */
    dd r = dd_add(x, dd_neg(kln2));
    r.hi *= 0.00390625; r.lo *= 0.00390625;     /* r / 256, exact */
    double h = r.hi;
    double tail = h * h * h * (1.0 / 6 + h * (1.0 / 24 + h * (1.0 / 120 + h * (1.0 / 720 + h / 5040))));
    dd sq = dd_mul(r, r);
    sq.hi *= 0.5; sq.lo *= 0.5;
    dd u = dd_add_d(dd_add(r, sq), tail);       /* e^(r/256) - 1 */
    for (int i = 0; i < 8; i++)
        u = dd_mul(u, dd_add_d(u, 2.0));
    return u;
}

dd __exp_dd(dd x, int *k)
{
    dd u = expm1_core(x, k);
    return dd_add_d(u, 1.0);
}

/* e^x - 1 as a double-double, for |x| < 50 (2^k fits a double exactly). */
static dd expm1_dd(dd x)
{
    int k;
    dd u = expm1_core(x, &k);
    if (k == 0)
        return u;
    double p = scalbn(1.0, k);
    return dd_add(dd_make(u.hi * p, u.lo * p), two_sum(p, -1.0));
}

/* ln m for m in [sqrt(1/2), sqrt 2), the series above. */
static dd log_mantissa(double m)
{
    dd s = dd_div(dd_make(m - 1.0, 0.0), two_sum(m, 1.0));    /* m - 1 is exact (Sterbenz) */
    dd t = dd_mul(s, s);
    double q = 0;
    for (int k = 14; k >= 3; k--)               /* t^3/7 + t^4/9 + ...: far below 2^-53, a double will do */
        q = 1.0 / (2 * k + 1) + t.hi * q;
    dd a = dd_add(FIFTH, dd_mul_d(t, q));       /* 1/5 + t/7 + ... */
    a = dd_add(THIRD, dd_mul(t, a));            /* 1/3 + t/5 + ... */
    dd b = dd_add_d(dd_mul(t, a), 1.0);         /* 1 + t/3 + t^2/5 + ... */
    return dd_mul(dd_make(2 * s.hi, 2 * s.lo), b);
}

/* x = 2^e * m, m in [sqrt(1/2), sqrt 2), for finite x > 0. */
static double split_log(double x, int *e)
{
    int ex = ilogb(x);
    double m = scalbn(x, -ex);                  /* [1, 2), exact */
    if (m > 1.4142135623730951) { m *= 0.5; ex++; }
    *e = ex;
    return m;
}

dd __log_dd(double x)
{
    int e;
    dd lm = log_mantissa(split_log(x, &e));
    return dd_add(dd_add(two_prod(e, LN2.hi), two_prod(e, LN2.lo)), lm);
}

/* Errors, as glibc reports them. */
static double overflow(double sign) { errno = ERANGE; return sign * 0x1p1023 * 2.0; }
static double underflow(double sign) { errno = ERANGE; return sign * 0x1p-1022 * 0x1p-60; }
static double domain_error(void) { errno = EDOM; double z = 0.0; return z / z; }
static double pole(double sign) { errno = ERANGE; return sign / 0.0; }

/* (1 + u) * 2^k rounded once, with ERANGE when that overflows or underflows
   to zero (glibc leaves errno alone for a subnormal result). */
static double scale_result(dd v, int k)
{
    double r = __scale_dd(v, k);
    if (isinf(r) || r == 0)
        errno = ERANGE;
    return r;
}

double exp(double x)
{
    if (isnan(x)) return x + x;
    if (x > EXP_OVERFLOW) return isinf(x) ? x : overflow(1);
    if (x < EXP_UNDERFLOW) return isinf(x) ? 0.0 : underflow(1);
    if (fabs(x) < 0x1p-60) return 1.0 + x;
    int k;
    dd v = __exp_dd(dd_make(x, 0.0), &k);
    return scale_result(v, k);
}

/* 2^x = 2^n * e^(f ln 2), n = x rounded, f = x - n exact: 2^n is exact. */
double exp2(double x)
{
    if (isnan(x)) return x + x;
    if (x >= 1024) return isinf(x) ? x : overflow(1);
    if (x < -1075) return isinf(x) ? 0.0 : underflow(1);
    double n = rint(x), f = x - n;
    int k;
    dd v = __exp_dd(dd_mul_d(LN2, f), &k);      /* k is 0: |f ln 2| <= 0.347 */
    return scale_result(v, k + (int)n);
}

double expm1(double x)
{
    if (isnan(x)) return x + x;
    if (x > 700) return exp(x);                 /* e^x >= 2^1009: the -1 is far below half an ulp */
    if (x < -40) return -1.0 + 0x1p-60;          /* rounds to -1 */
    if (fabs(x) < 0x1p-60) {
        return x;
    }
    return dd_value(expm1_dd(dd_make(x, 0.0)));
}

double log(double x)
{
    if (isnan(x)) return x + x;
    if (x < 0) return domain_error();
    if (x == 0) return pole(-1);
    if (isinf(x)) return x;
    return dd_value(__log_dd(x));
}

double log2(double x)
{
    if (isnan(x)) return x + x;
    if (x < 0) return domain_error();
    if (x == 0) return pole(-1);
    if (isinf(x)) return x;
    int e;
    dd lm = log_mantissa(split_log(x, &e));
    return dd_value(dd_add_d(dd_mul(lm, INV_LN2), (double)e));   /* exact e for powers of two */
}

double log10(double x)
{
    if (isnan(x)) return x + x;
    if (x < 0) return domain_error();
    if (x == 0) return pole(-1);
    if (isinf(x)) return x;
    return dd_value(dd_mul(__log_dd(x), INV_LN10));
}

/* ln(1 + x): 1 + x = hi + lo exactly (two_sum), and
   ln(hi + lo) = ln(hi) + ln(1 + c), c = lo/hi, |c| <= 2^-53, ln(1 + c) = c - c^2/2
   (the next term is below 2^-106 of the result, however small it is). */
double log1p(double x)
{
    if (isnan(x)) return x + x;
    if (x < -1) return domain_error();
    if (x == -1) return pole(-1);
    if (isinf(x)) return x;
    if (fabs(x) < 0x1p-60)
        return x;                               /* x^2/2 is below half an ulp */
    if (x > 0x1p100)
        return log(x);                          /* ln(1 + x) - ln x < 1/x: far below half an ulp */
    dd u = two_sum(1.0, x);
    dd c = dd_div(dd_make(u.lo, 0), dd_make(u.hi, 0));
    dd ln_1c = dd_add_d(c, -0.5 * c.hi * c.hi);
    return dd_value(dd_add(__log_dd(u.hi), ln_1c));
}

/* y is an integer (0), an odd integer (1), or not an integer (-1). */
static int integer_kind(double y)
{
    if (trunc(y) != y) return -1;
    if (fabs(y) >= 0x1p53) return 0;            /* every double this large is even */
    return trunc(y * 0.5) != y * 0.5;
}

/* x^y = e^(y ln|x|), the logarithm and the product in double-double:
   |y ln x| < 746 where the result is finite and nonzero, so its absolute
   error stays near 2^-60 and the result's relative error too. Exact powers
   (pow(2, 10), pow(10, 3)) come out exact: the result is a double, and the
   error is far below half an ulp. The Annex F special cases come first. */
double pow(double x, double y)
{
    if (y == 0 || x == 1) return 1.0;           /* even for a NaN */
    if (isnan(x) || isnan(y)) return x + y;
    int ykind = integer_kind(y);
    double sign = (x < 0 || (x == 0 && signbit(x))) && ykind == 1 ? -1.0 : 1.0;
    if (isinf(y)) {
        double ax = fabs(x);
        if (ax == 1) return 1.0;
        return (ax < 1) == (y < 0) ? INFINITY : 0.0;
    }
    if (x == 0)
        return y < 0 ? pole(sign) : sign * 0.0;
    if (isinf(x))
        return (x > 0 || ykind != 1) ? (y < 0 ? 0.0 : INFINITY) : (y < 0 ? -0.0 : -INFINITY);
    if (x < 0 && ykind < 0) return domain_error();
    if (x == -1) return sign;
    if (fabs(y) > 0x1p64)                       /* |y ln x| > 2^11 for every other x */
        return (fabs(x) < 1) == (y < 0) ? overflow(sign) : underflow(sign);
    dd z = dd_mul_d(__log_dd(fabs(x)), y);
    if (z.hi > 709.8) return overflow(sign);
    if (z.hi < -745.2) return underflow(sign);
    int k;
    dd v = __exp_dd(z, &k);
    return sign * scale_result(v, k);
}

/* The hyperbolic functions from e^|x| - 1 = U (no cancellation for small x):
   sinh = (U + U/(U + 1)) / 2, cosh = (e^|x| + e^-|x|) / 2, tanh = U2/(U2 + 2)
   with U2 = e^(2|x|) - 1. Past |x| = 22, e^-|x| is below half an ulp. */
double sinh(double x)
{
    if (!isfinite(x)) return x + x;
    double a = fabs(x);
    if (a < 0x1p-28) {
        return x;
    }
    if (a > 22) {
        if (a > 710.5) return overflow(copysign(1.0, x));
        int k;
        dd v = __exp_dd(dd_make(a, 0.0), &k);
        return copysign(scale_result(v, k - 1), x);
    }
    dd u = expm1_dd(dd_make(a, 0.0));
    dd s = dd_add(u, dd_div(u, dd_add_d(u, 1.0)));
    return copysign(0.5 * dd_value(s), x);
}

double cosh(double x)
{
    if (isnan(x)) return x + x;
    double a = fabs(x);
    if (a < 0x1p-28) return 1.0;
    if (a > 22) {
        if (a > 710.5) return isinf(a) ? a : overflow(1);
        int k;
        dd v = __exp_dd(dd_make(a, 0.0), &k);
        return scale_result(v, k - 1);
    }
    int k;
    dd e = __exp_dd(dd_make(a, 0.0), &k);
    double p = scalbn(1.0, k);
    e = dd_make(e.hi * p, e.lo * p);
    dd c = dd_add(e, dd_div(dd_make(1.0, 0.0), e));
    return 0.5 * dd_value(c);
}

double tanh(double x)
{
    if (isnan(x)) return x + x;
    double a = fabs(x);
    if (a < 0x1p-28) {
        return x;
    }
    if (a > 22) return copysign(1.0, x);
    dd u = expm1_dd(dd_make(2 * a, 0.0));
    return copysign(dd_value(dd_div(u, dd_add_d(u, 2.0))), x);
}
