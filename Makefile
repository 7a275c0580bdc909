# The README's two commands: `make demo` and `make test`. Each creates .venv
# and installs the project into it when needed, so a fresh clone just works.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck docs bench fuzz clean venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,docs,bdd]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/regframe report --demo -o demo.xlsx --json demo.json --jsonl demo.jsonl

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

# Every fuzz test (tests/fuzz/budget.py) for FUZZ_SECONDS seconds each: `make fuzz FUZZ_SECONDS=300`.
# `make test` runs them too, for a few seconds each. Prints tried / rejected / accepted / crashes per format.
FUZZ_SECONDS ?= 300
fuzz: $(STAMP)
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/python -m pytest -m fuzz -p no:cacheprovider -q tests

clean:
	rm -rf $(VENV) docs/_build docs/_generated build dist
