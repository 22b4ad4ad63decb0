# Two commands for a newcomer:  make run  (demo on SQLite at http://127.0.0.1:8000)  ·  make test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEMO_SCALE ?= 0.002
DEMO_MONTHS ?= 3

.PHONY: run worker test lint install lock clean coverage-pure

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Jamsos needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Start Jamsos with the demo region on SQLite (var/jamsos.sqlite3).
run: install
	mkdir -p var
	JAMSOS_DEBUG=true $(BIN)/jamsos migrate --noinput
	JAMSOS_DEBUG=true $(BIN)/jamsos demo --scale $(DEMO_SCALE) --months $(DEMO_MONTHS)
	@echo "make run: a development demo with DEBUG on (not for real data). Phone codes are not sent:"
	@echo "they appear in this terminal's log (JAMSOS_NOTIFICATION_SENDER=console)."
	JAMSOS_DEBUG=true $(BIN)/jamsos serve --host $(HOST) --port $(PORT)

## Run queued jobs (billing runs from the pages...) for `make run`, in a second terminal.
worker: install
	JAMSOS_DEBUG=true $(BIN)/jamsos worker

## Run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
test: install
	$(BIN)/python -m pytest

## Full branch coverage of the pure calculation modules (and their doctests).
PURE_MODULES = jamsos/core/env.py jamsos/core/money.py jamsos/core/errors.py jamsos/core/period.py jamsos/accounts/roles.py jamsos/accounts/policy.py jamsos/rules/calc jamsos/rules/simulate.py jamsos/registry/nik.py
coverage-pure: install
	$(BIN)/python -m pytest -q -p no:cacheprovider --doctest-modules $(PURE_MODULES) tests/rules \
	  tests/test_money.py tests/test_period.py tests/test_access_policy.py tests/test_env.py tests/test_nik.py tests/test_simulation_interfaces.py tests/test_benefit_interfaces.py \
	  --cov=jamsos.core.env --cov=jamsos.core.money --cov=jamsos.core.period --cov=jamsos.core.errors --cov=jamsos.accounts.roles --cov=jamsos.accounts.policy \
	  --cov=jamsos.rules.calc --cov=jamsos.rules.simulate --cov=jamsos.registry.nik --cov-report=term-missing --cov-fail-under=100

## Linters and checks that CI runs besides the tests.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## Re-pin constraints.txt from the current environment (after changing pyproject.toml).
lock: install
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^jamsos' > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
