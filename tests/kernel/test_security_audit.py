"""The audit trail: a record per system call with subject, event, objects and result."""

import oskit
from oskit.toolchain import build

PROG = r"""
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void)
{
	int fd = open("/tmp/audited", O_CREAT | O_WRONLY, 0600);
	write(fd, "x", 1);
	close(fd);
	open("/nonexistent/file", O_RDONLY);
	seteuid(0);                       /* refused for uid 1000 */
	chmod("/tmp/audited", 0644);
	return 0;
}
"""


def run(uid=1000, select=None):
    k = oskit.boot(programs=False)
    if select is not None:
        k.audit.select = select
    k.install_program("/bin/aud", build({"aud.c": PROG}, mode="user", name="aud").read_bytes())
    p = k.spawn("/bin/aud", uid=uid, gid=uid)
    r = k.run(until=p.exited, max_instructions=5_000_000)
    assert r.reason == "until" and p.exit_status == 0
    return k, p


def test_every_call_of_the_process_is_recorded_with_its_audit_event():
    """The trail has one record per system call, named by syscalls.master's audit column."""
    k, p = run()
    recs = k.audit.records(pid=p.pid)
    assert [r.call for r in recs] == [r.name for r in k.trace.syscalls(pid=p.pid)]
    events = {r.call: r.event for r in recs}
    assert events["seteuid"] == "AUE_SETEUID"
    # open's event is what its flags asked for (FreeBSD's audit_flags_and_error_to_openevent):
    assert [r.event for r in recs if r.call == "open"] == ["AUE_OPEN_WC", "AUE_OPEN_R"]
    assert events["chmod"] == "AUE_CHMOD" and events["exit"] == "AUE_EXIT"


def test_records_carry_subject_objects_and_result():
    """An open names its path, who asked (uids, gids, audit uid), and how it ended."""
    k, p = run()
    created, missing = k.audit.records(pid=p.pid, call="open")
    assert created.paths == ["/tmp/audited"] and created.success and created.result == 3
    assert created.subject == {"pid": p.pid, "comm": "aud", "auid": 1000, "ruid": 1000, "euid": 1000,
                               "rgid": 1000, "egid": 1000}
    assert dict(created.args)["flags"] == 0x201 and dict(created.args)["mode"] == 0o600
    assert missing.paths == ["/nonexistent/file"] and missing.errno == 2 and not missing.success
    assert created.time <= created.end <= missing.time


def test_the_trail_answers_questions():
    """Queries by event, effective uid and outcome find the refused privilege change."""
    k, p = run()
    failed = k.audit.records(uid=1000, failed=True)
    assert [(r.call, r.errno) for r in failed] == [("open", 2), ("seteuid", 1)]
    line = str(k.audit.records(event="AUE_SETEUID")[0])
    assert ",AUE_SETEUID,seteuid,pid:%d,auid:1000,ruid:1000,euid:1000," % p.pid in line
    assert line.endswith("failure,EPERM")
    assert "path:/tmp/audited" in k.audit.render(pid=p.pid, call="chmod")


def test_preselection_keeps_only_the_chosen_events():
    """With k.audit.select, only those events are recorded (as audit_control's flags do)."""
    k, p = run(select={"AUE_CHMOD", "AUE_SETEUID"})
    assert [r.call for r in k.audit.records(pid=p.pid)] == ["seteuid", "chmod"]


def test_the_audit_uid_survives_setuid_and_fork():
    """auid is who started the process tree: a setuid root program started by 1000 stays auid 1000."""
    k = oskit.boot()
    p = k.spawn("/bin/suidwho", ["suidwho"], uid=1000, gid=1000)
    k.run(until=p.exited, max_instructions=20_000_000)
    rec = k.audit.records(pid=p.pid, call="seteuid")[0]
    assert rec.subject["auid"] == 1000 and rec.subject["euid"] == 0 and rec.subject["ruid"] == 1000
