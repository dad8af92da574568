/* wc: count lines, words and bytes of each file or of standard input
 * (-l, -w, -c pick columns; the format is FreeBSD's). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int show_l, show_w, show_c;
static long total[3];

static int count(int fd, const char *name)
{
    char buf[4096];
    long lines = 0, words = 0, bytes = 0;
    int in_word = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        bytes += n;
        for (ssize_t i = 0; i < n; i++) {
            char ch = buf[i];
            if (ch == '\n')
                lines++;
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f') {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                words++;
            }
        }
    }
    if (n < 0) {
        fprintf(stderr, "wc: %s: %s\n", name ? name : "stdin", strerror(errno));
        return 1;
    }
    if (show_l)
        printf(" %7ld", lines);
    if (show_w)
        printf(" %7ld", words);
    if (show_c)
        printf(" %7ld", bytes);
    printf(name ? " %s\n" : "\n", name);
    total[0] += lines;
    total[1] += words;
    total[2] += bytes;
    return 0;
}

int main(int argc, char **argv)
{
    int i = 1, status = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (char *o = argv[i] + 1; *o; o++) {
            if (*o == 'l')
                show_l = 1;
            else if (*o == 'w')
                show_w = 1;
            else if (*o == 'c')
                show_c = 1;
            else {
                fprintf(stderr, "usage: wc [-clw] [file ...]\n");
                return 2;
            }
        }
    }
    if (!show_l && !show_w && !show_c)
        show_l = show_w = show_c = 1;
    if (i == argc)
        return count(0, NULL);
    int files = argc - i;
    for (; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        status |= count(fd, argv[i]);
        close(fd);
    }
    if (files > 1) {
        if (show_l)
            printf(" %7ld", total[0]);
        if (show_w)
            printf(" %7ld", total[1]);
        if (show_c)
            printf(" %7ld", total[2]);
        printf(" total\n");
    }
    return status;
}
