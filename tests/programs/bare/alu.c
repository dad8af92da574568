/*
 * alu: RV64I integer instructions at their edges, each run as one instruction
 * through inline assembly (C would call most of these cases undefined).
 * Shift amounts use only their low 6 bits (5 for the W forms); W forms compute
 * on 32 bits and sign-extend the result to 64.
 */
#include "bare.h"

#define R(op, a, b) ({ unsigned long __r; \
    __asm__ volatile (op " %0, %1, %2" : "=r"(__r) : "r"((unsigned long)(a)), "r"((unsigned long)(b))); __r; })
#define I(op, a, imm) ({ unsigned long __r; \
    __asm__ volatile (op " %0, %1, " #imm : "=r"(__r) : "r"((unsigned long)(a))); __r; })

static void show(const char *what, unsigned long got) {
    printf("%-28s %016lx\n", what, got);
}

int main(void) {
    /* add/sub wrap around */
    show("add max+1", R("add", 0x7fffffffffffffffUL, 1));
    show("sub 0-1", R("sub", 0, 1));
    /* shifts: register amounts are masked to 6 bits */
    show("sll 1<<65 (=1<<1)", R("sll", 1, 65));
    show("srl -1>>64 (=>>0)", R("srl", -1L, 64));
    show("sra min>>63", R("sra", 0x8000000000000000UL, 63));
    show("srl min>>63", R("srl", 0x8000000000000000UL, 63));
    show("srai -16>>2", I("srai", -16L, 2));
    /* W forms: 32-bit result, sign-extended */
    show("addw 0x7fffffff+1", R("addw", 0x7fffffff, 1));
    show("addw ignores upper bits", R("addw", 0x1234567800000001UL, 0xff00000000000001UL));
    show("subw 0-1", R("subw", 0, 1));
    show("sllw 1<<31", R("sllw", 1, 31));
    show("sllw 1<<33 (=1<<1)", R("sllw", 1, 33));
    show("srlw 0x80000000>>0", R("srlw", 0x80000000UL, 0));
    show("srlw 0x80000000>>1", R("srlw", 0x80000000UL, 1));
    show("sraw 0x80000000>>4", R("sraw", 0x80000000UL, 4));
    show("sraiw 0xf0000000>>28", I("sraiw", 0xf0000000UL, 28));
    show("srliw 0xf0000000>>28", I("srliw", 0xf0000000UL, 28));
    show("slliw 3<<30", I("slliw", 3, 30));
    show("addiw 0x7fffffff+1", I("addiw", 0x7fffffffUL, 1));
    show("addiw -1 (sext.w)", I("addiw", 0xffffffffUL, 0));
    /* comparisons */
    show("slt -1<1", R("slt", -1L, 1));
    show("sltu -1<1", R("sltu", -1L, 1));
    show("slti -5<-4", I("slti", -5L, -4));
    show("sltiu 0<-1 (imm sext)", I("sltiu", 0, -1));
    show("sltu x0<1 (snez)", R("sltu", 0, 1));
    /* logic with sign-extended 12-bit immediates */
    show("xori x,-1 (not)", I("xori", 0x00ff00ff00ff00ffUL, -1));
    show("andi x,-2048", I("andi", -1L, -2048));
    show("ori 0,0x7ff", I("ori", 0, 0x7ff));
    /* lui sign-extends bit 31 */
    unsigned long v;
    __asm__ volatile ("lui %0, 0x80000" : "=r"(v));
    show("lui 0x80000", v);
    __asm__ volatile ("lui %0, 0x7ffff" : "=r"(v));
    show("lui 0x7ffff", v);
    /* auipc: pc-relative; the difference of two is the distance */
    unsigned long a, b;
    __asm__ volatile ("auipc %0, 0\n\tauipc %1, 1" : "=r"(a), "=r"(b));
    show("auipc 1 - auipc 0", b - a);
    /* loads sign- or zero-extend */
    static volatile unsigned long word = 0x80ff7f8081828384UL;
    unsigned long base = (unsigned long)&word;
    __asm__ volatile ("lb %0, 0(%1)" : "=r"(v) : "r"(base)); show("lb 0x84", v);
    __asm__ volatile ("lbu %0, 0(%1)" : "=r"(v) : "r"(base)); show("lbu 0x84", v);
    __asm__ volatile ("lh %0, 2(%1)" : "=r"(v) : "r"(base)); show("lh 0x8182", v);
    __asm__ volatile ("lhu %0, 2(%1)" : "=r"(v) : "r"(base)); show("lhu 0x8182", v);
    __asm__ volatile ("lw %0, 4(%1)" : "=r"(v) : "r"(base)); show("lw 0x80ff7f80", v);
    __asm__ volatile ("lwu %0, 4(%1)" : "=r"(v) : "r"(base)); show("lwu 0x80ff7f80", v);
    /* stores write only their width */
    __asm__ volatile ("sb %1, 1(%0)\n\tsh %1, 4(%0)" :: "r"(base), "r"(0x1122334455667788UL) : "memory");
    show("after sb@1 sh@4", word);
    /* x0 ignores writes */
    __asm__ volatile ("addi x0, x0, 5\n\tmv %0, x0" : "=r"(v));
    show("x0 after addi x0", v);
    /* jal/jalr: the link register gets pc+4, jalr clears bit 0 of the target */
    __asm__ volatile (
        "la t0, 1f\n\t"
        "addi t0, t0, 1\n\t"         /* odd target: jalr clears bit 0 */
        "jalr t1, 0(t0)\n\t"
        "li %0, 0\n\t"
        "j 2f\n"
        "1: li %0, 1\n"
        "2:" : "=r"(v) :: "t0", "t1");
    show("jalr to odd target", v);
    return 0;
}
