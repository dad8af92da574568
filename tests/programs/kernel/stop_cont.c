/* Stop signals stop a process (its parent sees WIFSTOPPED with WUNTRACED), SIGCONT
 * lets it go on, SIGKILL ends even a stopped process; a caught SIGTSTP does not stop. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

static volatile int tstp;
static void on_tstp(int sig) { (void)sig; tstp++; }

int main(void)
{
	int fds[2];
	pipe(fds);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_tstp;
		sigaction(SIGTSTP, &sa, 0);
		write(fds[1], "r", 1);
		volatile unsigned long n = 0;
		for (;;) {
			n++;
			if (tstp == 1) {
				tstp = 2;
				write(fds[1], "t", 1);	/* the handler ran; we were not stopped */
			}
		}
	}
	char c;
	read(fds[0], &c, 1);		/* the child runs */
	int status;
	kill(pid, SIGSTOP);
	pid_t w = waitpid(pid, &status, WUNTRACED);
	printf("after SIGSTOP: waitpid %s, stopped: %s, by %s\n", w == pid ? "ok" : "failed",
	       WIFSTOPPED(status) ? "yes" : "no", signame(WSTOPSIG(status)));
	w = waitpid(pid, &status, WNOHANG | WUNTRACED);
	printf("a stop is reported once: waitpid returns %d\n", (int)w);
	kill(pid, SIGCONT);
	kill(pid, SIGTSTP);
	read(fds[0], &c, 1);
	printf("caught SIGTSTP after SIGCONT: handler ran, child reports '%c'\n", c);
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	printf("stopped again: %s\n", WIFSTOPPED(status) ? "yes" : "no");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	printf("SIGKILL while stopped: %s\n", WIFSIGNALED(status) ? signame(WTERMSIG(status)) : "not killed");
	return 0;
}
