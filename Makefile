# migrate: the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help install demo test lint bench samples clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install migrate with its dev tools

demo: install ## Run the demo project (the repository root) end to end into out/
	$(VENV)/bin/migrate run

test: install ## Run the whole test suite
	$(PY) -m pytest

lint: install ## ruff + mypy
	$(VENV)/bin/ruff check migrate tests samples bench
	$(VENV)/bin/mypy

bench: install ## Run the benchmarks; figures go to bench/results/*.json
	$(PY) -m bench.run

samples: install ## Regenerate the committed demo data in samples/
	$(PY) samples/generate.py

clean: ## Remove outputs (keeps .venv)
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
