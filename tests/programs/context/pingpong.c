/* Two coroutines made with makecontext take turns through swapcontext; when the
 * second one's function returns, uc_link brings main back; its arguments
 * arrive in order. */
#include <stdio.h>
#include <ucontext.h>

static ucontext_t main_uc, ping_uc, pong_uc;
static char ping_stack[16384], pong_stack[16384];
static int log_[32], nlog;

static void ping(int rounds, int tag)
{
	for (int i = 0; i < rounds; i++) {
		printf("ping %d (tag %d)\n", i, tag);
		log_[nlog++] = 100 + i;
		swapcontext(&ping_uc, &pong_uc);
	}
	printf("ping done\n");
}

static void pong(int rounds, int a, int b, int c)
{
	for (int i = 0; i < rounds; i++) {
		printf("pong %d (args %d %d %d)\n", i, a, b, c);
		log_[nlog++] = 200 + i;
		swapcontext(&pong_uc, &ping_uc);
	}
	printf("pong done\n");
}

int main(void)
{
	getcontext(&ping_uc);
	ping_uc.uc_stack.ss_sp = ping_stack;
	ping_uc.uc_stack.ss_size = sizeof ping_stack;
	ping_uc.uc_link = &pong_uc;           /* ping ends: pong has its last word */
	makecontext(&ping_uc, (void (*)(void))ping, 2, 3, 7);

	getcontext(&pong_uc);
	pong_uc.uc_stack.ss_sp = pong_stack;
	pong_uc.uc_stack.ss_size = sizeof pong_stack;
	pong_uc.uc_link = &main_uc;           /* pong ends: back to main */
	makecontext(&pong_uc, (void (*)(void))pong, 4, 3, -1, 2, 30000);

	printf("main: swapcontext -> ping\n");
	if (swapcontext(&main_uc, &ping_uc) != 0)
		printf("swapcontext failed\n");
	printf("main: back, %d turns:", nlog);
	for (int i = 0; i < nlog; i++)
		printf(" %d", log_[i]);
	printf("\n");
	return 0;
}
