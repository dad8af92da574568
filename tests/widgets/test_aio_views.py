"""ProcessTree and aio: the aiod kernel process appears as soon as the first request makes it."""

import oskit
from oskit.magic import compile_into
from widgets import ProcessTree

AIO = r"""
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
int main(void) {
    int fd = open("/tmp/f", O_RDWR | O_CREAT, 0644);
    struct aiocb cb;
    memset(&cb, 0, sizeof cb);
    cb.aio_fildes = fd; cb.aio_buf = "x"; cb.aio_nbytes = 1;
    aio_write(&cb);
    const struct aiocb *l[1] = { &cb };
    while (aio_error(&cb) == EINPROGRESS) aio_suspend(l, 1, NULL);
    return aio_return(&cb) != 1;
}
"""


def test_processtree_shows_the_daemon_as_a_root_sleeping_for_work():
    """After one request, aiod1 is drawn at the top level (ppid 0), sleeping on its idle channel."""
    k = oskit.boot(programs=False)
    path = compile_into(k, "aio1", AIO)
    tree = ProcessTree(k).attach()
    p = k.spawn(path)
    k.run(until=p.exited)
    assert p.exit_status == 0
    pid = k.aio.daemons[0].proc.pid
    assert tree.dirty                                      # (the aio probe marks it, among others)
    tree.refresh()
    rows = {line[1]: line for line in tree.lines}
    depth, _, cmd, state = rows[pid]
    assert (depth, cmd, state) == (0, "aiod1", "sleeping on aiod idle")
