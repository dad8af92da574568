/*
 * dtoa.h: the exact decimal digits of a binary floating-point value (dtoa.c),
 * for printf.c. Private to libc.
 */
#ifndef _DTOA_H_
#define _DTOA_H_

#include <stdint.h>

/* A double has at most 767 significant decimal digits; room for them all. */
#define DTOA_MAX_DIGITS 800
/* A long double (RISC-V's quad, x86's 80 bits) at most 11,563. */
#define LDTOA_MAX_DIGITS 11600

/*
 * __dtoa_exact: the decimal digits of the value m * 2^e (m < 2^128), correctly
 * rounded (half to even):
 *   mode 'e': to ndigits significant digits (ndigits >= 1);
 *   mode 'f': to ndigits digits after the decimal point (ndigits >= 0).
 * Writes the digits, without trailing zeros, to buf (not NUL-terminated) and
 * returns how many; every later digit is 0. *decpt says where the decimal
 * point goes: value ~ 0.DIGITS * 10^decpt. Returns 0 for zero, or when the
 * value rounds to zero in mode 'f'. buf and words (scratch) must have room for
 * DTOA_MAX_DIGITS when m and e are a double's, LDTOA_MAX_DIGITS for a long double's.
 */
int __dtoa_exact(unsigned __int128 m, int e, char mode, int ndigits, char *buf, uint32_t *words,
                 int *decpt);

#endif /* !_DTOA_H_ */
