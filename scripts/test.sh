#!/usr/bin/env bash
# Set up a local .venv (jaxport + test tools) and run the unit and parity tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/python -m ruff check jaxport tests parity_tests scripts benchmarks
exec .venv/bin/python -m pytest -q -n 2 "$@"
