/* makecontext passes up to eight integer arguments (a0..a7), negative ones and
 * pointers included; a function whose context has no uc_link ends the process
 * with exit(0) when it returns (stdio is flushed, atexit handlers run). */
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

static ucontext_t main_uc, uc;
static char stack[16384];
static int back;

static void bye(void) { printf("atexit: main came back %d time(s)\n", back); }

static void eight(int a, int b, int c, int d, int e, int f, int g, int h)
{
	printf("eight: %d %d %d %d %d %d %d %d\n", a, b, c, d, e, f, g, h);
	back++;
	swapcontext(&uc, &main_uc);
	printf("eight: resumed, returning with no uc_link\n");
}

int main(void)
{
	atexit(bye);
	getcontext(&uc);
	uc.uc_stack.ss_sp = stack;
	uc.uc_stack.ss_size = sizeof stack;
	uc.uc_link = NULL;
	makecontext(&uc, (void (*)(void))eight, 8, 1, -2, 3, -4, 5, -6, 7, 2147483647);
	swapcontext(&main_uc, &uc);
	printf("main: back once\n");
	swapcontext(&main_uc, &uc);
	printf("main: not reached\n");
	return 3;
}
