# Two entry points, both from nothing but Python 3.11+, pip and make:
#   make run   - set up .venv and run the main job: the Belarus/Oreshnik report in report/
#   make test  - set up .venv and run lint, type checks and the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/reachmap report -o report

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

bench: $(BIN)/.installed
	$(BIN)/python bench/distance.py

clean:
	rm -rf $(VENV) build *.egg-info
