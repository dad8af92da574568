"""Bare-metal programs the widget tests run on oskit.machine.Machine (C sources, built on demand).

    HELLO     prints a line and exits 0
    ECHO      reads UART bytes (polling LSR) and prints each line back as "got: <line>"; "quit" ends it
    PAGING    maps three data pages with Sv39, drops to S-mode, stores to each page, prints
              "S: wrote 3 pages", then waits in WFI (the run ends "idle" with the hart still in
              S-mode and satp set)
"""

import html
import re

from oskit.machine import Machine

HELLO = r"""
#include "bare.h"
int main(void) { printf("hello from the UART\n"); return 0; }
"""

ECHO = r"""
#include "bare.h"
#define UART ((volatile unsigned char *)UART0_BASE)
static int getc_(void) { while (!(UART[5] & 1)) ; return UART[0]; }
int main(void) {
    char line[64];
    for (;;) {
        int n = 0, c;
        while ((c = getc_()) != '\n' && n < 63) line[n++] = (char)c;
        line[n] = 0;
        if (n == 4 && line[0] == 'q' && line[1] == 'u' && line[2] == 'i' && line[3] == 't') return 0;
        printf("got: %s\n", line);
    }
}
"""

PAGING = r"""
#include "bare.h"
#define DATA_VA 0x40000000UL                 /* 1 GiB: root entry 1 */
static unsigned long pt[3][512] __attribute__((aligned(4096)));
static unsigned long data[3][512] __attribute__((aligned(4096)));
unsigned long satp_value;

static long s_main(long arg) {
    volatile unsigned long *p = (volatile unsigned long *)DATA_VA;
    for (int i = 0; i < 3; i++) p[i * 512] = i + 1;     /* one store per page: three walks */
    printf("S: wrote 3 pages\n");
    for (;;) __asm__ volatile ("wfi");
    return arg;
}

int main(void) {
    bare_pmp_allow_all();
    /* root: [0] devices (1 GiB, RW), [2] RAM (1 GiB, RWX), [1] -> pt[1] -> pt[2] -> data pages */
    pt[0][0] = PTE_PA(0) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    pt[0][2] = PTE_PA(0x80000000UL) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    pt[0][1] = PTE_PA(pt[1]) | PTE_V;
    pt[1][0] = PTE_PA(pt[2]) | PTE_V;
    for (int i = 0; i < 3; i++)
        pt[2][i] = PTE_PA(data[i]) | PTE_V | PTE_R | PTE_W;    /* A and D left to the hardware */
    satp_value = SATP_SV39 | (1UL << 44) | ((unsigned long)pt[0] >> 12);
    csr_write(satp, satp_value);
    __asm__ volatile ("sfence.vma" ::: "memory");
    bare_mrun(PRIV_S, s_main, 0, 0);
    return 0;
}
"""



def machine_with(elf):
    """A fresh one-hart machine with elf loaded."""
    m = Machine(harts=1, ram_mib=16)
    m.load_elf(elf)
    return m


# A user program for the kernel views: a failing open (ENOENT), a fork, a child that exits 3,
# a parent that waits for it and prints what it got.
FORK = r"""
#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
int main(void) {
    int fd = open("/nonexistent", O_RDONLY);
    pid_t c = fork();
    if (c == 0) {
        printf("child %d\n", getpid());
        _exit(3);
    }
    int st;
    waitpid(c, &st, 0);
    printf("parent: child exited %d\n", WEXITSTATUS(st));
    return fd == -1 ? 0 : 1;
}
"""


def kernel_with(elf, path="/bin/fork"):
    """A freshly booted kernel (no /bin programs but `elf` at `path`) and the process running it."""
    from oskit.kernel.kernel import boot
    k = boot(programs=False, ram_mib=32)
    k.install_program(path, elf)
    return k, k.spawn(path)


def visible_text(fragment: str) -> str:
    """The text a reader sees in an HTML fragment: tags and the style sheet removed, entities decoded."""
    fragment = re.sub(r"<style>.*?</style>", "", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# A user program that answers each line typed on the console, until "quit".
READER = r"""
#include <string.h>
#include <unistd.h>
int main(void) {
    char buf[128];
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n <= 0 || strncmp(buf, "quit", 4) == 0)
            return 0;
        write(1, "you typed: ", 11);
        write(1, buf, n);
    }
}
"""
