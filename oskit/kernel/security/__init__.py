"""oskit.kernel.security: the security features, and where each one lives (chapter 8 tours them).

    mac.py        mandatory access control: hooks (vfs.access, kill), labels, the example policy "wwjail"
    audit.py      the audit trail: a record per system call (subject, event, objects, result)
    boot.py       at boot: set-id programs get their modes; fork passes the audit id and limits on

Elsewhere, because they belong to the subsystem they guard:

    kern/cred.py, kern/sys_cred.py        credentials: ucred shared copy-on-write, the set*id rules
    fs/vfs.py                             DAC: mode bits, owner, group; it asks mac.py first
    kern/resource.py, kern/sys_resource.py   limits (RLIMIT_*), the process cap, kernel memory, CPU time
"""
