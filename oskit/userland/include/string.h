/* string.h: byte strings and memory blocks. */
#ifndef _STRING_H_
#define _STRING_H_

#include <stddef.h>

void   *memcpy(void *restrict dst, const void *restrict src, size_t n);
void   *memmove(void *dst, const void *src, size_t n);
void   *memset(void *dst, int c, size_t n);
int     memcmp(const void *a, const void *b, size_t n);
void   *memchr(const void *s, int c, size_t n);

size_t  strlen(const char *s);
size_t  strnlen(const char *s, size_t maxlen);
char   *strcpy(char *restrict dst, const char *restrict src);
char   *strncpy(char *restrict dst, const char *restrict src, size_t n);
size_t  strlcpy(char *restrict dst, const char *restrict src, size_t size);
char   *strcat(char *restrict dst, const char *restrict src);
char   *strncat(char *restrict dst, const char *restrict src, size_t n);
size_t  strlcat(char *restrict dst, const char *restrict src, size_t size);
int     strcmp(const char *a, const char *b);
int     strncmp(const char *a, const char *b, size_t n);
int     strcasecmp(const char *a, const char *b);
int     strncasecmp(const char *a, const char *b, size_t n);
char   *strchr(const char *s, int c);
char   *strrchr(const char *s, int c);
char   *strstr(const char *haystack, const char *needle);
size_t  strspn(const char *s, const char *accept);
size_t  strcspn(const char *s, const char *reject);
char   *strpbrk(const char *s, const char *accept);
char   *strtok(char *restrict s, const char *restrict sep);
char   *strtok_r(char *restrict s, const char *restrict sep, char **restrict last);
char   *strsep(char **stringp, const char *delim);
char   *strdup(const char *s);
char   *strndup(const char *s, size_t n);

char   *strerror(int errnum);       /* FreeBSD's messages: "No such file or directory" */
int     strerror_r(int errnum, char *buf, size_t buflen);
char   *strsignal(int sig);         /* "Segmentation fault" */

#endif /* !_STRING_H_ */
