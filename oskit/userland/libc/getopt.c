/*
 * getopt.c: parse command-line options ("-a", "-b value", "-abvalue", "--"
 * ends them), POSIX style: options stop at the first argument that is not
 * one. Errors print "prog: illegal option -- x" (FreeBSD's words) unless
 * opterr is 0 or optstring starts with ':'.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt, optreset;

extern const char *__progname;

int getopt(int argc, char *const argv[], const char *optstring)
{
    static const char *next;            /* the rest of a bundle like "-abc" */
    int quiet = optstring[0] == ':';

    if (optreset || optind == 0) {
        optreset = 0;
        next = NULL;
        if (optind == 0)
            optind = 1;
    }
    optarg = NULL;
    if (next == NULL || *next == '\0') {
        if (optind >= argc || argv[optind][0] != '-' || argv[optind][1] == '\0')
            return -1;                  /* no more options ("-" alone is an argument) */
        if (strcmp(argv[optind], "--") == 0) {
            optind++;
            return -1;
        }
        next = argv[optind] + 1;
    }
    optopt = (unsigned char)*next++;
    const char *spec = optopt != ':' ? strchr(optstring + quiet, optopt) : NULL;
    if (spec == NULL) {
        if (*next == '\0')
            optind++;
        if (opterr && !quiet)
            fprintf(stderr, "%s: illegal option -- %c\n", __progname, optopt);
        return '?';
    }
    if (spec[1] == ':') {               /* takes a value: the rest of this word, or the next word */
        if (*next != '\0') {
            optarg = (char *)next;
            optind++;
        } else if (optind + 1 < argc) {
            optarg = argv[optind + 1];
            optind += 2;
        } else {
            optind++;
            next = NULL;
            if (quiet)
                return ':';
            if (opterr)
                fprintf(stderr, "%s: option requires an argument -- %c\n", __progname, optopt);
            return '?';
        }
        next = NULL;
    } else if (*next == '\0') {
        optind++;
    }
    return optopt;
}
