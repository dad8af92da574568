/*
 * stdio.c: buffered streams (FILE) over file descriptors.
 *
 * A FILE holds a descriptor and a buffer. Output collects in the buffer and
 * goes to the kernel in one write(2) when
 *   - the buffer is full (every stream that is buffered at all),
 *   - a '\n' is written to a line-buffered stream,
 *   - fflush is called, the stream is closed, or the program calls exit.
 * Which mode a stream gets is decided at its first use: stderr is
 * unbuffered; any other stream is line-buffered if its descriptor is a
 * terminal (isatty) and fully buffered otherwise. So
 *     ./prog            prints line by line on the console, but
 *     ./prog | cat      prints everything at exit, in one write,
 * and output sitting in a buffer at fork() is printed twice: once by each
 * process. setvbuf chooses the mode by hand.
 *
 * Input is read BUFSIZ bytes at a time. Before reading from a terminal (or
 * any line-buffered or unbuffered stream) every line-buffered output stream
 * is flushed, so that a prompt without a '\n' shows before the program waits.
 *
 * Threads: every function here holds one lock, __stdio_lock (lock.c), while
 * it touches a stream, so two threads' output never corrupts a buffer, and a
 * whole printf (or puts) goes into the buffer before another thread's: lines
 * printed by different threads do not mix. One lock for all streams rather
 * than one per FILE (FreeBSD's): less to read, and threads here seldom
 * write to different streams at once. flockfile/funlockfile take it by hand
 * (it is recursive). Left alone: the FILE fields themselves (fileno, feof,
 * ferror, clearerr read or set one word).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libc_private.h"

#define F_READ    0x01          /* opened for reading */
#define F_WRITE   0x02          /* opened for writing */
#define F_EOF     0x04          /* end of file seen */
#define F_ERR     0x08          /* an I/O error happened */
#define F_FREEBUF 0x10          /* buf came from malloc: free it at fclose */
#define F_STATIC  0x20          /* one of stdin/stdout/stderr: never freed */

struct __sFILE {
    int fd;
    int flags;
    int mode;                   /* _IOFBF, _IOLBF, _IONBF, or -1: decide at first use */
    char *buf;
    size_t size;
    size_t wlen;                /* output waiting: buf[0 .. wlen) */
    size_t rpos, rlen;          /* input not yet taken: buf[rpos .. rlen) */
    int ungot;                  /* a byte pushed back by ungetc, or EOF */
    char one;                   /* the buffer of an unbuffered stream */
    struct __sFILE *next;       /* every open stream, for fflush(NULL) and exit */
};

static char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ];
static FILE std_files[3] = {
    { 0, F_READ | F_STATIC, -1, stdin_buf, BUFSIZ, 0, 0, 0, EOF, 0, &std_files[1] },
    { 1, F_WRITE | F_STATIC, -1, stdout_buf, BUFSIZ, 0, 0, 0, EOF, 0, &std_files[2] },
    { 2, F_WRITE | F_STATIC, _IONBF, NULL, 0, 0, 0, 0, EOF, 0, NULL },
};
FILE *__stdinp = &std_files[0];
FILE *__stdoutp = &std_files[1];
FILE *__stderrp = &std_files[2];
static FILE *all_files = &std_files[0];

/* One lock for every stream (lock.c): simple, and enough for a teaching libc. */
struct __libc_lock __stdio_lock = __LIBC_LOCK_INITIALIZER;

void flockfile(FILE *fp)
{
    (void)fp;
    __libc_lock(&__stdio_lock);
}

void funlockfile(FILE *fp)
{
    (void)fp;
    __libc_unlock(&__stdio_lock);
}

/* Decide the buffering of a stream at its first use. */
static void setup(FILE *fp)
{
    if (fp->mode < 0)
        fp->mode = isatty(fp->fd) ? _IOLBF : _IOFBF;
    if (fp->mode != _IONBF && fp->buf == NULL) {
        fp->buf = malloc(BUFSIZ);
        if (fp->buf) {
            fp->size = BUFSIZ;
            fp->flags |= F_FREEBUF;
        } else {
            fp->mode = _IONBF;          /* no memory: unbuffered still works */
        }
    }
    if (fp->mode == _IONBF && fp->buf == NULL) {
        fp->buf = &fp->one;
        fp->size = 1;
    }
}

/* write(2) all of data, retrying after short writes; -1 on error. */
static int write_all(int fd, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, data, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += k;
        n -= k;
    }
    return 0;
}

/* Send the waiting output to the kernel. */
static int flush_out(FILE *fp)
{
    if (fp->wlen == 0)
        return 0;
    int r = write_all(fp->fd, fp->buf, fp->wlen);
    fp->wlen = 0;
    if (r < 0) {
        fp->flags |= F_ERR;
        return EOF;
    }
    return 0;
}

/* Forget buffered input, moving the descriptor's offset back to where the
 * program has read up to (so a write or a seek happens at the right place). */
static void drop_input(FILE *fp)
{
    size_t unread = fp->rlen - fp->rpos + (fp->ungot != EOF);
    if (unread)
        lseek(fp->fd, -(off_t)unread, SEEK_CUR);
    fp->rpos = fp->rlen = 0;
    fp->ungot = EOF;
}

static size_t put_unlocked(FILE *fp, const char *data, size_t n)
{
    if (!(fp->flags & F_WRITE)) {
        fp->flags |= F_ERR;
        errno = EBADF;
        return 0;
    }
    setup(fp);
    if (fp->rlen || fp->ungot != EOF)
        drop_input(fp);
    if (fp->mode == _IONBF) {
        if (flush_out(fp) != 0 || write_all(fp->fd, data, n) != 0) {
            fp->flags |= F_ERR;
            return 0;
        }
        return n;
    }
    size_t done = 0;
    while (done < n) {
        if (fp->wlen == 0 && n - done >= fp->size) {        /* big: skip the buffer */
            if (write_all(fp->fd, data + done, n - done) != 0) {
                fp->flags |= F_ERR;
                return done;
            }
            return n;
        }
        size_t k = fp->size - fp->wlen;
        if (k > n - done)
            k = n - done;
        memcpy(fp->buf + fp->wlen, data + done, k);
        fp->wlen += k;
        done += k;
        if (fp->wlen == fp->size && flush_out(fp) != 0)
            return done - k;
    }
    if (fp->mode == _IOLBF && memchr(data, '\n', n) && flush_out(fp) != 0)
        return 0;
    return n;
}

/* Every output goes through here, under the stdio lock. */
static size_t put(FILE *fp, const char *data, size_t n)
{
    __libc_lock(&__stdio_lock);
    size_t r = put_unlocked(fp, data, n);
    __libc_unlock(&__stdio_lock);
    return r;
}

void __stdio_flush_all(void)
{
    __libc_lock(&__stdio_lock);
    for (FILE *fp = all_files; fp; fp = fp->next)
        if (fp->flags & F_WRITE)
            flush_out(fp);
    __libc_unlock(&__stdio_lock);
}

static void flush_line_buffered(void)
{
    for (FILE *fp = all_files; fp; fp = fp->next)
        if ((fp->flags & F_WRITE) && fp->mode == _IOLBF)
            flush_out(fp);
}

/* Read more input into the buffer; EOF at end of file or on error. */
static int refill(FILE *fp)
{
    if (!(fp->flags & F_READ)) {
        fp->flags |= F_ERR;
        errno = EBADF;
        return EOF;
    }
    setup(fp);
    if (fp->mode != _IOFBF)
        flush_line_buffered();          /* the prompt before the wait */
    flush_out(fp);
    for (;;) {
        ssize_t k = read(fp->fd, fp->buf, fp->size);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            fp->flags |= k == 0 ? F_EOF : F_ERR;
            fp->rpos = fp->rlen = 0;
            return EOF;
        }
        fp->rpos = 0;
        fp->rlen = k;
        return 0;
    }
}

/* ------------------------------------------------------------ opening and closing */

static int parse_mode(const char *mode, int *flags)
{
    int oflags, fflags;
    switch (*mode++) {
    case 'r': oflags = O_RDONLY; fflags = F_READ; break;
    case 'w': oflags = O_WRONLY | O_CREAT | O_TRUNC; fflags = F_WRITE; break;
    case 'a': oflags = O_WRONLY | O_CREAT | O_APPEND; fflags = F_WRITE; break;
    default:
        errno = EINVAL;
        return -1;
    }
    for (; *mode; mode++) {
        if (*mode == '+') {
            oflags = (oflags & ~O_ACCMODE) | O_RDWR;
            fflags = F_READ | F_WRITE;
        } else if (*mode == 'x') {
            oflags |= O_EXCL;
        } else if (*mode == 'e') {
            oflags |= O_CLOEXEC;
        }                               /* 'b' (binary) means nothing on UNIX */
    }
    *flags = fflags;
    return oflags;
}

static FILE *new_file(int fd, int flags)
{
    FILE *fp = calloc(1, sizeof *fp);
    if (fp == NULL)
        return NULL;
    fp->fd = fd;
    fp->flags = flags;
    fp->mode = -1;
    fp->ungot = EOF;
    __libc_lock(&__stdio_lock);
    fp->next = all_files;
    all_files = fp;
    __libc_unlock(&__stdio_lock);
    return fp;
}

FILE *fopen(const char *restrict path, const char *restrict mode)
{
    int flags, oflags = parse_mode(mode, &flags);
    if (oflags < 0)
        return NULL;
    int fd = open(path, oflags, 0666);
    if (fd < 0)
        return NULL;
    FILE *fp = new_file(fd, flags);
    if (fp == NULL)
        close(fd);
    return fp;
}

FILE *fdopen(int fd, const char *mode)
{
    int flags;
    if (parse_mode(mode, &flags) < 0)
        return NULL;
    return new_file(fd, flags);
}

static int fclose_unlocked(FILE *fp)
{
    int r = fflush(fp);
    if (close(fp->fd) != 0)
        r = EOF;
    if (fp->flags & F_FREEBUF)
        free(fp->buf);
    if (fp->flags & F_STATIC) {
        fp->flags &= ~(F_READ | F_WRITE);
        fp->buf = NULL;
        return r;
    }
    for (FILE **link = &all_files; *link; link = &(*link)->next)
        if (*link == fp) {
            *link = fp->next;
            break;
        }
    free(fp);
    return r;
}

int fclose(FILE *fp)
{
    __libc_lock(&__stdio_lock);
    int r = fclose_unlocked(fp);
    __libc_unlock(&__stdio_lock);
    return r;
}

static int fflush_unlocked(FILE *fp)
{
    if (fp == NULL) {
        int r = 0;
        for (FILE *f = all_files; f; f = f->next)
            if ((f->flags & F_WRITE) && flush_out(f) != 0)
                r = EOF;
        return r;
    }
    if (fp->rlen || fp->ungot != EOF)
        drop_input(fp);
    return flush_out(fp);
}

int fflush(FILE *fp)
{
    __libc_lock(&__stdio_lock);
    int r = fflush_unlocked(fp);
    __libc_unlock(&__stdio_lock);
    return r;
}

static int setvbuf_unlocked(FILE *restrict fp, char *restrict buf, int mode, size_t size)
{
    if ((mode != _IOFBF && mode != _IOLBF && mode != _IONBF) || fp->wlen || fp->rlen) {
        errno = EINVAL;
        return EOF;                     /* only before the first I/O */
    }
    if (fp->flags & F_FREEBUF)
        free(fp->buf);
    fp->flags &= ~F_FREEBUF;
    fp->mode = mode;
    fp->buf = NULL;
    fp->size = 0;
    if (mode != _IONBF && buf != NULL && size > 0) {
        fp->buf = buf;
        fp->size = size;
    }
    setup(fp);
    return 0;
}

int setvbuf(FILE *restrict fp, char *restrict buf, int mode, size_t size)
{
    __libc_lock(&__stdio_lock);
    int r = setvbuf_unlocked(fp, buf, mode, size);
    __libc_unlock(&__stdio_lock);
    return r;
}

void setbuf(FILE *restrict fp, char *restrict buf)
{
    setvbuf(fp, buf, buf ? _IOFBF : _IONBF, BUFSIZ);
}

int fileno(FILE *fp) { return fp->fd; }
int feof(FILE *fp) { return (fp->flags & F_EOF) != 0; }
int ferror(FILE *fp) { return (fp->flags & F_ERR) != 0; }
void clearerr(FILE *fp) { fp->flags &= ~(F_EOF | F_ERR); }

static int fseek_unlocked(FILE *fp, long offset, int whence)
{
    if (flush_out(fp) != 0)
        return -1;
    if (whence == SEEK_CUR)
        offset -= fp->rlen - fp->rpos + (fp->ungot != EOF);    /* where the program is */
    fp->rpos = fp->rlen = 0;
    fp->ungot = EOF;
    if (lseek(fp->fd, offset, whence) < 0)
        return -1;
    fp->flags &= ~F_EOF;
    return 0;
}

int fseek(FILE *fp, long offset, int whence)
{
    __libc_lock(&__stdio_lock);
    int r = fseek_unlocked(fp, offset, whence);
    __libc_unlock(&__stdio_lock);
    return r;
}

static long ftell_unlocked(FILE *fp)
{
    off_t pos = lseek(fp->fd, 0, SEEK_CUR);
    if (pos < 0)
        return -1;
    return pos + fp->wlen - (fp->rlen - fp->rpos) - (fp->ungot != EOF);
}

long ftell(FILE *fp)
{
    __libc_lock(&__stdio_lock);
    long r = ftell_unlocked(fp);
    __libc_unlock(&__stdio_lock);
    return r;
}

void rewind(FILE *fp)
{
    fseek(fp, 0, SEEK_SET);
    clearerr(fp);
}

/* ------------------------------------------------------------ output */

int fputc(int c, FILE *fp)
{
    char ch = (char)c;
    return put(fp, &ch, 1) == 1 ? (unsigned char)ch : EOF;
}

int putc(int c, FILE *fp) { return fputc(c, fp); }
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char *restrict s, FILE *restrict fp)
{
    size_t n = strlen(s);
    return put(fp, s, n) == n ? 0 : EOF;
}

static int puts_unlocked(const char *s)
{
    if (fputs(s, stdout) == EOF)
        return EOF;
    return fputc('\n', stdout) == EOF ? EOF : 0;
}

int puts(const char *s)
{
    __libc_lock(&__stdio_lock);
    int r = puts_unlocked(s);
    __libc_unlock(&__stdio_lock);
    return r;
}

size_t fwrite(const void *restrict ptr, size_t size, size_t nmemb, FILE *restrict fp)
{
    if (size == 0 || nmemb == 0)
        return 0;
    return put(fp, ptr, size * nmemb) / size;
}

/* ------------------------------------------------------------ input */

static int fgetc_unlocked(FILE *fp)
{
    if (fp->ungot != EOF) {
        int c = fp->ungot;
        fp->ungot = EOF;
        return c;
    }
    if (fp->rpos == fp->rlen && refill(fp) == EOF)
        return EOF;
    return (unsigned char)fp->buf[fp->rpos++];
}

int fgetc(FILE *fp)
{
    __libc_lock(&__stdio_lock);
    int r = fgetc_unlocked(fp);
    __libc_unlock(&__stdio_lock);
    return r;
}

int getc(FILE *fp) { return fgetc(fp); }
int getchar(void) { return fgetc(stdin); }

static int ungetc_unlocked(int c, FILE *fp)
{
    if (c == EOF || fp->ungot != EOF)
        return EOF;                     /* one byte of push-back is all C promises */
    fp->ungot = (unsigned char)c;
    fp->flags &= ~F_EOF;
    return (unsigned char)c;
}

int ungetc(int c, FILE *fp)
{
    __libc_lock(&__stdio_lock);
    int r = ungetc_unlocked(c, fp);
    __libc_unlock(&__stdio_lock);
    return r;
}

static char *fgets_unlocked(char *restrict s, int n, FILE *restrict fp)
{
    int i = 0;
    if (n <= 0)
        return NULL;
    while (i < n - 1) {
        int c = fgetc_unlocked(fp);
        if (c == EOF)
            break;
        s[i++] = (char)c;
        if (c == '\n')
            break;
    }
    if (i == 0)
        return NULL;                    /* end of file (or error) before any byte */
    s[i] = '\0';
    return s;
}

char *fgets(char *restrict s, int n, FILE *restrict fp)
{
    __libc_lock(&__stdio_lock);
    char *r = fgets_unlocked(s, n, fp);
    __libc_unlock(&__stdio_lock);
    return r;
}

static size_t fread_unlocked(void *restrict ptr, size_t size, size_t nmemb, FILE *restrict fp)
{
    if (size == 0 || nmemb == 0)
        return 0;
    char *out = ptr;
    size_t want = size * nmemb, got = 0;
    if (fp->ungot != EOF && want > 0) {
        out[got++] = (char)fp->ungot;
        fp->ungot = EOF;
    }
    while (got < want) {
        if (fp->rpos == fp->rlen && refill(fp) == EOF)
            break;
        size_t k = fp->rlen - fp->rpos;
        if (k > want - got)
            k = want - got;
        memcpy(out + got, fp->buf + fp->rpos, k);
        fp->rpos += k;
        got += k;
    }
    return got / size;
}

size_t fread(void *restrict ptr, size_t size, size_t nmemb, FILE *restrict fp)
{
    __libc_lock(&__stdio_lock);
    size_t r = fread_unlocked(ptr, size, nmemb, fp);
    __libc_unlock(&__stdio_lock);
    return r;
}

/* Read up to and including delim into *linep (grown with realloc as needed);
 * return the length, or -1 at end of file. */
static ssize_t getdelim_unlocked(char **restrict linep, size_t *restrict capp, int delim, FILE *restrict fp)
{
    size_t n = 0;
    int c;
    if (*linep == NULL)
        *capp = 0;
    while ((c = fgetc_unlocked(fp)) != EOF) {
        if (n + 2 > *capp) {
            size_t cap = *capp ? *capp * 2 : 128;
            char *grown = realloc(*linep, cap);
            if (grown == NULL) {
                fp->flags |= F_ERR;
                return -1;
            }
            *linep = grown;
            *capp = cap;
        }
        (*linep)[n++] = (char)c;
        if (c == delim)
            break;
    }
    if (n == 0)
        return -1;
    (*linep)[n] = '\0';
    return n;
}

ssize_t getdelim(char **restrict linep, size_t *restrict capp, int delim, FILE *restrict fp)
{
    __libc_lock(&__stdio_lock);
    ssize_t r = getdelim_unlocked(linep, capp, delim, fp);
    __libc_unlock(&__stdio_lock);
    return r;
}

ssize_t getline(char **restrict linep, size_t *restrict capp, FILE *restrict fp)
{
    return getdelim(linep, capp, '\n', fp);
}

/* ------------------------------------------------------------ printf family */

static void file_sink(void *ctx, const char *s, size_t n)
{
    put(ctx, s, n);
}

/* For unbuffered streams and dprintf: gather the output in a small buffer
 * on the stack, so that one printf is one write(2), not one per piece. */
struct fdbuf {
    int fd;
    int err;
    size_t len;
    char data[256];
};

static void fd_sink(void *ctx, const char *s, size_t n)
{
    struct fdbuf *b = ctx;
    while (n > 0) {
        if (b->len == sizeof b->data) {
            if (write_all(b->fd, b->data, b->len) != 0)
                b->err = 1;
            b->len = 0;
        }
        size_t k = sizeof b->data - b->len;
        if (k > n)
            k = n;
        memcpy(b->data + b->len, s, k);
        b->len += k;
        s += k;
        n -= k;
    }
}

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
    struct fdbuf b;
    b.fd = fd;
    b.err = 0;
    b.len = 0;
    int n = __vformat(fd_sink, &b, fmt, ap);
    if (b.len && write_all(fd, b.data, b.len) != 0)
        b.err = 1;
    return b.err ? -1 : n;
}

static int vfprintf_unlocked(FILE *restrict fp, const char *restrict fmt, va_list ap)
{
    setup(fp);
    if (fp->mode == _IONBF && (fp->flags & F_WRITE)) {
        flush_out(fp);
        int n = vdprintf(fp->fd, fmt, ap);
        if (n < 0)
            fp->flags |= F_ERR;
        return n;
    }
    int before = ferror(fp);
    int n = __vformat(file_sink, fp, fmt, ap);
    return ferror(fp) && !before ? -1 : n;
}

int vfprintf(FILE *restrict fp, const char *restrict fmt, va_list ap)
{
    __libc_lock(&__stdio_lock);
    int r = vfprintf_unlocked(fp, fmt, ap);
    __libc_unlock(&__stdio_lock);
    return r;
}

int fprintf(FILE *restrict fp, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(fp, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int dprintf(int fd, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vdprintf(fd, fmt, ap);
    va_end(ap);
    return n;
}

void perror(const char *s)
{
    int saved = errno;
    if (s && *s)
        fprintf(stderr, "%s: %s\n", s, strerror(saved));
    else
        fprintf(stderr, "%s\n", strerror(saved));
    errno = saved;
}
