# `make run` and `make test` set up whatever is missing first (see scripts/setup.sh).
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run test lint typecheck bench clean

setup:
	@bash scripts/setup.sh

run: setup
	@$(VENV)/bin/accessible-reader demo

test: setup
	@$(PY) -m ruff check accessible_reader tests benchmarks
	@$(PY) -m mypy
	@$(PY) -m pytest --cov --cov-report=term:skip-covered -q

lint: setup
	@$(PY) -m ruff check accessible_reader tests benchmarks
	@$(PY) -m ruff format --check accessible_reader tests benchmarks

typecheck: setup
	@$(PY) -m mypy

bench: setup
	@$(PY) benchmarks/ingest.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
