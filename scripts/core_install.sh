#!/usr/bin/env bash
# The core install alone must capture: a fresh virtualenv, `pip install .` with no extra, then a
# tiny app logs 50 interactions with the default settings and checks all 50 are stored.
# `make test` runs it; the suite also runs the app with the extras' imports blocked (faster).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
started=$(date +%s)
"$PYTHON" -m venv "$scratch/venv"
"$scratch/venv/bin/pip" install -q .
installed=$(date +%s)
echo "core install: fresh venv and pip install . in $((installed - started))s"
"$scratch/venv/bin/python" scripts/core_app.py
