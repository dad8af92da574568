"""MAC: a hook before each access decision; the example policy confines programs run from a world-writable directory."""

import oskit
from oskit.toolchain import build

PROG = r"""
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
static void try(const char *path)
{
	int fd = open(path, O_RDONLY);
	printf("%s: %s\n", path, fd >= 0 ? "ok" : strerror(errno));
	if (fd >= 0)
		close(fd);
}
int main(void)
{
	try("/etc/motd");
	try("/tmp/drop/notes");
	try("/dev/null");
	if (fork() == 0) {
		try("/etc/motd");            /* the child shares the confined credential */
		char *argv[] = {"cat", "/tmp/drop/notes", NULL};
		execv("/bin/cat", argv);
		printf("exec /bin/cat: %s\n", strerror(errno));
		_exit(1);
	}
	wait(NULL);
	return 0;
}
"""


def setup(policy: bool):
    k = oskit.boot()
    if policy:
        k.mac.enable("wwjail")
    k.vfs.install_file("/etc/motd", b"welcome\n", 0o644)
    k.vfs.mkdir_p("/tmp/drop", 0o777)
    k.vfs.lookup("/tmp/drop").mode = 0o777               # world-writable: anyone may drop a program here
    k.vfs.install_file("/tmp/drop/notes", b"notes\n", 0o644)
    elf = build({"peek.c": PROG}, mode="user", name="peek").read_bytes()
    k.vfs.install_file("/tmp/drop/peek", elf, 0o755)
    k.vfs.install_file("/sbin/peek", elf, 0o755)
    return k


def run(k, path):
    p = k.spawn(path, ["peek"], uid=1000, gid=1000)
    r = k.run(until=p.exited, max_instructions=20_000_000)
    assert r.reason == "until" and k.panic_report is None
    return p


def test_without_the_policy_only_dac_decides():
    """With no MAC policy on, the program in the world-writable directory reads what DAC allows."""
    k = setup(policy=False)
    p = run(k, "/tmp/drop/peek")
    assert p.stdout == ("/etc/motd: ok\n/tmp/drop/notes: ok\n/dev/null: ok\n"
                        "/etc/motd: ok\nnotes\n")


def test_wwjail_confines_a_program_from_a_world_writable_directory():
    """Started from /tmp/drop (mode 0777), it and its children may not open or execute files outside it."""
    k = setup(policy=True)
    p = run(k, "/tmp/drop/peek")
    assert p.stdout == ("/etc/motd: Permission denied\n/tmp/drop/notes: ok\n/dev/null: ok\n"
                        "/etc/motd: Permission denied\nexec /bin/cat: Permission denied\n")
    assert any("confined to /tmp/drop" in line for line in k.log)
    denied = k.audit.records(call="open", failed=True)
    assert [r.paths for r in denied] == [["/etc/motd"], ["/etc/motd"]] and all(r.errno == 13 for r in denied)
    assert k.trace.syscalls(pid=p.pid, name="open")[0].message.startswith("mac/wwjail")


def test_wwjail_leaves_programs_from_trusted_directories_alone():
    """The same program installed in /sbin (not world-writable) is not confined."""
    k = setup(policy=True)
    p = run(k, "/sbin/peek")
    assert p.stdout.startswith("/etc/motd: ok\n/tmp/drop/notes: ok\n")
    assert not k.mac.denials


def test_mac_denies_even_root():
    """DAC lets root read anything; a MAC policy does not make that exception."""
    k = setup(policy=True)
    p = k.spawn("/tmp/drop/peek", ["peek"], uid=0, gid=0)
    k.run(until=p.exited, max_instructions=20_000_000)
    assert p.stdout.startswith("/etc/motd: Permission denied\n")


KILLER = r"""
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	pid_t child = fork();
	if (child == 0) { pause(); _exit(0); }
	int r = kill(atoi(argv[1]), SIGTERM);
	printf("kill outsider: %s\n", r == 0 ? "ok" : strerror(errno));
	r = kill(child, SIGTERM);
	printf("kill own child: %s\n", r == 0 ? "ok" : strerror(errno));
	wait(NULL);
	return 0;
}
"""


def test_wwjail_keeps_a_confined_program_from_signalling_outside_its_jail():
    """kill() asks the MAC policy too: a confined program may signal its own children, not a same-uid outsider."""
    k = setup(policy=True)
    k.install_program("/sbin/sleeper", build({"sl.c": "#include <unistd.h>\nint main(void){pause();}\n"},
                                             mode="user", name="sleeper").read_bytes())
    k.vfs.install_file("/tmp/drop/killer", build({"killer.c": KILLER}, mode="user", name="killer").read_bytes(),
                       0o755)
    outsider = k.spawn("/sbin/sleeper", uid=1000, gid=1000)
    p = k.spawn("/tmp/drop/killer", ["killer", str(outsider.pid)], uid=1000, gid=1000)
    r = k.run(until=p.exited, max_instructions=20_000_000)
    assert r.reason == "until"
    assert p.stdout == "kill outsider: Operation not permitted\nkill own child: ok\n"
    assert not outsider.exited()
