/*
 * bare.h -- the tiny runtime for bare-metal programs on oskit's machine.
 *
 * A bare program is linked with crt0.S, bare.c and link.ld (oskit.toolchain
 * does it: build(sources, mode="bare")). Every hart starts at _start in
 * M-mode; hart 0 runs main() and the value main returns becomes the exit
 * code of the run; other harts run secondary_main(hartid).
 *
 * What is here:
 *   output       bare_putchar, bare_puts, bare_printf (UART 16550 at 0x1000_0000)
 *   exit         bare_exit(code): HTIF tohost, or QEMU's test finisher with -DOSKIT_QEMU
 *   CSRs         csr_read(name), csr_write(name, v), csr_set, csr_clear, csr_swap
 *   traps        struct bare_frame, bare_set_mtrap(h), bare_set_strap(h)
 *   privilege    bare_mrun(priv, fn, arg, stack) / bare_srun(fn, arg, stack):
 *                run fn in a lower mode and come back with its return value
 *   PMP          bare_pmp_allow_all(): one NAPOT entry covering everything,
 *                RWX, so that S and U may touch memory on QEMU
 *   CLINT        addresses of msip, mtimecmp and mtime
 */
#ifndef OSKIT_BARE_H
#define OSKIT_BARE_H

#include <stdarg.h>
#include <stdint.h>

/* ---- devices (the QEMU virt memory map) ---- */
#define UART0_BASE      0x10000000UL
#define CLINT_BASE      0x02000000UL
#define CLINT_MSIP(h)     ((volatile uint32_t *)(CLINT_BASE + 4 * (h)))
#define CLINT_MTIMECMP(h) ((volatile uint64_t *)(CLINT_BASE + 0x4000 + 8 * (h)))
#define CLINT_MTIME       ((volatile uint64_t *)(CLINT_BASE + 0xBFF8))

/* ---- privilege levels, as in mstatus.MPP ---- */
#define PRIV_U 0
#define PRIV_S 1
#define PRIV_M 3

/* ---- mstatus / sstatus bits ---- */
#define MSTATUS_SIE   (1UL << 1)
#define MSTATUS_MIE   (1UL << 3)
#define MSTATUS_SPIE  (1UL << 5)
#define MSTATUS_MPIE  (1UL << 7)
#define MSTATUS_SPP   (1UL << 8)
#define MSTATUS_MPP   (3UL << 11)   /* bits 12:11 */
#define MSTATUS_MPRV  (1UL << 17)
#define MSTATUS_SUM   (1UL << 18)
#define MSTATUS_MXR   (1UL << 19)
#define MSTATUS_TVM   (1UL << 20)
#define MSTATUS_TW    (1UL << 21)
#define MSTATUS_TSR   (1UL << 22)

/* ---- interrupt bits in mip/mie (the bit number is the interrupt code) ---- */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define CAUSE_INTERRUPT (1UL << 63)

/* ---- Sv39 ---- */
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define SATP_SV39 (8UL << 60)
/* A PTE pointing at physical address pa (ppn in bits 53:10). */
#define PTE_PA(pa) ((((uint64_t)(pa)) >> 12) << 10)

/* ---- CSR access: the name is the assembler's CSR name ---- */
#define csr_read(csr) ({ unsigned long __v; \
        __asm__ volatile ("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) ({ unsigned long __v = (unsigned long)(val); \
        __asm__ volatile ("csrw " #csr ", %0" :: "r"(__v) : "memory"); })
#define csr_set(csr, val) ({ unsigned long __v = (unsigned long)(val); \
        __asm__ volatile ("csrs " #csr ", %0" :: "r"(__v) : "memory"); })
#define csr_clear(csr, val) ({ unsigned long __v = (unsigned long)(val); \
        __asm__ volatile ("csrc " #csr ", %0" :: "r"(__v) : "memory"); })
#define csr_swap(csr, val) ({ unsigned long __v = (unsigned long)(val); \
        __asm__ volatile ("csrrw %0, " #csr ", %0" : "+r"(__v) :: "memory"); __v; })

/* ---- output ---- */
void bare_putchar(int c);
void bare_puts(const char *s);                 /* no newline added */
int  bare_printf(const char *fmt, ...);        /* %d %i %u %x %X %ld %lu %lx %lld %llu %llx %s %c %p %%; width, '0', '-' */
int  bare_vprintf(const char *fmt, va_list ap);
#define printf bare_printf
#define puts(s) (bare_puts(s), bare_putchar('\n'))

/* ---- exit ---- */
/* Ends the whole run with this exit code (from any hart, any mode that can reach tohost). */
__attribute__((noreturn)) void bare_exit(int code);
#define exit bare_exit
/* The exit code of a run stopped by an unexpected trap. */
#define BARE_EXIT_UNEXPECTED_TRAP 99

/* ---- traps ---- */
/* mscratch and sscratch belong to the runtime: they hold the top of this hart's
   M and S trap stacks. A program that borrows one must put it back before a trap. */
/*
 * The frame that bare_mtrap_entry / bare_strap_entry save on the hart's trap
 * stack. x[2] is the interrupted sp. A handler may change any field: on return
 * the registers, epc and status (mstatus or sstatus) are written back, then
 * mret/sret. To skip a 4-byte instruction: f->epc += 4.
 */
struct bare_frame {
    unsigned long x[32];
    unsigned long epc;     /* mepc or sepc */
    unsigned long cause;   /* mcause or scause */
    unsigned long tval;    /* mtval or stval */
    unsigned long status;  /* mstatus or sstatus */
};
typedef void bare_handler(struct bare_frame *f);

/* Install h as the M-mode (S-mode) trap handler: mtvec (stvec) = the runtime's entry, direct mode.
   h == 0 restores the default, which reports "unexpected trap" and exits with BARE_EXIT_UNEXPECTED_TRAP. */
void bare_set_mtrap(bare_handler *h);
void bare_set_strap(bare_handler *h);
__attribute__((noreturn)) void bare_unexpected_trap(const char *mode, struct bare_frame *f);

/* ---- privilege ---- */
/*
 * From M-mode: run fn(arg) in privilege priv (PRIV_S or PRIV_U) through mret,
 * and return what fn returns. fn returns by an ecall with a7 == BARE_ECALL_RETURN
 * that the runtime's M-mode trap entry catches (so ecall from S/U must not be
 * delegated, and the lower mode must be able to fetch bare_lower_return).
 * stack: the lower mode's stack top, or 0 for "below the current sp".
 * bare_srun does the same from S-mode into U-mode through sret (the ecall from U
 * must then be delegated to S: medeleg bit 8, and stvec installed by bare_set_strap).
 * On return to the caller, mstatus.MIE (sstatus.SIE) is as it was at the call.
 */
#define BARE_ECALL_RETURN 0x0ba5eba11UL
long bare_mrun(int priv, long (*fn)(long), long arg, void *stack);
long bare_srun(long (*fn)(long), long arg, void *stack);

/* ---- PMP: QEMU denies S and U all memory until a PMP entry allows it ---- */
static inline void bare_pmp_allow_all(void) {
    csr_write(pmpaddr0, ~0UL);   /* NAPOT with all ones: the whole address space */
    csr_write(pmpcfg0, 0x1f);    /* A=NAPOT (3<<3) | X | W | R */
}

/* The hart this code runs on (crt0 keeps it in tp; readable in every mode). */
static inline unsigned long bare_hartid(void) {
    unsigned long id;
    __asm__ volatile ("mv %0, tp" : "=r"(id));
    return id;
}

int main(void);
void secondary_main(unsigned long hartid);   /* weak default: wfi forever */

#endif
