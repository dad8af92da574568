/* cpus: 0 -- inheritance.c: the staged inversion with a PTHREAD_PRIO_INHERIT mutex (see inversion.h). */
#define PROTOCOL PTHREAD_PRIO_INHERIT
#include "inversion.h"
