"""Drive a real JupyterLab in Debian's headless chromium: the helpers behind tests/browser/.

The map:

    LabServer      `jupyter lab` on 127.0.0.1, a free port and a random token, with throwaway
                   settings (no news popup, no autosave, every cell kept in the DOM) and its own
                   config, data, runtime and checkpoint directories. launch() starts one (on a
                   new port if its port was taken), trust() signs notebooks, stop() shuts the
                   kernels down, sends SIGTERM to the server's pid and kills what is left.
    headless_chromium()  playwright driving /usr/bin/chromium (never a downloaded browser), closed
                   after the with block; launch_chromium(playwright) underneath it.
    Lab            one browser tab on that server: open_notebook(), run_all(), then read what
                   a reader would see: errors(), widget_problems(), text(), click(), screenshot().

A test for a new widget (tests/browser/test_<yours>.py) uses the `lab` fixture of conftest.py;
a widget's add_class("oskit-step") lands on its own DOM node (the <button> of a Button):

    def test_step_changes_pc(lab):
        lab.open_notebook("notebooks/02-context-switch.ipynb")
        lab.run_all()
        before = lab.text(".oskit-pc")
        lab.click(".oskit-step")                  # or lab.click_button("step")
        lab.wait_for_text_change(".oskit-pc", before)

Why the settings: JupyterLab autosaves open documents every two minutes, which would write the
browser's run over the committed notebook; it also renders only the cells in view ("windowing"),
which would hide widgets below the fold from a DOM check.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# User settings written into the throwaway settings directory, one file per plugin.
LAB_SETTINGS = {
    # No "Would you like to receive official Jupyter news?" popup, no update check.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Never write the browser's run back over the notebook on disk.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # Keep every cell in the DOM, so that widgets below the fold can be checked.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class LabError(AssertionError):
    """Something a reader of JupyterLab would notice went wrong (or the server did not start)."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A `jupyter lab` process serving `root_dir`, private to one test module."""

    def __init__(self, root_dir: Path, startup_timeout: float = 60.0, port: int | None = None):
        self.root_dir = Path(root_dir).resolve()
        if not self.root_dir.is_dir():
            raise LabError(f"LabServer: the directory to serve, {self.root_dir}, does not exist")
        self.startup_timeout = startup_timeout
        self.port = port or free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}/"
        self.tmp = Path(tempfile.mkdtemp(prefix="oskit-lab-"))
        self.log_path = self.tmp / "jupyter-lab.log"
        self.proc: subprocess.Popen | None = None
        self.env: dict[str, str] = {}

    # -- start and stop ----------------------------------------------------------------------

    @classmethod
    def launch(cls, root_dir: Path, attempts: int = 3) -> "LabServer":
        """Start a server on a free port; retry on a new port if another process took it first."""
        for attempt in range(attempts):
            server = cls(root_dir)
            try:
                return server.start()
            except LabError as exc:
                # free_port() cannot reserve the port: between it and the server's bind, another
                # program may take it. Only that failure is worth another try.
                if "is not available" not in str(exc) or attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def start(self) -> "LabServer":
        """Start the server and wait until its REST API answers; raise LabError otherwise."""
        settings = self.tmp / "settings"
        for plugin, values in LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        # Private config, data and runtime directories: nothing from ~/.jupyter leaks in, and
        # every kernel's connection file lands in runtime/, which is how stop() finds strays.
        self.env = env = dict(os.environ,
                   JUPYTER_CONFIG_DIR=str(self.tmp / "config"),
                   JUPYTER_DATA_DIR=str(self.tmp / "data"),
                   JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
                   IPYTHONDIR=str(self.tmp / "ipython"),
                   PYDEVD_DISABLE_FILE_VALIDATION="1")
        cmd = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--ip", "127.0.0.1", f"--port={self.port}", "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--LabServerApp.user_settings_dir={settings}",
            f"--LabServerApp.workspaces_dir={self.tmp / 'workspaces'}",
            # Checkpoints (made when a notebook opens) go to our temporary directory, not into
            # an .ipynb_checkpoints/ beside each notebook in the checkout.
            f"--FileCheckpoints.checkpoint_dir={self.tmp / 'checkpoints'}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
            # window.jupyterapp lets the test read the notebook model (outputs, execution counts).
            "--expose-app-in-browser",
        ]
        self._log = open(self.log_path, "w")
        # cwd is our empty temporary directory, never root_dir: `python -m` puts its cwd first on
        # sys.path, so a click.py or yaml.py in the served directory would replace the package
        # that jupyter imports (and run that file inside the server).
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                     cwd=self.tmp, start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                status, tail = self.proc.returncode, self.log_tail()
                self.stop()
                raise LabError(f"jupyter lab exited with status {status} while starting; "
                               f"its log ends with:\n{tail}")
            try:
                self.api("GET", "api/status", timeout=2)
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        tail = self.log_tail()
        self.stop()
        raise LabError(f"jupyter lab did not answer on port {self.port} within "
                       f"{self.startup_timeout:.0f} s; its log ends with:\n{tail}")

    def trust(self, paths: list[str]) -> None:
        """Sign notebooks (paths relative to root_dir) as trusted, as Binder's postBuild does.

        JupyterLab draws widgets from a notebook's saved state only when it trusts the notebook;
        otherwise a reader sees `HBox(children=...)` text until the cells run again.
        """
        absolute = [str(self.root_dir / p) for p in paths]
        run = subprocess.run([sys.executable, "-m", "jupyter", "trust", *absolute], env=self.env,
                             cwd=self.tmp, capture_output=True, text=True)
        if run.returncode != 0:
            raise LabError(f"jupyter trust {' '.join(paths)} failed:\n{run.stderr[-2000:]}")

    def stop(self) -> None:
        """Shut kernels down, SIGTERM the server (SIGKILL after 15 s), kill stray kernels."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                for kernel in self.api("GET", "api/kernels"):
                    self.api("DELETE", f"api/kernels/{kernel['id']}")
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass  # the server is going away anyway; the sweep below catches its kernels
            # SIGTERM, not SIGINT: on SIGINT the server asks for confirmation and can leave a
            # kernel behind.
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        for pid in self.stray_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._log.close()
        self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def stray_pids(self) -> list[int]:
        """Pids of processes (kernels) whose command line names this server's runtime dir."""
        marker = str(self.tmp / "runtime").encode()
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if marker in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue  # the process ended while we looked
        return pids

    # -- talking to it -----------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The browser URL of `path` (e.g. 'lab/tree/x.ipynb'), token included."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}token={self.token}"

    def api(self, method: str, path: str, timeout: float = 10):
        """Call the server's REST API; return the decoded JSON body (None when empty)."""
        req = urllib.request.Request(self.base_url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_sessions(self) -> None:
        """End every open notebook session and its kernel (between two notebooks)."""
        for session in self.api("GET", "api/sessions"):
            self.api("DELETE", f"api/sessions/{session['id']}")

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's log, for error messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@contextmanager
def headless_chromium():
    """Debian's chromium, headless, driven by playwright; closed on the way out.

    Raises LabError (with what to install) when chromium is missing, ImportError when
    playwright is. The browser tests and the JupyterHub test both start theirs here.
    """
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = launch_chromium(playwright)
    except BaseException:
        playwright.stop()
        raise
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


def launch_chromium(playwright):
    """Launch Debian's chromium headless; fail with what to install when it is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        raise LabError(f"the browser test needs Debian's chromium at {CHROMIUM}, found nothing "
                       "there: install it with `apt-get install chromium` (do not run "
                       "`playwright install`; no browser download works here)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)


# JavaScript run in the page. The notebook's model is the truth about outputs; the DOM is what
# the reader sees. Both are checked.
_JS_CURRENT = "(() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget; " \
              "return (w && w.content && w.content.model) ? w : null; })()"

_JS_STATE = """() => {
  const panel = %s;
  if (!panel) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = [];
  for (const cell of panel.content.model.cells) {
    const json = cell.toJSON();
    const source = Array.isArray(json.source) ? json.source.join('') : json.source;
    cells.push({type: json.cell_type, source: source, count: json.execution_count,
                outputs: json.outputs || []});
  }
  return {path: panel.context.path, ready: panel.context.isReady,
          kernel: kernel ? kernel.status : null, kernelName: kernel ? kernel.name : null,
          running: Array.from(panel.node.querySelectorAll('.jp-InputPrompt'))
                        .filter(p => p.textContent.includes('[*]')).length,
          cells: cells};
}""" % _JS_CURRENT

# A widget output's DOM node carries no mime type; find it through the cell's output area, the
# view that draws the outputs: its j-th model item is its j-th child widget. The cell model's JSON
# (what the file holds) is not one to one with the page: the area merges consecutive stream
# outputs of the same name, which a kernel may split anywhere (a saved notebook's cell with two
# stdout outputs, then a widget, shows two children, not three). Output indexes below are the
# area's.
_JS_WIDGETS = """() => {
  const panel = %s;
  if (!panel) return [];
  const found = [];
  panel.content.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    const area = cell.outputArea;
    for (let j = 0; j < area.model.length; j++) {
      const view = area.model.get(j).data['%s'];
      if (!view || !view.model_id) continue;
      const child = area.widgets[j];
      const node = child && child.node.querySelector('.jp-OutputArea-output');
      const rendered = node && node.querySelector('.jupyter-widgets:not(.widget-error)');
      found.push({cell: i, output: j, present: !!node,
                  text: node ? node.textContent.trim().slice(0, 120) : '',
                  hasView: !!rendered});
    }
  });
  return found;
}""" % (_JS_CURRENT, WIDGET_MIME)

# A traceback printed on stderr (a library that caught and printed an exception) is an error
# for the reader too; warnings and a guest program's stderr are not.
_JS_DOM_ERRORS = """() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
  .map(e => e.textContent).filter(t => t.includes('Traceback (most recent call last)'))"""


class Lab:
    """One chromium tab on a LabServer: what a reader does and sees, as methods."""

    def __init__(self, server: LabServer, page, artifacts: Path, timeout: float = 60.0):
        self.server = server
        self.page = page
        self.artifacts = Path(artifacts)
        self.timeout = timeout
        self.path: str | None = None
        self.console: list[str] = []
        page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}")
                if msg.type in ("error", "warning") else None)
        page.on("pageerror", lambda exc: self.console.append(f"pageerror: {exc}"))

    # -- opening and running -----------------------------------------------------------------

    def open_notebook(self, path: str) -> None:
        """Open `path` (relative to the server root) and wait for its kernel to be idle."""
        self.path = path
        workspace = "ws-" + secrets.token_hex(4)  # a fresh workspace: no tabs from earlier tests
        quoted = urllib.parse.quote(path)
        self.page.goto(self.server.url(f"lab/workspaces/{workspace}/tree/{quoted}?reset"))
        # The loading placeholder already shows cells and "Idle"; wait for the real notebook:
        # the app's current widget is this file, its context has loaded it, and its kernel
        # reports idle.
        self._wait(lambda: self._opened(path),
                   f"{path}: the notebook did not open with an idle kernel")

    def _opened(self, path: str) -> bool:
        state = self.state()
        return bool(state and state["path"] == path and state["ready"]
                    and state["kernel"] == "idle")

    def run_all(self, timeout: float = 240.0) -> float:
        """Clear outputs, Run All Cells from the Run menu, wait until done; return seconds.

        `timeout` only guards against a hang (a chapter runs in well under a minute; on a
        loaded machine it can take a few times longer).
        """
        self.menu("Edit", "Clear Outputs of All Cells")
        self._wait(lambda: all(c["count"] is None for c in self.state()["cells"]
                               if c["type"] == "code"),
                   f"{self.path}: Clear Outputs of All Cells did not clear the execution counts")
        start = time.monotonic()
        self.menu("Run", "Run All Cells")
        self._wait(self._finished, f"{self.path}: Run All Cells did not finish", timeout=timeout)
        self.wait_for_widgets()
        return time.monotonic() - start

    def _finished(self) -> bool:
        """Idle kernel, no cell queued, and every code cell ran (or one raised)."""
        state = self.state()
        if state["kernel"] != "idle" or state["running"]:
            return False
        code = [c for c in state["cells"] if c["type"] == "code" and c["source"].strip()]
        raised = any(o["output_type"] == "error" for c in code for o in c["outputs"])
        return raised or all(c["count"] is not None for c in code)

    def menu(self, menu: str, item: str) -> None:
        """Click `menu` in the menu bar, then its entry `item` (exact labels)."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(menu)}$")) \
            .first.click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")) \
            .first.click()

    # -- what the reader sees ----------------------------------------------------------------

    def state(self) -> dict | None:
        """The current notebook as the app holds it: path, kernel status, cells and outputs."""
        return self.page.evaluate(_JS_STATE)

    def errors(self) -> list[str]:
        """Error outputs (model) and tracebacks on stderr (DOM), as readable text."""
        found = []
        for i, cell in enumerate(self.state()["cells"]):
            for out in cell["outputs"]:
                if out["output_type"] == "error":
                    found.append(f"cell {i}: {out['ename']}: {out['evalue']}")
        found += [f"stderr: {text[-400:]}" for text in self.page.evaluate(_JS_DOM_ERRORS)]
        return found

    def unexecuted_cells(self) -> list[int]:
        """Indexes of non-empty code cells that Run All did not execute."""
        return [i for i, c in enumerate(self.state()["cells"])
                if c["type"] == "code" and c["source"].strip() and c["count"] is None]

    def widget_problems(self) -> list[str]:
        """Widget outputs in the notebook model that the page does not show as widgets."""
        problems = []
        for view in self.page.evaluate(_JS_WIDGETS):
            where = f"cell {view['cell']} output {view['output']}"
            if not view["present"]:
                problems.append(f"{where}: no output node on the page")
            elif "Loading widget" in view["text"] or "Error displaying widget" in view["text"]:
                problems.append(f"{where}: {view['text']!r}")
            elif not view["hasView"]:
                problems.append(f"{where}: no widget view drawn (text {view['text']!r})")
        return problems

    def widget_count(self) -> int:
        """How many widget views the notebook's outputs hold."""
        return len(self.page.evaluate(_JS_WIDGETS))

    def wait_for_widgets(self) -> None:
        """Wait until every widget output is drawn (views load asynchronously).

        "Loading widget..." may still turn into a widget; "Error displaying widget" never does,
        so that fails at once.
        """
        def drawn() -> bool:
            problems = self.widget_problems()
            if any("Error displaying widget" in p for p in problems):
                raise LabError(f"{self.path}: widgets did not render:\n" + "\n".join(problems))
            return not problems
        self._wait(drawn, f"{self.path}: widgets did not render", details=self.widget_problems)

    def text(self, selector: str) -> str:
        """The visible text of the first element matching `selector` (waits for it)."""
        return self.page.locator(selector).first.inner_text(timeout=self.timeout * 1000)

    def click(self, selector: str) -> None:
        """Click the first element matching `selector`, as a reader would."""
        self.page.locator(selector).first.click(timeout=self.timeout * 1000)

    def click_button(self, label: str) -> None:
        """Click the widget button whose label is `label`."""
        self.page.locator(".jp-Notebook button", has_text=label).first.click(
            timeout=self.timeout * 1000)

    def wait_for_text_change(self, selector: str, old: str) -> str:
        """Wait until the text at `selector` differs from `old`; return the new text."""
        self._wait(lambda: self.text(selector) != old,
                   f"{self.path}: the text at {selector!r} stayed {old!r}")
        return self.text(selector)

    def screenshot(self, name: str) -> Path:
        """Save a screenshot of the whole notebook (the window grown to fit) under artifacts/."""
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{name}.png"
        height = self.page.evaluate(
            "() => { const o = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')"
            "; return o ? o.scrollHeight : 0; }")
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": size["width"],
                                     "height": max(size["height"], min(height + 200, 8000))})
        try:
            self.page.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(size)
        return path

    # -- waiting ------------------------------------------------------------------------------

    def _wait(self, condition, message: str, details=None, timeout: float | None = None) -> None:
        """Poll `condition` until true or the timeout passes; then raise LabError(message)."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            if condition():
                return
            if time.monotonic() > deadline:
                extra = f"\n{details()}" if details else ""
                console = "\n".join(self.console[-10:]) or "(none)"
                raise LabError(f"{message} within {timeout:.0f} s{extra}\n"
                               f"browser console:\n{console}\n"
                               f"server log:\n{self.server.log_tail(15)}")
            time.sleep(0.1)
