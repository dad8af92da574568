/* MAP_SHARED writes are seen across fork; MAP_PRIVATE (and ordinary memory) is copy-on-write. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int global = 1;

int main(void)
{
	int *shared = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON, -1, 0);
	int *private = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	char *heap = malloc(64 * 1024);
	memset(heap, 'p', 64 * 1024);
	*shared = 1;
	*private = 1;
	pid_t pid = fork();
	if (pid == 0) {
		*shared = 2;
		*private = 2;
		global = 2;
		memset(heap, 'c', 64 * 1024);
		printf("child sees shared=%d private=%d global=%d heap=%c\n", *shared, *private, global, heap[40000]);
		fflush(stdout);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("parent sees shared=%d private=%d global=%d heap=%c\n", *shared, *private, global, heap[40000]);
	int same = 1;
	for (int i = 0; i < 64 * 1024; i++)
		same &= heap[i] == 'p';
	printf("parent heap unchanged: %s\n", same ? "yes" : "no");
	/* a second child after the first is gone: copy-on-write still holds */
	pid = fork();
	if (pid == 0) {
		heap[0] = 'x';
		_exit(heap[0] == 'x' ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	heap[1] = 'y';
	printf("second child ok: %s, parent heap[0]=%c heap[1]=%c\n",
	       WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no", heap[0], heap[1]);
	/* the kernel writes into copy-on-write memory too (copyout): read() in a child copies first */
	pid = fork();
	if (pid == 0) {
		int z = open("/dev/zero", O_RDONLY);
		ssize_t n = read(z, heap + 8192, 4096);
		_exit(n == 4096 && heap[8192] == 0 && heap[12287] == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	printf("child's read() into copy-on-write memory: %s; parent still has %c%c\n",
	       WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "zeros" : "wrong", heap[8192], heap[12287]);
	return 0;
}
