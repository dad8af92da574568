/* errname.h: errno names, so the expected output is the same on every UNIX
 * (EAGAIN is 35 on FreeBSD and 11 on Linux). */
#ifndef SECURITY_ERRNAME_H
#define SECURITY_ERRNAME_H
#include <errno.h>

__attribute__((unused)) static const char *errname(int e)
{
	switch (e) {
	case 0: return "OK";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case EMFILE: return "EMFILE";
	case EBADF: return "EBADF";
	case EFAULT: return "EFAULT";
	default: return "E?";
	}
}

/* "OK" or the errno name of the call's result. */
#define TRY(call) ((call) == 0 ? "OK" : errname(errno))
#endif
