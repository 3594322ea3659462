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
# the PostgreSQL backend tests start a server from Debian's postgresql package: install it
# when missing (as root with apt-get); without it those tests skip, saying why
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null \
    && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's postgresql package for the PostgreSQL backend tests ..." >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } \
        >/dev/null || echo "warning: could not install postgresql; its tests will skip" >&2
fi
exec "$VENV/bin/python" -m pytest "$@"
