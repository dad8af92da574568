/*
 * math_trig.c: sin, cos, tan and their inverses, in double-double arithmetic
 * (math_private.h); each result is rounded once, so the error is 0.5 ulp plus
 * about 2^-64 relative: below 1 ulp everywhere.
 *
 * Argument reduction (sin, cos, tan): x = n * pi/2 + y with |y| <= pi/4, by
 * Payne and Hanek's method for every |x| > pi/4. x = M * 2^E (M an integer
 * of 53 bits), and x * 2/pi needs only the bits of 2/pi from 2^-(E-2) on:
 * the earlier ones give multiples of 4 (whole turns). 192 bits of 2/pi
 * times M, exactly, in integers, give n mod 4 and 128 bits of the fraction.
 * A double is never closer than 2^-61 (relative) to a multiple of pi/2, so
 * at least 66 good bits remain; y = fraction * pi/2 in double-double.
 * Below pi/4 there is nothing to reduce.
 *
 * Kernels, |y| <= pi/4, with t = y^2, in Horner's nested form whose divisors
 * are exact integers:
 *   sin y = y (1 - t/(2*3) (1 - t/(4*5) (1 - ...))), to y^21 (truncation < 2^-72)
 *   cos y = 1 - t/(1*2) (1 - t/(3*4) (1 - ...)),    to y^22 (truncation < 2^-68)
 * The outer levels in double-double, the inner ones (whose error is
 * multiplied by the small factors outside) in double.
 *
 * Inverses: atan(r) for 0 <= r <= 1 halves its argument three times,
 * atan r = 2 atan(r / (1 + sqrt(1 + r^2))), to |r| < 0.1, then its series
 * r - r^3/3 + r^5/5 ... (11 terms, truncation < 2^-70). atan2, asin
 * (atan2(x, sqrt(1 - x^2)), 1 - x^2 exact) and acos are built on it.
 */
#include "math_private.h"

static const dd PI = { 0x1.921fb54442d18p+1, 0x1.1a62633145c07p-53 };
static const dd PI_2 = { 0x1.921fb54442d18p+0, 0x1.1a62633145c07p-54 };
static const dd THIRD = { 0x1.5555555555555p-2, 0x1.5555555555555p-56 };
static const dd FIFTH = { 0x1.999999999999ap-3, -0x1.999999999999ap-57 };

/* The first 1280 bits of 2/pi after the binary point, 64 to a word (made
   with Machin's formula for pi in Python integers). */
static const uint64_t TWO_OVER_PI[20] = {
    0xa2f9836e4e441529, 0xfc2757d1f534ddc0, 0xdb6295993c439041, 0xfe5163abdebbc561,
    0xb7246e3a424dd2e0, 0x06492eea09d1921c, 0xfe1deb1cb129a73e, 0xe88235f52ebb4484,
    0xe99c7026b45f7e41, 0x3991d639835339f4, 0x9c845f8bbdf9283b, 0x1ff897ffde05980f,
    0xef2f118b5a0a6d1f, 0x6d367ecf27cb09b7, 0x4f463f669e5fea2d, 0x7527bac7ebe5f17b,
    0x3d0739f78a5292ea, 0x6bfb5fb11f8d5d08, 0x56033046fc7b6bab, 0xf0cfbc209af4361d,
};

/* 64 bits of 2/pi, starting at bit `first` (bit 1 is worth 2^-1). */
static uint64_t two_over_pi_bits(int first)
{
    int w = (first - 1) / 64, s = (first - 1) % 64;
    uint64_t v = TWO_OVER_PI[w] << s;
    if (s)
        v |= TWO_OVER_PI[w + 1] >> (64 - s);
    return v;
}

static uint64_t limb(const uint64_t *p, int i) { return i < 4 ? p[i] : 0; }

/* x = n * pi/2 + y for finite x >= pi/4: returns n mod 4, y in double-double. */
static int reduce(double x, dd *y)
{
    uint64_t u = asbits(x);
    uint64_t m = (u & FRAC_MASK) | (1ull << 52);    /* x >= pi/4 is normal */
    int e = BIASED_EXP(u) - 1075;                   /* x = m * 2^e */
    int first = e - 2 > 1 ? e - 2 : 1;
    uint64_t w0 = two_over_pi_bits(first), w1 = two_over_pi_bits(first + 64),
             w2 = two_over_pi_bits(first + 128);
    /* p = m * (w0 w1 w2), 256 bits, p[0] the lowest limb; its value is
       p * 2^-frac_bits, frac_bits = first + 191 - e bits after the point. */
    uint64_t p[4];
    unsigned __int128 t = (unsigned __int128)m * w2;
    p[0] = (uint64_t)t;
    t = (unsigned __int128)m * w1 + (uint64_t)(t >> 64);
    p[1] = (uint64_t)t;
    t = (unsigned __int128)m * w0 + (uint64_t)(t >> 64);
    p[2] = (uint64_t)t;
    p[3] = (uint64_t)(t >> 64);
    int frac_bits = first + 191 - e;
    int q = (frac_bits - 128) / 64, r = (frac_bits - 128) % 64;   /* keep 2 integer bits, 128 fraction bits */
    uint64_t lo = limb(p, q) >> r, hi = limb(p, q + 1) >> r, top = limb(p, q + 2) >> r;
    if (r) {
        lo |= limb(p, q + 1) << (64 - r);
        hi |= limb(p, q + 2) << (64 - r);
        top |= limb(p, q + 3) << (64 - r);
    }
    int n = (int)(top & 3);
    unsigned __int128 f = ((unsigned __int128)hi << 64) | lo;      /* fraction * 2^128 */
    double sign = 1;
    if (hi >> 63) {                                 /* fraction >= 1/2: to the next multiple */
        n = (n + 1) & 3;
        f = -f;
        sign = -1;
    }
    if (f == 0) { *y = dd_make(0, 0); return n; }
    int z = 0;
    while (!(f >> 127)) { f <<= 1; z++; }
    double fhi = (double)(uint64_t)(f >> 75) * scalbn(1.0, 75 - 128 - z);     /* 53 bits, exact */
    double flo = (double)(uint64_t)(f >> 11) * scalbn(1.0, 11 - 128 - z);     /* the 64 below them */
    *y = dd_mul(fast_two_sum(sign * fhi, sign * flo), PI_2);
    return n;
}

/* Level j of the nested series, in double-double: 1 - t/d * inner. */
static dd level(dd t, double d, dd inner)
{
    return dd_add_d(dd_neg(dd_div(dd_mul(t, inner), dd_make(d, 0))), 1.0);
}

static dd sin_kernel(dd y)
{
    dd t = dd_mul(y, y);
    double in = 1;
    for (int j = 10; j >= 4; j--)                   /* y^21 ... y^9: double */
        in = 1 - t.hi / ((2 * j) * (2 * j + 1)) * in;
    dd v = dd_make(in, 0);
    for (int j = 3; j >= 1; j--)
        v = level(t, (2 * j) * (2 * j + 1), v);
    return dd_mul(y, v);
}

static dd cos_kernel(dd y)
{
    dd t = dd_mul(y, y);
    double in = 1;
    for (int j = 11; j >= 5; j--)
        in = 1 - t.hi / ((2 * j - 1) * (2 * j)) * in;
    dd v = dd_make(in, 0);
    for (int j = 4; j >= 1; j--)
        v = level(t, (2 * j - 1) * (2 * j), v);
    return v;
}

/* sin and cos of x = n pi/2 + y: which kernel, which sign. */
static dd sin_or_cos(double x, int want_cos)
{
    double a = fabs(x);
    dd y = dd_make(a, 0);
    int n = a > 0.7853981633974483 ? reduce(a, &y) : 0;
    if (want_cos) n++;
    dd v = (n & 1) ? cos_kernel(y) : sin_kernel(y);
    if (n & 2) v = dd_neg(v);
    if (x < 0 && !want_cos) v = dd_neg(v);
    return v;
}

static double trig_domain_error(double x)
{
    if (isinf(x)) errno = EDOM;
    return x - x;                                   /* nan for inf and nan */
}

double sin(double x)
{
    if (!isfinite(x)) return trig_domain_error(x);
    if (fabs(x) < 0x1p-27) return x;                /* x^3/6 is below half an ulp */
    return dd_value(sin_or_cos(x, 0));
}

double cos(double x)
{
    if (!isfinite(x)) return trig_domain_error(x);
    if (fabs(x) < 0x1p-27) return 1.0;
    return dd_value(sin_or_cos(x, 1));
}

double tan(double x)
{
    if (!isfinite(x)) return trig_domain_error(x);
    if (fabs(x) < 0x1p-27) return x;
    double a = fabs(x);
    dd y = dd_make(a, 0);
    int n = a > 0.7853981633974483 ? reduce(a, &y) : 0;
    dd s = sin_kernel(y), c = cos_kernel(y);
    dd v = (n & 1) ? dd_neg(dd_div(c, s)) : dd_div(s, c);
    return x < 0 ? -dd_value(v) : dd_value(v);     /* tan is odd */
}

/* atan r for a double-double 0 <= r <= 1 (see the top). */
static dd atan_small(dd r)
{
    for (int i = 0; i < 3; i++)
        r = dd_div(r, dd_add_d(__sqrt_dd(dd_add_d(dd_mul(r, r), 1.0)), 1.0));
    dd t = dd_mul(r, r);
    double in = 0;
    for (int k = 11; k >= 3; k--)                   /* 1/7 - t/9 + ...: double */
        in = 1.0 / (2 * k + 1) - t.hi * in;
    dd v = dd_add(FIFTH, dd_neg(dd_mul_d(t, in)));  /* 1/5 - t/7 + ... */
    v = dd_add(THIRD, dd_neg(dd_mul(t, v)));        /* 1/3 - t/5 + ... */
    v = dd_add_d(dd_neg(dd_mul(t, v)), 1.0);        /* 1 - t/3 + ... */
    v = dd_mul(r, v);
    return dd_make(8 * v.hi, 8 * v.lo);
}

/* The angle of (x, y) for x, y > 0 (double-doubles of comparable size):
   atan(y/x) or pi/2 - atan(x/y), whichever ratio is at most 1. */
static dd angle(dd y, dd x)
{
    if (y.hi <= x.hi)
        return atan_small(dd_div(y, x));
    return dd_add(PI_2, dd_neg(atan_small(dd_div(x, y))));
}

double atan(double x)
{
    if (isnan(x)) return x + x;
    double a = fabs(x);
    if (a < 0x1p-27) return x;                      /* x^3/3 is below half an ulp */
    if (a > 0x1p60) return copysign(dd_value(PI_2), x);
    return copysign(dd_value(angle(dd_make(a, 0), dd_make(1.0, 0))), x);
}

double atan2(double y, double x)
{
    if (isnan(x) || isnan(y)) return x + y;
    double ax = fabs(x), ay = fabs(y);
    dd theta;                                       /* the angle for |x|, |y|, in [0, pi/2] */
    if (y == 0 || (isinf(x) && !isinf(y))) {
        theta = dd_make(0, 0);
    } else if (x == 0 || (isinf(y) && !isinf(x))) {
        theta = PI_2;
    } else if (isinf(x)) {                          /* both infinite */
        theta = dd_make(PI_2.hi * 0.5, PI_2.lo * 0.5);
    } else {
        int ky = ilogb(ay), kx = ilogb(ax);
        if (ky - kx < -60) {
            theta = dd_make(ay / ax, 0);            /* atan r = r to 2^-120: r rounded once */
            if (!signbit(x) && theta.hi == 0) errno = ERANGE;     /* underflow to 0 (glibc) */
        } else if (ky - kx > 60) {
            theta = PI_2;
        } else {
            theta = angle(dd_make(scalbn(ay, -kx), 0), dd_make(scalbn(ax, -kx), 0));
        }
    }
    if (signbit(x))
        theta = dd_add(PI, dd_neg(theta));
    return copysign(dd_value(theta), y);
}

/* sqrt(1 - x^2) for |x| <= 1: x^2 exactly (two_prod), 1 - x^2 exactly too
   for |x| >= 1/2 (and to 2^-106 below), then the double-double square root. */
static dd cosine_of_sine(double x)
{
    dd c = dd_add_d(dd_neg(two_prod(x, x)), 1.0);
    return c.hi > 0 ? __sqrt_dd(c) : dd_make(0, 0);
}

double asin(double x)
{
    if (isnan(x)) return x + x;
    double a = fabs(x);
    if (a > 1) { errno = EDOM; return (x - x) / (x - x); }
    if (a < 0x1p-27) return x;
    if (a == 1) return copysign(dd_value(PI_2), x);
    return copysign(dd_value(angle(dd_make(a, 0), cosine_of_sine(a))), x);
}

double acos(double x)
{
    if (isnan(x)) return x + x;
    double a = fabs(x);
    if (a > 1) { errno = EDOM; return (x - x) / (x - x); }
    if (x == 1) return 0.0;
    if (x == -1) return dd_value(PI);
    dd theta = a == 0 ? PI_2 : angle(cosine_of_sine(a), dd_make(a, 0));
    if (x < 0)
        theta = dd_add(PI, dd_neg(theta));
    return dd_value(theta);
}
