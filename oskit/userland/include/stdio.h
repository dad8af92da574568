/*
 * stdio.h: buffered streams over file descriptors.
 *
 * Buffering as on UNIX: stdout is line-buffered when it is a terminal and
 * fully buffered otherwise (into a pipe or a file: written when the buffer
 * fills, at fflush, or at exit); stderr is unbuffered. Output still in a
 * buffer when a process calls fork is in the child's buffer too; output in
 * a buffer is lost when a process ends with _exit.
 */
#ifndef _STDIO_H_
#define _STDIO_H_

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#define BUFSIZ          1024
#define EOF             (-1)
#define FOPEN_MAX       20
#define FILENAME_MAX    1024

#define _IOFBF          0               /* fully buffered */
#define _IOLBF          1               /* line buffered */
#define _IONBF          2               /* unbuffered */

#ifndef SEEK_SET
#define SEEK_SET        0
#define SEEK_CUR        1
#define SEEK_END        2
#endif

typedef struct __sFILE FILE;

extern FILE *__stdinp;
extern FILE *__stdoutp;
extern FILE *__stderrp;
#define stdin   __stdinp
#define stdout  __stdoutp
#define stderr  __stderrp

FILE   *fopen(const char *restrict path, const char *restrict mode);
FILE   *fdopen(int fd, const char *mode);
int     fclose(FILE *fp);
int     fflush(FILE *fp);               /* fflush(NULL) flushes every output stream */
int     setvbuf(FILE *restrict fp, char *restrict buf, int mode, size_t size);
void    setbuf(FILE *restrict fp, char *restrict buf);
int     fileno(FILE *fp);
int     feof(FILE *fp);
int     ferror(FILE *fp);
void    clearerr(FILE *fp);
int     fseek(FILE *fp, long offset, int whence);
long    ftell(FILE *fp);
void    rewind(FILE *fp);

int     fputc(int c, FILE *fp);
int     putc(int c, FILE *fp);
int     putchar(int c);
int     fputs(const char *restrict s, FILE *restrict fp);
int     puts(const char *s);
size_t  fwrite(const void *restrict ptr, size_t size, size_t nmemb, FILE *restrict fp);
int     fgetc(FILE *fp);
int     getc(FILE *fp);
int     getchar(void);
int     ungetc(int c, FILE *fp);
char   *fgets(char *restrict s, int n, FILE *restrict fp);
size_t  fread(void *restrict ptr, size_t size, size_t nmemb, FILE *restrict fp);

int     printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int     fprintf(FILE *restrict fp, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int     dprintf(int fd, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int     sprintf(char *restrict s, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int     snprintf(char *restrict s, size_t n, const char *restrict fmt, ...) __attribute__((format(printf, 3, 4)));
int     vprintf(const char *restrict fmt, va_list ap);
int     vfprintf(FILE *restrict fp, const char *restrict fmt, va_list ap);
int     vdprintf(int fd, const char *restrict fmt, va_list ap);
int     vsprintf(char *restrict s, const char *restrict fmt, va_list ap);
int     vsnprintf(char *restrict s, size_t n, const char *restrict fmt, va_list ap);

int     scanf(const char *restrict fmt, ...) __attribute__((format(scanf, 1, 2)));
int     fscanf(FILE *restrict fp, const char *restrict fmt, ...) __attribute__((format(scanf, 2, 3)));
int     sscanf(const char *restrict s, const char *restrict fmt, ...) __attribute__((format(scanf, 2, 3)));
int     vfscanf(FILE *restrict fp, const char *restrict fmt, va_list ap);
int     vsscanf(const char *restrict s, const char *restrict fmt, va_list ap);

ssize_t getline(char **restrict linep, size_t *restrict capp, FILE *restrict fp);
ssize_t getdelim(char **restrict linep, size_t *restrict capp, int delim, FILE *restrict fp);

void    perror(const char *s);          /* "s: strerror(errno)\n" on stderr */
void    flockfile(FILE *fp);            /* hold the stdio lock (threads: libc/stdio.c) */
void    funlockfile(FILE *fp);
int     remove(const char *path);
int     rename(const char *from, const char *to);

#endif /* !_STDIO_H_ */
