# The two commands a new user runs (see README.md):
#   make lab    sets everything up and opens the textbook in JupyterLab
#   make test   sets everything up and runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: setup lab test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# The browser test needs Debian's chromium, the differential test QEMU; install them when we can.
	@{ test -x /usr/bin/chromium && command -v qemu-system-riscv64 >/dev/null; } || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && apt-get install -y -qq chromium qemu-system-misc >/dev/null); } || \
	  echo "note: install chromium and qemu-system-misc (apt-get install ...) for the browser and QEMU tests"
	touch $@

lab: setup
	@# A fresh clone's notebooks are untrusted: trust them so saved widgets draw.
	$(BIN)/jupyter trust notebooks/*.ipynb
	@# Jupyter refuses to run as root unless told (containers, CI machines often are root).
	$(BIN)/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) notebooks/

test: setup
	$(BIN)/python -m pytest

bench: setup
	@# First the one table a reader and a class server care about, beside the previous release's;
	@# then each benchmark's own, longer table.
	$(BIN)/python bench/table.py
	for b in bench/*.py; do [ $$b = bench/table.py ] || $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
