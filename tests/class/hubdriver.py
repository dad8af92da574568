"""A real JupyterHub (deploy/jupyterhub_config.py in its test mode) on loopback, for tests/class/.

    Hub          start() the hub (and, through it, configurable-http-proxy and the idle culler)
                 on free loopback ports with a throwaway state directory; api() its REST API with
                 the test's own service token; user_processes() a student's server and kernels
                 as /proc sees them; stop() sends SIGTERM and waits until nothing of it is left.
    UserServer   one student's JupyterLab behind the hub, shaped like labdriver.LabServer, so
                 labdriver.Lab can drive it in the student's own browser context (their cookies).
    log_in()     what a student does: the hub's login page, user name, password, "Sign in".
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "browser"))
from labdriver import LAB_SETTINGS, LabError, free_port  # noqa: E402

CONFIG = REPO / "deploy" / "jupyterhub_config.py"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class Hub:
    """`jupyterhub -f deploy/jupyterhub_config.py` with OSKIT_HUB_TEST=1, private to one test."""

    def __init__(self, startup_timeout: float = 90.0):
        self.tmp = Path(tempfile.mkdtemp(prefix="oskit-hub-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_hex(8)
        self.token = secrets.token_hex(16)
        self.startup_timeout = startup_timeout
        self.log_path = self.tmp / "jupyterhub.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Hub":
        settings = self.tmp / "lab-settings"
        for plugin, values in LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        bin_dir = str(Path(sys.executable).parent)
        env = dict(os.environ, OSKIT_HUB_TEST="1", OSKIT_HUB_DIR=str(self.tmp / "state"),
                   OSKIT_HUB_PASSWORD=self.password, OSKIT_HUB_TEST_TOKEN=self.token,
                   OSKIT_HUB_URL=self.base_url, OSKIT_HUB_PORT_HUB=str(free_port()),
                   OSKIT_HUB_PORT_API=str(free_port()), OSKIT_HUB_LAB_SETTINGS=str(settings),
                   JUPYTER_CONFIG_DIR=str(self.tmp / "config"), JUPYTER_DATA_DIR=str(self.tmp / "data"),
                   JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"), IPYTHONDIR=str(self.tmp / "ipython"),
                   PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
                   PYDEVD_DISABLE_FILE_VALIDATION="1")
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.tmp,
                                     env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LabError(f"jupyterhub exited with status {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "hub/api/")
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise LabError(f"jupyterhub did not answer within {self.startup_timeout:.0f} s:\n{self.log_tail()}")

    def api(self, method: str, path: str, timeout: float = 10):
        """Call the hub's (or, through the proxy, a user server's) REST API with the test's token."""
        req = urllib.request.Request(f"{self.base_url}/{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def home(self, user: str) -> Path:
        return self.tmp / "state" / "home" / user

    def processes(self) -> list[int]:
        """Pids of the hub and of every process it started, at any depth (the proxy, the culler,
        the students' servers, which the spawner puts in sessions of their own, and their kernels)."""
        if self.proc is None:
            return []
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                ppid = _ppid(int(entry.name))
                if ppid is not None:
                    children.setdefault(ppid, []).append(int(entry.name))
        found, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found

    def user_processes(self, user: str) -> dict[int, str]:
        """pid -> command line of USER's single-user server and everything it started (its kernels)."""
        marker = f"JUPYTERHUB_USER={user}".encode()
        servers = set()
        for pid in self.processes():
            try:
                environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if marker in environ and b"jupyterhub-singleuser" in cmdline:
                servers.add(pid)
        found = {}
        for pid in self.processes():
            p = pid
            while p is not None and p > 1:                 # is a server an ancestor (or itself)?
                if p in servers:
                    found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                    break
                p = _ppid(p)
        return found

    @staticmethod
    def rss_bytes(pid: int) -> int:
        """Resident memory of PID (what it holds in RAM now), from /proc/PID/statm."""
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE

    def stop(self) -> list[int]:
        """SIGTERM the hub (it stops the servers and the proxy), wait; return pids that survived."""
        if self.proc is None:
            return []
        before = {pid: _start_time(pid) for pid in self.processes()}
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        # Survivors: processes seen before the stop that still exist (the same process: same start time).
        deadline = time.monotonic() + 15
        left = []
        while True:
            left = [pid for pid, started in before.items() if started is not None and _start_time(pid) == started]
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        for pid in left:                                    # never leave them behind, but report them
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._log.close()
        self.proc = None
        return left

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (field 3 on), or None when PID is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _ppid(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[1]) if fields else None


def _start_time(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[19]) if fields else None           # field 22, starttime


class UserServer:
    """USER's JupyterLab behind HUB, in the shape labdriver.Lab expects of a server."""

    def __init__(self, hub: Hub, user: str):
        self.hub, self.user = hub, user

    def url(self, path: str) -> str:
        return f"{self.hub.base_url}/user/{self.user}/{path}"

    def log_tail(self, lines: int = 15) -> str:
        return self.hub.log_tail(lines)


def log_in(page, hub: Hub, user: str, timeout: float = 120.0) -> None:
    """Sign USER in on the hub's login page and wait until their JupyterLab has loaded."""
    page.goto(f"{hub.base_url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/lab**", timeout=timeout * 1000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=timeout * 1000)
