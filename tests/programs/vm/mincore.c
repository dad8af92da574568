/* mincore shows which pages are resident: none before touching, the touched ones after. */
#include <stdio.h>
#include <sys/mman.h>

static void show(const char *when, char *p, int n)
{
	unsigned char vec[8];
	if (mincore(p, n * 4096, (void *)vec) != 0) { printf("mincore failed\n"); return; }
	printf("%s:", when);
	for (int i = 0; i < n; i++)
		printf(" %s", vec[i] & 1 ? "in" : "out");
	printf("\n");
}

int main(void)
{
	char *p = mmap(0, 6 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	show("fresh", p, 6);
	p[0] = 1;
	p[2 * 4096 + 17] = 1;
	p[5 * 4096 + 4095] = 1;
	show("touched 0, 2, 5", p, 6);
	munmap(p + 2 * 4096, 4096);
	show("after munmap of page 2, pages 0-1", p, 2);
	show("pages 3-5", p + 3 * 4096, 3);
	return 0;
}
