"""Credentials: ucred shared copy-on-write, FreeBSD's id rules, set-user-id exec, issetugid."""

import pytest

import oskit
from oskit.kernel.kern import cred as credmod
from oskit.toolchain import build

SHARE = r"""
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	int go[2], done[2];
	pipe(go); pipe(done);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		write(done[1], "s", 1);          /* forked: still sharing the credential */
		read(go[0], &c, 1);
		setuid(1000);                    /* now the child copies it, then changes its copy */
		write(done[1], "c", 1);
		read(go[0], &c, 1);
		printf("child uid=%d euid=%d\n", (int)getuid(), (int)geteuid());
		_exit(0);
	}
	char c;
	read(done[0], &c, 1);
	write(1, "", 0);                     /* a system call the test can stop at */
	write(go[1], "x", 1);
	read(done[0], &c, 1);
	write(go[1], "x", 1);
	waitpid(pid, NULL, 0);
	printf("parent uid=%d euid=%d\n", (int)getuid(), (int)geteuid());
	return 0;
}
"""

IDS = r"""
#include <stdio.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
static void show(const char *what, int r)
{
	printf("%s: %s uid=%d euid=%d sugid=%d\n", what, r == 0 ? "OK" : strerror(errno),
	       (int)getuid(), (int)geteuid(), issetugid());
}
int main(void)
{
	show("start", 0);
	show("seteuid(2000)", seteuid(2000));
	show("seteuid(0)", seteuid(0));
	show("seteuid(2000)", seteuid(2000));
	show("setuid(2000)", setuid(2000));      /* = euid: BSD sets real and saved too */
	show("seteuid(0)", seteuid(0));
	return 0;
}
"""


def run_c(source: str, name: str, uid=0, gid=0, until=None, max_instructions=20_000_000, **boot):
    k = oskit.boot(programs=False, **boot)
    k.install_program(f"/bin/{name}", build({f"{name}.c": source}, mode="user", name=name).read_bytes())
    p = k.spawn(f"/bin/{name}", uid=uid, gid=gid, cwd="/tmp")
    r = k.run(until=until(k, p) if until else p.exited, max_instructions=max_instructions)
    return k, p, r


def test_fork_shares_the_credential_until_one_side_changes_it():
    """After fork both processes point at one ucred (cr_ref 2); setuid in the child copies it first."""
    seen = {}

    def at_marker(k, p):
        def cond():
            recs = k.trace.syscalls(pid=p.pid, name="write")
            if recs and recs[-1].args[2] == 0 and "shared" not in seen:
                child = p.children[0]
                seen["shared"] = (p.pstruct.p_ucred == child.pstruct.p_ucred, p.cred.view.cr_ref,
                                  credmod.shared_with(k, p))
            return p.exited()
        return cond

    k, p, r = run_c(SHARE, "share", until=at_marker)
    assert r.reason == "until" and k.panic_report is None
    same, refs, pids = seen["shared"]
    assert same and refs == 2 and pids == [p.pid, p.pid + 1]
    assert p.stdout == "child uid=1000 euid=1000\nparent uid=0 euid=0\n"
    assert p.cred.view.cr_ref == 1                 # the child's reference went with it


def test_reaping_the_last_sharer_frees_the_credential():
    """crfree gives the memory back only when the last reference goes."""
    k = oskit.boot(programs=False)
    heap_before = dict(k.pmem.heap_used)
    c = k.new_cred(5, 5)
    credmod.crhold(c)
    credmod.crfree(k, c.addr)
    assert c.addr in k.pmem.heap_used and c.view.cr_ref == 1
    credmod.crfree(k, c.addr)
    assert k.pmem.heap_used == heap_before
    credmod.crfree(k, c.addr)                      # a corrupted count: logged, not a crash
    assert "already freed" in k.log[-1]


def test_bsd_setuid_to_the_effective_uid_sets_real_and_saved():
    """POSIX B.4.2.2 as FreeBSD has it: setuid(euid) by a non-root process sets all three uids."""
    k, p, r = run_c(IDS, "ids")
    assert p.stdout.splitlines() == [
        "start: OK uid=0 euid=0 sugid=0",
        "seteuid(2000): OK uid=0 euid=2000 sugid=1",
        "seteuid(0): OK uid=0 euid=0 sugid=1",
        "seteuid(2000): OK uid=0 euid=2000 sugid=1",
        "setuid(2000): OK uid=2000 euid=2000 sugid=1",
        "seteuid(0): Operation not permitted uid=2000 euid=2000 sugid=1",
    ]
    assert p.cred.svuid == 2000


def test_eperm_names_the_ids_in_the_trace():
    """A refused id change says which ids it compared in the kernel's message."""
    k, p, r = run_c(IDS, "ids")
    rec = k.trace.syscalls(pid=p.pid, name="seteuid")[-1]
    assert rec.errno == 1 and "real (2000)" in rec.message and "saved (2000)" in rec.message


def test_set_user_id_program_runs_with_its_owners_authority():
    """/bin/suidwho (04755 root) run by uid 1000: euid 0, issetugid 1; the saved uid lets it come back until setuid."""
    k = oskit.boot()
    vp = k.vfs.lookup("/bin/suidwho")
    assert vp.mode == 0o4755 and vp.uid == 0
    k.vfs.install_file("/tmp/secret", b"s\n", 0o600)
    p = k.spawn("/bin/suidwho", ["suidwho", "/tmp/secret"], uid=1000, gid=1000)
    r = k.run(until=p.exited, max_instructions=20_000_000)
    assert r.reason == "until" and p.exit_status == 0
    assert p.stdout.splitlines() == [
        "started:               uid=1000 euid=0 gid=1000 egid=1000 issetugid=1",
        "open(/tmp/secret) with euid 0: ok",
        "access(/tmp/secret, R_OK) for uid 1000: Permission denied",
        "seteuid(caller):       uid=1000 euid=1000 gid=1000 egid=1000 issetugid=1",
        "seteuid(saved):        uid=1000 euid=0 gid=1000 egid=1000 issetugid=1",
        "setuid(caller):        uid=1000 euid=1000 gid=1000 egid=1000 issetugid=1",
        "seteuid(0) after setuid: Operation not permitted",
    ]


def test_without_the_set_id_bit_the_program_runs_as_its_caller():
    """The same program without mode 04000 keeps the caller's ids, and issetugid() says 0."""
    k = oskit.boot()
    k.vfs.lookup("/bin/suidwho").mode = 0o755
    p = k.spawn("/bin/suidwho", ["suidwho"], uid=1000, gid=1000)
    k.run(until=p.exited, max_instructions=20_000_000)
    assert p.stdout.splitlines()[0] == "started:               uid=1000 euid=1000 gid=1000 egid=1000 issetugid=0"


@pytest.mark.parametrize("call,arg", [("setuid", 0), ("seteuid", 0), ("setgid", 0), ("setegid", 0)])
def test_unprivileged_id_changes_leave_the_shared_credential_alone(call, arg):
    """A refused call makes no copy: the process still shares its parent's ucred."""
    k = oskit.boot(programs=False)
    src = f"#include <unistd.h>\nint main(void) {{ return {call}({arg}) == 0; }}\n"
    k.install_program("/bin/t", build({"t.c": src}, mode="user", name=f"t_{call}").read_bytes())
    p = k.spawn("/bin/t", uid=1000, gid=1000)
    addr = p.pstruct.p_ucred
    k.run(until=p.exited, max_instructions=5_000_000)
    assert p.exit_status == 0
    assert k.audit.records(pid=p.pid, call=call)[-1].errno == 1
    assert "sugid" not in p.flags and addr == k.audit.kernel.procs[p.pid].pstruct.p_ucred


def test_garbage_arguments_to_the_security_calls_only_give_errnos():
    """Random ids, sizes and pointers to the credential and limit calls never raise anything but SyscallError."""
    import random

    from oskit.kernel.kern.syscall import HANDLERS, SyscallError
    from oskit.kernel.kern.syscalls_table import BY_NAME
    k = oskit.boot(programs=False)
    rng = random.Random(7)
    values = [0, 1, 2, 7, 8, 10, 14, 15, 16, 1000, 0xFFFFFFFF, 0x7FFFFFFF, 1 << 63, (1 << 64) - 1,
              0x10000, 0x3FFFFFF000, 0xFFFFFFC000000000]
    names = ["setuid", "seteuid", "setgid", "setegid", "setgroups", "issetugid", "getrlimit", "setrlimit",
             "getgroups"]
    for round_ in range(300):
        p = k.spawn("/sbin/init", ["init"], uid=rng.choice([0, 1000]), gid=1000)
        td = p.main_thread
        for _ in range(6):
            name = rng.choice(names)
            info = BY_NAME[name]
            raw = [rng.choice(values) if rng.random() < 0.7 else rng.getrandbits(64) for _ in range(8)]
            args = info.decode_args(raw)
            try:
                HANDLERS[name].fn(td, *args[:HANDLERS[name].nargs])
            except SyscallError:
                pass
        c = p.cred
        assert c.view.cr_ref >= 1 and 1 <= c.view.cr_ngroups <= 16
    assert k.panic_report is None


FORK_EXEC = r"""
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	if (fork() == 0) {
		char *argv[] = {"suidwho", NULL};
		execv("/bin/suidwho", argv);
		_exit(127);
	}
	wait(NULL);
	printf("parent after: uid=%d euid=%d egid=%d issetugid=%d\n",
	       (int)getuid(), (int)geteuid(), (int)getegid(), issetugid());
	return 0;
}
"""


def test_set_id_exec_in_a_child_copies_the_shared_credential():
    """A child that shares its parent's ucred and execs a set-id file changes only its own copy."""
    k = oskit.boot()
    vp = k.vfs.lookup("/bin/suidwho")
    vp.mode, vp.gid = 0o6755, 50                   # set-user-id root and set-group-id 50
    k.install_program("/bin/fx", build({"fx.c": FORK_EXEC}, mode="user", name="fx").read_bytes())
    p = k.spawn("/bin/fx", uid=1000, gid=1000)
    r = k.run(until=p.exited, max_instructions=20_000_000)
    assert r.reason == "until"
    lines = p.stdout.splitlines()
    assert lines[0] == "started:               uid=1000 euid=0 gid=1000 egid=50 issetugid=1"
    assert lines[-1] == "parent after: uid=1000 euid=1000 egid=1000 issetugid=0"
