/* hello: the bare runtime's printf and exit code (main's return value). */
#include "bare.h"

int main(void) {
    printf("hello from hart %lu\n", bare_hartid());
    printf("d=%d u=%u x=%x X=%X\n", -42, 4000000000u, 0xbeef, 0xbeef);
    printf("ld=%ld lu=%lu lx=%lx\n", -9000000000L, 18446744073709551615UL, 0xfedcba9876543210UL);
    printf("width=[%5d] zero=[%08x] left=[%-4s] char=%c pct=%% p=%p\n", 42, 0xabc, "ab", 'z',
           (void *)0x80000000UL);
    printf("neg zero-pad=[%06d] str=[%s]\n", -42, "done");
    return 7;
}
