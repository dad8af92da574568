/* First touch of fresh anonymous pages is a minor fault each; a second touch is free. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define NPAGES 64

static long minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

int main(void)
{
	long pg = 4096;
	char *p = mmap(0, NPAGES * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	if (p == MAP_FAILED) { printf("mmap failed\n"); return 1; }
	long before = minflt();
	for (int i = 0; i < NPAGES; i++)
		p[i * pg] = (char)i;
	long first = minflt() - before;
	before = minflt();
	for (int i = 0; i < NPAGES; i++)
		p[i * pg + 1] = (char)i;
	long second = minflt() - before;
	printf("first touch of %d pages: at least %d minor faults: %s\n", NPAGES, NPAGES,
	       first >= NPAGES ? "yes" : "no");
	printf("second touch: far fewer: %s\n", second < NPAGES / 4 ? "yes" : "no");
	int ok = 1;
	for (int i = 0; i < NPAGES; i++)
		ok &= p[i * pg] == (char)i && p[i * pg + 1] == (char)i;
	printf("contents kept: %s\n", ok ? "yes" : "no");
	printf("munmap: %d\n", munmap(p, NPAGES * pg));
	return 0;
}
