/*
 * bare.c -- UART output, a small printf, exit, and the C half of trap dispatch
 * for bare-metal programs (see bare.h for the map).
 */
#include "bare.h"

/* ---- UART 16550A: THR at +0, LSR at +5; LSR bit 5 (THRE) = ready for a byte ---- */
#define UART_THR ((volatile uint8_t *)(UART0_BASE + 0))
#define UART_LSR ((volatile uint8_t *)(UART0_BASE + 5))
#define LSR_THRE 0x20

void bare_putchar(int c) {
    while ((*UART_LSR & LSR_THRE) == 0)
        ;
    *UART_THR = (uint8_t)c;
}

void bare_puts(const char *s) {
    while (*s)
        bare_putchar(*s++);
}

/* ---- printf ---- */
static int put_padded(const char *s, int len, int width, int left, char pad) {
    int n = 0;
    if (!left)
        for (; width > len; width--, n++)
            bare_putchar(pad);
    for (int i = 0; i < len; i++, n++)
        bare_putchar(s[i]);
    if (left)
        for (; width > len; width--, n++)
            bare_putchar(' ');
    return n;
}

int bare_vprintf(const char *fmt, va_list ap) {
    int n = 0;
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            bare_putchar(*fmt);
            n++;
            continue;
        }
        fmt++;
        int left = 0, width = 0, lng = 0;
        char pad = ' ';
        if (*fmt == '-') { left = 1; fmt++; }
        if (*fmt == '0') { pad = '0'; fmt++; }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') { lng++; fmt++; }

        char buf[24];
        int len = 0, neg = 0, base = 10, upper = 0;
        unsigned long u;
        switch (*fmt) {
        case 'd': case 'i': {
            long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            neg = v < 0;
            u = neg ? -(unsigned long)v : (unsigned long)v;
            goto number;
        }
        case 'u':
            u = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            goto number;
        case 'X':
            upper = 1;
            /* fall through */
        case 'x':
            u = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            base = 16;
            goto number;
        case 'p':
            u = (unsigned long)va_arg(ap, void *);
            base = 16;
            bare_puts("0x");
            n += 2;
            goto number;
        number: {
            const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
            char tmp[24];
            int t = 0;
            do { tmp[t++] = digits[u % base]; u /= base; } while (u);
            if (neg) {
                if (pad == '0') { bare_putchar('-'); n++; if (width) width--; }
                else tmp[t++] = '-';
            }
            while (t) buf[len++] = tmp[--t];
            n += put_padded(buf, len, width, left, pad);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            int l = 0;
            while (s[l]) l++;
            n += put_padded(s, l, width, left, ' ');
            break;
        }
        case 'c':
            buf[0] = (char)va_arg(ap, int);
            n += put_padded(buf, 1, width, left, ' ');
            break;
        case '%':
            bare_putchar('%');
            n++;
            break;
        case '\0':
            return n;
        default:            /* unknown conversion: print it as is */
            bare_putchar('%');
            bare_putchar(*fmt);
            n += 2;
        }
    }
    return n;
}

int bare_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = bare_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

/* ---- exit ---- */
extern volatile uint64_t tohost;

void bare_exit(int code) {
#ifdef OSKIT_QEMU
    /* QEMU virt's SiFive test finisher: 0x5555 = pass (status 0), (code << 16) | 0x3333 = fail */
    volatile uint32_t *finisher = (volatile uint32_t *)0x100000UL;
    *finisher = code == 0 ? 0x5555 : (((uint32_t)code & 0xffff) << 16) | 0x3333;
#else
    tohost = ((uint64_t)(uint32_t)code << 1) | 1;
#endif
    for (;;)
        __asm__ volatile ("wfi");
}

/* ---- trap dispatch (called by the entries in crt0.S) ---- */
static bare_handler *mtrap_handler;
static bare_handler *strap_handler;
extern void bare_mtrap_entry(void);
extern void bare_strap_entry(void);
__attribute__((noreturn)) void bare_mresume(long value);
__attribute__((noreturn)) void bare_sresume(long value);

void bare_set_mtrap(bare_handler *h) {
    mtrap_handler = h;
    csr_write(mtvec, (unsigned long)bare_mtrap_entry);
}

void bare_set_strap(bare_handler *h) {
    strap_handler = h;
    csr_write(stvec, (unsigned long)bare_strap_entry);
}

void bare_unexpected_trap(const char *mode, struct bare_frame *f) {
    char x = *mode == 'M' ? 'm' : 's';
    bare_printf("unexpected trap %ccause=%lx %cepc=%lx %ctval=%lx\n",
                x, f->cause, x, f->epc, x, f->tval);
    bare_exit(BARE_EXIT_UNEXPECTED_TRAP);
}

void bare_mtrap_dispatch(struct bare_frame *f) {
    if ((f->cause == 8 || f->cause == 9) && f->x[17] == BARE_ECALL_RETURN)
        bare_mresume((long)f->x[10]);
    if (mtrap_handler)
        mtrap_handler(f);
    else
        bare_unexpected_trap("M", f);
}

void bare_strap_dispatch(struct bare_frame *f) {
    if (f->cause == 8 && f->x[17] == BARE_ECALL_RETURN)
        bare_sresume((long)f->x[10]);
    if (strap_handler)
        strap_handler(f);
    else
        bare_unexpected_trap("S", f);
}
