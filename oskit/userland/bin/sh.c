/*
 * sh: a small UNIX shell, made of the system calls this book is about.
 *
 *   $ echo hello | cat > /tmp/x        fork, pipe, dup2, open, execve, wait4
 *   $ cat < /tmp/x                     the child's stdin is the file
 *   $ cd /tmp                          a builtin: chdir in the shell itself
 *   $ exit 3
 *
 * The loop: print a prompt (when the input is a terminal), read a line, split
 * it into words, cut the words into commands at each '|', then for every
 * command fork a child that wires its standard input and output (the pipe
 * to its neighbours, then '<' and '>' files) with dup2 and calls execve. The
 * shell closes its copies of the pipes -- or no reader would ever see end of
 * file -- and waits for every child.
 *
 * Words: separated by blanks; '...' and "..." quote; '|', '<', '>' and '>>'
 * are operators even without blanks around them; '#' starts a comment.
 * A command name without '/' is looked up in /bin.
 *
 * Usage: sh              read commands from standard input
 *        sh -c 'LINE'    run one line
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;      /* the environment, passed on to every command */

#define MAXLINE 1024        /* longest input line */
#define MAXWORDS 128        /* words in one line */
#define MAXCMDS 16          /* commands in one pipeline */

struct cmd {
    char *argv[MAXWORDS + 1];   /* NULL-terminated */
    int argc;
    char *in;                   /* < file, or NULL */
    char *out;                  /* > file (or >> file), or NULL */
    int append;                 /* 1 for >> */
};

static int last_status;         /* exit status of the last pipeline, for "exit" */

static void say(const char *a, const char *b, const char *c)
{
    /* One write per message: lines from several processes never mix. */
    char msg[300];
    snprintf(msg, sizeof msg, "%s%s%s\n", a, b, c);
    write(2, msg, strlen(msg));
}

/* Split line into words in place; operators become words of their own.
 * Returns the number of words, or -1 (with a message) on a syntax error. */
static int split(char *line, char **words, char *store)
{
    int n = 0;
    char *p = line;
    char *out = store;          /* words are rebuilt here without their quotes */
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p == 0 || *p == '#')
            return n;
        if (n == MAXWORDS) {
            say("sh: ", "too many words", "");
            return -1;
        }
        words[n++] = out;
        if (*p == '|' || *p == '<' || *p == '>') {
            *out++ = *p++;
            if (p[-1] == '>' && *p == '>')
                *out++ = *p++;
            *out++ = 0;
            continue;
        }
        while (*p && !strchr(" \t\r\n|<>", *p)) {
            if (*p == '\'' || *p == '"') {
                char q = *p++;
                while (*p && *p != q)
                    *out++ = *p++;
                if (*p != q) {
                    say("sh: ", "unterminated quote", "");
                    return -1;
                }
                p++;
            } else {
                *out++ = *p++;
            }
        }
        *out++ = 0;
    }
}

static int is_op(const char *w)
{
    return !strcmp(w, "|") || !strcmp(w, "<") || !strcmp(w, ">") || !strcmp(w, ">>");
}

/* Cut words into commands at '|' and pick out redirections.
 * Returns the number of commands (0 for an empty line), -1 on a syntax error. */
static int parse(char **words, int nwords, struct cmd *cmds)
{
    int ncmds = 0;
    struct cmd *c = NULL;
    for (int i = 0; i < nwords; i++) {
        char *w = words[i];
        if (c == NULL) {
            if (ncmds == MAXCMDS) {
                say("sh: ", "too many commands in a pipeline", "");
                return -1;
            }
            c = &cmds[ncmds++];
            memset(c, 0, sizeof *c);
        }
        if (!strcmp(w, "|")) {
            if (c->argc == 0) {
                say("sh: ", "syntax error near '|'", "");
                return -1;
            }
            c = NULL;
        } else if (!strcmp(w, "<") || !strcmp(w, ">") || !strcmp(w, ">>")) {
            if (i + 1 == nwords || is_op(words[i + 1])) {
                say("sh: ", "syntax error: a file name must follow ", w);
                return -1;
            }
            if (w[0] == '<') {
                c->in = words[++i];
            } else {
                c->out = words[++i];
                c->append = w[1] == '>';
            }
        } else {
            c->argv[c->argc++] = w;
        }
    }
    if (ncmds > 0 && (c == NULL || c->argc == 0)) {
        say("sh: ", "syntax error: missing command", "");
        return -1;
    }
    return ncmds;
}

/* In the child: stdin/stdout from the redirections, then become the program. */
static void run_child(struct cmd *c)
{
    if (c->in) {
        int fd = open(c->in, O_RDONLY);
        if (fd < 0) {
            say(c->in, ": ", strerror(errno));
            _exit(1);
        }
        dup2(fd, 0);
        close(fd);
    }
    if (c->out) {
        int flags = O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC);
        int fd = open(c->out, flags, 0666);
        if (fd < 0) {
            say(c->out, ": ", strerror(errno));
            _exit(1);
        }
        dup2(fd, 1);
        close(fd);
    }
    char path[MAXLINE];
    const char *name = c->argv[0];
    if (strchr(name, '/'))
        snprintf(path, sizeof path, "%s", name);
    else
        snprintf(path, sizeof path, "/bin/%s", name);
    execve(path, c->argv, environ);
    /* Only a failed execve comes back. */
    if (errno == ENOENT) {
        say(name, ": not found", "");
        _exit(127);
    }
    say(name, ": ", strerror(errno));
    _exit(126);
}

/* Builtins change the shell itself, so they cannot run in a child. */
static int builtin(struct cmd *c)
{
    if (!strcmp(c->argv[0], "cd")) {
        const char *dir = c->argc > 1 ? c->argv[1] : "/";
        if (chdir(dir) < 0) {
            char msg[MAXLINE];
            snprintf(msg, sizeof msg, "%s: %s", dir, strerror(errno));
            say("cd: ", msg, "");
            last_status = 1;
        } else {
            last_status = 0;
        }
        return 1;
    }
    if (!strcmp(c->argv[0], "exit"))
        exit(c->argc > 1 ? atoi(c->argv[1]) : last_status);
    return 0;
}

static void report(struct cmd *c, int status)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig != SIGINT && sig != SIGPIPE)        /* as other shells: those are expected */
            say(c->argv[0], ": ", strsignal(sig));
    }
}

static void run_line(char *line)
{
    static char store[2 * MAXLINE];
    char *words[MAXWORDS];
    struct cmd cmds[MAXCMDS];
    int nwords = split(line, words, store);
    int ncmds = nwords < 0 ? -1 : parse(words, nwords, cmds);
    if (ncmds < 0) {
        last_status = 2;
        return;
    }
    if (ncmds == 0)
        return;
    if (ncmds == 1 && builtin(&cmds[0]))
        return;

    pid_t pids[MAXCMDS];
    int started = 0;                /* children forked so far */
    int prev_read = -1;             /* read end of the pipe from the previous command */
    for (int i = 0; i < ncmds; i++) {
        int fds[2] = {-1, -1};
        if (i + 1 < ncmds && pipe(fds) < 0) {
            say("sh: pipe: ", strerror(errno), "");
            break;
        }
        pid_t pid = fork();
        if (pid < 0) {
            say("sh: fork: ", strerror(errno), "");
            break;
        }
        if (pid == 0) {
            if (prev_read >= 0) {   /* stdin from the previous command */
                dup2(prev_read, 0);
                close(prev_read);
            }
            if (fds[1] >= 0) {      /* stdout into the next one */
                dup2(fds[1], 1);
                close(fds[1]);
                close(fds[0]);
            }
            run_child(&cmds[i]);
        }
        pids[started++] = pid;
        /* The shell keeps no pipe ends: a reader sees EOF only when every
         * write end is closed, the shell's copies included. */
        if (prev_read >= 0)
            close(prev_read);
        if (fds[1] >= 0)
            close(fds[1]);
        prev_read = fds[0];
    }
    if (prev_read >= 0)
        close(prev_read);
    for (int i = 0; i < started; i++) {
        int status = 0;
        if (waitpid(pids[i], &status, 0) < 0)
            continue;
        report(&cmds[i], status);
        if (i == started - 1)
            last_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
}

/* Read one line from fd 0 into line (without the newline); 0 at end of input. */
static int read_line(char *line, int size)
{
    static char buf[MAXLINE];
    static int have, pos;
    int n = 0;
    for (;;) {
        if (pos == have) {
            have = read(0, buf, sizeof buf);
            pos = 0;
            if (have <= 0) {
                have = 0;
                line[n] = 0;
                return n > 0;
            }
        }
        char ch = buf[pos++];
        if (ch == '\n') {
            line[n] = 0;
            return 1;
        }
        if (n < size - 1)
            line[n++] = ch;
    }
}

int main(int argc, char **argv)
{
    char line[MAXLINE];
    signal(SIGPIPE, SIG_DFL);
    if (argc == 3 && !strcmp(argv[1], "-c")) {
        snprintf(line, sizeof line, "%s", argv[2]);
        run_line(line);
        return last_status;
    }
    if (argc != 1) {
        say("usage: sh [-c command]", "", "");
        return 2;
    }
    int interactive = isatty(0);
    for (;;) {
        if (interactive)
            write(1, "$ ", 2);
        if (!read_line(line, sizeof line))
            break;
        run_line(line);
    }
    if (interactive)
        write(1, "\n", 1);
    return last_status;
}
