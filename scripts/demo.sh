#!/usr/bin/env bash
# Set up a local .venv (jaxport + scikit-learn for the bundled data) and run the main demo.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[demo]'
exec .venv/bin/python scripts/demo.py
