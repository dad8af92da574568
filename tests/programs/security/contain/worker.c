/* The bystander: a process that does some work and a few system calls, and
 * must finish while a misbehaving process is being contained. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	unsigned long sum = 0;
	for (int round = 0; round < 20; round++) {
		for (unsigned long i = 0; i < 500; i++)
			sum += i ^ round;
		getpid();
	}
	printf("worker: done, sum %lu\n", sum);
	return 0;
}
