# make run  : create .venv if missing, install the app's requirements, start the page.
# make test : create .venv if missing, install test requirements, run the whole test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast check bench samples

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip >/dev/null

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/streamlit run app.py

test: $(VENV)/.dev
	$(BIN)/python -m pytest

# ruff (lint + format) and mypy on the package and the page; the same run as CI.
check: $(VENV)/.dev
	$(BIN)/ruff check analysis review app.py
	$(BIN)/ruff format --check analysis review app.py
	$(BIN)/mypy

test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest -m "not slow"

bench: $(VENV)/.dev
	$(BIN)/python -m bench.speed
	$(BIN)/python -m bench.accuracy
