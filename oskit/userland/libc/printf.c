/*
 * printf.c: the formatting engine behind printf, fprintf, snprintf, ...
 *
 * __vformat reads the format and hands finished pieces of output to a
 * "sink" function: snprintf's sink copies into the caller's buffer, stdio's
 * sink goes into a FILE. A conversion is
 *
 *      %[flags][width][.precision][length]conversion
 *
 *   flags       '-' left-justify, '+' always a sign, ' ' a space for +,
 *               '0' pad with zeros, '#' alternate form (0x, leading 0,
 *               a decimal point even with no digits after it)
 *   width       minimum field width, or '*' (an int argument)
 *   precision   minimum digits for integers, maximum bytes for %s, digits
 *               after the point for %f %e %a, significant digits for %g; or '*'
 *   length      hh h l ll z j t, and L (long double)
 *   conversion  d i u o x X c s p n %   (%n stores how many bytes so far)
 *               f F e E g G a A         (double; default precision 6)
 *
 * Floating point: the machine has no F/D extension, so doubles are
 * computed by the compiler's soft-float routines; the decimal digits come
 * exact from __dtoa_exact (dtoa.c), so %.20f or %f of 1e300 print what glibc
 * prints. %a writes the bits in hexadecimal, as glibc does (0x1.8p+1).
 *
 * long double (%Lf): on RISC-V a 128-bit IEEE quad, printed exactly too
 * (113 bits of mantissa; up to 11,563 digits, so their buffers come from
 * malloc: if it fails, the value is printed as the nearest double).
 */
#include <float.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtoa.h"
#include "libc_private.h"

struct spec {
    int left, plus, space, zero, alt;
    int width;
    int prec;                   /* -1: none given */
};

static void pad(__sink_fn sink, void *ctx, char c, int n)
{
    char chunk[16];
    if (n <= 0)
        return;                                 /* the usual case: no padding */
    memset(chunk, c, sizeof chunk);
    while (n > 0) {
        int k = n < (int)sizeof chunk ? n : (int)sizeof chunk;
        sink(ctx, chunk, k);
        n -= k;
    }
}

/* Emit prefix (sign, 0x) and digits inside the field, with the padding the
 * flags ask for; returns the field's length. */
static int emit_number(__sink_fn sink, void *ctx, const struct spec *sp,
                       const char *prefix, const char *digits, int ndigits)
{
    int plen = strlen(prefix);
    int zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;
    int len = plen + zeros + ndigits;
    int fill = sp->width > len ? sp->width - len : 0;

    if (!sp->left && !(sp->zero && sp->prec < 0)) {
        pad(sink, ctx, ' ', fill);              /* "   -42" */
        fill = 0;
    }
    sink(ctx, prefix, plen);
    if (!sp->left && sp->zero && sp->prec < 0) {
        zeros += fill;                          /* "-00042": zeros go after the sign */
        fill = 0;
    }
    pad(sink, ctx, '0', zeros);
    sink(ctx, digits, ndigits);
    pad(sink, ctx, ' ', fill);                  /* '-' flag: "-42   " */
    return len + (sp->width > len ? sp->width - len : 0);
}

static int format_int(__sink_fn sink, void *ctx, struct spec *sp, char conv,
                      uintmax_t value, int negative)
{
    char buf[32];
    int n = sizeof buf;
    unsigned base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X' || conv == 'p') ? 16 : 10;
    const char *hex = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    const char *prefix = "";

    while (value) {
        buf[--n] = hex[value % base];
        value /= base;
    }
    int ndigits = sizeof buf - n;
    if (ndigits == 0 && sp->prec != 0)
        buf[--n] = '0', ndigits = 1;            /* zero is "0", unless precision 0 */

    if (conv == 'd' || conv == 'i')
        prefix = negative ? "-" : sp->plus ? "+" : sp->space ? " " : "";
    else if (conv == 'p')
        prefix = "0x";
    else if (sp->alt && conv == 'o' && (ndigits == 0 || buf[n] != '0'))
        buf[--n] = '0', ndigits++;              /* %#o: a leading 0 */
    else if (sp->alt && (conv == 'x' || conv == 'X') && !(ndigits == 1 && buf[n] == '0') && ndigits)
        prefix = conv == 'x' ? "0x" : "0X";     /* %#x: 0x, except for zero */
    return emit_number(sink, ctx, sp, prefix, buf + n, ndigits);
}

/* ---------------------------------------------------------------- floating point */

/* A double or long double taken apart: sign, kind, and a finite value as m * 2^e. */
struct fpnum {
    int negative;
    char kind;                  /* 'f' finite, 'i' infinity, 'n' NaN */
    unsigned __int128 m;        /* the mantissa, with its leading 1 for a normal number */
    int e;
    int frac_bits;              /* bits after the binary point: 52 (double), 112 (quad) */
    int is_long;                /* a long double: needs the big digit buffers */
    long double ld;             /* the long double itself (when malloc fails) */
};

/* double: sign (1 bit) | exponent (11 bits, biased by 1023) | fraction (52 bits) */
static void take_apart(double v, struct fpnum *x)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int biased = (int)(bits >> 52) & 0x7ff;
    uint64_t frac = bits & ((1ull << 52) - 1);
    x->negative = bits >> 63;
    x->kind = biased == 0x7ff ? (frac ? 'n' : 'i') : 'f';
    x->m = biased ? frac | 1ull << 52 : frac;   /* a subnormal has no leading 1 */
    x->e = (biased ? biased : 1) - 1023 - 52;
    x->frac_bits = 52;
    x->is_long = 0;
}

static void take_apart_long(long double v, struct fpnum *x)
{
#if LDBL_MANT_DIG == 113
    /* IEEE quad (RISC-V): sign (1) | exponent (15 bits, biased by 16383) | fraction (112) */
    unsigned __int128 bits, one = 1;
    memcpy(&bits, &v, sizeof bits);
    int biased = (int)(bits >> 112) & 0x7fff;
    unsigned __int128 frac = bits & ((one << 112) - 1);
    x->negative = (int)(bits >> 127);
    x->kind = biased == 0x7fff ? (frac ? 'n' : 'i') : 'f';
    x->m = biased ? frac | one << 112 : frac;
    x->e = (biased ? biased : 1) - 16383 - 112;
    x->frac_bits = 112;
#elif LDBL_MANT_DIG == 64
    /* x87's 80 bits (a PC host, where the tests run): a 64-bit mantissa with its 1 in it */
    uint64_t m;
    uint16_t sign_exp;
    memcpy(&m, &v, sizeof m);
    memcpy(&sign_exp, (const char *)&v + 8, sizeof sign_exp);
    int biased = sign_exp & 0x7fff;
    x->negative = sign_exp >> 15;
    x->kind = biased == 0x7fff ? (m << 1 ? 'n' : 'i') : 'f';
    x->m = m;
    x->e = (biased ? biased : 1) - 16383 - 63;
    x->frac_bits = 63;
#else
    take_apart((double)v, x);                   /* long double is double */
#endif
    x->is_long = LDBL_MANT_DIG > 53;
    x->ld = v;
}

/* Output count digits of the digit string buf[0..n), starting at position from
 * (which may be negative): positions outside 0..n-1 are zeros, the ones __dtoa
 * leaves out ("0.00123" is buf "123" from position -2). */
static void put_digits(__sink_fn sink, void *ctx, const char *buf, int n, int from, int count)
{
    int end = from + count;
    if (from < 0) {
        int z = (end < 0 ? end : 0) - from;
        pad(sink, ctx, '0', z);
        from += z;
    }
    if (from < n && from < end) {
        int k = (end < n ? end : n) - from;
        sink(ctx, buf + from, k);
        from += k;
    }
    pad(sink, ctx, '0', end - from);
}

/* A field holding prefix (sign, 0x) and len more bytes. field_start writes the padding
 * in front and the prefix: spaces (right-justified) or, with the '0' flag, zeros after the
 * prefix (numeric only: never "00inf"). field_end pads after ('-' flag) and returns the
 * field's length. */
static void field_start(__sink_fn sink, void *ctx, const struct spec *sp, const char *prefix,
                        int len, int numeric)
{
    int plen = strlen(prefix);
    int fill = sp->width > plen + len ? sp->width - plen - len : 0;
    if (!sp->left && !(sp->zero && numeric))
        pad(sink, ctx, ' ', fill);
    sink(ctx, prefix, plen);
    if (!sp->left && sp->zero && numeric)
        pad(sink, ctx, '0', fill);
}

static int field_end(__sink_fn sink, void *ctx, const struct spec *sp, const char *prefix, int len)
{
    int total = (int)strlen(prefix) + len;
    if (sp->left)
        pad(sink, ctx, ' ', sp->width - total);
    return total > sp->width ? total : sp->width;
}

/* The exponent of %e or %a: a sign and at least min_digits digits ("e+05", "p-1022"). */
static int exponent_text(char *out, char letter, int x, int min_digits)
{
    char digits[8];
    int n = 0;
    unsigned ux = x < 0 ? -x : x;
    do {
        digits[n++] = (char)('0' + ux % 10);
        ux /= 10;
    } while (ux || n < min_digits);
    int len = 0;
    out[len++] = letter;
    out[len++] = x < 0 ? '-' : '+';
    while (n)
        out[len++] = digits[--n];
    return len;
}

/* %a: the bits in hexadecimal, 0x1.hhhhp+e (normal) or 0x0.hhhhp-1022 (subnormal): the
 * digit before the point is the leading bit, the fraction bits follow in hex digits (13 for
 * a double, 28 for a quad). With a precision, the hex digits are rounded half to even. */
static int format_hex_float(__sink_fn sink, void *ctx, const struct spec *sp, int upper,
                            const char *sign, const struct fpnum *x)
{
    const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned __int128 one = 1;
    int ndig = (x->frac_bits + 3) / 4;          /* hex digits of the fraction */
    unsigned __int128 frac = (x->m & ((one << x->frac_bits) - 1)) << (4 * ndig - x->frac_bits);
    int lead = (int)(x->m >> x->frac_bits);     /* 1, or 0 for a subnormal or zero */
    int exp = x->m ? x->e + x->frac_bits : 0;
    int prec = sp->prec;

    if (prec < 0) {                             /* no precision: as many digits as needed */
        prec = ndig;
        while (prec > 0 && (frac >> (4 * (ndig - prec)) & 0xf) == 0)
            prec--;
    } else if (prec < ndig) {                   /* round away 4 * (ndig - prec) bits */
        int drop = 4 * (ndig - prec);
        unsigned __int128 rest = frac & ((one << drop) - 1), half = one << (drop - 1);
        frac >>= drop;
        int odd = prec > 0 ? (int)(frac & 1) : lead & 1;   /* the last digit kept */
        if (rest > half || (rest == half && odd)) {
            frac++;
            if (frac >> (4 * prec)) {           /* carried into the leading digit: 0x1.f -> 0x2.0 */
                lead++;
                frac = 0;
            }
        }
        frac <<= drop;
    }
    char body[40], exptext[8];
    int len = 0;
    body[len++] = hex[lead];
    if (prec > 0 || sp->alt)
        body[len++] = '.';
    for (int i = 0; i < prec && i < ndig; i++)
        body[len++] = hex[(int)(frac >> (4 * (ndig - 1 - i))) & 0xf];
    int explen = exponent_text(exptext, upper ? 'P' : 'p', exp, 1);
    int zeros = prec > ndig ? prec - ndig : 0;  /* %.20a of a double: zeros after its 13 digits */

    char prefix[4];
    strcpy(prefix, sign);
    strcat(prefix, upper ? "0X" : "0x");
    field_start(sink, ctx, sp, prefix, len + zeros + explen, 1);
    sink(ctx, body, len);
    pad(sink, ctx, '0', zeros);
    sink(ctx, exptext, explen);
    return field_end(sink, ctx, sp, prefix, len + zeros + explen);
}

/* %f %e %g %a and their capitals: sign, inf/nan, then the digits from __dtoa_exact laid out. */
static int format_float(__sink_fn sink, void *ctx, const struct spec *sp, char conv, const struct fpnum *x)
{
    int upper = conv == 'F' || conv == 'E' || conv == 'G' || conv == 'A';
    const char *sign = x->negative ? "-" : sp->plus ? "+" : sp->space ? " " : "";

    if (x->kind != 'f') {                       /* infinity or NaN */
        const char *word = x->kind == 'n' ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        field_start(sink, ctx, sp, sign, 3, 0);
        sink(ctx, word, 3);
        return field_end(sink, ctx, sp, sign, 3);
    }
    char lower = (char)(conv | 0x20);
    if (lower == 'a')
        return format_hex_float(sink, ctx, sp, upper, sign, x);

    /* The digits: a double's fit on the stack; a long double's (up to 11,563) come from malloc. */
    char small_buf[DTOA_MAX_DIGITS];
    uint32_t small_words[DTOA_MAX_DIGITS / 9 + 2];
    char *buf = small_buf, *big = NULL;
    uint32_t *words = small_words;
    if (x->is_long) {
        big = malloc(LDTOA_MAX_DIGITS + (LDTOA_MAX_DIGITS / 9 + 2) * sizeof(uint32_t));
        if (big == NULL) {
            struct fpnum d;
            take_apart((double)x->ld, &d);      /* no memory: the nearest double */
            return format_float(sink, ctx, sp, conv, &d);
        }
        words = (uint32_t *)big;
        buf = big + (LDTOA_MAX_DIGITS / 9 + 2) * sizeof(uint32_t);
    }
    int decpt, n;
    int prec = sp->prec < 0 ? 6 : sp->prec;
    int exponential = lower == 'e';
    if (lower == 'g') {
        /* %g: P significant digits; %e style if the exponent X is < -4 or >= P, else %f
         * style with P - 1 - X decimals (the same digits); no trailing zeros unless '#'. */
        int p = prec == 0 ? 1 : prec;
        n = __dtoa_exact(x->m, x->e, 'e', p, buf, words, &decpt);
        int x = n ? decpt - 1 : 0;
        exponential = x < -4 || x >= p;
        prec = exponential ? p - 1 : p - 1 - x;
        if (!sp->alt) {                         /* buf has no trailing zeros: n digits matter */
            int needed = exponential ? n - 1 : n - decpt;
            if (prec > needed)
                prec = needed > 0 ? needed : 0;
        }
    } else {
        n = __dtoa_exact(x->m, x->e, exponential ? 'e' : 'f', exponential ? prec + 1 : prec, buf, words,
                         &decpt);
    }
    int point = prec > 0 || sp->alt;
    char exptext[8];
    int explen = 0, len;
    if (exponential) {                          /* d.ddde+XX */
        explen = exponent_text(exptext, upper ? 'E' : 'e', n ? decpt - 1 : 0, 2);
        len = 1 + point + prec + explen;
    } else {                                    /* ddd.ddd */
        len = (decpt > 0 && n ? decpt : 1) + point + prec;
    }
    field_start(sink, ctx, sp, sign, len, 1);
    if (exponential) {
        put_digits(sink, ctx, buf, n, 0, 1);
        if (point)
            sink(ctx, ".", 1);
        put_digits(sink, ctx, buf, n, 1, prec);
        sink(ctx, exptext, explen);
    } else {
        if (decpt > 0 && n)
            put_digits(sink, ctx, buf, n, 0, decpt);
        else
            sink(ctx, "0", 1);
        if (point)
            sink(ctx, ".", 1);
        put_digits(sink, ctx, buf, n, decpt, prec);
    }
    free(big);
    return field_end(sink, ctx, sp, sign, len);
}

int __vformat(__sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
    int total = 0;

    while (*fmt) {
        if (*fmt != '%') {
            const char *run = fmt;
            while (*fmt && *fmt != '%')
                fmt++;
            sink(ctx, run, fmt - run);
            total += fmt - run;
            continue;
        }
        const char *start = fmt++;
        struct spec sp = { 0, 0, 0, 0, 0, 0, -1 };

        for (;; fmt++) {                        /* flags */
            if (*fmt == '-') sp.left = 1;
            else if (*fmt == '+') sp.plus = 1;
            else if (*fmt == ' ') sp.space = 1;
            else if (*fmt == '0') sp.zero = 1;
            else if (*fmt == '#') sp.alt = 1;
            else break;
        }
        if (*fmt == '*') {                      /* width */
            sp.width = va_arg(ap, int);
            if (sp.width < 0)
                sp.left = 1, sp.width = -sp.width;
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                sp.width = sp.width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {                      /* precision */
            fmt++;
            sp.prec = 0;
            if (*fmt == '*') {
                sp.prec = va_arg(ap, int);
                if (sp.prec < 0)
                    sp.prec = -1;               /* a negative precision is "none" */
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    sp.prec = sp.prec * 10 + (*fmt++ - '0');
            }
        }
        int size = 0;                           /* length: -2 hh, -1 h, 0 int, 1 long, 2 long long, 3 L */
        if (*fmt == 'h') {
            size = -1, fmt++;
            if (*fmt == 'h')
                size = -2, fmt++;
        } else if (*fmt == 'l') {
            size = 1, fmt++;
            if (*fmt == 'l')
                size = 2, fmt++;
        } else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't') {
            size = 1, fmt++;                    /* size_t, intmax_t, ptrdiff_t: all 64 bits */
        } else if (*fmt == 'L') {
            size = 3, fmt++;                    /* long double */
        }

        char conv = *fmt;
        if (conv)
            fmt++;
        switch (conv) {
        case 'd': case 'i': {
            intmax_t v = size >= 2 ? va_arg(ap, long long) : size == 1 ? va_arg(ap, long)
                       : va_arg(ap, int);
            if (size == -1) v = (short)v;
            if (size == -2) v = (signed char)v;
            uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
            total += format_int(sink, ctx, &sp, conv, mag, v < 0);
            break;
        }
        case 'u': case 'o': case 'x': case 'X': {
            uintmax_t v = size >= 2 ? va_arg(ap, unsigned long long)
                        : size == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            if (size == -1) v = (unsigned short)v;
            if (size == -2) v = (unsigned char)v;
            total += format_int(sink, ctx, &sp, conv, v, 0);
            break;
        }
        case 'p':
            total += format_int(sink, ctx, &sp, 'p', (uintptr_t)va_arg(ap, void *), 0);
            break;
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': {
            struct fpnum x;
            if (size == 3)
                take_apart_long(va_arg(ap, long double), &x);
            else
                take_apart(va_arg(ap, double), &x);
            total += format_float(sink, ctx, &sp, conv, &x);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            int fill = sp.width > 1 ? sp.width - 1 : 0;
            if (!sp.left) pad(sink, ctx, ' ', fill);
            sink(ctx, &c, 1);
            if (sp.left) pad(sink, ctx, ' ', fill);
            total += 1 + fill;
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                s = "(null)";
            int len = sp.prec >= 0 ? (int)strnlen(s, sp.prec) : (int)strlen(s);
            int fill = sp.width > len ? sp.width - len : 0;
            if (!sp.left) pad(sink, ctx, ' ', fill);
            sink(ctx, s, len);
            if (sp.left) pad(sink, ctx, ' ', fill);
            total += len + fill;
            break;
        }
        case 'n': {                             /* store the count so far (what format-string attacks abuse) */
            void *p = va_arg(ap, void *);
            if (size == -2) *(signed char *)p = (signed char)total;
            else if (size == -1) *(short *)p = (short)total;
            else if (size == 0) *(int *)p = total;
            else if (size == 1) *(long *)p = total;
            else *(long long *)p = total;
            break;
        }
        case '%':
            sink(ctx, "%", 1);
            total++;
            break;
        default:                                /* unknown: print it as written */
            sink(ctx, start, fmt - start);
            total += fmt - start;
            break;
        }
    }
    return total;
}

/* snprintf's sink: keep what fits (leaving room for the NUL), count everything. */
struct strbuf {
    char *p;
    size_t room;                /* bytes left, not counting the NUL */
};

static void str_sink(void *ctx, const char *s, size_t n)
{
    struct strbuf *b = ctx;
    size_t k = n < b->room ? n : b->room;
    memcpy(b->p, s, k);
    b->p += k;
    b->room -= k;
}

int vsnprintf(char *restrict s, size_t n, const char *restrict fmt, va_list ap)
{
    char dummy;
    struct strbuf b = { n ? s : &dummy, n ? n - 1 : 0 };
    int len = __vformat(str_sink, &b, fmt, ap);
    *b.p = '\0';
    return len;
}

int snprintf(char *restrict s, size_t n, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(s, n, fmt, ap);
    va_end(ap);
    return len;
}

int vsprintf(char *restrict s, const char *restrict fmt, va_list ap)
{
    return vsnprintf(s, INT_MAX, fmt, ap);
}

int sprintf(char *restrict s, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(s, INT_MAX, fmt, ap);
    va_end(ap);
    return len;
}
