# Two commands for a newcomer: `make demo` and `make test`. Each builds .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test eval bench clean check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Voice Service needs Python 3.11 or newer (set PYTHON=python3.11)")'

$(BIN)/voice-service: pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

# `make demo DEMO_PORT=5001` when something else listens on 5000.
DEMO_PORT ?= 5000
demo: $(BIN)/voice-service
	$(BIN)/voice-service demo --port $(DEMO_PORT)

# Tests never depend on the date, and are checked a year ahead with `faketime -f '+365d' make test`.
# libfaketime also shifts the monotonic clock, which makes every timed wait (threading.Event.wait)
# hang; the wall clock is what such a check is about, so the monotonic one is left real. (Debian's
# libfaketime 0.9.10 then breaks time.sleep: tests/faketime/libfaketime_sleep.py mends it.)
export FAKETIME_DONT_FAKE_MONOTONIC = 1

# The suite runs in PYTEST_WORKERS processes (pytest-xdist), a whole test file to each, as every test owns its
# data (its own SQLite file or PostgreSQL database, its own ports): `make test PYTEST_WORKERS=0` runs it in one.
PYTEST_WORKERS ?= 2

test: $(BIN)/voice-service
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Risk screen on the held-out TEST split (lexicon, model, combined), DEV, everyday false
# alarms, the holdout and an unseen author (figures only), then the older tuned-on set. `... evaluate -v` lists
# every miss and false alarm outside the holdout.
eval: $(BIN)/voice-service
	$(BIN)/python -m voice_service.analysis.evaluate

bench: $(BIN)/voice-service
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1; } || echo "note: the inbound benchmark needs wrk (apt-get install wrk)" >&2
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) instance demo-output .pytest_cache
