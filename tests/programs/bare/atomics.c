/*
 * atomics: the A extension on one hart. LR/SC: an SC succeeds (rd = 0) only
 * with a valid reservation on its address; every SC, successful or not, ends
 * the reservation; an SC with no LR before it fails (rd != 0, memory unchanged).
 * AMOs return the old value; the .w forms sign-extend it to 64 bits and
 * compare signed or unsigned as their name says.
 */
#include "bare.h"

static volatile unsigned long d0, d1;
static volatile unsigned int w0;

#define AMO(op, addr, v) ({ unsigned long __old; \
    __asm__ volatile (op " %0, %2, (%1)" : "=r"(__old) : "r"(addr), "r"((unsigned long)(v)) : "memory"); __old; })

static unsigned long lr_d(volatile unsigned long *a) {
    unsigned long v;
    __asm__ volatile ("lr.d %0, (%1)" : "=r"(v) : "r"(a) : "memory");
    return v;
}
static unsigned long sc_d(volatile unsigned long *a, unsigned long v) {
    unsigned long fail;
    __asm__ volatile ("sc.d %0, %2, (%1)" : "=r"(fail) : "r"(a), "r"(v) : "memory");
    return fail;
}

int main(void) {
    d0 = 5;
    unsigned long v = lr_d(&d0);
    unsigned long f = sc_d(&d0, v + 1);
    printf("lr/sc: loaded %lu, sc %s, now %lu\n", v, f ? "failed" : "succeeded", d0);

    f = sc_d(&d0, 100);
    printf("sc again (reservation used up): %s, now %lu\n", f ? "failed" : "succeeded", d0);

    lr_d(&d0);
    f = sc_d(&d1, 7);
    printf("sc to another address: %s, d1=%lu\n", f ? "failed" : "succeeded", d1);
    f = sc_d(&d0, 8);
    printf("then sc to the reserved one: %s, d0=%lu\n", f ? "failed" : "succeeded", d0);

    unsigned int wf, wv;
    w0 = 0x80000000u;
    __asm__ volatile ("lr.w %0, (%2)\n\tsc.w %1, %3, (%2)"
                      : "=&r"(wv), "=&r"(wf) : "r"(&w0), "r"(0x80000001u) : "memory");
    unsigned long wv64;
    __asm__ volatile ("lr.w %0, (%1)" : "=r"(wv64) : "r"(&w0) : "memory");
    printf("lr.w/sc.w: sc %s, w0=%x, lr.w of it (sext)=%lx\n",
           wf ? "failed" : "succeeded", w0, wv64);
    sc_d(&d1, 0);     /* drop that reservation */

    d0 = 10;
    printf("amoadd.d old=%lu new=%lu\n", AMO("amoadd.d", &d0, 5), d0);
    printf("amoswap.d old=%lu new=%lu\n", AMO("amoswap.d", &d0, 99), d0);
    d0 = 0xf0;
    printf("amoand.d old=%lx new=%lx\n", AMO("amoand.d", &d0, 0x3c), d0);
    printf("amoor.d old=%lx new=%lx\n", AMO("amoor.d", &d0, 0x0f), d0);
    printf("amoxor.d old=%lx new=%lx\n", AMO("amoxor.d", &d0, 0xff), d0);
    d0 = -5L;
    printf("amomax.d(-5,3) old=%lx new=%lx\n", AMO("amomax.d", &d0, 3), d0);
    d0 = -5L;
    printf("amomaxu.d(-5,3) old=%lx new=%lx\n", AMO("amomaxu.d", &d0, 3), d0);
    d0 = -5L;
    printf("amomin.d(-5,3) old=%lx new=%lx\n", AMO("amomin.d", &d0, 3), d0);
    d0 = -5L;
    printf("amominu.d(-5,3) old=%lx new=%lx\n", AMO("amominu.d", &d0, 3), d0);

    w0 = 0xfffffff0u;
    printf("amoadd.w old(sext)=%lx new=%x\n", AMO("amoadd.w", &w0, 0x20), w0);
    w0 = 0x80000000u;
    printf("amoswap.w old(sext)=%lx new=%x\n", AMO("amoswap.w", &w0, 1), w0);
    w0 = 0x7fffffffu;
    printf("amoadd.w wraps old=%lx new=%x\n", AMO("amoadd.w", &w0, 1), w0);
    w0 = 0x80000000u;
    printf("amomax.w(min32,1) old=%lx new=%x\n", AMO("amomax.w", &w0, 1), w0);
    w0 = 0x80000000u;
    printf("amomaxu.w(0x80000000,1) old=%lx new=%x\n", AMO("amomaxu.w", &w0, 1), w0);
    w0 = 5;
    printf("amomin.w(5,-1) old=%lx new=%x\n", AMO("amomin.w", &w0, -1L), w0);
    w0 = 5;
    printf("amominu.w(5,-1) old=%lx new=%x\n", AMO("amominu.w", &w0, -1L), w0);
    w0 = 0x12345678u;
    printf("amoor.w upper bits of rs2 ignored old=%lx new=%x\n",
           AMO("amoor.w", &w0, 0xffffffff00000001UL), w0);
    return 0;
}
