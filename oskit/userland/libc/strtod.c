/*
 * strtod.c: text to the nearest double (or float): strtod, strtof, strtold, atof.
 *
 * After white space and a sign, the number is one of
 *
 *      decimal    digits [. digits] [e [sign] digits]      "-1.5e3", ".5", "7."
 *      hex        0x hexdigits [. hexdigits] [p [sign] digits]   "0x1.8p1" = 1.5 * 2^1
 *      words      inf, infinity, nan, nan(chars)           (any case)
 *
 * *endp is set just after the last character used, or to s itself when there
 * is no number. Too big: +-HUGE_VAL (infinity) and errno = ERANGE; too small
 * for a normal double (tiny, as IEEE 754 says) and not exact: the nearest
 * subnormal or 0, and ERANGE.
 *
 * How it is exact (correct rounding for every input, like glibc's):
 * the digits are an integer D and a power of ten E, value = D * 10^E, with
 * nothing lost yet. With big integers in base 2^32 we compute
 *
 *      Q = floor(D * 10^E * 2^s)      and      sticky = "was anything cut off?"
 *
 * for a scale 2^s chosen so that Q has at least 66 bits, 13 more than a
 * double's mantissa (E < 0: multiply D by 2^s, then divide by 10 nine
 * digits at a time, remembering any nonzero remainder). Then
 * value = (Q + a fraction) * 2^-s, so Q's top 53 bits are the double's
 * mantissa, the next bit says "at least half an ulp more", and that bit
 * with the rest of Q and sticky decides the rounding, half to even.
 * Only the first 800 significant digits go into D (the rest can only set
 * sticky): the exact halfway point between two doubles never has more than
 * 769 significant digits, so the digits dropped can only break a tie.
 *
 * strtold does the same for RISC-V's long double, a 128-bit IEEE quad
 * (113 bits of mantissa). There the 800 digits are a limit: a quad's
 * halfway points can have up to 11,500 digits, so text with more than 800
 * significant digits may, very close to a tie, round the wrong way.
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS 800          /* significant decimal digits kept (see above) */
#define EXP_LIMIT 100000        /* exponents are clamped here: way past overflow and underflow */

typedef unsigned __int128 u128;

/* A big binary integer, least significant 32-bit word first. The largest is D * 2^s for a
 * long double: D < 10^800 (2,658 bits) times 2^s, s <= 16,683 (see parse): 605 words. */
struct bigbin {
    int len;
    uint32_t w[620];
};

/* b = b * f + add, for f, add < 2^32. */
static void mul_add(struct bigbin *b, uint32_t f, uint32_t add)
{
    uint64_t carry = add;
    for (int i = 0; i < b->len; i++) {
        uint64_t t = (uint64_t)b->w[i] * f + carry;
        b->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry)
        b->w[b->len++] = (uint32_t)carry;
}

/* b = b * 2^s */
static void shift_left(struct bigbin *b, int s)
{
    int words = s / 32, bits = s % 32;
    if (bits) {
        b->w[b->len] = 0;
        for (int i = b->len; i > 0; i--)
            b->w[i] = b->w[i] << bits | b->w[i - 1] >> (32 - bits);
        b->w[0] <<= bits;
        b->len++;
    }
    memmove(b->w + words, b->w, b->len * sizeof b->w[0]);
    memset(b->w, 0, words * sizeof b->w[0]);
    b->len += words;
    while (b->len > 0 && b->w[b->len - 1] == 0)
        b->len--;
}

/* b = floor(b / d); return the remainder (d < 2^32). */
static uint32_t div_small(struct bigbin *b, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = b->len - 1; i >= 0; i--) {
        uint64_t t = rem << 32 | b->w[i];
        b->w[i] = (uint32_t)(t / d);
        rem = t % d;
    }
    while (b->len > 0 && b->w[b->len - 1] == 0)
        b->len--;
    return (uint32_t)rem;
}

static uint32_t power_of_ten(int k)
{
    uint32_t p = 1;
    while (k--)
        p *= 10;
    return p;
}

static int bit_length(const struct bigbin *b)
{
    if (b->len == 0)
        return 0;
    int n = 32 * (b->len - 1);
    for (uint32_t top = b->w[b->len - 1]; top; top >>= 1)
        n++;
    return n;
}

static int bit(const struct bigbin *b, int i)
{
    return i >= 0 && i < 32 * b->len ? b->w[i / 32] >> (i % 32) & 1 : 0;
}

/* Is any bit below bit i set? */
static int any_below(const struct bigbin *b, int i)
{
    for (int k = 0; k < b->len && 32 * k < i; k++) {
        uint32_t w = b->w[k];
        if (i - 32 * k < 32)
            w &= (1u << (i - 32 * k)) - 1;
        if (w)
            return 1;
    }
    return 0;
}

/* A binary floating-point format: mantissa bits (with the leading 1) and exponents. */
struct fmt {
    int mant_bits;              /* 53 for double, 24 for float, 113 for a quad */
    int emin;                   /* smallest normal exponent: -1022, -126, -16382 */
    int emax;                   /* largest: 1023, 127, 16383 */
    int max_d10, min_d10;       /* text >= 10^max_d10 is infinity, < 10^min_d10 rounds to 0 */
};

static const struct fmt FLOAT = { 24, -126, 127, 39, -46 }, DOUBLE = { 53, -1022, 1023, 309, -324 };

/*
 * Round (Q + sticky) * 2^-s to the format, half to even. Returns the bits of
 * the result without its sign (the format's own encoding), sets ERANGE on
 * overflow, and on underflow (a result that is subnormal or 0, and inexact).
 */
static u128 round_binary(const struct bigbin *q, int s, int sticky, const struct fmt *f)
{
    int len = bit_length(q);
    int lowest = -f->emin + f->mant_bits - 1;   /* 2^-lowest is the smallest subnormal */
    /* Keep the bits from index `shift` up: 53 of them, or fewer for a subnormal. */
    int shift = len - f->mant_bits;
    if (shift < s - lowest)
        shift = s - lowest;
    u128 mant = 0;
    for (int i = len - 1; i >= shift && i >= 0; i--)
        mant = mant << 1 | bit(q, i);
    if (shift < 0)
        mant <<= -shift;                        /* a small exact integer: nothing to round */
    int half = shift > 0 && bit(q, shift - 1);
    sticky = sticky || (shift > 1 && any_below(q, shift - 1));
    /* Tiny (IEEE 754, "after rounding", as on RISC-V and x86): below 2^emin even when
     * rounded to the full mant_bits with no lower limit on the exponent. Just below 2^emin
     * that means less than mant_bits + 1 ones in a row: 0.111...1 rounds up to 2^emin. */
    int tiny = len - 1 - s < f->emin;
    if (tiny && len - 1 - s == f->emin - 1) {
        int ones = 0;
        while (ones <= f->mant_bits && bit(q, len - 1 - ones))
            ones++;
        tiny = ones <= f->mant_bits;
    }
    if (half && (sticky || (mant & 1)))
        mant++;
    if (mant >> f->mant_bits) {                 /* rounded up to 2^53: one bit less */
        mant >>= 1;
        shift++;
    }
    int exp = shift - s + f->mant_bits - 1;     /* the exponent of mant's leading bit */
    u128 top = (u128)1 << (f->mant_bits - 1);
    if (mant >= top && exp > f->emax) {
        errno = ERANGE;
        return (u128)(2 * f->emax + 1) << (f->mant_bits - 1);        /* infinity */
    }
    if (tiny && (half || sticky))
        errno = ERANGE;                         /* underflow: tiny and inexact */
    if (mant < top)
        return mant;                            /* subnormal: the exponent field is 0 */
    /* Normal: the exponent field is exp - emin + 1; mant's leading 1 lands on the
     * field's lowest bit and adds that 1. */
    return ((u128)(exp - f->emin) << (f->mant_bits - 1)) + mant;
}

static int lower_is(const char *p, const char *word)
{
    for (; *word; p++, word++)
        if (tolower((unsigned char)*p) != *word)
            return 0;
    return 1;
}

static int hex_value(int c)
{
    if (isdigit(c))
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* After 'e' or 'p': an exponent with an optional sign, if a digit follows; else p stays. */
static const char *parse_exponent(const char *p, long *out)
{
    const char *q = p + 1;
    int neg = 0;
    if (*q == '+' || *q == '-')
        neg = *q++ == '-';
    if (!isdigit((unsigned char)*q))
        return p;                               /* "1e" or "1e+": the number ends before the e */
    long x = 0;
    for (; isdigit((unsigned char)*q); q++)
        if (x < EXP_LIMIT)
            x = x * 10 + (*q - '0');
    *out = neg ? -x : x;
    return q;
}

/*
 * The parser shared by strtod and strtof: returns the result's bits in format f,
 * with its sign in *negative; *endp as strtod's.
 */
static u128 parse(const char *s, char **endp, const struct fmt *f, int *negative)
{
    const char *p = s;
    u128 exp_all_ones = (u128)(2 * f->emax + 1) << (f->mant_bits - 1);
    struct bigbin q;                            /* 2.5 KB, not cleared: words are written before read */
    q.len = 0;
    int sticky = 0;

    while (isspace((unsigned char)*p))
        p++;
    *negative = 0;
    if (*p == '+' || *p == '-')
        *negative = *p++ == '-';
    if (endp)
        *endp = (char *)s;                      /* until we know there is a number */

    if (lower_is(p, "inf")) {
        p += lower_is(p, "infinity") ? 8 : 3;
        if (endp)
            *endp = (char *)p;
        return exp_all_ones;
    }
    if (lower_is(p, "nan")) {
        u128 quiet = exp_all_ones | (u128)1 << (f->mant_bits - 2);
        p += 3;
        if (*p == '(') {                        /* nan(chars): glibc puts a number there in the payload */
            const char *c = p + 1;
            while (isalnum((unsigned char)*c) || *c == '_')
                c++;
            if (*c == ')') {
                char *num_end;
                unsigned long long payload = strtoull(p + 1, &num_end, 0);
                if (num_end == c)
                    quiet |= payload & (((u128)1 << (f->mant_bits - 2)) - 1);
                p = c + 1;
            }
        }
        if (endp)
            *endp = (char *)p;
        return quiet;
    }

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')
        && (hex_value((unsigned char)p[2]) >= 0 || (p[2] == '.' && hex_value((unsigned char)p[3]) >= 0))) {
        /* Hex: the first 32 significant hex digits (128 bits) are exact; later ones set sticky. */
        u128 mant = 0;
        int digits = 0;
        long exp2 = 0, px = 0;
        p += 2;
        for (int after_point = 0;; p++) {
            int d = hex_value((unsigned char)*p);
            if (*p == '.' && !after_point) {
                after_point = 1;
                continue;
            }
            if (d < 0)
                break;
            if (digits < 32) {
                mant = mant << 4 | d;
                if (mant)
                    digits++;                   /* leading zeros do not count */
                exp2 -= after_point ? 4 : 0;
            } else {
                sticky |= d != 0;
                exp2 += after_point ? 0 : 4;
            }
        }
        if (*p == 'p' || *p == 'P')
            p = parse_exponent(p, &px);
        if (endp)
            *endp = (char *)p;
        if (mant == 0)
            return 0;
        exp2 += px;
        if (exp2 > EXP_LIMIT) exp2 = EXP_LIMIT;
        if (exp2 < -EXP_LIMIT) exp2 = -EXP_LIMIT;
        for (q.len = 0; mant; mant >>= 32)
            q.w[q.len++] = (uint32_t)mant;
        return round_binary(&q, (int)-exp2, sticky, f);
    }

    /* Decimal: significant digits into digits[], their power of ten into exp10. */
    char digits[MAX_DIGITS];
    int nd = 0, any = 0, after_point = 0;
    long exp10 = 0;
    for (;; p++) {
        if (*p == '.' && !after_point) {
            after_point = 1;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            break;
        any = 1;
        if (nd == 0 && *p == '0') {             /* a leading zero: only moves the point */
            exp10 -= after_point;
        } else if (nd < MAX_DIGITS) {
            digits[nd++] = *p;
            exp10 -= after_point;
        } else {
            sticky |= *p != '0';
            exp10 += !after_point;
        }
    }
    if (!any) {
        *negative = 0;                          /* no digits: no number, +0, *endp stays s */
        return 0;
    }
    if (*p == 'e' || *p == 'E') {
        long x = 0;
        p = parse_exponent(p, &x);
        exp10 += x;
    }
    if (endp)
        *endp = (char *)p;
    while (nd > 0 && digits[nd - 1] == '0')
        nd--, exp10++;
    if (nd == 0)
        return 0;                               /* zero, exactly */

    long d10 = nd + exp10;                      /* 10^(d10-1) <= value < 10^d10 */
    if (d10 > f->max_d10) {
        errno = ERANGE;
        return exp_all_ones;                    /* >= 10^max_d10 > DBL_MAX: infinity */
    }
    if (d10 < f->min_d10) {
        errno = ERANGE;
        return 0;                               /* < 10^(min_d10 - 1): below half the smallest subnormal */
    }
    for (int i = 0; i < nd;) {                  /* q = D, nine digits at a time */
        uint32_t chunk = 0, scale = 1;
        for (int k = 0; k < 9 && i < nd; k++, i++)
            chunk = chunk * 10 + (digits[i] - '0'), scale *= 10;
        if (q.len == 0)
            q.w[q.len++] = chunk;
        else
            mul_add(&q, scale, chunk);
    }
    int scale2 = 0;                             /* the s of Q = floor(value * 2^s) */
    if (exp10 >= 0) {                           /* an integer: q = D * 10^E, exactly */
        for (long k = exp10; k > 0; k -= 9)
            mul_add(&q, power_of_ten(k < 9 ? (int)k : 9), 0);
    } else {                                    /* q = floor(D * 2^s / 10^-E), sticky = remainder? */
        /* Q >= 2^(mant_bits + 13), comfortably more bits than the format keeps (10/3 > log2(10)). */
        scale2 = f->mant_bits + 13 + (d10 < 1 ? (int)((1 - d10) * 10 / 3) + 1 : 0);
        shift_left(&q, scale2);
        for (long k = -exp10; k > 0; k -= 9) {
            sticky |= div_small(&q, power_of_ten(k < 9 ? (int)k : 9)) != 0;
        }
    }
    return round_binary(&q, scale2, sticky, f);
}

double strtod(const char *restrict s, char **restrict endp)
{
    int negative;
    uint64_t bits = (uint64_t)parse(s, endp, &DOUBLE, &negative) | (uint64_t)negative << 63;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

float strtof(const char *restrict s, char **restrict endp)
{
    int negative;
    uint32_t bits = (uint32_t)parse(s, endp, &FLOAT, &negative) | (uint32_t)negative << 31;
    float x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

long double strtold(const char *restrict s, char **restrict endp)
{
#if LDBL_MANT_DIG == 113                        /* an IEEE quad: RISC-V */
    static const struct fmt QUAD = { 113, -16382, 16383, 4933, -4966 };
    int negative;
    u128 bits = parse(s, endp, &QUAD, &negative) | (u128)negative << 127;
    long double x;
    memcpy(&x, &bits, sizeof x);
    return x;
#else
    return strtod(s, endp);     /* another long double (x86's 80 bits, on a host): the nearest double */
#endif
}

double atof(const char *s)
{
    return strtod(s, NULL);
}
