/* A fork bomb: every process forks for ever. RLIMIT_NPROC (and kern.maxproc)
 * must stop it with EAGAIN; it then spins, counting its refusals. */
#include <unistd.h>

int main(void)
{
	for (;;)
		fork();
}
