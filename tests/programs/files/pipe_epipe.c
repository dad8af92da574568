/* Writing to a pipe nobody can read: SIGPIPE, and EPIPE if the signal does
 * not end the writer. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

static volatile sig_atomic_t caught;

static void on_sigpipe(int sig)
{
    caught = sig;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fds[2];

    /* Default action: the writer dies of SIGPIPE. The child waits on a
     * second pipe until the parent has closed the read end (on two cores it
     * could otherwise write while a reader still exists). */
    int go[2];
    pipe(fds);
    pipe(go);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(fds[0]);
        close(go[1]);
        read(go[0], &c, 1);     /* returns 0 once the parent closed go[1] */
        write(fds[1], "x", 1);
        printf("child: still alive (wrong)\n");
        _exit(0);
    }
    close(fds[0]);
    close(fds[1]);
    close(go[0]);
    close(go[1]);               /* now no reader is left: let the child write */
    int status;
    waitpid(pid, &status, 0);
    printf("child killed by signal: %d, SIGPIPE: %d\n",
           WIFSIGNALED(status), WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);

    /* Ignored: write fails with EPIPE. */
    signal(SIGPIPE, SIG_IGN);
    pipe(fds);
    close(fds[0]);
    SHOW("write, SIGPIPE ignored", write(fds[1], "x", 1));
    close(fds[1]);

    /* Caught: the handler runs, then write fails with EPIPE. */
    struct sigaction sa;
    sa.sa_handler = on_sigpipe;
    sa.sa_flags = 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL);
    pipe(fds);
    close(fds[0]);
    SHOW("write, SIGPIPE caught", write(fds[1], "x", 1));
    printf("handler saw SIGPIPE: %d\n", caught == SIGPIPE);
    return 0;
}
