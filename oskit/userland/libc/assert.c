/* assert.c: what a failed assert() prints, in FreeBSD's words, before abort(). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

void __assert(const char *func, const char *file, int line, const char *expr)
{
    if (func == NULL)
        fprintf(stderr, "Assertion failed: (%s), file %s, line %d.\n", expr, file, line);
    else
        fprintf(stderr, "Assertion failed: (%s), function %s, file %s, line %d.\n",
                expr, func, file, line);
    abort();
}
