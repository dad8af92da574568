/* DO NOT EDIT: generated from syscalls.master by makesyscalls.py */
/* System call numbers (FreeBSD's): SYS_NAME is the value the libc stub puts in t0. */
#ifndef _SYS_SYSCALL_H_
#define _SYS_SYSCALL_H_

						/* 0 not implemented: syscall (indirect system call (FreeBSD's SYSMUX)) */
#define	SYS_exit              	1   	/* 1 = exit */
#define	SYS_fork              	2   	/* 2 = fork */
#define	SYS_read              	3   	/* 3 = read */
#define	SYS_write             	4   	/* 4 = write */
#define	SYS_open              	5   	/* 5 = open */
#define	SYS_close             	6   	/* 6 = close */
#define	SYS_wait4             	7   	/* 7 = wait4 */
						/* 8 not implemented: creat (old creat; libc's creat() is open()) */
#define	SYS_link              	9   	/* 9 = link */
#define	SYS_unlink            	10  	/* 10 = unlink */
						/* 11 obsolete: execv */
#define	SYS_chdir             	12  	/* 12 = chdir */
#define	SYS_fchdir            	13  	/* 13 = fchdir */
						/* 14 not implemented: mknod */
#define	SYS_chmod             	15  	/* 15 = chmod */
#define	SYS_chown             	16  	/* 16 = chown */
#define	SYS_break             	17  	/* 17 = break */
						/* 18-19 not implemented: getfsstat, old lseek */
#define	SYS_getpid            	20  	/* 20 = getpid */
						/* 21-22 not implemented: mount, unmount */
#define	SYS_setuid            	23  	/* 23 = setuid */
#define	SYS_getuid            	24  	/* 24 = getuid */
#define	SYS_geteuid           	25  	/* 25 = geteuid */
						/* 26-32 not implemented: ptrace, sockets */
#define	SYS_access            	33  	/* 33 = access */
						/* 34-36 not implemented: chflags, fchflags, sync */
#define	SYS_kill              	37  	/* 37 = kill */
						/* 38 not implemented: old (stat) */
#define	SYS_getppid           	39  	/* 39 = getppid */
						/* 40 not implemented: old (lstat) */
#define	SYS_dup               	41  	/* 41 = dup */
						/* 42 not implemented: pipe (old pipe; libc's pipe() is pipe2(fildes, 0)) */
#define	SYS_getegid           	43  	/* 43 = getegid */
						/* 44-46 not implemented: profil, ktrace, old sigaction */
#define	SYS_getgid            	47  	/* 47 = getgid */
						/* 48-53 not implemented: old sigprocmask, getlogin, setlogin, acct, old sigpending, sigaltstack */
#define	SYS_ioctl             	54  	/* 54 = ioctl */
						/* 55-58 not implemented: reboot, revoke, symlink, readlink */
#define	SYS_execve            	59  	/* 59 = execve */
#define	SYS_umask             	60  	/* 60 = umask */
						/* 61-64 not implemented: chroot, old fstat, getkerninfo, getpagesize */
#define	SYS_msync             	65  	/* 65 = msync */
						/* 66 not implemented: vfork */
						/* 67-70 obsolete: vread, vwrite, sbrk, sstk */
						/* 71-72 not implemented: old mmap, vadvise */
#define	SYS_munmap            	73  	/* 73 = munmap */
#define	SYS_mprotect          	74  	/* 74 = mprotect */
#define	SYS_madvise           	75  	/* 75 = madvise */
						/* 76-77 obsolete: vhangup, vlimit */
#define	SYS_mincore           	78  	/* 78 = mincore */
#define	SYS_getgroups         	79  	/* 79 = getgroups */
#define	SYS_setgroups         	80  	/* 80 = setgroups */
						/* 81-82 not implemented: getpgrp, setpgid */
#define	SYS_setitimer         	83  	/* 83 = setitimer */
						/* 84-85 not implemented: old wait, swapon */
#define	SYS_getitimer         	86  	/* 86 = getitimer */
						/* 87-89 not implemented: old gethostname, old sethostname, getdtablesize */
#define	SYS_dup2              	90  	/* 90 = dup2 */
						/* 91 reserved */
#define	SYS_fcntl             	92  	/* 92 = fcntl */
						/* 93-115 not implemented: select ... vtrace */
#define	SYS_gettimeofday      	116 	/* 116 = gettimeofday */
#define	SYS_getrusage         	117 	/* 117 = getrusage */
						/* 118-121 not implemented: getsockopt ... writev */
#define	SYS_settimeofday      	122 	/* 122 = settimeofday */
						/* 123-127 not implemented: fchown ... setregid */
#define	SYS_rename            	128 	/* 128 = rename */
						/* 129-135 not implemented: truncate ... socketpair */
#define	SYS_mkdir             	136 	/* 136 = mkdir */
#define	SYS_rmdir             	137 	/* 137 = rmdir */
						/* 138-180 not implemented: utimes ... ntp_adjtime */
#define	SYS_setgid            	181 	/* 181 = setgid */
#define	SYS_setegid           	182 	/* 182 = setegid */
#define	SYS_seteuid           	183 	/* 183 = seteuid */
						/* 184-193 not implemented: lfs_*, freebsd11 stat, pathconf */
#define	SYS_getrlimit         	194 	/* 194 = getrlimit */
#define	SYS_setrlimit         	195 	/* 195 = setrlimit */
						/* 196-231 not implemented: getdirentries (old) ... shmget */
#define	SYS_clock_gettime     	232 	/* 232 = clock_gettime */
#define	SYS_clock_settime     	233 	/* 233 = clock_settime */
						/* 234-239 not implemented: clock_getres ... ktimer_getoverrun */
#define	SYS_nanosleep         	240 	/* 240 = nanosleep */
						/* 241-252 not implemented: ffclock ... openbsd_poll */
#define	SYS_issetugid         	253 	/* 253 = issetugid */
						/* 254 not implemented: lchown */
#define	SYS_aio_read          	255 	/* 255 = aio_read */
#define	SYS_aio_write         	256 	/* 256 = aio_write */
#define	SYS_lio_listio        	257 	/* 257 = lio_listio */
						/* 258-313 not implemented: getdents ... setresgid */
#define	SYS_aio_return        	314 	/* 314 = aio_return */
#define	SYS_aio_suspend       	315 	/* 315 = aio_suspend */
#define	SYS_aio_cancel        	316 	/* 316 = aio_cancel */
#define	SYS_aio_error         	317 	/* 317 = aio_error */
						/* 318-325 not implemented: freebsd6 aio_read ... munlockall */
#define	SYS___getcwd          	326 	/* 326 = __getcwd */
						/* 327-330 not implemented: sched_setparam ... sched_getscheduler */
#define	SYS_sched_yield       	331 	/* 331 = sched_yield */
						/* 332-339 not implemented: sched_get_priority_max ... nnpfs_syscall */
#define	SYS_sigprocmask       	340 	/* 340 = sigprocmask */
#define	SYS_sigsuspend        	341 	/* 341 = sigsuspend */
						/* 342 not implemented: freebsd4 (sigaction) */
#define	SYS_sigpending        	343 	/* 343 = sigpending */
						/* 344-415 not implemented: freebsd4 sigreturn ... __mac_execve */
#define	SYS_sigaction         	416 	/* 416 = sigaction */
#define	SYS_sigreturn         	417 	/* 417 = sigreturn */
						/* 418-420 not implemented: __xstat ... __lxstat */
#define	SYS_getcontext        	421 	/* 421 = getcontext */
#define	SYS_setcontext        	422 	/* 422 = setcontext */
#define	SYS_swapcontext       	423 	/* 423 = swapcontext */
						/* 424-430 not implemented: swapoff ... __acl_aclcheck_fd */
#define	SYS_thr_exit          	431 	/* 431 = thr_exit */
#define	SYS_thr_self          	432 	/* 432 = thr_self */
#define	SYS_thr_kill          	433 	/* 433 = thr_kill */
						/* 434-453 not implemented: _umtx_lock ... auditctl */
#define	SYS__umtx_op          	454 	/* 454 = _umtx_op */
#define	SYS_thr_new           	455 	/* 455 = thr_new */
						/* 456-465 not implemented: sigqueue ... aio_fsync */
#define	SYS_rtprio_thread     	466 	/* 466 = rtprio_thread */
						/* 467-476 not implemented: nosys ... pwrite */
#define	SYS_mmap              	477 	/* 477 = mmap */
#define	SYS_lseek             	478 	/* 478 = lseek */
						/* 479-498 not implemented: truncate ... mknodat */
#define	SYS_openat            	499 	/* 499 = openat */
						/* 500-541 not implemented: readlinkat ... accept4 */
#define	SYS_pipe2             	542 	/* 542 = pipe2 */
						/* 543-550 not implemented: aio_mlock ... fdatasync */
#define	SYS_fstat             	551 	/* 551 = fstat */
#define	SYS_fstatat           	552 	/* 552 = fstatat */
						/* 553 not implemented: fhstat */
#define	SYS_getdirentries     	554 	/* 554 = getdirentries */

#define	SYS_MAXSYSCALL	555	/* one past the highest number */

#endif /* !_SYS_SYSCALL_H_ */
