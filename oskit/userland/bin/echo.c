/* echo: print the arguments, separated by blanks, and a newline (none with -n). */
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int newline = 1, i = 1;
    if (argc > 1 && !strcmp(argv[1], "-n")) {
        newline = 0;
        i = 2;
    }
    /* Build the whole line first: one write, so a pipe gets it in one piece. */
    char line[4096];
    size_t len = 0;
    for (; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (len + n + 2 > sizeof line)
            n = sizeof line - len - 2;
        memcpy(line + len, argv[i], n);
        len += n;
        if (i + 1 < argc)
            line[len++] = ' ';
    }
    if (newline)
        line[len++] = '\n';
    return write(1, line, len) == (ssize_t)len ? 0 : 1;
}
