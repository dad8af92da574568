"""The weaknesses of issue 7: each exploit works with its flag on and fails cleanly with it off.

For every weakness: the exploit in oskit/userland/exploits/ succeeds with the
flag on; with it off it fails with the right errno, signal or kernel report;
either way the kernel survives and another process still runs afterwards.
"""

import re
from pathlib import Path

import pytest

import oskit
from oskit.kernel.riscv import cpu
from oskit.kernel.structs import UCRED
from oskit.lab import labdev, weaknesses
from oskit.machine.mmu import PTE_R, PTE_U, PTE_V, PTE_X, allowed
from oskit.machine.trap import Priv

EXPLOITS = Path(weaknesses.__file__).resolve().parent.parent / "userland" / "exploits"


def boot(*flags):
    """A kernel without /bin's programs, with these weaknesses on."""
    k = oskit.boot(programs=False)
    w = weaknesses.attach(k)
    for f in flags:
        w.enable(f)
    return k


def assert_survives(k):
    """The kernel did not panic, and a new process still runs to its end."""
    assert k.panic_report is None
    p = weaknesses.run_exploit(k, "padding_leak", ["store", "still alive"], uid=1003)
    assert p.exit_status == 0


def test_every_weakness_is_listed_with_one_line_and_off_by_default():
    """The listing names every flag once, one line each, and a fresh kernel has none on."""
    k = boot()
    text = str(k.lab)
    assert len(text.splitlines()) == len(weaknesses.WEAKNESSES)
    assert all(f"[ ] {name}" in text for name in weaknesses.WEAKNESSES)
    assert list(k.lab) == [] and not weaknesses.active(k, "smap_off")
    k.lab.enable("smap_off")
    assert "[x] smap_off" in str(k.lab) and "smap_off" in k.lab


def test_boot_switches_weaknesses_on_and_off_again():
    """oskit.boot(weaknesses=...) turns flags on at boot; disable() turns one off again."""
    k = oskit.boot(programs=False, weaknesses={"smap_off", "padding_leak"})
    assert sorted(k.lab) == ["padding_leak", "smap_off"]
    assert k.machine.harts[0].csr.read("sstatus") & cpu.SSTATUS_SUM
    k.lab.disable("smap_off")
    assert not k.machine.harts[0].csr.read("sstatus") & cpu.SSTATUS_SUM
    assert list(k.lab) == ["padding_leak"]


def test_each_weakness_names_an_exploit_that_exists():
    """Every flag's documentation points at its exploit program(s) in oskit/userland/exploits/."""
    for w in weaknesses.WEAKNESSES.values():
        names = re.findall(r"[a-z_]+\.c", w.exploit)
        assert names and all((EXPLOITS / n).exists() for n in names), w.name
        assert w.title and w.where and w.bug and w.fix
    assert len(weaknesses.listing().splitlines()) == len(weaknesses.WEAKNESSES)


def test_an_unknown_weakness_is_refused_by_name():
    """Enabling a name that is not a weakness says which names exist."""
    k = boot()
    with pytest.raises(ValueError, match="unknown weakness 'smap': expected one of .*smap_off"):
        k.lab.enable("smap")


def test_lab_header_matches_the_driver():
    """lab.h's request numbers and ucred offsets are the kernel's own."""
    text = (EXPLOITS / "lab.h").read_text()
    assert labdev.LABIOC_KADDR == 0x40000000 | 16 << 16 | ord("L") << 8 | 3
    assert labdev.LABIOC_INFO == 0x40000000 | 32 << 16 | ord("L") << 8 | 4
    for field in ("cr_uid", "cr_ruid", "cr_svuid"):
        m = re.search(rf"#define UCRED_{field.upper()}\s+(\d+)", text)
        assert int(m.group(1)) == UCRED.offset(field)


def test_unchecked_user_pointer_lets_read_zero_the_credential():
    """read() from /dev/zero into the leaked ucred address makes the process root."""
    k = boot("unchecked_user_pointer")
    p = weaknesses.run_exploit(k, "ucred_zero")
    assert "an ordinary read works" in p.stdout                 # correct programs still run
    assert "read: 12 bytes\nafter: uid 0 euid 0\n" in p.stdout and p.exit_status == 0
    assert_survives(k)


def test_copyout_refuses_a_kernel_address_with_efault():
    """With the check, read() into a kernel address fails with EFAULT and the credential is unchanged."""
    k = boot()
    p = weaknesses.run_exploit(k, "ucred_zero")
    assert "read: Bad address\nafter: uid 1001 euid 1001\n" in p.stdout and p.exit_status == 1
    ordinary, attack = k.trace.syscalls(pid=p.pid, name="read")
    assert ordinary.errno == 0 and attack.errno == 14            # EFAULT
    assert_survives(k)


def test_smap_off_lets_a_stray_user_pointer_work():
    """With SUM kept set, the driver's direct dereference of a user pointer reads the user's value."""
    k = boot("smap_off")
    p = weaknesses.run_exploit(k, "smap_peek")
    assert "the kernel read 0x1234567 through my pointer" in p.stdout and p.exit_status == 0
    assert k.lab.oopses == []
    assert_survives(k)


def test_without_smap_off_the_stray_dereference_is_an_oops_that_kills_the_process():
    """With SUM clear, the load faults in S-mode: the kernel reports the bug and kills the process (SIGKILL)."""
    k = boot()
    p = weaknesses.run_exploit(k, "smap_peek")
    assert p.exit_status == -9 and "the kernel read" not in p.stdout
    (oops,) = k.lab.oopses
    assert oops.cause == "load page fault" and oops.where.startswith("lab_peek")
    assert oops.pid == p.pid and str(oops) in k.log
    assert_survives(k)


def test_padding_leak_hands_out_another_process_secret():
    """The reply struct built in the driver's buffer carries another process's message in its padding."""
    k = boot("padding_leak")
    secret = "the password is swordfish"
    weaknesses.run_exploit(k, "padding_leak", ["store", secret], uid=1002)
    p = weaknesses.run_exploit(k, "padding_leak", uid=1001)
    assert p.exit_status == 0
    assert f'as text: "{secret[1:8]}{secret[18:24]}"' in p.stdout
    assert_survives(k)


def test_zeroing_the_struct_first_leaks_nothing():
    """Without the weakness every padding byte reads as zero."""
    k = boot()
    weaknesses.run_exploit(k, "padding_leak", ["store", "the password is swordfish"], uid=1002)
    p = weaknesses.run_exploit(k, "padding_leak", uid=1001)
    assert p.exit_status == 1 and "padding: 00 00 00 00 00 00 00 00 00 00 00 00 00\n" in p.stdout
    assert_survives(k)


def test_mmu_permission_rule_for_supervisor_fetches_from_user_pages():
    """S-mode never executes a U page, except with the machine's non-conforming legacy switch."""
    pte = PTE_V | PTE_R | PTE_X | PTE_U
    assert not allowed(pte, "x", Priv.S, True, False)
    assert allowed(pte, "x", Priv.S, False, False, legacy_smode_exec_user=True)
    assert not allowed(pte, "r", Priv.S, False, False, legacy_smode_exec_user=True)   # SUM still rules data
    assert allowed(pte, "x", Priv.U, False, False)


def test_null_method_call_without_page_zero_is_an_oops():
    """The NULL call faults in S-mode (page 0 may not be mapped): an oops, the process is killed, the kernel goes on."""
    k = boot()
    p = weaknesses.run_exploit(k, "null_call")
    assert "mmap at 0: Invalid argument" in p.stdout and p.exit_status == -9
    (oops,) = k.lab.oopses
    assert oops.cause == "instruction page fault" and oops.sepc == 0 and "NULL" in oops.where
    assert_survives(k)


def billing_kernel(*flags):
    """A kernel with /var/billing (root's, 0644) holding one record."""
    k = boot(*flags)
    k.lab.install()
    k.vfs.mkdir_p("/var", 0o755)
    k.vfs.install_file("/var/billing", b"uid 7: 3 jobs\n", 0o644)
    return k


def run_billing(k, target):
    p = k.spawn("/bin/billing", ["billing", target], uid=1001, gid=1001, cwd="/tmp")
    assert k.run(until=p.exited, max_instructions=10_000_000).reason == "until"
    return p


def test_confused_deputy_overwrites_the_billing_file_for_its_caller():
    """The naive set-user-id deputy truncates /var/billing when its caller names it as the output file."""
    k = billing_kernel("confused_deputy")
    p = run_billing(k, "/var/billing")
    assert p.exit_status == 0 and "wrote /var/billing" in p.stdout
    assert k.vfs.read_file("/var/billing") == b"job output\nuid 1001: 1 job\n"      # uid 7's record is gone
    assert_survives(k)


def test_careful_deputy_checks_with_the_callers_authority():
    """The careful deputy asks access() for the real uid: EACCES, and the billing file keeps its records."""
    k = billing_kernel()
    p = run_billing(k, "/var/billing")
    assert p.exit_status == 1 and "billing: /var/billing: Permission denied" in p.stdout
    assert k.vfs.read_file("/var/billing") == b"uid 7: 3 jobs\n"
    k.vfs.install_file("/tmp/out", b"", 0o644, uid=1001, gid=1001)
    p = run_billing(k, "/tmp/out")                                  # its honest use still works
    assert p.exit_status == 0 and k.vfs.read_file("/tmp/out") == b"job output\n"
    assert k.vfs.read_file("/var/billing") == b"uid 7: 3 jobs\nuid 1001: 1 job\n"


def test_covert_channel_carries_bits_through_cpu_contention():
    """With the cycle counter readable, a sender and receiver that share nothing agree on every bit."""
    k = boot("covert_channel")
    r = weaknesses.covert_channel(k, "10110010")
    assert r.received == "10110010" and r.error_rate == 0.0
    assert r.bit_rate == k.timebase_hz / 20_000
    assert_survives(k)


def test_without_the_cycle_counter_the_receiver_dies_of_sigill():
    """The default kernel hides cycle/instret from user mode: the receiver's rdcycle is SIGILL."""
    k = boot()
    with pytest.raises(RuntimeError, match="receiver exit status -4"):
        weaknesses.covert_channel(k, "10")
    assert_survives(k)


def run_hog(*flags):
    k = oskit.boot(programs=False, ram_mib=16)          # a 1 MiB kernel heap: 256 pipe buffers
    for f in flags:
        weaknesses.attach(k).enable(f)
    return k, weaknesses.run_exploit(k, "pipe_hog", uid=0, gid=0, max_instructions=100_000_000)


def test_unbounded_allocation_lets_one_process_starve_the_others():
    """Without a per-process limit the hog takes the whole kernel heap and the victim's pipe() fails."""
    k, p = run_hog("unbounded_allocation")
    n = int(re.search(r"hog: (\d+) pipes", p.stdout).group(1))
    assert n * 4096 > 0.9 * (k.pmem.heap_end - k.pmem.heap_start)
    assert "victim: pipe: Cannot allocate memory" in p.stdout
    assert_survives(k)


def test_kernel_memory_limit_stops_the_hog_at_its_share():
    """With the limit the hog gets ENOMEM at its share and the victim is served."""
    from oskit.kernel.kern.resource import KMEM_PER_PROC
    k, p = run_hog()
    n = int(re.search(r"hog: (\d+) pipes", p.stdout).group(1))
    assert n * 4096 <= KMEM_PER_PROC and "then Cannot allocate memory" in p.stdout
    assert "victim: pipe ok" in p.stdout
    assert_survives(k)


@pytest.mark.parametrize("fast", [True, False], ids=["blocks", "plain"])
def test_smep_off_runs_the_code_at_address_zero_as_the_kernel(fast):
    """On hardware that lets S-mode execute user pages, the NULL method runs our code at 0: uid 0 (both CPU paths)."""
    k = boot("map_at_zero", "smep_off")
    for hart in k.machine.harts:
        hart.fast = fast
    p = weaknesses.run_exploit(k, "null_call")
    assert "code at address 0" in p.stdout and "after: uid 0 euid 0" in p.stdout and p.exit_status == 0
    assert k.lab.oopses == []
    assert_survives(k)


@pytest.mark.parametrize("fast", [True, False], ids=["blocks", "plain"])
def test_risc_v_never_executes_a_user_page_in_supervisor_mode(fast):
    """With page 0 mapped but the RISC-V rule in force, the fetch at 0 is an oops and the process is killed."""
    k = boot("map_at_zero")
    for hart in k.machine.harts:
        hart.fast = fast
    p = weaknesses.run_exploit(k, "null_call")
    assert "code at address 0" in p.stdout and p.exit_status == -9
    (oops,) = k.lab.oopses
    assert oops.cause == "instruction page fault" and oops.sepc == 0
    assert_survives(k)


def test_no_zero_on_reuse_shows_a_dead_process_secret():
    """A process that maps fresh memory finds what an exited process of another user left there."""
    k = boot("no_zero_on_reuse")
    weaknesses.run_exploit(k, "reuse", ["store"], uid=1002)
    p = weaknesses.run_exploit(k, "reuse", ["find"], uid=1001)
    assert "found: SECRET: the vault code is 4711" in p.stdout and p.exit_status == 0
    assert_survives(k)


def test_zeroed_frames_show_nothing():
    """By default fresh memory is all zeros, whatever the last owner of its frames wrote."""
    k = boot()
    weaknesses.run_exploit(k, "reuse", ["store"], uid=1002)
    p = weaknesses.run_exploit(k, "reuse", ["find"], uid=1001)
    assert "fresh pages: 0 nonzero bytes, 0 copies of the secret" in p.stdout and p.exit_status == 1
    assert_survives(k)
