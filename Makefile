# Two commands on a fresh machine: `make demo` and `make test`. Each sets up what it needs:
# a virtualenv in .venv, the project installed editable, and Graphviz's `dot` where it can.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo figures test bench lint graphviz clean

demo: $(STAMP) graphviz
	$(PY) -m demos --out out

# The README's figures: the real output of `python -m demos` with the default seed.
figures: $(STAMP) graphviz
	$(PY) -m demos --out docs/figures

test: $(STAMP) graphviz
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/engine.py
	$(PY) benchmarks/train.py
	$(PY) benchmarks/replay.py

lint: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ruff check .

$(PY):
	$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): install Python's venv module (Debian: apt-get install python3-venv)"; exit 1; }

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Graphviz's `dot` is a system program, not a Python package: install Debian's `graphviz`
# when we may (root, or sudo without a password); otherwise say how, and carry on.
graphviz:
	@if command -v dot >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Graphviz (Debian package graphviz)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Graphviz (Debian package graphviz)..."; \
		sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	else \
		echo "Graphviz's 'dot' is missing and cannot be installed from here. Run:"; \
		echo "    sudo apt-get install graphviz     (Debian/Ubuntu; see https://graphviz.org/download/ elsewhere)"; \
		echo "Rendering will fail with that message until it is installed."; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis out
