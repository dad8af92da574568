/*
 * syscall.c: make any system call by its number, for calls that have no
 * stub in syscalls.S yet (a call added to the kernel in a notebook):
 *
 *      long r = syscall(SYS_getpid);          or  syscall(555, 7)
 *
 * It does what every generated stub does, in C: the number in t0, the
 * arguments in a0-a5, ecall; t0 != 0 on return means a0 is an errno value.
 */
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

long syscall(long number, ...)
{
    va_list ap;
    va_start(ap, number);
    /* Missing arguments read whatever the caller left in those registers:
     * harmless, the kernel looks only at the ones the call takes. */
    register long a0 __asm__("a0") = va_arg(ap, long);
    register long a1 __asm__("a1") = va_arg(ap, long);
    register long a2 __asm__("a2") = va_arg(ap, long);
    register long a3 __asm__("a3") = va_arg(ap, long);
    register long a4 __asm__("a4") = va_arg(ap, long);
    register long a5 __asm__("a5") = va_arg(ap, long);
    va_end(ap);
    register long t0 __asm__("t0") = number;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(t0)
                     : "r"(a2), "r"(a3), "r"(a4), "r"(a5)
                     : "memory");
    if (t0 != 0) {
        errno = (int)a0;
        return -1;
    }
    return a0;
}
