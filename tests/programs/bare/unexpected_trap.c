/*
 * unexpected_trap: the runtime's default M-mode trap handler. With no handler
 * installed, a trap prints "unexpected trap mcause=... mepc=... mtval=..." on
 * the UART and ends the run with exit code 99 (BARE_EXIT_UNEXPECTED_TRAP).
 * Here: a call to address 0, where nothing answers (instruction access fault).
 */
#include "bare.h"

int main(void) {
    volatile unsigned long target = 0;     /* volatile: a literal null call is UB to clang */
    printf("calling address 0\n");
    ((void (*)(void))target)();
    printf("not reached\n");
    return 0;
}
