# Two commands set up everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run serve test lint chat clean soak faults

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the dependency list changes; the stamp keeps `make run` fast otherwise.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	PORT=$(PORT) ANKLE_COACH_DEV_SKIP_VERIFICATION=$${ANKLE_COACH_DEV_SKIP_VERIFICATION-1} $(BIN)/python -m skill run

# Production-style serving, verification on: needs ANKLE_COACH_SKILL_IDS, and TLS in front
# (README, "Running in production"). 4 single-threaded workers suit 2 cores (docs/benchmarks.md).
serve: $(VENV)/.installed
	$(BIN)/gunicorn --workers $${WORKERS-4} --bind $${HOST-127.0.0.1}:$(PORT) "skill.web:create_app()"

test: $(VENV)/.installed-dev
	$(BIN)/python -m ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# A typed conversation with the skill, no device needed; `make chat ARGS="--json"` passes options.
chat: $(VENV)/.installed
	$(BIN)/python -m skill chat $(ARGS)

# Progress that is never lost: 60 s soaks on SQLite and DynamoDB, then each fault under load
# (bench/soak.py, bench/faults.py; figures in docs/benchmarks.md). Minutes, not part of `make test`.
soak: $(VENV)/.installed-dev
	$(BIN)/python -m bench.soak $(ARGS)

faults: $(VENV)/.installed-dev
	$(BIN)/python -m bench.faults $(ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/python -m ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
