"""Binder's two files: environment.yml installs oskit, postBuild warms the C toolchain's cache.

repo2docker cannot run here, so this checks what it relies on: the file names and places it
looks for, the content it reads, and that postBuild really runs (into an empty cache) and stops
at the first error.
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml
from nbformat.sign import NotebookNotary

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = str(Path(sys.executable).parent)


def run_postbuild(cache: Path, script: Path = REPO / "postBuild") -> subprocess.CompletedProcess:
    """Run `script` as repo2docker would (bash, repository root), with `cache` as OSKIT_CACHE."""
    env = dict(os.environ, OSKIT_CACHE=str(cache), JUPYTER_DATA_DIR=str(cache / "jupyter"),
               PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    return subprocess.run(["bash", str(script)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


def test_environment_yml_installs_python_311_and_oskit_itself():
    """environment.yml (that exact name, at the root) pins Python 3.11 and pip-installs `-e .`."""
    assert not (REPO / "environment.yaml").exists(), "repo2docker ignores environment.yaml"
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert pip == [["-e ."]], f"expected one pip section installing '-e .', found {pip}"
    assert "pip" in deps, "conda must install pip itself for the pip section"


def test_postbuild_is_an_executable_bash_script_that_stops_on_errors():
    """postBuild is executable and turns on `set -e` before it does anything."""
    path = REPO / "postBuild"
    assert os.access(path, os.X_OK), "repo2docker runs postBuild only when it is executable"
    lines = [ln for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines[0].startswith("set -e"), f"first command is {lines[0]!r}, expected set -e..."


def test_postbuild_fills_an_empty_toolchain_cache(tmp_path):
    """Into an empty cache, postBuild builds libc, a bare program, the boot's programs; trusts."""
    cache = tmp_path / "cache"
    done = run_postbuild(cache)
    assert done.returncode == 0, done.stderr[-2000:]
    assert list((cache / "libc").glob("libc-*.a")), "no libc archive in the cache"
    built = {p.name.rsplit("-", 1)[0] for p in (cache / "elf").glob("*.elf")}
    expected = {"prewarm", "init", "trampoline"} | {
        c.stem for c in (REPO / "oskit" / "userland" / "bin").glob("*.c")}
    assert expected <= built, f"postBuild did not build {sorted(expected - built)}"
    assert "kernel booted" in done.stdout
    notary = NotebookNotary(data_dir=str(cache / "jupyter"))
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert notary.check_signature(nb), f"postBuild did not trust {path.name}"


def test_a_failing_postbuild_step_fails_the_build(tmp_path):
    """A Python error inside postBuild's build step makes the script exit non-zero."""
    broken = tmp_path / "postBuild"
    broken.write_text((REPO / "postBuild").read_text().replace(
        'mode="bare"', 'mode="no-such-mode"'))
    done = run_postbuild(tmp_path / "cache", broken)
    assert done.returncode != 0
    assert "no-such-mode" in done.stderr
