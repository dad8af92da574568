/* getcontext returns 0 each time; setcontext on its context makes it return
 * again (0 again), with the stack and the callee-saved state of that moment:
 * only volatile memory remembers how often. */
#include <stdio.h>
#include <ucontext.h>

int main(void)
{
	ucontext_t uc;
	volatile int passes = 0;
	int r = getcontext(&uc);
	passes++;
	printf("getcontext returned %d, pass %d\n", r, passes);
	if (passes < 3) {
		setcontext(&uc);
		printf("setcontext returned: not reached\n");
	}
	printf("done after %d passes\n", passes);
	return 0;
}
