# Two commands set up everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

LAMBDA_PYTHON ?= python3.13
SAM := $(BIN)/sam
export SAM_CLI_TELEMETRY ?= 0

.PHONY: run serve test fuzz lint chat clean models icons deploy deploy-skill deploy-build deploy-lambda deploy-endpoint deploy-update lock lambda-build lambda-check build-AnkleCoachFunction soak faults bench

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

# Generated envelopes (Hypothesis) through POST / and lambda_handler.handler, with figures;
# `make test` runs 300 of them, this runs FUZZ_EXAMPLES (default 5000).
fuzz: $(VENV)/.installed-dev
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES-5000} $(BIN)/python -m pytest -q -s -p no:randomly tests/test_fuzz.py

# A typed conversation with the skill, no device needed; `make chat ARGS="--json"` passes options.
chat: $(VENV)/.installed
	$(BIN)/python -m skill chat $(ARGS)

# Progress that is never lost: 60 s soaks on SQLite and DynamoDB, then each fault under load
# (bench/soak.py, bench/faults.py; figures in docs/benchmarks.md). Minutes, not part of `make test`.
soak: $(VENV)/.installed-dev
	$(BIN)/python -m bench.soak $(ARGS)

faults: $(VENV)/.installed-dev
	$(BIN)/python -m bench.faults $(ARGS)

# Speed against hello-world (bench/turns.py in process, bench/cold_start.py, bench/web_service.py
# over gunicorn; figures in docs/benchmarks.md). Minutes, not part of `make test`.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.turns $(TURNS_ARGS)
	$(BIN)/python -m bench.cold_start $(COLD_ARGS)
	$(BIN)/python -m bench.web_service $(WEB_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/python -m ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .aws-sam

# The five skill-package models from interaction_models/en-US.json + locales.toml (run after
# editing either; the tests fail while a generated model is stale).
models: $(VENV)/.installed
	$(BIN)/python scripts/generate_models.py

# The skill icons (108 and 512 px PNG) from assets/icon.svg; needs rsvg-convert.
icons:
	bash scripts/make_icons.sh

# --- Deploying (README, "Deploying"): every step, or one at a time -------------------------
deploy: $(VENV)/.installed-dev
	$(BIN)/python scripts/deploy.py all

deploy-skill deploy-build deploy-lambda deploy-endpoint deploy-update: $(VENV)/.installed-dev
	$(BIN)/python scripts/deploy.py $(@:deploy-%=%)

# --- AWS Lambda bundle (README, "Deploying to AWS Lambda") ---
# Pin the bundle's dependencies after changing requirements.txt.
lock: $(VENV)/.installed-dev
	$(BIN)/python scripts/lock_lambda.py

# sam build calls this target (BuildMethod: makefile); it needs Python 3.13, the runtime's.
build-AnkleCoachFunction:
	$(LAMBDA_PYTHON) scripts/build_lambda.py "$(ARTIFACTS_DIR)"

# Build with SAM in the source folder (no copy of .venv or node_modules), then prove the bundle
# (the same as `make deploy-build`: finds Python 3.13 on PATH or in pyenv).
lambda-build: deploy-build

lambda-check: $(VENV)/.installed-dev
	$(BIN)/python scripts/check_bundle.py .aws-sam/build/AnkleCoachFunction
