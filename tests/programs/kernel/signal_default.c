/* Default actions: faults kill with SIGSEGV/SIGILL/SIGBUS-like signals, SIGTERM kills,
 * SIGCHLD is ignored; SIG_IGN makes a process survive SIGTERM; a caught SIGSEGV
 * handler runs with the faulting address. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

static void child_status(const char *what, void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("%-28s killed by %s\n", what, signame(WTERMSIG(status)));
	else
		printf("%-28s exited %d\n", what, WEXITSTATUS(status));
}

static void null_store(void) { *(volatile int *)0 = 1; }
static void null_load(void) { printf("%d\n", *(volatile int *)8); }
static void bad_instruction(void) { __builtin_trap(); }
static void term_self(void) { kill(getpid(), SIGTERM); }
static void chld_self(void) { kill(getpid(), SIGCHLD); }
static void ignore_term(void) { signal(SIGTERM, SIG_IGN); kill(getpid(), SIGTERM); }
static void abort_self(void) { abort(); }

static volatile void *fault_addr;
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	fault_addr = si->si_addr;
	printf("SIGSEGV handler: fault address %p\n", (void *)fault_addr);
	fflush(stdout);
	_exit(3);
}
static void caught_segv(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, 0);
	*(volatile int *)0x40 = 1;
}

int main(void)
{
	child_status("store through NULL:", null_store);
	child_status("load from address 8:", null_load);
	child_status("illegal instruction:", bad_instruction);
	child_status("kill(self, SIGTERM):", term_self);
	child_status("kill(self, SIGCHLD):", chld_self);
	child_status("SIGTERM ignored:", ignore_term);
	child_status("abort():", abort_self);
	child_status("caught SIGSEGV:", caught_segv);
	return 0;
}
