# The course's one entry point. On a fresh clone, `make serve` and `make test`
# create the virtual environment and install everything they need first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test install services browser-tools build notebooks lab new-lesson bench lint format clean

## serve: the site at http://127.0.0.1:8000, rebuilt as you edit (needs no database)
serve: install
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

## test: start or find the services, execute and verify every notebook, build and check the site
##       (a notebook unchanged since its last green run is skipped; FORCE=1 runs everything)
test: install services browser-tools
	COURSE_FORCE=$(FORCE) $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

## install: the virtual environment, from requirements.txt (re-run when it changes)
install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

## services: find MySQL and Redis, start them if installed but stopped
services: install
	$(BIN)/python -m courselab services

## browser-tools: Debian's Chromium (installed when run as root) and axe-core, for the browser tests
browser-tools: node_modules/.installed
	@command -v chromium >/dev/null || command -v google-chrome >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "no Chromium: the browser tests will be skipped (install your distro's chromium package)"; fi; }

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-progress --silent && touch $@; \
	else echo "no npm: the accessibility tests will be skipped (install Node.js 20 and npm)"; fi

## build: the static site in site/, strictly (any warning fails)
build: install
	$(BIN)/mkdocs build --strict

## notebooks: re-execute notebooks and store their outputs (all, or NB="path ...")
notebooks: install services
	$(BIN)/python -m courselab notebooks $(NB)

## lab: JupyterLab on the notebooks
lab: install
	$(BIN)/jupyter lab notebooks

## new-lesson: CHAPTER=databases/mysql SLUG=01-relational-modelling TITLE="Relational modelling"
new-lesson: install
	$(BIN)/python -m courselab new-lesson "$(CHAPTER)" "$(SLUG)" "$(TITLE)"

## bench: this site against stock MkDocs + Material + mkdocs-jupyter (BENCH_ARGS="--tests --markdown")
bench: install browser-tools
	$(BIN)/python -m benchmarks.site $(BENCH_ARGS)

## lint: ruff on the code and the notebooks
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .

clean:
	rm -rf site .cache .pytest_cache node_modules
