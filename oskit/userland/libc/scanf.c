/*
 * scanf.c: reading formatted input: sscanf, fscanf, scanf.
 *
 * The engine reads characters from a "source" (a string or a FILE) one at a
 * time, with one character of push-back. A conversion is
 *
 *      %[*][width][length]conversion
 *
 *   *           read and discard (nothing is assigned)
 *   width       at most this many characters
 *   length      hh h l ll z j t; for floating point: none float, l double,
 *               L long double
 *   conversion  d i u o x X (integers, as strtol would read them),
 *               f e g a F E G A (all alike: a float as strtod reads it),
 *               c (width characters, default 1, no skipping of blanks),
 *               s (a word), n (characters read so far), % (a '%')
 *
 * White space in the format matches any white space (even none) in the
 * input; other characters must match exactly. The result is the number of
 * items assigned, or EOF if the input ended before the first conversion.
 *
 * A floating-point number is read as the longest text that can begin one,
 * so that one character of push-back is always enough; its value is what
 * strtod makes of that text. Like glibc's, then: "100ergs" gives 100 and
 * leaves "rgs" (the 'e' is read in case an exponent follows), "1e+x" gives 1.
 * A number's text is kept in a 512-byte buffer: one longer than 511
 * characters is cut there, as if the conversion had that width (glibc's
 * has no limit).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct source {
    int (*get)(struct source *);
    void (*unget)(struct source *, int);
    const char *s;              /* sscanf: the string */
    FILE *fp;                   /* fscanf: the stream */
    long count;                 /* characters consumed, for %n */
};

static int str_get(struct source *src)
{
    return *src->s ? (unsigned char)*src->s++ : EOF;
}

static void str_unget(struct source *src, int c)
{
    if (c != EOF)
        src->s--;
}

static int file_get(struct source *src)
{
    return fgetc(src->fp);
}

static void file_unget(struct source *src, int c)
{
    ungetc(c, src->fp);
}

static int next(struct source *src)
{
    int c = src->get(src);
    if (c != EOF)
        src->count++;
    return c;
}

static void back(struct source *src, int c)
{
    if (c != EOF) {
        src->unget(src, c);
        src->count--;
    }
}

static int digit_value(int c)
{
    if (isdigit(c)) return c - '0';
    if (isalpha(c)) return tolower(c) - 'a' + 10;
    return 99;
}

/* Read an integer of the given base (0: decide from a 0x or 0 prefix) in at
 * most width characters into buf; return the base used, or 0 if no digits. */
static int scan_int(struct source *src, int base, int width, char *buf, size_t size)
{
    size_t n = 0;
    int c = next(src);
    if ((c == '+' || c == '-') && width > 0) {
        buf[n++] = (char)c;
        width--;
        c = next(src);
    }
    if (c == '0' && width > 0 && (base == 0 || base == 16)) {
        buf[n++] = '0';
        width--;
        c = next(src);
        if ((c == 'x' || c == 'X') && width > 0) {
            /* "0x": hex if a hex digit follows; otherwise the number was "0" (and we
             * cannot push two characters back, so the 'x' is consumed, as on BSD). */
            width--;
            base = 16;
            c = next(src);
            if (digit_value(c) >= 16) {
                back(src, c);
                buf[n] = '\0';
                return 16;
            }
        } else if (base == 0) {
            base = 8;
        }
    }
    if (base == 0)
        base = 10;
    while (width > 0 && digit_value(c) < base && n + 1 < size) {
        buf[n++] = (char)c;
        width--;
        c = next(src);
    }
    back(src, c);
    buf[n] = '\0';
    return (n == 0 || (n == 1 && (buf[0] == '+' || buf[0] == '-'))) ? 0 : base;
}

/* Take c into buf and read the next character. */
#define TAKE() (buf[n++] = (char)c, width--, c = next(src))

/* Does the input go on with the letters of word (any case)? Take them while it does. */
static int take_word(struct source *src, const char *word, int *cp, char *buf, size_t *np,
                     int *widthp, size_t size)
{
    int c = *cp, width = *widthp;
    size_t n = *np;
    for (; *word && width > 0 && n + 1 < size && tolower(c) == *word; word++)
        TAKE();
    *cp = c, *np = n, *widthp = width;
    return *word == '\0';
}

/* Read the longest prefix of a floating-point number (as strtod accepts one:
 * sign, digits, point, exponent, hex with 0x and p, inf, infinity, nan) in at
 * most width characters into buf (size bytes, so at most size - 1 of them);
 * return its length, or 0 for text that cannot be one ("0x" alone, "infin"). */
static size_t scan_float(struct source *src, int width, char *buf, size_t size)
{
    size_t n = 0;
    int c = next(src);
    if ((c == '+' || c == '-') && width > 0)
        TAKE();
    if (tolower(c) == 'i') {
        if (take_word(src, "inf", &c, buf, &n, &width, size) && tolower(c) == 'i'
            && !take_word(src, "inity", &c, buf, &n, &width, size))
            n = 0;                                      /* "infin": neither inf nor infinity */
    } else if (tolower(c) == 'n') {
        take_word(src, "nan", &c, buf, &n, &width, size);
    } else {
        int hex = 0, point = 0, digits = 0;
        size_t start;
        if (c == '0' && width > 0 && n + 1 < size) {
            TAKE();
            digits = 1;
            if ((c == 'x' || c == 'X') && width > 0 && n + 1 < size) {
                TAKE();
                hex = 1;
                digits = 0;                             /* the 0 of 0x is not a digit of the number */
            }
        }
        for (start = n; width > 0 && n + 1 < size; TAKE()) {
            if (c == '.' && !point)
                point = 1;
            else if (hex ? isxdigit(c) : isdigit(c))
                digits = 1;
            else
                break;
        }
        if (digits && width > 0 && n + 1 < size && tolower(c) == (hex ? 'p' : 'e')) {
            TAKE();
            if ((c == '+' || c == '-') && width > 0 && n + 1 < size)
                TAKE();
            while (isdigit(c) && width > 0 && n + 1 < size)
                TAKE();
        }
        if (hex && n == start)
            n = 0;                                      /* "0x" and nothing after it */
    }
    back(src, c);
    buf[n] = '\0';
    return n;
}

#undef TAKE

static void store_int(void *p, int size, uintmax_t v)
{
    switch (size) {
    case -2: *(signed char *)p = (signed char)v; break;
    case -1: *(short *)p = (short)v; break;
    case 0:  *(int *)p = (int)v; break;
    case 1:  *(long *)p = (long)v; break;
    default: *(long long *)p = (long long)v; break;
    }
}

static int vscan(struct source *src, const char *fmt, va_list ap)
{
    int assigned = 0, converted = 0;

    while (*fmt) {
        if (isspace((unsigned char)*fmt)) {             /* any run of white space */
            while (isspace((unsigned char)*fmt))
                fmt++;
            int c;
            while (isspace(c = next(src)))
                ;
            back(src, c);
            continue;
        }
        if (*fmt != '%' || fmt[1] == '%') {              /* a character that must match */
            if (*fmt == '%') {
                fmt++;
                int c;
                while (isspace(c = next(src)))
                    ;
                back(src, c);
            }
            int c = next(src);
            if (c != (unsigned char)*fmt) {
                back(src, c);
                return c == EOF && converted == 0 ? EOF : assigned;
            }
            fmt++;
            continue;
        }
        fmt++;
        int suppress = 0, width = 0, size = 0;
        if (*fmt == '*')
            suppress = 1, fmt++;
        while (isdigit((unsigned char)*fmt))
            width = width * 10 + (*fmt++ - '0');
        if (*fmt == 'h') {
            size = -1, fmt++;
            if (*fmt == 'h')
                size = -2, fmt++;
        } else if (*fmt == 'l') {
            size = 1, fmt++;
            if (*fmt == 'l')
                size = 2, fmt++;
        } else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't') {
            size = 1, fmt++;
        } else if (*fmt == 'L') {
            size = 3, fmt++;                            /* long double */
        }
        char conv = *fmt++;
        if (conv == '\0')
            break;
        if (conv == 'n') {
            if (!suppress)
                store_int(va_arg(ap, void *), size, src->count);
            continue;
        }
        if (conv != 'c') {                              /* every other conversion skips blanks */
            int c;
            while (isspace(c = next(src)))
                ;
            if (c == EOF)
                return converted == 0 ? EOF : assigned;
            back(src, c);
        }
        switch (conv) {
        case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
            int base = conv == 'd' || conv == 'u' ? 10 : conv == 'i' ? 0 : conv == 'o' ? 8 : 16;
            char buf[72];
            int used = scan_int(src, base, width ? width : 64, buf, sizeof buf);
            if (used == 0)
                return assigned;                        /* no number here: a matching failure */
            /* buf holds the sign and digits without any "0x": convert in the base found. */
            uintmax_t v = conv == 'd' || conv == 'i' ? (uintmax_t)strtoll(buf, NULL, used)
                                                     : (uintmax_t)strtoull(buf, NULL, used);
            if (!suppress) {
                store_int(va_arg(ap, void *), size, v);
                assigned++;
            }
            converted++;
            break;
        }
        case 'f': case 'e': case 'g': case 'a': case 'F': case 'E': case 'G': case 'A': {
            char buf[512], *end;
            size_t n = scan_float(src, width ? width : (int)sizeof buf, buf, sizeof buf);
            double v = strtod(buf, &end);
            if (n == 0 || end == buf)
                return assigned;                        /* "", "-", ".", "0x": not a number */
            if (!suppress) {
                void *p = va_arg(ap, void *);
                if (size == 3)
                    *(long double *)p = strtold(buf, NULL);     /* all of a quad's 113 bits */
                else if (size == 1)
                    *(double *)p = v;
                else
                    *(float *)p = strtof(buf, NULL);    /* rounded once, straight to float */
                assigned++;
            }
            converted++;
            break;
        }
        case 'c': {
            char *out = suppress ? NULL : va_arg(ap, char *);
            int n = width ? width : 1;
            for (int i = 0; i < n; i++) {
                int c = next(src);
                if (c == EOF)
                    return converted == 0 && i == 0 ? EOF : assigned;
                if (out)
                    out[i] = (char)c;
            }
            if (!suppress)
                assigned++;
            converted++;
            break;
        }
        case 's': {
            char *out = suppress ? NULL : va_arg(ap, char *);
            int n = 0, c;
            while ((width == 0 || n < width) && (c = next(src)) != EOF && !isspace(c)) {
                if (out)
                    out[n] = (char)c;
                n++;
            }
            if (width == 0 || n < width)
                back(src, c);
            if (out) {
                out[n] = '\0';
                assigned++;
            }
            converted++;
            break;
        }
        default:
            return assigned;                            /* a conversion we do not know */
        }
    }
    return assigned;
}

int vsscanf(const char *restrict s, const char *restrict fmt, va_list ap)
{
    struct source src = { str_get, str_unget, s, NULL, 0 };
    return vscan(&src, fmt, ap);
}

int sscanf(const char *restrict s, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsscanf(s, fmt, ap);
    va_end(ap);
    return n;
}

int vfscanf(FILE *restrict fp, const char *restrict fmt, va_list ap)
{
    struct source src = { file_get, file_unget, NULL, fp, 0 };
    return vscan(&src, fmt, ap);
}

int fscanf(FILE *restrict fp, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfscanf(fp, fmt, ap);
    va_end(ap);
    return n;
}

int scanf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfscanf(stdin, fmt, ap);
    va_end(ap);
    return n;
}
