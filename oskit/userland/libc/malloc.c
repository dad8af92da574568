/*
 * malloc.c: the heap.
 *
 * Small blocks come from the program break: sbrk grows the data segment a
 * chunk at a time (the kernel maps the new pages on demand), and freed
 * blocks go on a free list, sorted by address, so that neighbours merge
 * back into bigger blocks. Large blocks (MMAP_THRESHOLD and up) get their
 * own anonymous mapping, and free gives them straight back with munmap.
 *
 * Every block starts with a 16-byte header; the caller's memory follows it,
 * 16-byte aligned:
 *
 *   +----------+----------+------------------------ ... --+
 *   | size     | next     | the caller's bytes            |
 *   +----------+----------+------------------------ ... --+
 *   ^ header              ^ what malloc returns
 *
 *   size   bytes in the whole block, header included, a multiple of 16;
 *          bit 0 set: the block is its own mmap mapping
 *   next   the next free block (meaningful only while the block is free)
 *
 * Threads: malloc and free hold __malloc_lock (lock.c) while they touch the
 * free list, so several threads may allocate at once.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libc_private.h"

typedef struct header {
    size_t size;
    struct header *next;
} Header;

#define HDR             sizeof(Header)          /* 16 */
#define MIN_BLOCK       (2 * HDR)               /* a header and 16 bytes */
#define MMAPPED         ((size_t)1)
#define MMAP_THRESHOLD  (128 * 1024)
#define SBRK_CHUNK      (64 * 1024)             /* grow the heap at least this much at a time */
#define PAGE            4096

static Header *freelist;                        /* free blocks, lowest address first */

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) & ~(to - 1);
}

/* Put a block on the free list, merging it with a free neighbour on either side. */
static void insert_free(Header *b)
{
    Header *before = NULL, *after = freelist;
    while (after && after < b) {
        before = after;
        after = after->next;
    }
    b->next = after;
    if (before)
        before->next = b;
    else
        freelist = b;
    if (after && (char *)b + b->size == (char *)after) {         /* merge with the block after */
        b->size += after->size;
        b->next = after->next;
    }
    if (before && (char *)before + before->size == (char *)b) {  /* and with the one before */
        before->size += b->size;
        before->next = b->next;
    }
}

/* Ask the kernel for at least size more bytes of heap; 0 on success. */
static int grow_heap(size_t size)
{
    char *brk_now = sbrk(0);
    if (brk_now == (char *)-1)
        return -1;
    size_t misalign = (uintptr_t)brk_now % HDR;
    size_t n = round_up(size < SBRK_CHUNK ? SBRK_CHUNK : size, PAGE);
    char *p = sbrk(n + (misalign ? HDR - misalign : 0));
    if (p == (char *)-1)
        return -1;
    if (misalign)
        p += HDR - misalign;                    /* the first break need not be aligned */
    Header *b = (Header *)p;
    b->size = n;
    insert_free(b);
    return 0;
}

static void *map_block(size_t size)
{
    size_t len = round_up(size, PAGE);
    Header *b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (b == MAP_FAILED)
        return NULL;
    b->size = len | MMAPPED;
    return b + 1;
}

struct __libc_lock __malloc_lock = __LIBC_LOCK_INITIALIZER;

/* malloc and free take __malloc_lock: threads share one free list. */
static void *malloc_locked(size_t n)
{
    if (n > SIZE_MAX - 2 * PAGE) {
        errno = ENOMEM;
        return NULL;
    }
    size_t size = round_up(n + HDR, HDR);
    if (size < MIN_BLOCK)
        size = MIN_BLOCK;
    if (size >= MMAP_THRESHOLD) {
        int saved = errno;
        void *p = map_block(size);
        if (p)
            return p;
        errno = saved;                          /* no mmap? then the heap must do */
    }
    for (int tries = 0; tries < 2; tries++) {
        for (Header **link = &freelist; *link; link = &(*link)->next) {
            Header *b = *link;
            if (b->size < size)
                continue;
            if (b->size - size >= MIN_BLOCK) {  /* split: hand out the tail */
                b->size -= size;
                b = (Header *)((char *)b + b->size);
                b->size = size;
            } else {                            /* close fit: hand out all of it */
                *link = b->next;
            }
            b->next = NULL;
            return b + 1;
        }
        if (grow_heap(size) != 0)
            break;
    }
    errno = ENOMEM;
    return NULL;
}

void *malloc(size_t n)
{
    __libc_lock(&__malloc_lock);
    void *p = malloc_locked(n);
    __libc_unlock(&__malloc_lock);
    return p;
}

void free(void *p)
{
    if (p == NULL)
        return;
    __libc_lock(&__malloc_lock);
    Header *b = (Header *)p - 1;
    if (b->size & MMAPPED)
        munmap(b, b->size & ~MMAPPED);
    else
        insert_free(b);
    __libc_unlock(&__malloc_lock);
}

void *calloc(size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size) {      /* nmemb * size would overflow */
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(nmemb * size);
    if (p)
        memset(p, 0, nmemb * size);
    return p;
}

void *realloc(void *p, size_t n)
{
    if (p == NULL)
        return malloc(n);
    Header *b = (Header *)p - 1;
    size_t have = (b->size & ~MMAPPED) - HDR;
    if (n <= have)
        return p;                               /* it already fits */
    void *q = malloc(n);
    if (q) {
        memcpy(q, p, have);
        free(p);
    }
    return q;
}
