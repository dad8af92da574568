/* mprotect then write, or munmap then touch: SIGSEGV, with the faulting address in si_addr. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf env;
static void *volatile fault_addr;

static void handler(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	fault_addr = si->si_addr;
	siglongjmp(env, sig);
}

static const char *try_write(volatile char *p, char v)
{
	fault_addr = (void *)-1;
	if (sigsetjmp(env, 1) == 0) {
		*p = v;
		return "no fault";
	}
	return "SIGSEGV";
}

static const char *try_read(volatile char *p)
{
	fault_addr = (void *)-1;
	if (sigsetjmp(env, 1) == 0) {
		(void)*p;
		return "no fault";
	}
	return "SIGSEGV";
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, 0);

	char *p = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	p[0] = 'a'; p[4096] = 'b'; p[8192] = 'c';
	printf("mprotect middle page read-only: %d\n", mprotect(p + 4096, 4096, PROT_READ));
	printf("write to page 0: %s\n", try_write(p + 10, 'x'));
	printf("write to page 1: %s", try_write(p + 4096 + 100, 'x'));
	printf(" at offset %ld\n", (long)((char *)fault_addr - p));
	const char *r = try_read(p + 4096);
	printf("read page 1: %s, value %c\n", r, p[4096]);
	printf("write to page 2: %s\n", try_write(p + 8192 + 5, 'x'));
	printf("mprotect back to read-write: %d\n", mprotect(p + 4096, 4096, PROT_READ | PROT_WRITE));
	r = try_write(p + 4096 + 100, 'y');
	printf("write to page 1: %s, value %c\n", r, p[4096 + 100]);
	printf("mprotect all PROT_NONE: %d\n", mprotect(p, 3 * 4096, PROT_NONE));
	printf("read page 2: %s", try_read(p + 8192 + 7));
	printf(" at offset %ld\n", (long)((char *)fault_addr - p));
	int rc = mprotect(p, 3 * 4096, PROT_READ | PROT_WRITE);
	printf("mprotect all read-write: %d, page 2 kept %c\n", rc, p[8192]);
	printf("munmap middle page: %d\n", munmap(p + 4096, 4096));
	printf("read page 1: %s", try_read(p + 4096 + 1));
	printf(" at offset %ld\n", (long)((char *)fault_addr - p));
	printf("pages 0 and 2 still there: %c %c\n", p[0], p[8192]);
	printf("NULL read: %s", try_read((char *)0));
	printf(", si_addr is NULL: %s\n", fault_addr == 0 ? "yes" : "no");
	return 0;
}
