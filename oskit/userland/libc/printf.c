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
 *               '0' pad with zeros, '#' alternate form (0x, leading 0)
 *   width       minimum field width, or '*' (an int argument)
 *   precision   minimum digits for integers, maximum bytes for %s, or '*'
 *   length      hh h l ll z j t
 *   conversion  d i u o x X c s p n %   (%n stores how many bytes so far)
 *
 * No floating point: the machine has no F/D extension.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
        int size = 0;                           /* length: -2 hh, -1 h, 0 int, 1 long, 2 long long */
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
        default:                                /* unknown (or %f): print it as written */
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
