# DO NOT EDIT: generated from syscalls.master by makesyscalls.py
"""How each forwardable system call's arguments cross a wire (kern/forward.py).

A call is here when every one of its pointer arguments is annotated in
syscalls.master (FreeBSD's _In_z_, _Out_writes_bytes_(nbyte), _Out_ ...).
``MARSHAL[name]`` is a tuple with one ``WireArg`` per argument, in order:

    kind        what travels                              size
    scalar      the number                                -
    in_string   the NUL-terminated string (client -> server)   -
    in_bytes    size bytes (client -> server)             the argument holding the count
    out_bytes   up to size bytes (server -> client)       the argument holding the count
    in_object   one object (client -> server)             its size in bytes
    out_object  one object (server -> client)             its size in bytes

``optional``: the pointer may be NULL (nothing travels then).
"""

from dataclasses import dataclass
from typing import Optional, Union


@dataclass(frozen=True)
class WireArg:
    """One argument of a forwardable call: its name, what travels, and how big it is."""

    name: str
    kind: str
    size: Optional[Union[str, int]] = None
    optional: bool = False
    annotation: str = ""


def _w(name, kind, size=None, optional=False, annotation=""):
    return WireArg(name, kind, size, optional, annotation)

MARSHAL = {
    'exit': (_w('rval', 'scalar'),),  # 1 = exit
    'fork': (),  # 2 = fork
    'read': (_w('fd', 'scalar'),
        _w('buf', 'out_bytes', 'nbyte', False, '_Out_writes_bytes_(nbyte)'), _w('nbyte', 'scalar'),),  # 3 = read
    'write': (_w('fd', 'scalar'), _w('buf', 'in_bytes', 'nbyte', False, '_In_reads_bytes_(nbyte)'),
        _w('nbyte', 'scalar'),),  # 4 = write
    'open': (_w('path', 'in_string', None, False, '_In_z_'), _w('flags', 'scalar'),
        _w('mode', 'scalar'),),  # 5 = open
    'close': (_w('fd', 'scalar'),),  # 6 = close
    'link': (_w('path', 'in_string', None, False, '_In_z_'),
        _w('link', 'in_string', None, False, '_In_z_'),),  # 9 = link
    'unlink': (_w('path', 'in_string', None, False, '_In_z_'),),  # 10 = unlink
    'chdir': (_w('path', 'in_string', None, False, '_In_z_'),),  # 12 = chdir
    'fchdir': (_w('fd', 'scalar'),),  # 13 = fchdir
    'chmod': (_w('path', 'in_string', None, False, '_In_z_'), _w('mode', 'scalar'),),  # 15 = chmod
    'chown': (_w('path', 'in_string', None, False, '_In_z_'), _w('uid', 'scalar'),
        _w('gid', 'scalar'),),  # 16 = chown
    'getpid': (),  # 20 = getpid
    'setuid': (_w('uid', 'scalar'),),  # 23 = setuid
    'getuid': (),  # 24 = getuid
    'geteuid': (),  # 25 = geteuid
    'access': (_w('path', 'in_string', None, False, '_In_z_'), _w('amode', 'scalar'),),  # 33 = access
    'kill': (_w('pid', 'scalar'), _w('signum', 'scalar'),),  # 37 = kill
    'getppid': (),  # 39 = getppid
    'dup': (_w('fd', 'scalar'),),  # 41 = dup
    'getegid': (),  # 43 = getegid
    'getgid': (),  # 47 = getgid
    'umask': (_w('newmask', 'scalar'),),  # 60 = umask
    'dup2': (_w('from', 'scalar'), _w('to', 'scalar'),),  # 90 = dup2
    'fcntl': (_w('fd', 'scalar'), _w('cmd', 'scalar'), _w('arg', 'scalar'),),  # 92 = fcntl
    'rename': (_w('from', 'in_string', None, False, '_In_z_'),
        _w('to', 'in_string', None, False, '_In_z_'),),  # 128 = rename
    'mkdir': (_w('path', 'in_string', None, False, '_In_z_'), _w('mode', 'scalar'),),  # 136 = mkdir
    'rmdir': (_w('path', 'in_string', None, False, '_In_z_'),),  # 137 = rmdir
    'setgid': (_w('gid', 'scalar'),),  # 181 = setgid
    'setegid': (_w('egid', 'scalar'),),  # 182 = setegid
    'seteuid': (_w('euid', 'scalar'),),  # 183 = seteuid
    'issetugid': (),  # 253 = issetugid
    '__getcwd': (_w('buf', 'out_bytes', 'buflen', False, '_Out_writes_(buflen)'),
        _w('buflen', 'scalar'),),  # 326 = __getcwd
    'sched_yield': (),  # 331 = sched_yield
    'thr_kill': (_w('id', 'scalar'), _w('sig', 'scalar'),),  # 433 = thr_kill
    'lseek': (_w('fd', 'scalar'), _w('offset', 'scalar'), _w('whence', 'scalar'),),  # 478 = lseek
    'openat': (_w('fd', 'scalar'), _w('path', 'in_string', None, False, '_In_z_'),
        _w('flag', 'scalar'), _w('mode', 'scalar'),),  # 499 = openat
    'fstat': (_w('fd', 'scalar'), _w('sb', 'out_object', 224, False, '_Out_'),),  # 551 = fstat
    'fstatat': (_w('fd', 'scalar'), _w('path', 'in_string', None, False, '_In_z_'),
        _w('buf', 'out_object', 224, False, '_Out_'), _w('flag', 'scalar'),),  # 552 = fstatat
    'getdirentries': (_w('fd', 'scalar'),
        _w('buf', 'out_bytes', 'count', False, '_Out_writes_bytes_(count)'), _w('count', 'scalar'),
        _w('basep', 'out_object', 8, True, '_Out_opt_'),),  # 554 = getdirentries
}
