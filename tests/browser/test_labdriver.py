"""The browser checks themselves: they must catch a broken notebook, and the server must clean up.

A notebook with a widget output whose model does not exist, a cell that raises and a cell after it
is written to a temporary directory served by a private JupyterLab; the checks have to name all
three problems, and not mistake a warning on stderr for one. Beside it, a saved notebook whose
widget follows a stdout split in two outputs (as a kernel may save it) must pass the checks. (They
live outside the repository, so that nbval never collects them.)
"""

import socket

import ipywidgets
import nbformat
import pytest
from ipywidgets.embed import dependency_state
from nbformat.v4 import new_code_cell, new_notebook, new_output

import labdriver
from labdriver import Lab, LabError, LabServer

pytestmark = pytest.mark.browser

BROKEN_CELLS = [
    # A widget view whose model the kernel never created: JupyterLab cannot draw it.
    "display({'application/vnd.jupyter.widget-view+json':"
    " {'model_id': 'no-such-model', 'version_major': 2, 'version_minor': 0}}, raw=True)",
    "import sys\nprint('UserWarning: only a warning', file=sys.stderr)",
    "print('Traceback (most recent call last):\\n  a library complained', file=sys.stderr)",
    "1 / 0",
    "print('never reached')",
]


KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def split_stream_notebook():
    """A saved notebook: one cell whose stdout came in two outputs, then an HTML widget's view.

    Its widget state is saved, so a trusted notebook draws the widget on opening, with no kernel
    run. JupyterLab shows the two stream outputs merged in one output node.
    """
    html = ipywidgets.HTML("drawn from the saved state")
    html.add_class("split-widget")
    cell = new_code_cell("print('first half', end=''); print(' second half'); html", outputs=[
        new_output("stream", name="stdout", text="first half"),
        new_output("stream", name="stdout", text=" second half\n"),
        new_output("execute_result", execution_count=1, data=html._repr_mimebundle_()),
    ], execution_count=1)
    nb = new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": dependency_state(html)}}
    html.close()
    return nb


@pytest.fixture(scope="module")
def scratch_server(tmp_path_factory):
    """A JupyterLab serving a directory that holds broken.ipynb and split.ipynb (trusted)."""
    root = tmp_path_factory.mktemp("scratch-root")
    nb = new_notebook(cells=[new_code_cell(src) for src in BROKEN_CELLS])
    nb.metadata["kernelspec"] = KERNELSPEC
    nbformat.write(nb, root / "broken.ipynb")
    nbformat.write(split_stream_notebook(), root / "split.ipynb")
    server = LabServer.launch(root)
    try:
        server.trust(["split.ipynb"])
    except LabError:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.fixture
def lab(scratch_server, browser, tmp_path):
    """A fresh page on the scratch server; its kernels are shut down afterwards."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        yield Lab(scratch_server, page, tmp_path, timeout=15)
    finally:
        page.close()
        scratch_server.shutdown_sessions()


def test_checks_catch_errors_unrendered_widgets_and_skipped_cells(lab):
    """Run All on a broken notebook: errors, the undrawable widget and the skipped cell are named."""
    lab.open_notebook("broken.ipynb")
    with pytest.raises(LabError, match="widgets did not render"):
        lab.run_all()
    problems = lab.widget_problems()
    assert len(problems) == 1 and problems[0].startswith("cell 0 output 0:"), problems
    assert "Error displaying widget" in problems[0] or "Loading widget" in problems[0]
    errors = lab.errors()
    assert any(e.startswith("cell 3: ZeroDivisionError") for e in errors), errors
    assert any("a library complained" in e for e in errors), errors
    assert not any("only a warning" in e for e in errors), errors
    # On the page, the exception shows as a traceback too: the DOM check sees it as well.
    assert sum("ZeroDivisionError" in e for e in errors) == 2 and len(errors) == 3, errors
    assert lab.unexecuted_cells() == [4]


def test_widget_after_a_split_stream_is_found_drawn(lab):
    """A saved widget after two stdout outputs (shown merged as one) is checked as drawn."""
    lab.open_notebook("split.ipynb")
    lab.wait_for_widgets()
    assert lab.widget_count() == 1 and lab.widget_problems() == []
    assert lab.text(".split-widget") == "drawn from the saved state"
    # The premise: the page merged the file's three outputs into two.
    assert lab.page.locator(".jp-OutputArea-child").count() == 2
    assert lab.text(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']") \
        .strip() == "first half second half"


def test_server_stop_leaves_no_kernel_behind(browser, tmp_path):
    """Stopping a server with a running kernel ends the server and the kernel processes."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    (tmp_path / "empty.ipynb").write_text(nbformat.writes(nb))
    server = LabServer.launch(tmp_path)
    page = browser.new_page()
    try:
        Lab(server, page, tmp_path, timeout=30).open_notebook("empty.ipynb")
        assert len(server.api("GET", "api/kernels")) == 1
        assert server.stray_pids(), "the kernel's command line should name the runtime dir"
        # Opening made a checkpoint, in the server's own directory, not beside the notebook.
        assert not (tmp_path / ".ipynb_checkpoints").exists()
    finally:
        page.close()
        proc = server.proc
        server.stop()
    assert proc.returncode is not None
    assert server.stray_pids() == []


def test_missing_chromium_fails_with_what_to_install(monkeypatch):
    """Without /usr/bin/chromium the browser test fails and says how to install it."""
    monkeypatch.setattr(labdriver, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(LabError, match=r"apt-get install chromium"):
        labdriver.launch_chromium(playwright=None)


def test_server_that_cannot_start_says_why(tmp_path):
    """A server whose port is taken fails at once with its exit status and the log's reason."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        server = LabServer(tmp_path, port=taken.getsockname()[1])
        with pytest.raises(LabError, match=r"exited with status \d+ while starting(.|\n)*port"):
            server.start()
    assert server.proc is None and not server.tmp.exists()


def test_serving_a_missing_directory_is_refused(tmp_path):
    """Asking for a server on a directory that does not exist names that directory."""
    with pytest.raises(LabError, match="missing, does not exist"):
        LabServer(tmp_path / "missing")


def test_launch_moves_to_another_port_when_its_port_is_taken(tmp_path, monkeypatch):
    """If the free port is taken before the server binds it, launch() retries on a new one."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        ports = [taken.getsockname()[1], labdriver.free_port()]
        monkeypatch.setattr(labdriver, "free_port", lambda: ports.pop(0))
        server = LabServer.launch(tmp_path)
        try:
            assert server.port != taken.getsockname()[1]
            assert "version" in server.api("GET", "api")  # it answers on the new port
        finally:
            server.stop()


def test_python_files_in_the_served_directory_do_not_shadow_jupyters_imports(tmp_path):
    """A yaml.py next to the notebooks is not imported by the server in place of PyYAML."""
    (tmp_path / "yaml.py").write_text("raise SystemExit('the served yaml.py was imported')\n")
    server = LabServer.launch(tmp_path)
    try:
        assert "version" in server.api("GET", "api")
    finally:
        server.stop()
