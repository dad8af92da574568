/*
 * math.h: the C99 mathematical functions, double precision (float versions
 * round the double result once).
 *
 * The machine has no floating-point unit: every double operation below is a
 * call into compiler-rt's soft-float routines, rounding to nearest, ties to
 * even (the only rounding mode there is). Errors set errno (EDOM, ERANGE) as
 * glibc does; Annex F's special cases (zeros, infinities, NaN) are followed.
 *
 * Sources: libc/math_exact.c (results exactly rounded: floor ... sqrt,
 * hypot, cbrt), libc/math_exp.c (exp, log, pow, hyperbolic functions),
 * libc/math_trig.c (sin ... atan2), libc/math_float.c (the float wrappers);
 * libc/math_private.h holds the double-double arithmetic they share.
 */
#ifndef _MATH_H_
#define _MATH_H_

#define HUGE_VAL        __builtin_huge_val()
#define HUGE_VALF       __builtin_huge_valf()
#define INFINITY        __builtin_inff()
#define NAN             __builtin_nanf("")

#define FP_NAN          0
#define FP_INFINITE     1
#define FP_ZERO         2
#define FP_SUBNORMAL    3
#define FP_NORMAL       4

/* Type-generic classification: the compiler looks at the bits, no call. */
#define fpclassify(x)   __builtin_fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, x)
#define isnan(x)        __builtin_isnan(x)
#define isinf(x)        __builtin_isinf(x)
#define isfinite(x)     __builtin_isfinite(x)
#define isnormal(x)     __builtin_isnormal(x)
#define signbit(x)      __builtin_signbit(x)

/* The usual constants (POSIX/XSI), each the double nearest the true value. */
#define M_E             2.7182818284590452354   /* e */
#define M_LOG2E         1.4426950408889634074   /* log2(e) */
#define M_LOG10E        0.43429448190325182765  /* log10(e) */
#define M_LN2           0.69314718055994530942  /* ln(2) */
#define M_LN10          2.30258509299404568402  /* ln(10) */
#define M_PI            3.14159265358979323846  /* pi */
#define M_PI_2          1.57079632679489661923  /* pi/2 */
#define M_PI_4          0.78539816339744830962  /* pi/4 */
#define M_1_PI          0.31830988618379067154  /* 1/pi */
#define M_2_PI          0.63661977236758134308  /* 2/pi */
#define M_2_SQRTPI      1.12837916709551257390  /* 2/sqrt(pi) */
#define M_SQRT2         1.41421356237309504880  /* sqrt(2) */
#define M_SQRT1_2       0.70710678118654752440  /* 1/sqrt(2) */

/* Exact: the true result, rounded once (most are exactly representable). */
double  fabs(double x);
double  copysign(double x, double y);
double  floor(double x);
double  ceil(double x);
double  trunc(double x);
double  round(double x);                /* halves away from zero */
long    lround(double x);
long long llround(double x);
double  rint(double x);                 /* halves to even */
double  nearbyint(double x);
double  fmod(double x, double y);
double  remainder(double x, double y);
double  modf(double x, double *iptr);
double  frexp(double x, int *exp);
double  ldexp(double x, int exp);
double  scalbn(double x, int exp);
int     ilogb(double x);
double  logb(double x);
double  fmin(double x, double y);
double  fmax(double x, double y);
double  fdim(double x, double y);
double  nextafter(double x, double y);
double  sqrt(double x);                 /* correctly rounded */
double  hypot(double x, double y);      /* no overflow in between; these two rounded once from */
double  cbrt(double x);                 /* ~100 bits: correctly rounded but in the rarest cases */

/* What ilogb returns for 0 and NaN (glibc's values; FP_ILOGB0 is also INT_MIN there). */
#define FP_ILOGB0       (-2147483647 - 1)
#define FP_ILOGBNAN     (-2147483647 - 1)

/* Transcendental: error below 1 ulp (correctly rounded but in rare cases). */
double  exp(double x);
double  exp2(double x);
double  expm1(double x);                /* e^x - 1, exact for small x */
double  log(double x);
double  log2(double x);
double  log10(double x);
double  log1p(double x);                /* ln(1 + x), exact for small x */
double  pow(double x, double y);
double  sinh(double x);
double  cosh(double x);
double  tanh(double x);
double  sin(double x);                   /* any x: exact argument reduction */
double  cos(double x);
double  tan(double x);
double  asin(double x);
double  acos(double x);
double  atan(double x);
double  atan2(double y, double x);

/* float versions: the double function, rounded to float (libc/math_float.c). */
float   fabsf(float x);
float   copysignf(float x, float y);
float   floorf(float x);
float   ceilf(float x);
float   truncf(float x);
float   roundf(float x);
float   rintf(float x);
float   fmodf(float x, float y);
float   fminf(float x, float y);
float   fmaxf(float x, float y);
float   ldexpf(float x, int exp);
float   frexpf(float x, int *exp);
float   sqrtf(float x);
float   hypotf(float x, float y);
float   cbrtf(float x);
float   expf(float x);
float   exp2f(float x);
float   expm1f(float x);
float   logf(float x);
float   log2f(float x);
float   log10f(float x);
float   log1pf(float x);
float   powf(float x, float y);
float   sinhf(float x);
float   coshf(float x);
float   tanhf(float x);
float   sinf(float x);
float   cosf(float x);
float   tanf(float x);
float   asinf(float x);
float   acosf(float x);
float   atanf(float x);
float   atan2f(float y, float x);

#endif
