/*
 * math_exact.c: the <math.h> functions whose results are exact (or rounded
 * once, correctly): they work on the bits of the double, with integers.
 *
 * A double is (-1)^s * 1.f * 2^(e - 1023) for 0 < e < 2047 (normal), or
 * (-1)^s * 0.f * 2^-1022 for e == 0 (zero, subnormal); e == 2047 is an
 * infinity (f == 0) or a NaN. Seen as an integer mantissa m = 1f (53 bits):
 * x = m * 2^(e - 1075).
 */
#include "math_private.h"

double fabs(double x) { return asdouble(asbits(x) & ~SIGN_BIT); }

double copysign(double x, double y) { return asdouble((asbits(x) & ~SIGN_BIT) | (asbits(y) & SIGN_BIT)); }

/* Drop the fraction bits below the binary point (they are the low 52 - (e - 1023) bits). */
double trunc(double x)
{
    uint64_t u = asbits(x);
    int e = BIASED_EXP(u) - 1023;
    if (e >= 52)
        return x;                               /* already an integer (or inf, nan) */
    if (e < 0)
        return asdouble(u & SIGN_BIT);          /* |x| < 1: a zero of x's sign */
    return asdouble(u & ~(FRAC_MASK >> e));
}

double floor(double x)
{
    double t = trunc(x);
    return (t != x && x < 0) ? t - 1.0 : t;     /* t - 1 is exact: t is an integer < 2^52 */
}

double ceil(double x)
{
    double t = trunc(x);
    return (t != x && x > 0) ? t + 1.0 : (t == 0 ? copysign(0.0, x) : t);
}

/* Halves away from zero: trunc(x + 1/2 * sign), decided on the fraction to stay exact. */
double round(double x)
{
    double t = trunc(x);
    if (fabs(x - t) >= 0.5)                     /* x - t is exact (same binade or below) */
        t += copysign(1.0, x);
    return t == 0 ? copysign(0.0, x) : t;
}

long lround(double x) { return (long)round(x); }
long long llround(double x) { return (long long)round(x); }

/* Halves to even: adding 2^52 leaves no bits below the point, and the
   addition rounds (to nearest even, the only mode here); subtracting 2^52 is exact. */
double rint(double x)
{
    double a = fabs(x);
    if (!(a < 4503599627370496.0))              /* >= 2^52: an integer, inf or nan */
        return x;
    a = (a + 4503599627370496.0) - 4503599627370496.0;
    return copysign(a, x);
}

double nearbyint(double x) { return rint(x); }

double modf(double x, double *iptr)
{
    double t = trunc(x);
    *iptr = t;
    if (isinf(x))
        return copysign(0.0, x);
    return copysign(x - t, x);                  /* exact; keeps the sign of a zero fraction */
}

/* ilogb, frexp, scalbn: read or change the exponent field. Subnormals are
   first scaled by 2^54 into the normal range. */
int ilogb(double x)
{
    uint64_t u = asbits(x);
    int e = BIASED_EXP(u);
    if (e == 0) {
        if ((u << 1) == 0)
            return FP_ILOGB0;
        u = asbits(x * 18014398509481984.0);    /* 2^54 */
        return BIASED_EXP(u) - 1023 - 54;
    }
    if (e == 0x7ff)
        return (u & FRAC_MASK) ? FP_ILOGBNAN : 2147483647;
    return e - 1023;
}

double logb(double x)
{
    if (x == 0)
        return -1.0 / fabs(x);                  /* -inf (glibc leaves errno alone) */
    if (!isfinite(x))
        return x * x;                           /* inf -> inf, nan -> nan */
    return (double)ilogb(x);
}

double frexp(double x, int *exp)
{
    *exp = 0;
    if (x == 0 || !isfinite(x))
        return x;
    int e = ilogb(x) + 1;
    *exp = e;
    return scalbn(x, -e);                       /* exact: the result is in [1/2, 1) */
}

/* x * 2^n, rounded once. Large |n| is applied in steps of at most 2^1023;
   when the result is subnormal, the last step is the only one that rounds
   (the scale 2^-969 = 2^-1022 * 2^53 keeps the mantissa whole until then). */
double scalbn(double x, int n)
{
    if (n > 1023) {
        x *= 8.98846567431158e307;              /* 2^1023 */
        n -= 1023;
        if (n > 1023) {
            x *= 8.98846567431158e307;
            n -= 1023;
            if (n > 1023)
                n = 1023;
        }
    } else if (n < -1022) {
        x *= 2.004168360008973e-292;            /* 2^-969 */
        n += 969;
        if (n < -1022) {
            x *= 2.004168360008973e-292;
            n += 969;
            if (n < -1022)
                n = -1022;
        }
    }
    return x * asdouble((uint64_t)(n + 1023) << 52);
}

double ldexp(double x, int n)
{
    double r = scalbn(x, n);
    if (isfinite(x) && x != 0 && (r == 0 || isinf(r)))
        errno = ERANGE;
    return r;
}

/* A signaling NaN (quiet bit 51 clear) is not "missing data": glibc returns NaN. */
static int is_snan(double x) { return isnan(x) && !(asbits(x) & (1ull << 51)); }

double fmin(double x, double y)
{
    if (is_snan(x) || is_snan(y)) return x + y;
    if (isnan(x)) return y;
    if (isnan(y)) return x;
    if (x == y) return signbit(x) ? x : y;      /* fmin(-0, +0) is -0 */
    return x < y ? x : y;
}

double fmax(double x, double y)
{
    if (is_snan(x) || is_snan(y)) return x + y;
    if (isnan(x)) return y;
    if (isnan(y)) return x;
    if (x == y) return signbit(x) ? y : x;
    return x > y ? x : y;
}

double fdim(double x, double y)
{
    if (isnan(x) || isnan(y)) return x + y;
    if (x <= y) return 0.0;
    double r = x - y;
    if (isinf(r) && isfinite(x) && isfinite(y)) errno = ERANGE;
    return r;
}

/* The neighbour of x towards y: one step of the bit pattern, which counts
   doubles of one sign in order. */
double nextafter(double x, double y)
{
    if (isnan(x) || isnan(y)) return x + y;
    if (x == y) return y;
    uint64_t u = asbits(x);
    if (x == 0)
        u = (asbits(y) & SIGN_BIT) | 1;         /* the smallest subnormal, y's side */
    else if ((x < y) == (x > 0))
        u++;                                    /* away from zero */
    else
        u--;
    double r = asdouble(u);
    if (isinf(r) || (x != 0 && !isnormal(r)))
        errno = ERANGE;                         /* overflow, or a subnormal/zero result (not from 0) */
    return r;
}

/* |x| = mx * 2^ex with mx in [2^52, 2^53) for every finite nonzero x. */
static uint64_t mantissa(double x, int *ex)
{
    uint64_t u = asbits(x), m = u & FRAC_MASK;
    int e = BIASED_EXP(u);
    if (e == 0) {                               /* subnormal: shift the leading 1 up */
        e = 1;
        while (!(m >> 52)) { m <<= 1; e--; }
    } else {
        m |= 1ull << 52;
    }
    *ex = e - 1075;
    return m;
}

/* The exact remainder of |x| / |y| by long division on the mantissas, one
   quotient bit per step (at most 2098 steps). Returns it as an integer r
   with |x| mod |y| = r * 2^ey, and the quotient's parity in *odd. */
static uint64_t remainder_bits(double x, double y, int *ey, int *odd)
{
    int ex;
    uint64_t mx = mantissa(x, &ex), my = mantissa(y, ey);
    uint64_t r = mx;
    int q = 0;
    for (int n = ex - *ey; n > 0; n--) {
        if (r >= my) { r -= my; q++; }
        r <<= 1;
        q <<= 1;
        q &= 3;
    }
    if (r >= my) { r -= my; q++; }
    *odd = q & 1;
    return r;
}

/* x - n*y with n = trunc(x/y): exact (a remainder is always representable). */
double fmod(double x, double y)
{
    if (isnan(x) || isnan(y)) return x + y;
    if (isinf(x) || y == 0) {
        errno = EDOM;
        return (x * y) / (x * y);               /* nan */
    }
    if (isinf(y) || fabs(x) < fabs(y)) return x;
    int ey, odd;
    uint64_t r = remainder_bits(x, y, &ey, &odd);
    return copysign(scalbn((double)r, ey), x);
}

/* x - n*y with n = x/y rounded to nearest, ties to even n: |result| <= |y|/2. */
double remainder(double x, double y)
{
    if (isnan(x) || isnan(y)) return x + y;
    if (isinf(x) || y == 0) {
        errno = EDOM;
        return (x * y) / (x * y);
    }
    if (isinf(y)) return x;
    double ax = fabs(x), ay = fabs(y);
    int ey, odd;
    if (ax < ay) {                              /* n is 0 or 1: compare 2|x| with |y| */
        int above = ay < 4.450147717014403e-308 ? 2 * ax > ay : ax > 0.5 * ay;   /* both exact */
        return above ? copysign(ay - ax, -x) : x;   /* ay - ax exact (Sterbenz); a tie keeps n = 0 */
    }
    uint64_t r = remainder_bits(x, y, &ey, &odd);
    uint64_t my = mantissa(y, &ey);
    if (2 * r > my || (2 * r == my && odd))
        return copysign(scalbn((double)(my - r), ey), -x);
    return copysign(scalbn((double)r, ey), x);
}

/* Digit-by-digit (binary) integer square root: floor(sqrt(n)), and whether
   it was exact. One result bit per step, as long division does. */
static uint64_t isqrt128(unsigned __int128 n, int *inexact)
{
    unsigned __int128 root = 0, bit = (unsigned __int128)1 << 126;
    while (bit > n) bit >>= 2;
    while (bit) {
        if (n >= root + bit) {
            n -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    *inexact = n != 0;
    return (uint64_t)root;
}

/* Correctly rounded: x = m * 2^e with e even; sqrt(m * 2^54) is a 54-bit
   integer s (53 bits and one guard bit) plus a nonzero remainder when
   inexact. A tie is impossible (a square root of an integer is never an
   odd multiple of 1/2), so the guard bit alone decides the rounding. */
double sqrt(double x)
{
    if (x == 0 || isnan(x) || (isinf(x) && x > 0)) return x + x;
    if (x < 0) {
        errno = EDOM;
        return (x - x) / (x - x);               /* nan */
    }
    int e, inexact;
    uint64_t m = mantissa(x, &e);
    if (e & 1) { m <<= 1; e--; }
    uint64_t s = isqrt128((unsigned __int128)m << 54, &inexact);   /* in [2^53, 2^54) */
    (void)inexact;
    uint64_t r = (s >> 1) + (s & 1);            /* round the guard bit up */
    int re = (e - 54) / 2 + 1;                  /* sqrt(x) ~ r * 2^re */
    if (r >> 53) { r >>= 1; re++; }
    return asdouble(((uint64_t)(re + 1075) << 52) | (r & FRAC_MASK));   /* always normal */
}

/* sqrt(a) for a double-double a > 0: s = sqrt(a.hi), then one Newton step
   s + (a - s^2) / (2s) with s^2 exact. Relative error about 2^-100. */
dd __sqrt_dd(dd a)
{
    double s = sqrt(a.hi);
    dd r = dd_add(a, dd_neg(two_prod(s, s)));
    return fast_two_sum(s, r.hi / (2 * s));
}

/* v * 2^k rounded once, also when the result is subnormal (where rounding
   v to a double first and then scaling would round twice). In units of the
   smallest subnormal 2^-1074, v.hi is h (below 2^52) and v.lo is l; h is
   rounded to the integer n (halves to even), and the rest h - n, exact and
   at most 1/2, is a tie only if it is exactly 1/2: then l's sign decides. */
double __scale_dd(dd v, int k)
{
    if (v.hi == 0 || !isfinite(v.hi) || ilogb(v.hi) + k >= -1022)
        return scalbn(dd_value(v), k);
    double h = scalbn(v.hi, 1074 + k), l = scalbn(v.lo, 1074 + k);     /* both exact */
    double n = rint(h), r = h - n;
    if (r == 0.5 && l > 0)
        n += 1;
    else if (r == -0.5 && l < 0)
        n -= 1;
    return scalbn(n, -1074);                    /* exact */
}

/* sqrt(x^2 + y^2) without overflow or underflow in between: both scaled by
   a power of two that brings the larger near 1, the sum of squares kept
   exactly as a double-double, its square root to about 2^-100, rounded once
   (__scale_dd): error under 0.5 ulp + 2^-90 relative (correctly rounded but
   in the rarest cases). */
double hypot(double x, double y)
{
    if (isinf(x) || isinf(y)) return INFINITY;
    if (isnan(x) || isnan(y)) return x + y;
    x = fabs(x); y = fabs(y);
    if (x < y) { double t = x; x = y; y = t; }
    if (y == 0) return x;
    int k = ilogb(x);
    if (k - ilogb(y) > 60)
        return x + y;                           /* y is below half an ulp of x */
    x = scalbn(x, -k); y = scalbn(y, -k);       /* exact: y stays above 2^-62 */
    dd s = dd_add(two_prod(x, x), two_prod(y, y));
    dd h = __sqrt_dd(s);
    double r = __scale_dd(h, k);
    if (isinf(r)) errno = ERANGE;
    return r;
}

/* Cube root: |x| = a * 2^(3q) with a in [1, 8), so cbrt|x| = cbrt(a) * 2^q.
   A first guess for cbrt(a) on the line from (1, 1) to (8, 2.5), six Newton
   steps in double (t <- t - (t^3 - a)/(3t^2), each doubles the good bits),
   one more with t^3 exact in double-double, rounded once: error under
   0.5 ulp + 2^-90 relative (glibc's cbrt is up to 3 ulps off). */
double cbrt(double x)
{
    if (x == 0 || !isfinite(x)) return x + x;
    int e;
    uint64_t m = mantissa(x, &e);               /* |x| = m * 2^e */
    int e3 = e + 52;                            /* |x| = (m / 2^52) * 2^e3, m / 2^52 in [1, 2) */
    int r = ((e3 % 3) + 3) % 3;
    int q = (e3 - r) / 3;
    double a = (double)m / 4503599627370496.0 * (double)(1 << r);  /* in [1, 8): cbrt(a) in [1, 2) */
    double t = 1.0 + (a - 1.0) / 7.0 * 1.5;     /* within 0.5 of cbrt(a) */
    if (t > 2.0) t = 2.0;
    for (int i = 0; i < 6; i++)
        t = t - (t * t * t - a) / (3 * t * t);
    dd t3 = dd_mul_d(two_prod(t, t), t);        /* t^3, exact to 2^-100 */
    dd diff = dd_add_d(dd_neg(t3), a);          /* a - t^3 */
    dd c = fast_two_sum(t, diff.hi / (3 * t * t));
    return copysign(scalbn(dd_value(c), q), x);
}
