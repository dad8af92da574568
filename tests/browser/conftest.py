"""Fixtures for the real-browser tests: one JupyterLab server and one chromium per test module.

    lab_server  (module)    a LabServer serving the repository root, its notebooks trusted
    browser     (module)    Debian's chromium, headless, through playwright
    lab         (function)  a fresh tab (labdriver.Lab); its notebook's kernel is shut down after,
                            and a screenshot is kept when the test failed
"""

import re
from pathlib import Path

import pytest

from labdriver import Lab, LabError, LabServer, headless_chromium

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"


@pytest.fixture(scope="module")
def lab_server():
    """A JupyterLab server on 127.0.0.1 with throwaway settings; stopped after the module."""
    server = LabServer.launch(REPO)
    notebooks = sorted(REPO.glob("notebooks/*.ipynb")) + sorted(REPO.glob("tests/browser/*.ipynb"))
    try:
        # Trusted, as postBuild makes them on Binder: saved widget state is drawn on opening.
        server.trust([p.relative_to(REPO).as_posix() for p in notebooks])
    except LabError:
        server.stop()
        raise
    yield server
    server.stop()
    strays = server.stray_pids()
    assert not strays, f"kernel processes {strays} survived the server's shutdown"


@pytest.fixture(scope="module")
def browser():
    """Debian's headless chromium driven by playwright (fails, never skips, when missing)."""
    try:
        with headless_chromium() as chromium:
            yield chromium
    except ImportError as exc:
        pytest.fail(f"the browser test needs playwright ({exc}): pip install -e '.[test]'")
    except LabError as exc:
        pytest.fail(str(exc))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so `lab` can tell that its test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def lab(request, lab_server, browser):
    """A new browser tab on the module's server; closes it and ends its kernel afterwards.

    When the test failed, the page as it was then goes to tests/artifacts/FAILED-<test>.png.
    """
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(60_000)
    tab = Lab(lab_server, page, ARTIFACTS)
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        try:
            tab.screenshot("FAILED-" + re.sub(r"[^\w.-]+", "_", request.node.name))
        except Exception as exc:  # a diagnostic only: never hide the test's own failure
            print(f"no screenshot of the failed page: {exc}")
    page.close()
    lab_server.shutdown_sessions()
