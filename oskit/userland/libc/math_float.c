/*
 * math_float.c: the float versions, thin wrappers over the double ones.
 *
 * A float converts to double exactly, and each double function's result is
 * within 1 ulp of double (53 bits); converting that to float (24 bits)
 * rounds once more. For the exact functions the result is the same as a
 * float computation; for the others the error is at most 0.5 float ulp plus
 * a 2^-29 hair (a double rounding, harmless at float's precision).
 */
#include "math_private.h"

float fabsf(float x) { return (float)fabs(x); }
float copysignf(float x, float y) { return (float)copysign(x, y); }
float floorf(float x) { return (float)floor(x); }
float ceilf(float x) { return (float)ceil(x); }
float truncf(float x) { return (float)trunc(x); }
float roundf(float x) { return (float)round(x); }
float fmodf(float x, float y) { return (float)fmod(x, y); }
float sqrtf(float x) { return (float)sqrt(x); }        /* exact: sqrt's 53 bits round to 24 correctly */
float hypotf(float x, float y) { return (float)hypot(x, y); }
float cbrtf(float x) { return (float)cbrt(x); }
