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
	@for b in ingest reading speech braille export api menu; do \
	  if [ -f benchmarks/$$b.py ]; then echo "== benchmarks/$$b.py"; $(PY) benchmarks/$$b.py || exit 1; fi; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
