/*
 * math_float.c: the float versions, thin wrappers over the double ones.
 *
 * A float converts to double exactly, and each double function's result is
 * within 1 ulp of double (53 bits); converting it to float (24 bits) rounds
 * once more. For the exact functions the result is what a float computation
 * gives; for the others the error is at most 0.5 float ulp plus a 2^-29
 * hair (a double rounding, harmless at float's precision). A result that
 * fits a double but not a float overflows or underflows only in the
 * conversion: narrow() sets ERANGE for it, as glibc's float functions do.
 */
#include "math_private.h"

static float narrow(double r)
{
    float f = (float)r;
    if ((isinf(f) && !isinf(r)) || (r != 0 && fabs(r) < 0x1p-149))
        errno = ERANGE;                     /* beyond FLT_MAX, or below the smallest float (as glibc) */
    return f;
}

float fabsf(float x) { return (float)fabs(x); }
float copysignf(float x, float y) { return (float)copysign(x, y); }
float floorf(float x) { return (float)floor(x); }
float ceilf(float x) { return (float)ceil(x); }
float truncf(float x) { return (float)trunc(x); }
float roundf(float x) { return (float)round(x); }
float rintf(float x) { return (float)rint(x); }
float fmodf(float x, float y) { return (float)fmod(x, y); }
/* A signaling NaN loses its kind in the conversion to double: look first. */
static int is_snanf(float x) { union { float f; uint32_t u; } v = { x }; return isnan(x) && !(v.u & 0x00400000); }
float fminf(float x, float y) { return is_snanf(x) || is_snanf(y) ? x + y : (float)fmin(x, y); }
float fmaxf(float x, float y) { return is_snanf(x) || is_snanf(y) ? x + y : (float)fmax(x, y); }
float ldexpf(float x, int n) { return narrow(scalbn(x, n)); }
float frexpf(float x, int *e) { return (float)frexp(x, e); }
float sqrtf(float x) { return (float)sqrt(x); }        /* correctly rounded: 53 bits >= 2*24 + 2 */
float hypotf(float x, float y) { return narrow(hypot(x, y)); }
float cbrtf(float x) { return (float)cbrt(x); }

float expf(float x) { return narrow(exp(x)); }
float exp2f(float x) { return narrow(exp2(x)); }
float expm1f(float x) { return narrow(expm1(x)); }
float logf(float x) { return (float)log(x); }
float log2f(float x) { return (float)log2(x); }
float log10f(float x) { return (float)log10(x); }
float log1pf(float x) { return (float)log1p(x); }
float powf(float x, float y) { return narrow(pow(x, y)); }
float sinhf(float x) { return narrow(sinh(x)); }
float coshf(float x) { return narrow(cosh(x)); }
float tanhf(float x) { return (float)tanh(x); }
float sinf(float x) { return (float)sin(x); }
float cosf(float x) { return (float)cos(x); }
float tanf(float x) { return (float)tan(x); }
float asinf(float x) { return (float)asin(x); }
float acosf(float x) { return (float)acos(x); }
float atanf(float x) { return (float)atan(x); }
float atan2f(float y, float x)
{
    double r = atan2(y, x);
    if ((float)r == 0 && r != 0)
        errno = ERANGE;                         /* glibc's atan2f: only when it underflows to zero */
    return (float)r;
}
