/* strings.h: the BSD names for case-insensitive comparison. */
#ifndef _STRINGS_H_
#define _STRINGS_H_
#include <stddef.h>
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
#endif /* !_STRINGS_H_ */
