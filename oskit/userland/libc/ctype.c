/* ctype.c: character classes for ASCII; everything else (EOF, bytes >= 128) is in none. */
#include <ctype.h>

int isascii(int c) { return c >= 0 && c <= 0177; }
int isupper(int c) { return c >= 'A' && c <= 'Z'; }
int islower(int c) { return c >= 'a' && c <= 'z'; }
int isalpha(int c) { return isupper(c) || islower(c); }
int isdigit(int c) { return c >= '0' && c <= '9'; }
int isalnum(int c) { return isalpha(c) || isdigit(c); }
int isxdigit(int c) { return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int isblank(int c) { return c == ' ' || c == '\t'; }
int isspace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }    /* \t \n \v \f \r */
int iscntrl(int c) { return (c >= 0 && c < 040) || c == 0177; }
int isprint(int c) { return c >= 040 && c < 0177; }
int isgraph(int c) { return c > 040 && c < 0177; }
int ispunct(int c) { return isgraph(c) && !isalnum(c); }
int tolower(int c) { return isupper(c) ? c + ('a' - 'A') : c; }
int toupper(int c) { return islower(c) ? c - ('a' - 'A') : c; }
