"""Re-execute notebooks in place and clean them, ready to commit.

    .venv/bin/python tools/execute_notebooks.py                  # every chapter + the smoke notebook
    .venv/bin/python tools/execute_notebooks.py notebooks/03-*.ipynb

Each notebook is run top to bottom in a fresh kernel (`jupyter nbconvert --execute --inplace`),
then cleaned with nbstripout using NBSTRIPOUT_FLAGS. tests/test_notebooks_clean.py checks the
committed notebooks with the same flags (`nbstripout --verify`), so run this before committing one.

What the cleaning keeps, and why:

- outputs and execution counts: nbval compares the outputs, which are the book's claims.
- metadata.widgets, the saved widget state: nbstripout drops it by default, and we keep it on
  purpose. Without it a static page of the book (nbconvert HTML, Jupyter Book) shows no widget at
  all, only a line like `TrapStepper(...)`; with it the reader sees each view as the run left it
  (issue 5 asks for that). The cost: its model ids are random, so every re-execution rewrites
  that part of the file (a noisy diff), and it adds some kilobytes per widget. nbval ignores it,
  and the test checks it is complete (every widget output has its model saved).

Dropped: cell ids (renumbered 0, 1, ... so re-runs do not churn them), per-cell execution
timestamps, and the other volatile metadata nbstripout removes by default.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NBSTRIPOUT_FLAGS = ["--keep-output", "--keep-count", "--keep-metadata-keys", "metadata.widgets"]
# No chapter cell should take more than a few seconds; a whole notebook gets this long.
TIMEOUT_S = 300


def default_notebooks() -> list[Path]:
    """The chapters and the browser test's widget smoke notebook."""
    return sorted((REPO / "notebooks").glob("*.ipynb")) + sorted(
        (REPO / "tests" / "browser").glob("*.ipynb"))


def execute(path: Path) -> float:
    """Run `path` in a fresh kernel, in place, then clean it; return the seconds it took."""
    start = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
         f"--ExecutePreprocessor.timeout={TIMEOUT_S}", str(path)],
        capture_output=True, text=True, cwd=REPO)
    if run.returncode != 0:
        # nbconvert stops at the first failing cell and leaves the file untouched.
        raise SystemExit(f"{path}: executing it failed (nbconvert exit {run.returncode}):\n"
                         f"{run.stderr[-3000:]}")
    merge_streams(path)
    strip(path)
    return time.monotonic() - start


def merge_streams(path: Path) -> None:
    """Join each cell's consecutive stdout (or stderr) outputs into one, in place.

    The kernel sends printed text in pieces as its buffer fills, so one print can be saved as
    two outputs. JupyterLab and nbval join them when they show or compare a cell, but a
    static page shows two blocks, and a tool that pairs saved outputs with the ones on the
    page (tests/browser/labdriver.py once did) counts wrong.
    """
    import nbformat
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            prev = merged[-1] if merged else None
            if (out.output_type == "stream" and prev is not None and prev.output_type == "stream"
                    and prev.name == out.name):
                prev.text += out.text
            else:
                merged.append(out)
        if "outputs" in cell:
            cell.outputs = merged
    nbformat.write(nb, path)


def strip(path: Path) -> None:
    """Clean `path` in place with nbstripout and NBSTRIPOUT_FLAGS."""
    subprocess.run([sys.executable, "-m", "nbstripout", *NBSTRIPOUT_FLAGS, str(path)],
                   check=True, cwd=REPO)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to execute (default: notebooks/*.ipynb and "
                             "tests/browser/*.ipynb)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or default_notebooks()
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            parser.error(f"expected an existing .ipynb file, found {path}")
    for path in paths:
        seconds = execute(path)
        print(f"{seconds:6.1f} s  {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
