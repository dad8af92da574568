/*
 * strtol.c: text to integers.
 *
 * All four strto* share one parser: skip white space, an optional sign, the
 * base prefix (0x for 16, 0 for 8 when base is 0), then digits while they
 * fit. On overflow the result is clamped (LONG_MAX, ULONG_MAX, ...) and
 * errno is ERANGE; with no digits at all the result is 0 and *endp is the
 * start of the string.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

/* Parse the magnitude into *out (saturating at limit); return 1 if any digit was read. */
static int parse(const char *s, char **endp, int base, int *negative,
                 unsigned long long limit, unsigned long long *out, int *overflow)
{
    const char *p = s;
    unsigned long long acc = 0;
    int any = 0;

    *negative = 0;
    *overflow = 0;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (endp)
            *endp = (char *)s;
        *out = 0;
        return 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '-' || *p == '+')
        *negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')
        && isxdigit((unsigned char)p[2])) {
        p += 2;                                 /* "0x" counts only if a hex digit follows */
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    for (;; p++) {
        int c = (unsigned char)*p, d;
        if (isdigit(c)) d = c - '0';
        else if (isalpha(c)) d = tolower(c) - 'a' + 10;
        else break;
        if (d >= base)
            break;
        any = 1;
        if (acc > (limit - d) / base) {
            *overflow = 1;                      /* keep reading digits, result clamps */
            acc = limit;
        } else {
            acc = acc * base + d;
        }
    }
    if (endp)
        *endp = (char *)(any ? p : s);
    *out = any ? acc : 0;
    return any;
}

long long strtoll(const char *restrict s, char **restrict endp, int base)
{
    int neg, over;
    unsigned long long mag;
    parse(s, endp, base, &neg, (unsigned long long)LLONG_MAX + 1, &mag, &over);
    if (!neg && mag > LLONG_MAX)
        over = 1;
    if (over) {
        errno = ERANGE;
        return neg ? LLONG_MIN : LLONG_MAX;
    }
    return neg ? (long long)(0 - mag) : (long long)mag;
}

long strtol(const char *restrict s, char **restrict endp, int base)
{
    return strtoll(s, endp, base);      /* long and long long are both 64 bits */
}

unsigned long long strtoull(const char *restrict s, char **restrict endp, int base)
{
    int neg, over;
    unsigned long long mag;
    parse(s, endp, base, &neg, ULLONG_MAX, &mag, &over);
    if (over) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return neg ? 0 - mag : mag;         /* "-1" is ULONG_MAX, as C says */
}

unsigned long strtoul(const char *restrict s, char **restrict endp, int base)
{
    return strtoull(s, endp, base);
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
long long atoll(const char *s) { return strtoll(s, NULL, 10); }

int abs(int j) { return j < 0 ? -j : j; }
long labs(long j) { return j < 0 ? -j : j; }
long long llabs(long long j) { return j < 0 ? -j : j; }
div_t div(int num, int denom) { div_t r = { num / denom, num % denom }; return r; }
ldiv_t ldiv(long num, long denom) { ldiv_t r = { num / denom, num % denom }; return r; }

intmax_t strtoimax(const char *restrict s, char **restrict endp, int base) { return strtoll(s, endp, base); }
uintmax_t strtoumax(const char *restrict s, char **restrict endp, int base) { return strtoull(s, endp, base); }
intmax_t imaxabs(intmax_t j) { return j < 0 ? -j : j; }
