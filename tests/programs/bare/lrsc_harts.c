/*
 * lrsc_harts: reservations lost to another hart and to a trap.
 *  - Hart 0 takes a reservation with lr.d; hart 1 then stores a new value to
 *    that word; hart 0's sc.d fails and memory keeps hart 1's value.
 *  - Without interference, the same sequence succeeds.
 *  - A trap between lr and sc (an ecall here) drops the reservation on our
 *    machine (choices.py RESERVATION_LOST_ON_TRAP; the spec allows it).
 * Only hart 0 prints.
 */
#include "golden.h"

static volatile unsigned long word;
static volatile int go, done;

void secondary_main(unsigned long hartid) {
    if (hartid != 1)
        for (;;) __asm__ volatile ("wfi");
    while (!go)
        ;
    word = 77;
    __asm__ volatile ("fence rw, rw" ::: "memory");
    done = 1;
    for (;;)
        __asm__ volatile ("wfi");
}

static unsigned long lr(volatile unsigned long *a) {
    unsigned long v;
    __asm__ volatile ("lr.d %0, (%1)" : "=r"(v) : "r"(a) : "memory");
    return v;
}
static unsigned long sc(volatile unsigned long *a, unsigned long v) {
    unsigned long fail;
    __asm__ volatile ("sc.d %0, %2, (%1)" : "=r"(fail) : "r"(a), "r"(v) : "memory");
    return fail;
}

int main(void) {
    bare_set_mtrap(probe_m);
    word = 5;
    unsigned long v = lr(&word);
    unsigned long f = sc(&word, v + 1);
    printf("alone: sc %s, word=%lu\n", f ? "failed" : "succeeded", word);

    v = lr(&word);
    go = 1;
    while (!done)
        ;
    f = sc(&word, v + 1);
    printf("hart 1 stored between lr and sc: sc %s, word=%lu\n", f ? "failed" : "succeeded", word);

    v = lr(&word);
    __asm__ volatile ("li a7, 0\n\tecall" ::: "a7", "memory");
    f = sc(&word, v + 1);
    printf("a trap between lr and sc: sc %s, word=%lu\n", f ? "failed" : "succeeded", word);
    return 0;
}
