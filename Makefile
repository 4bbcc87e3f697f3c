# The developer loop. Every target sets up what it needs first, so on a fresh machine
# `make run` and `make test` are the only two commands anyone has to know.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)

.PHONY: setup run test lint bench audit clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

## run: set up, then run the monitor with the shipped defaults (archive in db/)
run: $(STAMP)
	$(BIN)/monitor run

## test: set up, run the whole test suite (pytest exit 5, "no tests", counts as failure), then
## audit the locked dependencies for known vulnerabilities
test: $(STAMP)
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose" >&2; exit 1; fi; \
	  if [ $$rc -ne 0 ]; then exit $$rc; fi
	@$(BIN)/python scripts/audit_dependencies.py

## audit: pip-audit over requirements.lock (says so when no vulnerability data is reachable)
audit: $(STAMP)
	$(BIN)/python scripts/audit_dependencies.py

## lint: ruff and mypy, as configured in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: every benchmark under bench/, each printing its ratio against the alternative
bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
