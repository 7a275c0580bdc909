# The README's two commands: `make demo` and `make test`. Each creates .venv
# and installs the project into it when needed, so a fresh clone just works.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck docs bench clean venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,docs,bdd]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/regframe report --demo -o demo.xlsx --json demo.json

# The docs build (warnings are errors) runs first, so the test run's own summary is the last line printed.
test: $(STAMP)
	$(MAKE) lint
	$(MAKE) docs
	$(BIN)/python -m pytest

# The layer contract (a lower layer never imports a higher one), the linter and the type checker, run by `make test`.
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check regframe tests docs/_ext
	$(BIN)/mypy

typecheck: $(STAMP)
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m sphinx -W --keep-going -n -q -b html docs docs/_build/html

bench: $(STAMP)
	$(BIN)/python -m regframe.bench

clean:
	rm -rf $(VENV) docs/_build docs/_generated build dist
