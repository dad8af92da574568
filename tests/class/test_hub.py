"""A lab room on JupyterHub (deploy/jupyterhub_config.py): two students log in through the real
login page in headless chromium, each runs chapter 0 in their own server, and the hub stops cleanly."""

from pathlib import Path

import pytest
from hubdriver import REPO, Hub, UserServer, log_in

from labdriver import Lab, LabError, headless_chromium

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
STUDENTS = ("ada", "ken")
CHAPTER = "oskit/00-start-here.ipynb"
MEM_LIMIT = 1 << 30          # what deploy/jupyterhub_config.py gives a student (OSKIT_HUB_MEM=1G)


@pytest.fixture
def chromium():
    """Debian's headless chromium through playwright (labdriver.headless_chromium)."""
    try:
        with headless_chromium() as browser:
            yield browser
    except LabError as exc:
        pytest.fail(str(exc))


def stream_text(state) -> str:
    """Everything the notebook's cells printed (stdout), as one string."""
    return "".join("".join(o["text"]) if isinstance(o["text"], list) else o["text"]
                   for c in state["cells"] for o in c["outputs"] if o["output_type"] == "stream")


def test_two_students_each_run_chapter_0_in_their_own_server(chromium):
    """Each student gets their own copy of the book, their own server and kernel, and their own
    outputs; neither can reach the other's server; the hub's stop leaves no process behind."""
    hub = Hub().start()
    try:
        labs, outputs = {}, {}
        for user in STUDENTS:
            # One browser context per student: separate cookies, as two machines in the room.
            page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(120_000)
            log_in(page, hub, user)
            lab = labs[user] = Lab(UserServer(hub, user), page, ARTIFACTS, timeout=120)
            lab.open_notebook(CHAPTER)
            lab.run_all()
            lab.screenshot(f"hub-{user}-00-start-here")
            assert lab.errors() == [], f"{user}: chapter 0 shows errors"
            assert lab.unexecuted_cells() == [], f"{user}: Run All left cells unexecuted"
            outputs[user] = stream_text(lab.state())
            assert "hello" in outputs[user].lower(), f"{user}: chapter 0 printed {outputs[user][:300]!r}"

        # Their own copies of the book, their own kernels (both still running), their own processes.
        kernels = {u: {k["id"] for k in hub.api("GET", f"user/{u}/api/kernels")} for u in STUDENTS}
        assert all(len(ids) == 1 for ids in kernels.values()), kernels
        assert not set.intersection(*kernels.values())
        procs = {u: hub.user_processes(u) for u in STUDENTS}
        for user, found in procs.items():
            assert (hub.home(user) / CHAPTER).is_file()
            kernel_pids = [pid for pid, cmd in found.items() if "ipykernel" in cmd]
            assert len(kernel_pids) == 1, f"{user}: {found}"
            cwd = Path(f"/proc/{kernel_pids[0]}/cwd").resolve()
            assert cwd == (hub.home(user) / "oskit").resolve(), f"{user}'s kernel runs in {cwd}"
        assert not set(procs["ada"]) & set(procs["ken"])
        # The same chapter, the same deterministic machine: the same printed text, computed twice.
        assert outputs["ada"] == outputs["ken"]

        # A student's session does not open another student's server.
        response = labs["ada"].page.goto(f"{hub.base_url}/user/ken/api/kernels")
        assert response.status == 403, f"ada reached ken's server: {response.status}"

        # Memory of a student after chapter 0: the server and its kernel, resident.
        lines = []
        for user, found in procs.items():
            rss = {pid: Hub.rss_bytes(pid) for pid in found}
            total = sum(rss.values())
            lines.append(f"{user}: {total / 2**20:.0f} MiB resident after chapter 0 ("
                         + ", ".join(f"{'kernel' if 'ipykernel' in found[p] else 'server'} "
                                     f"{r / 2**20:.0f} MiB" for p, r in rss.items()) + ")")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "hub-memory.txt").write_text("\n".join(lines) + "\n")
        print("\n".join(lines))
        for line, found in zip(lines, procs.values()):
            total = sum(Hub.rss_bytes(pid) for pid in found)
            # The limit must leave room for the heavier chapters (docs/instructors.md has their figures).
            assert total < 0.75 * MEM_LIMIT, f"{line}: more than 3/4 of the limit; resize it"
    finally:
        left = hub.stop()
        log = hub.log_tail(40)
        hub.cleanup()
    assert left == [], f"processes {left} outlived the hub's shutdown:\n{log}"
