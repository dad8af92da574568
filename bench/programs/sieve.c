/* A compute-bound program for bench/mips.py: count the primes below N with the
 * sieve of Eratosthenes, ROUNDS times. Loads, stores, branches and adds: the
 * mix of an ordinary C loop. It runs bare-metal (exit code = count % 256) and
 * as a user process on the kernel (the same source; main() is all it has). */
#ifndef N
#define N 20000
#endif
#ifndef ROUNDS
#define ROUNDS 3
#endif

static unsigned char composite[N];

int main(void) {
    int count = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < N; i++) composite[i] = 0;
        count = 0;
        for (int i = 2; i < N; i++) {
            if (composite[i]) continue;
            count++;
            for (int j = i + i; j < N; j += i) composite[j] = 1;
        }
    }
    return count % 256;   /* 2262 primes below 20000: exit code 214 */
}
