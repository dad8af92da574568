/* DO NOT EDIT: generated from syscalls.master by makesyscalls.py */
/*
 * The libc side of every system call (FreeBSD's riscv ABI):
 *
 *	li	t0, NUMBER	# which call
 *	ecall			# trap into the kernel; arguments are already in a0-a7
 *	bnez	t0, cerror	# t0 = 1: a0 holds the errno value
 *	ret			# t0 = 0: a0 (a1) holds the result
 *
 * Each stub is __sys_NAME, with NAME a weak alias (a program may define
 * its own NAME). WRAPPED calls have no alias: libc defines NAME in C.
 * cerror sits first so that every bnez reaches it (a branch spans +-4 KiB).
 */

	.text
	.globl	cerror
	.type	cerror, @function
cerror:				# errno = a0; return -1
	addi	sp, sp, -16
	sd	ra, 8(sp)
	sd	a0, 0(sp)
	call	__error		# &errno of this thread
	ld	t1, 0(sp)
	sw	t1, 0(a0)
	ld	ra, 8(sp)
	addi	sp, sp, 16
	li	a0, -1
	ret
	.size	cerror, . - cerror

/* 1 = exit */
	.globl	__sys_exit
	.type	__sys_exit, @function
__sys_exit:
	li	t0, 1
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_exit, . - __sys_exit

/* 2 = fork */
	.globl	__sys_fork
	.type	__sys_fork, @function
__sys_fork:
	li	t0, 2
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_fork, . - __sys_fork

/* 3 = read */
	.globl	__sys_read
	.type	__sys_read, @function
	.weak	read
	.set	read, __sys_read
__sys_read:
	li	t0, 3
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_read, . - __sys_read

/* 4 = write */
	.globl	__sys_write
	.type	__sys_write, @function
	.weak	write
	.set	write, __sys_write
__sys_write:
	li	t0, 4
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_write, . - __sys_write

/* 5 = open */
	.globl	__sys_open
	.type	__sys_open, @function
	.weak	open
	.set	open, __sys_open
__sys_open:
	li	t0, 5
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_open, . - __sys_open

/* 6 = close */
	.globl	__sys_close
	.type	__sys_close, @function
	.weak	close
	.set	close, __sys_close
__sys_close:
	li	t0, 6
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_close, . - __sys_close

/* 7 = wait4 */
	.globl	__sys_wait4
	.type	__sys_wait4, @function
	.weak	wait4
	.set	wait4, __sys_wait4
__sys_wait4:
	li	t0, 7
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_wait4, . - __sys_wait4

/* 9 = link */
	.globl	__sys_link
	.type	__sys_link, @function
	.weak	link
	.set	link, __sys_link
__sys_link:
	li	t0, 9
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_link, . - __sys_link

/* 10 = unlink */
	.globl	__sys_unlink
	.type	__sys_unlink, @function
	.weak	unlink
	.set	unlink, __sys_unlink
__sys_unlink:
	li	t0, 10
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_unlink, . - __sys_unlink

/* 12 = chdir */
	.globl	__sys_chdir
	.type	__sys_chdir, @function
	.weak	chdir
	.set	chdir, __sys_chdir
__sys_chdir:
	li	t0, 12
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_chdir, . - __sys_chdir

/* 13 = fchdir */
	.globl	__sys_fchdir
	.type	__sys_fchdir, @function
	.weak	fchdir
	.set	fchdir, __sys_fchdir
__sys_fchdir:
	li	t0, 13
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_fchdir, . - __sys_fchdir

/* 15 = chmod */
	.globl	__sys_chmod
	.type	__sys_chmod, @function
	.weak	chmod
	.set	chmod, __sys_chmod
__sys_chmod:
	li	t0, 15
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_chmod, . - __sys_chmod

/* 16 = chown */
	.globl	__sys_chown
	.type	__sys_chown, @function
	.weak	chown
	.set	chown, __sys_chown
__sys_chown:
	li	t0, 16
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_chown, . - __sys_chown

/* 17 = break */
	.globl	__sys_break
	.type	__sys_break, @function
__sys_break:
	li	t0, 17
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_break, . - __sys_break

/* 20 = getpid */
	.globl	__sys_getpid
	.type	__sys_getpid, @function
	.weak	getpid
	.set	getpid, __sys_getpid
__sys_getpid:
	li	t0, 20
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getpid, . - __sys_getpid

/* 23 = setuid */
	.globl	__sys_setuid
	.type	__sys_setuid, @function
	.weak	setuid
	.set	setuid, __sys_setuid
__sys_setuid:
	li	t0, 23
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_setuid, . - __sys_setuid

/* 24 = getuid */
	.globl	__sys_getuid
	.type	__sys_getuid, @function
	.weak	getuid
	.set	getuid, __sys_getuid
__sys_getuid:
	li	t0, 24
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getuid, . - __sys_getuid

/* 25 = geteuid */
	.globl	__sys_geteuid
	.type	__sys_geteuid, @function
	.weak	geteuid
	.set	geteuid, __sys_geteuid
__sys_geteuid:
	li	t0, 25
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_geteuid, . - __sys_geteuid

/* 33 = access */
	.globl	__sys_access
	.type	__sys_access, @function
	.weak	access
	.set	access, __sys_access
__sys_access:
	li	t0, 33
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_access, . - __sys_access

/* 37 = kill */
	.globl	__sys_kill
	.type	__sys_kill, @function
	.weak	kill
	.set	kill, __sys_kill
__sys_kill:
	li	t0, 37
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_kill, . - __sys_kill

/* 39 = getppid */
	.globl	__sys_getppid
	.type	__sys_getppid, @function
	.weak	getppid
	.set	getppid, __sys_getppid
__sys_getppid:
	li	t0, 39
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getppid, . - __sys_getppid

/* 41 = dup */
	.globl	__sys_dup
	.type	__sys_dup, @function
	.weak	dup
	.set	dup, __sys_dup
__sys_dup:
	li	t0, 41
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_dup, . - __sys_dup

/* 43 = getegid */
	.globl	__sys_getegid
	.type	__sys_getegid, @function
	.weak	getegid
	.set	getegid, __sys_getegid
__sys_getegid:
	li	t0, 43
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getegid, . - __sys_getegid

/* 47 = getgid */
	.globl	__sys_getgid
	.type	__sys_getgid, @function
	.weak	getgid
	.set	getgid, __sys_getgid
__sys_getgid:
	li	t0, 47
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getgid, . - __sys_getgid

/* 54 = ioctl */
	.globl	__sys_ioctl
	.type	__sys_ioctl, @function
	.weak	ioctl
	.set	ioctl, __sys_ioctl
__sys_ioctl:
	li	t0, 54
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_ioctl, . - __sys_ioctl

/* 59 = execve */
	.globl	__sys_execve
	.type	__sys_execve, @function
	.weak	execve
	.set	execve, __sys_execve
__sys_execve:
	li	t0, 59
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_execve, . - __sys_execve

/* 60 = umask */
	.globl	__sys_umask
	.type	__sys_umask, @function
	.weak	umask
	.set	umask, __sys_umask
__sys_umask:
	li	t0, 60
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_umask, . - __sys_umask

/* 65 = msync */
	.globl	__sys_msync
	.type	__sys_msync, @function
	.weak	msync
	.set	msync, __sys_msync
__sys_msync:
	li	t0, 65
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_msync, . - __sys_msync

/* 73 = munmap */
	.globl	__sys_munmap
	.type	__sys_munmap, @function
	.weak	munmap
	.set	munmap, __sys_munmap
__sys_munmap:
	li	t0, 73
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_munmap, . - __sys_munmap

/* 74 = mprotect */
	.globl	__sys_mprotect
	.type	__sys_mprotect, @function
	.weak	mprotect
	.set	mprotect, __sys_mprotect
__sys_mprotect:
	li	t0, 74
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_mprotect, . - __sys_mprotect

/* 75 = madvise */
	.globl	__sys_madvise
	.type	__sys_madvise, @function
	.weak	madvise
	.set	madvise, __sys_madvise
__sys_madvise:
	li	t0, 75
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_madvise, . - __sys_madvise

/* 78 = mincore */
	.globl	__sys_mincore
	.type	__sys_mincore, @function
	.weak	mincore
	.set	mincore, __sys_mincore
__sys_mincore:
	li	t0, 78
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_mincore, . - __sys_mincore

/* 79 = getgroups */
	.globl	__sys_getgroups
	.type	__sys_getgroups, @function
	.weak	getgroups
	.set	getgroups, __sys_getgroups
__sys_getgroups:
	li	t0, 79
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getgroups, . - __sys_getgroups

/* 80 = setgroups */
	.globl	__sys_setgroups
	.type	__sys_setgroups, @function
	.weak	setgroups
	.set	setgroups, __sys_setgroups
__sys_setgroups:
	li	t0, 80
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_setgroups, . - __sys_setgroups

/* 83 = setitimer */
	.globl	__sys_setitimer
	.type	__sys_setitimer, @function
	.weak	setitimer
	.set	setitimer, __sys_setitimer
__sys_setitimer:
	li	t0, 83
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_setitimer, . - __sys_setitimer

/* 86 = getitimer */
	.globl	__sys_getitimer
	.type	__sys_getitimer, @function
	.weak	getitimer
	.set	getitimer, __sys_getitimer
__sys_getitimer:
	li	t0, 86
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getitimer, . - __sys_getitimer

/* 90 = dup2 */
	.globl	__sys_dup2
	.type	__sys_dup2, @function
	.weak	dup2
	.set	dup2, __sys_dup2
__sys_dup2:
	li	t0, 90
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_dup2, . - __sys_dup2

/* 92 = fcntl */
	.globl	__sys_fcntl
	.type	__sys_fcntl, @function
	.weak	fcntl
	.set	fcntl, __sys_fcntl
__sys_fcntl:
	li	t0, 92
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_fcntl, . - __sys_fcntl

/* 116 = gettimeofday */
	.globl	__sys_gettimeofday
	.type	__sys_gettimeofday, @function
__sys_gettimeofday:
	li	t0, 116
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_gettimeofday, . - __sys_gettimeofday

/* 117 = getrusage */
	.globl	__sys_getrusage
	.type	__sys_getrusage, @function
	.weak	getrusage
	.set	getrusage, __sys_getrusage
__sys_getrusage:
	li	t0, 117
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getrusage, . - __sys_getrusage

/* 122 = settimeofday */
	.globl	__sys_settimeofday
	.type	__sys_settimeofday, @function
	.weak	settimeofday
	.set	settimeofday, __sys_settimeofday
__sys_settimeofday:
	li	t0, 122
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_settimeofday, . - __sys_settimeofday

/* 128 = rename */
	.globl	__sys_rename
	.type	__sys_rename, @function
	.weak	rename
	.set	rename, __sys_rename
__sys_rename:
	li	t0, 128
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_rename, . - __sys_rename

/* 136 = mkdir */
	.globl	__sys_mkdir
	.type	__sys_mkdir, @function
	.weak	mkdir
	.set	mkdir, __sys_mkdir
__sys_mkdir:
	li	t0, 136
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_mkdir, . - __sys_mkdir

/* 137 = rmdir */
	.globl	__sys_rmdir
	.type	__sys_rmdir, @function
	.weak	rmdir
	.set	rmdir, __sys_rmdir
__sys_rmdir:
	li	t0, 137
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_rmdir, . - __sys_rmdir

/* 181 = setgid */
	.globl	__sys_setgid
	.type	__sys_setgid, @function
	.weak	setgid
	.set	setgid, __sys_setgid
__sys_setgid:
	li	t0, 181
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_setgid, . - __sys_setgid

/* 182 = setegid */
	.globl	__sys_setegid
	.type	__sys_setegid, @function
	.weak	setegid
	.set	setegid, __sys_setegid
__sys_setegid:
	li	t0, 182
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_setegid, . - __sys_setegid

/* 183 = seteuid */
	.globl	__sys_seteuid
	.type	__sys_seteuid, @function
	.weak	seteuid
	.set	seteuid, __sys_seteuid
__sys_seteuid:
	li	t0, 183
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_seteuid, . - __sys_seteuid

/* 194 = getrlimit */
	.globl	__sys_getrlimit
	.type	__sys_getrlimit, @function
	.weak	getrlimit
	.set	getrlimit, __sys_getrlimit
__sys_getrlimit:
	li	t0, 194
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getrlimit, . - __sys_getrlimit

/* 195 = setrlimit */
	.globl	__sys_setrlimit
	.type	__sys_setrlimit, @function
	.weak	setrlimit
	.set	setrlimit, __sys_setrlimit
__sys_setrlimit:
	li	t0, 195
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_setrlimit, . - __sys_setrlimit

/* 232 = clock_gettime */
	.globl	__sys_clock_gettime
	.type	__sys_clock_gettime, @function
__sys_clock_gettime:
	li	t0, 232
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_clock_gettime, . - __sys_clock_gettime

/* 233 = clock_settime */
	.globl	__sys_clock_settime
	.type	__sys_clock_settime, @function
	.weak	clock_settime
	.set	clock_settime, __sys_clock_settime
__sys_clock_settime:
	li	t0, 233
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_clock_settime, . - __sys_clock_settime

/* 240 = nanosleep */
	.globl	__sys_nanosleep
	.type	__sys_nanosleep, @function
	.weak	nanosleep
	.set	nanosleep, __sys_nanosleep
__sys_nanosleep:
	li	t0, 240
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_nanosleep, . - __sys_nanosleep

/* 253 = issetugid */
	.globl	__sys_issetugid
	.type	__sys_issetugid, @function
	.weak	issetugid
	.set	issetugid, __sys_issetugid
__sys_issetugid:
	li	t0, 253
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_issetugid, . - __sys_issetugid

/* 255 = aio_read */
	.globl	__sys_aio_read
	.type	__sys_aio_read, @function
	.weak	aio_read
	.set	aio_read, __sys_aio_read
__sys_aio_read:
	li	t0, 255
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_aio_read, . - __sys_aio_read

/* 256 = aio_write */
	.globl	__sys_aio_write
	.type	__sys_aio_write, @function
	.weak	aio_write
	.set	aio_write, __sys_aio_write
__sys_aio_write:
	li	t0, 256
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_aio_write, . - __sys_aio_write

/* 257 = lio_listio */
	.globl	__sys_lio_listio
	.type	__sys_lio_listio, @function
	.weak	lio_listio
	.set	lio_listio, __sys_lio_listio
__sys_lio_listio:
	li	t0, 257
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_lio_listio, . - __sys_lio_listio

/* 314 = aio_return */
	.globl	__sys_aio_return
	.type	__sys_aio_return, @function
	.weak	aio_return
	.set	aio_return, __sys_aio_return
__sys_aio_return:
	li	t0, 314
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_aio_return, . - __sys_aio_return

/* 315 = aio_suspend */
	.globl	__sys_aio_suspend
	.type	__sys_aio_suspend, @function
	.weak	aio_suspend
	.set	aio_suspend, __sys_aio_suspend
__sys_aio_suspend:
	li	t0, 315
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_aio_suspend, . - __sys_aio_suspend

/* 316 = aio_cancel */
	.globl	__sys_aio_cancel
	.type	__sys_aio_cancel, @function
	.weak	aio_cancel
	.set	aio_cancel, __sys_aio_cancel
__sys_aio_cancel:
	li	t0, 316
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_aio_cancel, . - __sys_aio_cancel

/* 317 = aio_error */
	.globl	__sys_aio_error
	.type	__sys_aio_error, @function
	.weak	aio_error
	.set	aio_error, __sys_aio_error
__sys_aio_error:
	li	t0, 317
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_aio_error, . - __sys_aio_error

/* 326 = __getcwd */
	.globl	__sys___getcwd
	.type	__sys___getcwd, @function
	.weak	__getcwd
	.set	__getcwd, __sys___getcwd
__sys___getcwd:
	li	t0, 326
	ecall
	bnez	t0, cerror
	ret
	.size	__sys___getcwd, . - __sys___getcwd

/* 331 = sched_yield */
	.globl	__sys_sched_yield
	.type	__sys_sched_yield, @function
	.weak	sched_yield
	.set	sched_yield, __sys_sched_yield
__sys_sched_yield:
	li	t0, 331
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_sched_yield, . - __sys_sched_yield

/* 340 = sigprocmask */
	.globl	__sys_sigprocmask
	.type	__sys_sigprocmask, @function
	.weak	sigprocmask
	.set	sigprocmask, __sys_sigprocmask
__sys_sigprocmask:
	li	t0, 340
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_sigprocmask, . - __sys_sigprocmask

/* 341 = sigsuspend */
	.globl	__sys_sigsuspend
	.type	__sys_sigsuspend, @function
	.weak	sigsuspend
	.set	sigsuspend, __sys_sigsuspend
__sys_sigsuspend:
	li	t0, 341
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_sigsuspend, . - __sys_sigsuspend

/* 343 = sigpending */
	.globl	__sys_sigpending
	.type	__sys_sigpending, @function
	.weak	sigpending
	.set	sigpending, __sys_sigpending
__sys_sigpending:
	li	t0, 343
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_sigpending, . - __sys_sigpending

/* 416 = sigaction */
	.globl	__sys_sigaction
	.type	__sys_sigaction, @function
	.weak	sigaction
	.set	sigaction, __sys_sigaction
__sys_sigaction:
	li	t0, 416
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_sigaction, . - __sys_sigaction

/* 417 = sigreturn */
	.globl	__sys_sigreturn
	.type	__sys_sigreturn, @function
	.weak	sigreturn
	.set	sigreturn, __sys_sigreturn
__sys_sigreturn:
	li	t0, 417
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_sigreturn, . - __sys_sigreturn

/* 421 = getcontext */
	.globl	__sys_getcontext
	.type	__sys_getcontext, @function
	.weak	getcontext
	.set	getcontext, __sys_getcontext
__sys_getcontext:
	li	t0, 421
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getcontext, . - __sys_getcontext

/* 422 = setcontext */
	.globl	__sys_setcontext
	.type	__sys_setcontext, @function
	.weak	setcontext
	.set	setcontext, __sys_setcontext
__sys_setcontext:
	li	t0, 422
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_setcontext, . - __sys_setcontext

/* 423 = swapcontext */
	.globl	__sys_swapcontext
	.type	__sys_swapcontext, @function
	.weak	swapcontext
	.set	swapcontext, __sys_swapcontext
__sys_swapcontext:
	li	t0, 423
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_swapcontext, . - __sys_swapcontext

/* 431 = thr_exit */
	.globl	__sys_thr_exit
	.type	__sys_thr_exit, @function
	.weak	thr_exit
	.set	thr_exit, __sys_thr_exit
__sys_thr_exit:
	li	t0, 431
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_thr_exit, . - __sys_thr_exit

/* 432 = thr_self */
	.globl	__sys_thr_self
	.type	__sys_thr_self, @function
	.weak	thr_self
	.set	thr_self, __sys_thr_self
__sys_thr_self:
	li	t0, 432
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_thr_self, . - __sys_thr_self

/* 433 = thr_kill */
	.globl	__sys_thr_kill
	.type	__sys_thr_kill, @function
	.weak	thr_kill
	.set	thr_kill, __sys_thr_kill
__sys_thr_kill:
	li	t0, 433
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_thr_kill, . - __sys_thr_kill

/* 454 = _umtx_op */
	.globl	__sys__umtx_op
	.type	__sys__umtx_op, @function
	.weak	_umtx_op
	.set	_umtx_op, __sys__umtx_op
__sys__umtx_op:
	li	t0, 454
	ecall
	bnez	t0, cerror
	ret
	.size	__sys__umtx_op, . - __sys__umtx_op

/* 455 = thr_new */
	.globl	__sys_thr_new
	.type	__sys_thr_new, @function
	.weak	thr_new
	.set	thr_new, __sys_thr_new
__sys_thr_new:
	li	t0, 455
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_thr_new, . - __sys_thr_new

/* 466 = rtprio_thread */
	.globl	__sys_rtprio_thread
	.type	__sys_rtprio_thread, @function
	.weak	rtprio_thread
	.set	rtprio_thread, __sys_rtprio_thread
__sys_rtprio_thread:
	li	t0, 466
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_rtprio_thread, . - __sys_rtprio_thread

/* 477 = mmap */
	.globl	__sys_mmap
	.type	__sys_mmap, @function
	.weak	mmap
	.set	mmap, __sys_mmap
__sys_mmap:
	li	t0, 477
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_mmap, . - __sys_mmap

/* 478 = lseek */
	.globl	__sys_lseek
	.type	__sys_lseek, @function
	.weak	lseek
	.set	lseek, __sys_lseek
__sys_lseek:
	li	t0, 478
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_lseek, . - __sys_lseek

/* 499 = openat */
	.globl	__sys_openat
	.type	__sys_openat, @function
	.weak	openat
	.set	openat, __sys_openat
__sys_openat:
	li	t0, 499
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_openat, . - __sys_openat

/* 542 = pipe2 */
	.globl	__sys_pipe2
	.type	__sys_pipe2, @function
	.weak	pipe2
	.set	pipe2, __sys_pipe2
__sys_pipe2:
	li	t0, 542
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_pipe2, . - __sys_pipe2

/* 551 = fstat */
	.globl	__sys_fstat
	.type	__sys_fstat, @function
	.weak	fstat
	.set	fstat, __sys_fstat
__sys_fstat:
	li	t0, 551
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_fstat, . - __sys_fstat

/* 552 = fstatat */
	.globl	__sys_fstatat
	.type	__sys_fstatat, @function
	.weak	fstatat
	.set	fstatat, __sys_fstatat
__sys_fstatat:
	li	t0, 552
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_fstatat, . - __sys_fstatat

/* 554 = getdirentries */
	.globl	__sys_getdirentries
	.type	__sys_getdirentries, @function
	.weak	getdirentries
	.set	getdirentries, __sys_getdirentries
__sys_getdirentries:
	li	t0, 554
	ecall
	bnez	t0, cerror
	ret
	.size	__sys_getdirentries, . - __sys_getdirentries
