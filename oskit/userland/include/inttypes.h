/* inttypes.h: printf/scanf formats for the <stdint.h> types (LP64: 64-bit types are long). */
#ifndef _INTTYPES_H_
#define _INTTYPES_H_

#include <stdint.h>

#define PRId8   "d"
#define PRId16  "d"
#define PRId32  "d"
#define PRId64  "ld"
#define PRIi8   "i"
#define PRIi16  "i"
#define PRIi32  "i"
#define PRIi64  "li"
#define PRIu8   "u"
#define PRIu16  "u"
#define PRIu32  "u"
#define PRIu64  "lu"
#define PRIx8   "x"
#define PRIx16  "x"
#define PRIx32  "x"
#define PRIx64  "lx"
#define PRIX8   "X"
#define PRIX16  "X"
#define PRIX32  "X"
#define PRIX64  "lX"
#define PRIo32  "o"
#define PRIo64  "lo"
#define PRIdMAX "jd"
#define PRIuMAX "ju"
#define PRIxMAX "jx"
#define PRIdPTR "ld"
#define PRIuPTR "lu"
#define PRIxPTR "lx"
#define SCNd32  "d"
#define SCNd64  "ld"
#define SCNu32  "u"
#define SCNu64  "lu"
#define SCNx32  "x"
#define SCNx64  "lx"

typedef struct { intmax_t quot, rem; } imaxdiv_t;

intmax_t  strtoimax(const char *restrict s, char **restrict endp, int base);
uintmax_t strtoumax(const char *restrict s, char **restrict endp, int base);
intmax_t  imaxabs(intmax_t j);

#endif /* !_INTTYPES_H_ */
