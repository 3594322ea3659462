#!/usr/bin/env bash
# Lint (ruff; lint-imports checks the import layers declared in pyproject.toml), type-check
# (mypy) and run the whole test suite, setting up .venv first if needed.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k cli -x`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
mlr3py_setup_venv
cd "$REPO_ROOT"
"$VENV/bin/python" -m ruff check src tests examples benchmarks
"$VENV/bin/lint-imports"
"$VENV/bin/python" -m mypy
exec "$VENV/bin/python" -m pytest "$@"
