# archgen: `make gallery` renders the bundled case studies into output/ (and their
# flashcards into output/archgen-gallery.apkg, their study book into
# output/archgen-study-book.pdf),
# `make test` runs the whole test suite (the type check and the docstring examples
# too). Both set everything up first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell if [ "$$(id -u)" != 0 ] && command -v sudo >/dev/null; then echo sudo; fi)
APT_PACKAGES := graphviz fonts-dejavu-core

.PHONY: setup gallery test lint bench layout docs clean graphviz browser

# The deck is made after the gallery, so that its cards carry the step diagrams.
gallery: setup
	$(BIN)/archgen gallery blueprints -o output
	$(BIN)/archgen cards blueprints -o output/archgen-gallery.apkg --diagrams output
	$(BIN)/archgen book blueprints -o output/archgen-study-book.pdf

test: setup browser
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check archgen tests bench
	$(BIN)/ruff format --check archgen tests bench
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/run.py

# The layout targets alone, as a check: fails when a target is not met.
layout: setup
	$(BIN)/python bench/layout_report.py --check

# The README's picture: the spec's example, rendered.
docs: setup
	$(BIN)/archgen render tests/data/valid/spec-example.yaml -o build/docs --format png --no-steps --no-narrative
	cp build/docs/video-recommendation/video-recommendation.png docs/video-recommendation.png

setup: $(STAMP) graphviz

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "archgen needs Python 3.11 or newer; $(PYTHON) is older. Run: make PYTHON=/path/to/python3.11 $(MAKECMDGOALS)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Graphviz's `dot` does the layout. Installed through apt-get when it is
# missing and apt is there; otherwise we say how to install it.
graphviz:
	@if ! command -v dot >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Graphviz is missing: installing it with apt-get"; \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	  else \
	    echo "Graphviz is missing. Install it, then run make again:"; \
	    echo "  macOS: brew install graphviz    Fedora: sudo dnf install graphviz    others: https://graphviz.org/download/"; \
	    exit 1; \
	  fi; \
	fi

# The HTML pages are checked in headless Chromium.
browser:
	@if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Chromium is missing (the HTML tests need it): installing it with apt-get"; \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing; the HTML tests need it. Install chromium and run make test again."; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
