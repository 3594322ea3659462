#!/usr/bin/env bash
# The core without extras: install mlr3py alone ("pip install -e .", no polars,
# torch or dask) into .venv-core, check that it imports and run the quick tests.
# Tests that need an extra skip. Extra arguments go to pytest.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MLR3PY_CORE_VENV:-$REPO_ROOT/.venv-core}"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.mlr3py-install-stamp"
cd "$REPO_ROOT"
if [ ! -x "$VENV/bin/python" ]; then
    echo "Creating $VENV ..." >&2
    "$PYTHON" -m venv "$VENV"
fi
want="$("$VENV/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' pyproject.toml)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
    echo "Installing mlr3py without extras into $VENV (pip, quiet) ..." >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e . \
        "pytest>=7.4" "pytest-timeout>=2.2"
    echo "$want" > "$STAMP"
fi
if [ -z "${MLR3PY_DATA_DIR:-}" ] && [ -d "$REPO_ROOT/../shared/data" ]; then
    MLR3PY_DATA_DIR="$(cd "$REPO_ROOT/../shared/data" && pwd)"
    export MLR3PY_DATA_DIR
fi
"$VENV/bin/python" - <<'PY'
import importlib.util
import sys

import mlr3py  # noqa: F401

extras = [name for name in ("torch", "dask", "distributed", "polars", "pyarrow")
          if importlib.util.find_spec(name) is not None]
if extras:
    sys.exit(f"{sys.prefix} is meant to hold the core only, but has: {', '.join(extras)}")
PY
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider -m "not slow" "$@"
