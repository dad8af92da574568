/*
 * dtoa.h: exact conversions between double and decimal, shared by printf.c
 * (dtoa.c) and strtod.c / scanf.c. Private to libc.
 */
#ifndef _DTOA_H_
#define _DTOA_H_

/* A double has at most 767 significant decimal digits; room for them all. */
#define DTOA_MAX_DIGITS 800

/*
 * __dtoa: the decimal digits of |v| (v finite), correctly rounded (half to even):
 *   mode 'e': to ndigits significant digits (ndigits >= 1);
 *   mode 'f': to ndigits digits after the decimal point (ndigits >= 0).
 * Writes the digits, without trailing zeros, to buf (DTOA_MAX_DIGITS bytes,
 * not NUL-terminated) and returns how many; every later digit is 0. *decpt
 * says where the decimal point goes: |v| ~ 0.DIGITS * 10^decpt. Returns 0 for
 * zero, or when v rounds to zero in mode 'f'.
 */
int __dtoa(double v, char mode, int ndigits, char *buf, int *decpt);

#endif /* !_DTOA_H_ */
