/* Writes of at most PIPE_BUF bytes to a pipe are atomic: when several
 * writers share a pipe, each such write arrives in one piece, never mixed
 * with another writer's bytes. Two children write 100 records each. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RECORD 300          /* <= PIPE_BUF (512 on FreeBSD, 4096 on Linux); not a divisor of the buffer size */
#define COUNT 100

static void writer(int fd, char tag)
{
    char rec[RECORD];
    memset(rec, tag, sizeof rec);
    for (int i = 0; i < COUNT; i++)
        write(fd, rec, sizeof rec);
    _exit(0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("PIPE_BUF >= %d: %d\n", RECORD, PIPE_BUF >= RECORD);
    int fds[2];
    pipe(fds);
    if (fork() == 0)
        writer(fds[1], 'a');
    if (fork() == 0)
        writer(fds[1], 'b');
    close(fds[1]);

    /* Read exactly one record at a time and check it is all one letter. */
    char rec[RECORD];
    int records = 0, mixed = 0, per[2] = {0, 0};
    for (;;) {
        size_t got = 0;
        ssize_t n = 0;
        while (got < RECORD && (n = read(fds[0], rec + got, RECORD - got)) > 0)
            got += n;
        if (got < RECORD)
            break;
        records++;
        for (int i = 1; i < RECORD; i++)
            if (rec[i] != rec[0]) {
                mixed++;
                break;
            }
        per[rec[0] == 'b']++;
    }
    wait(NULL);
    wait(NULL);
    printf("records: %d (a: %d, b: %d), mixed: %d\n", records, per[0], per[1], mixed);
    return 0;
}
