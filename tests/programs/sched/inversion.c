/* cpus: 0 -- inversion.c: the staged inversion with a default mutex (see inversion.h). */
#define PROTOCOL PTHREAD_PRIO_NONE
#include "inversion.h"
