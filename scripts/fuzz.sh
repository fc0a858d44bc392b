#!/usr/bin/env bash
# Fuzz the HTTP API with schemathesis against its own OpenAPI document, every check on (server
# errors, status codes, content types, response schemas, negative data rejected, auth...), NUL
# bytes on, bounded by examples per operation and time:
#   scripts/fuzz.sh            SQLite, then PostgreSQL (a throwaway server via scripts/postgres.sh)
#   scripts/fuzz.sh sqlite     one store only (or: postgres)
# FUZZ_MAX_EXAMPLES (default 25 per operation) and FUZZ_MAX_TIME (default 300 s per store) bound
# a run; FUZZ_REPORT_DIR keeps schemathesis' reports. Exits non-zero when any check failed on any store,
# schemathesis met an error that is not its own, or the server logged a traceback. The few rules the
# OpenAPI document can only state in words, and the tool's own errors, are listed in scripts/fuzz.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if ! .venv/bin/python -c 'import schemathesis' 2>/dev/null; then
  .venv/bin/pip install -q 'schemathesis>=4.3,<5'
fi
which="${1:-both}"
status=0
if [ "$which" = sqlite ] || [ "$which" = both ]; then
  env -u FLYLOOP_TEST_DATABASE_URL "$PY" scripts/fuzz.py || status=1
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  scripts/postgres.sh run "$PY" scripts/fuzz.py || status=1
fi
exit $status
