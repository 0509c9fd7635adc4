# Two commands on a fresh machine: `make demo` and `make test`. Each sets up what it needs:
# a virtualenv in .venv, the project installed editable, and Graphviz's `dot` where it can.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo figures test bench lint graphviz chromium nodejs playground notebook site clean

demo: $(STAMP) graphviz
	$(PY) -m demos --out out

# The README's figures: the real output of `python -m demos` with the default seed.
figures: $(STAMP) graphviz chromium
	$(PY) -m demos --out docs/figures
	$(PY) -m demos.playground.browser docs/figures/playground.png
	$(PY) -m demos.playground.browser docs/figures/playground-classes.png \
	  "dataset=spiral&classes=3&points=300&noise=0.05&hidden=16+16&speed=max" 150
	$(PY) -m demos.playground.browser docs/figures/playground-regression.png \
	  "dataset=bump&points=300&hidden=8&activations=tanh&speed=20" 40

test: $(STAMP) graphviz chromium node_modules/.installed
	$(PY) -m pytest

# The lesson: JupyterLab (an optional extra) on demos/workshop.ipynb; the answers are in
# demos/workshop-solutions.ipynb.
notebook: $(STAMP) graphviz
	$(PY) -m pip install --quiet -e '.[notebook]'
	$(PY) -m jupyter lab demos/workshop.ipynb

# The playground: a local server, and the page in a browser (Ctrl-C stops it).
playground: $(STAMP) graphviz
	$(PY) -m demos.playground

# The playground as a static folder, build/site/: no install, no server; it runs in the browser
# (Pyodide in a Web Worker). Rebuilt only when its inputs change. Serve it with any static server:
#     python -m http.server --directory build/site 8000
SITE_INPUTS := pyproject.toml package.json package-lock.json \
	$(wildcard autograd/*.py autograd/*.js nn/*.py nn/*.js demos/*.py demos/playground/*.py demos/playground/static/*)

site: build/site/.built

build/site/.built: $(SITE_INPUTS) | $(STAMP) node_modules/.installed
	$(PY) -m demos.playground.site build/site
	touch $@

# micrograd and PyTorch (its CPU build, 2.13.0) only for the comparison; without PyTorch its
# column is skipped.
bench: $(STAMP) chromium node_modules/.installed
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m pip install --quiet torch==2.13.0 || echo "PyTorch could not be installed: its column is skipped"
	$(PY) benchmarks/engine.py
	$(PY) benchmarks/train.py
	$(PY) benchmarks/replay.py
	$(PY) benchmarks/cross_entropy.py
	$(PY) benchmarks/playground.py
	$(PY) benchmarks/site.py

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

# The playground's browser tests drive Debian's chromium (Playwright's own download cannot work
# here): installed like Graphviz when we may; otherwise those tests say why they are skipped.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Chromium (Debian package chromium) for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing; the playground's browser tests will be skipped. To run them:"; \
		echo "    sudo apt-get install chromium"; \
	fi

# The JavaScript we use (the static site's Pyodide and viz.js; axe-core, the page's accessibility
# audit) is pinned in package.json and package-lock.json and installed by `npm ci`, with Node.js 18 or later:
# one already there is used as is; otherwise Debian's nodejs and npm, installed as above.
nodejs:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
		&& [ "$$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Node.js (Debian packages nodejs and npm) for the page's audit..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	else \
		echo "Node.js 18 or later and npm are needed for the page's accessibility audit. Run:"; \
		echo "    sudo apt-get install nodejs npm"; \
		exit 1; \
	fi

node_modules/.installed: package.json package-lock.json | nodejs
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis out node_modules build
