"""oskit never imports the widgets (nor ipywidgets): the machine and kernel work headless."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import oskit

REPO = Path(__file__).resolve().parents[2]

CHECK = r"""
import importlib, pkgutil, sys
import oskit
names = ["oskit"]
for info in pkgutil.walk_packages(oskit.__path__, "oskit."):
    if info.name == "oskit.__main__":
        continue  # the CLI runs on import
    names.append(info.name)
failed = []
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:  # a module that does not import yet is reported, not hidden
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
leaked = sorted(m for m in sys.modules if m == "widgets" or m.startswith(("widgets.", "ipywidgets")))
print(len(names))
print("LEAKED", leaked)
print("FAILED", failed)
"""


def test_oskit_imports_neither_widgets_nor_ipywidgets():
    """Importing oskit and every one of its submodules loads neither `widgets` nor `ipywidgets`."""
    run = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, cwd=REPO,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    count = int(lines[0])
    expected = 1 + sum(1 for i in pkgutil.walk_packages(oskit.__path__, "oskit.")
                       if i.name != "oskit.__main__")
    assert count == expected >= 10
    assert lines[1] == "LEAKED []", f"oskit imported widget modules: {lines[1]}"
