/*
 * muldiv: the M extension at its edges. Division never traps in RISC-V:
 * x/0 = all ones (signed and unsigned), x%0 = x; the one signed overflow,
 * MIN/-1, gives MIN with remainder 0. W forms work on 32 bits and
 * sign-extend the 32-bit result (even divuw and remuw).
 */
#include "bare.h"

#define R(op, a, b) ({ unsigned long __r; \
    __asm__ volatile (op " %0, %1, %2" : "=r"(__r) : "r"((unsigned long)(a)), "r"((unsigned long)(b))); __r; })

#define MIN64 0x8000000000000000UL
#define MIN32 0x80000000UL

static void two(const char *what, unsigned long q, unsigned long r) {
    printf("%-22s q=%016lx r=%016lx\n", what, q, r);
}

static void one(const char *what, unsigned long v) {
    printf("%-22s %016lx\n", what, v);
}

int main(void) {
    one("mul -3*5", R("mul", -3L, 5));
    one("mul wraps", R("mul", 0x100000001UL, 0x100000001UL));
    one("mulh -1*-1", R("mulh", -1L, -1L));
    one("mulh min*min", R("mulh", MIN64, MIN64));
    one("mulhu max*max", R("mulhu", -1L, -1L));
    one("mulhsu -1*max", R("mulhsu", -1L, -1L));
    one("mulhsu 2*max", R("mulhsu", 2, -1L));
    one("mulw sext", R("mulw", 0x10000, 0x8000));
    one("mulw ignores upper", R("mulw", 0xffffffff00000003UL, 0x1200000005UL));

    two("div 7/2", R("div", 7, 2), R("rem", 7, 2));
    two("div -7/2 (to zero)", R("div", -7L, 2), R("rem", -7L, 2));
    two("div 7/-2", R("div", 7, -2L), R("rem", 7, -2L));
    two("div by zero", R("div", 7, 0), R("rem", 7, 0));
    two("divu by zero", R("divu", 7, 0), R("remu", 7, 0));
    two("div -7 by zero", R("div", -7L, 0), R("rem", -7L, 0));
    two("div overflow min/-1", R("div", MIN64, -1L), R("rem", MIN64, -1L));
    two("divu max/3", R("divu", -1L, 3), R("remu", -1L, 3));

    two("divw by zero", R("divw", 7, 0), R("remw", 7, 0));
    two("divuw by zero", R("divuw", 7, 0), R("remuw", 7, 0));
    two("remw -7 by zero", R("divw", -7L, 0), R("remw", -7L, 0));
    two("divw overflow", R("divw", MIN32, -1L), R("remw", MIN32, -1L));
    two("divw upper ignored", R("divw", 0x1234567800000064UL, 0xff0000000000000aUL),
        R("remw", 0x1234567800000064UL, 0xff00000000000007UL));
    two("divuw 0xffffffff/1", R("divuw", 0xffffffffUL, 1), R("remuw", 0xffffffffUL, 0x10));
    two("divuw remuw by zero", R("divuw", 0x80000000UL, 0), R("remuw", 0x80000000UL, 0));
    return 0;
}
