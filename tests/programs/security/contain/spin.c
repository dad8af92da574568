/* An infinite loop that never makes a system call. It sets RLIMIT_CPU to
 * 1 s soft, 2 s hard and catches SIGXCPU: the kernel warns it at the soft
 * limit and kills it (SIGKILL, which cannot be caught) at the hard one. */
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

static void on_xcpu(int signo)
{
	(void)signo;
	write(1, "spin: SIGXCPU\n", 14);
}

int main(void)
{
	struct rlimit rl = {1, 2};
	signal(SIGXCPU, on_xcpu);
	setrlimit(RLIMIT_CPU, &rl);
	write(1, "spin: spinning\n", 15);
	for (;;)
		;
}
