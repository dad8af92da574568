/* More memory than RAM: write a pattern into every page, read it all back. */
#include <stdio.h>
#include <sys/mman.h>

#define MIB (1024L * 1024)

int main(int argc, char **argv)
{
	long size = 8 * MIB;
	(void)argc; (void)argv;
	unsigned long *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	if (p == MAP_FAILED) { printf("mmap failed\n"); return 1; }
	long words = size / 8;
	for (long i = 0; i < words; i += 32)          /* 16 words a page */
		p[i] = (unsigned long)i * 2654435761UL ^ 0x5a5a;
	long bad = 0;
	for (int pass = 0; pass < 2; pass++)
		for (long i = 0; i < words; i += 32)
			bad += p[i] != ((unsigned long)i * 2654435761UL ^ 0x5a5a);
	printf("wrote and read back %ld MiB twice: %ld bad words\n", size / MIB, bad);
	return 0;
}
