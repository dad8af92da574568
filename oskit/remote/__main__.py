"""``python -m oskit.remote``: run machine B (see oskit/remote/__init__.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from oskit.remote import Server


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m oskit.remote",
                                 description="Machine B: an oskit kernel serving forwarded system calls.")
    ap.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free one)")
    ap.add_argument("--file", action="append", default=[], metavar="PATH=TEXT",
                    help="put a file with this text in B's file system (repeatable; \\n is a newline; "
                         "TEXT @HOSTPATH copies a file of this host)")
    ap.add_argument("--exit-on", default="", metavar="CALL",
                    help="die without replying when a request for CALL arrives (to show a lost machine)")
    ns = ap.parse_args(argv)
    files = {}
    for spec in ns.file:
        path, sep, text = spec.partition("=")
        if not sep or not path.startswith("/"):
            ap.error(f"--file expects /PATH=TEXT, found {spec!r}")
        if text.startswith("@"):                                 # @HOSTPATH: that host file's bytes
            files[path] = Path(text[1:]).read_bytes()
        else:
            files[path] = text.replace("\\n", "\n").encode()  # "\n" in the shell text: a newline
    server = Server(files, ns.port, ns.exit_on)
    host, port = server.address
    print(f"oskit-remote listening on {host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
