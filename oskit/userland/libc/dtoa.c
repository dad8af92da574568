/*
 * dtoa.c: the exact decimal digits of a double (or long double), for
 * printf's %f %e %g.
 *
 * How: a finite double is m * 2^e with an integer m < 2^53. Its decimal
 * value is an integer D followed by k decimal places:
 *
 *      e >= 0:  m * 2^e                  D = m * 2^e,   k = 0
 *      e <  0:  m / 2^-e = m * 5^-e / 10^-e    D = m * 5^-e,  k = -e
 *
 * (multiply top and bottom by 5^-e: 2^-e * 5^-e = 10^-e). D is computed
 * with integers only, in "big digits" of nine decimal digits each (base 10^9),
 * by multiplying by 2 or 5 repeatedly, so every digit is exact: a double
 * has at most 767 significant decimal digits (m * 5^1074 for the smallest
 * subnormal), all of them here. Rounding to the precision the caller asks
 * for then looks at those digits: round half to even on the exact value,
 * as glibc does. Repeatedly multiplying the double by 10 instead would
 * round at every step and go wrong after 15 or so digits.
 *
 * A long double is the same with a longer m (113 bits for RISC-V's quad)
 * and a wider exponent: up to 11,563 digits, so its buffers come from malloc.
 */
#include <stdint.h>
#include <string.h>

#include "dtoa.h"

#define BILLION 1000000000u

/* A big integer in base 10^9, least significant word first, in the caller's array. */
struct bigdec {
    int len;
    uint32_t *w;
};

/* b = b * f, for a factor f < 2^32 / 2 (so that w * f + carry fits in 64 bits). */
static void mul_small(struct bigdec *b, uint32_t f)
{
    uint64_t carry = 0;
    for (int i = 0; i < b->len; i++) {
        uint64_t t = (uint64_t)b->w[i] * f + carry;
        b->w[i] = (uint32_t)(t % BILLION);
        carry = t / BILLION;
    }
    while (carry) {
        b->w[b->len++] = (uint32_t)(carry % BILLION);
        carry /= BILLION;
    }
}

/* Write b's decimal digits, most significant first, into out; return how many. */
static int bigdec_digits(const struct bigdec *b, char *out)
{
    int n = 0;
    for (int i = b->len - 1; i >= 0; i--) {
        char nine[9];
        uint32_t w = b->w[i];
        for (int j = 8; j >= 0; j--, w /= 10)
            nine[j] = (char)('0' + w % 10);
        int skip = 0;
        if (i == b->len - 1)                    /* no leading zeros on the top word */
            while (skip < 8 && nine[skip] == '0')
                skip++;
        memcpy(out + n, nine + skip, 9 - skip);
        n += 9 - skip;
    }
    return n;
}

int __dtoa_exact(unsigned __int128 m, int e, char mode, int ndigits, char *buf, uint32_t *words,
                 int *decpt)
{
    *decpt = 1;
    if (m == 0)
        return 0;                               /* zero: no digits */
    while ((m & 1) == 0)
        m >>= 1, e++;                           /* fewer factors of 5 to multiply by */

    /* m in base 10^9: divide its four 32-bit pieces by 10^9 (long division, as by hand). */
    struct bigdec d = { 0, words };
    uint32_t piece[4] = { (uint32_t)m, (uint32_t)(m >> 32), (uint32_t)(m >> 64), (uint32_t)(m >> 96) };
    for (int top = 4; top > 0;) {
        uint64_t rem = 0;
        for (int i = top - 1; i >= 0; i--) {
            uint64_t t = rem << 32 | piece[i];
            piece[i] = (uint32_t)(t / BILLION);
            rem = t % BILLION;
        }
        d.w[d.len++] = (uint32_t)rem;
        while (top > 0 && piece[top - 1] == 0)
            top--;
    }
    int k = 0;                                  /* decimal places */
    if (e >= 0) {
        for (; e >= 29; e -= 29)
            mul_small(&d, 1u << 29);
        mul_small(&d, 1u << e);
    } else {
        k = -e;
        int fives = k;
        for (; fives >= 13; fives -= 13)
            mul_small(&d, 1220703125u);         /* 5^13 */
        uint32_t f = 1;
        while (fives--)
            f *= 5;
        mul_small(&d, f);
    }
    int nd = bigdec_digits(&d, buf);
    *decpt = nd - k;                            /* value = 0.buf * 10^decpt */

    /* Keep the first `cut` digits; round half to even on the exact rest. */
    int cut = mode == 'e' ? ndigits : *decpt + ndigits;
    if (cut < 0)
        return 0;                               /* below half a unit of the last place: 0 */
    if (cut < nd) {
        int round_digit = buf[cut] - '0';
        int more = 0;                           /* any nonzero digit after the rounding digit? */
        for (int i = cut + 1; i < nd && !more; i++)
            more = buf[i] != '0';
        int odd = cut > 0 && (buf[cut - 1] - '0') % 2;
        if (round_digit > 5 || (round_digit == 5 && (more || odd))) {
            int i = cut - 1;
            while (i >= 0 && buf[i] == '9')
                buf[i--] = '0';                 /* 0.1999 -> 0.2000: carry */
            if (i >= 0) {
                buf[i]++;
            } else {                            /* 999 -> 1000: one more integer digit */
                buf[0] = '1';
                (*decpt)++;
                return 1;                       /* a 1, then zeros */
            }
        }
        nd = cut;
    }
    while (nd > 0 && buf[nd - 1] == '0')
        nd--;                                   /* the digits after the last are zeros anyway */
    return nd;
}
