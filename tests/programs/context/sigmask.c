/* The signal mask is part of a context: a coroutine that blocks SIGUSR1 does
 * not block it for main once main is resumed, and resuming the coroutine
 * brings its mask back. A signal sent while blocked waits for the unblocking
 * context. */
#include <signal.h>
#include <stdio.h>
#include <ucontext.h>
#include <unistd.h>

static ucontext_t main_uc, co_uc;
static char co_stack[16384];
static volatile int caught;

static void handler(int sig) { (void)sig; caught++; }

static int blocked(void)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, SIGUSR1);
}

static void co(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("co: blocked SIGUSR1: %d\n", blocked());
	kill(getpid(), SIGUSR1);
	printf("co: sent SIGUSR1, caught %d\n", caught);
	swapcontext(&co_uc, &main_uc);
	printf("co: resumed, blocked %d, caught %d\n", blocked(), caught);
}

int main(void)
{
	signal(SIGUSR1, handler);
	printf("main: blocked %d\n", blocked());
	getcontext(&co_uc);
	co_uc.uc_stack.ss_sp = co_stack;
	co_uc.uc_stack.ss_size = sizeof co_stack;
	co_uc.uc_link = &main_uc;
	makecontext(&co_uc, co, 0);
	swapcontext(&main_uc, &co_uc);
	printf("main: back, blocked %d, caught %d\n", blocked(), caught);
	swapcontext(&main_uc, &co_uc);
	printf("main: end, blocked %d, caught %d\n", blocked(), caught);
	return 0;
}
