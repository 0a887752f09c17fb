# Médiathèque — the two commands a new user needs are `make run` and `make test`.
# Everything else is set up by them (a virtual environment in .venv).

PYTHON ?= python3
VENV   ?= .venv
ifeq ($(OS),Windows_NT)
  BIN := $(VENV)/Scripts
else
  BIN := $(VENV)/bin
endif
PY := $(BIN)/python

.PHONY: run test lint bench messages guide guide-images wheel bundle clean

$(VENV)/.installed-app: pyproject.toml
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11))" || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
		{ echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-app
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

## run: set everything up and open the application on the local SQLite database
run: $(VENV)/.installed-app
	@$(PY) tools/check_system.py
	$(BIN)/mediatheque

## test: set everything up and run the whole suite (lint, types, core and UI tests)
test: $(VENV)/.installed-test lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(VENV)/.installed-test
	$(PY) -m ruff check mediatheque tests bench tools
	$(PY) -m mypy

## bench: the benchmarks of bench/ on generated data (medians and p95)
bench: $(VENV)/.installed-test
	$(PY) -m bench.run $(BENCH_ARGS)

## messages: extract messages from the code and merge them into translations/*.po
messages: $(VENV)/.installed-app
	$(PY) tools/update_translations.py

## guide: render the user guide (docs/guide/*.md) to resources/guide/guide-*.pdf
guide: $(VENV)/.installed-app
	$(PY) tools/guide_pdf.py

## guide-images: redraw the guide's screenshots (docs/guide/images) from the real application
# Under xvfb-run when there is no display; `make guide` then renders the PDFs again.
guide-images: $(VENV)/.installed-app
ifeq ($(DISPLAY),)
	xvfb-run -a -s "-screen 0 1280x800x24" $(PY) tools/guide_images.py
else
	$(PY) tools/guide_images.py
endif

wheel: $(VENV)/.installed-test
	$(PY) -m pip install --quiet build
	$(PY) -m build --wheel --outdir dist

bundle: $(VENV)/.installed-app
	$(PY) -m pip install --quiet -e '.[build]'
	$(PY) -m PyInstaller --noconfirm --clean build_installer.spec

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
