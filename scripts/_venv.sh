# Shared set-up for scripts/demo.sh and scripts/test.sh (sourced, not run).
#
# Creates .venv in the repository root when missing and installs the project
# with its test extra ("pip install -e .[test]") when pyproject.toml changed
# since the last install (a hash of it is kept in .venv/.mlr3py-install-stamp).
# Set PYTHON to choose the interpreter that creates the venv (default: python3).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
STAMP="$VENV/.mlr3py-install-stamp"
PYTHON="${PYTHON:-python3}"

_mlr3py_hash() {
    # the install depends on pyproject.toml only (the package itself is editable)
    "$VENV/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' \
        "$REPO_ROOT/pyproject.toml"
}

mlr3py_setup_venv() {
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        echo "error: '$PYTHON' not found; install Python >= 3.10 or set PYTHON=/path/to/python3" >&2
        return 1
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
            echo "error: mlr3py needs Python >= 3.10; '$PYTHON' is $("$PYTHON" -V 2>&1)." \
                "Set PYTHON=/path/to/python3.10+" >&2
            return 1
        fi
        echo "Creating $VENV ..." >&2
        "$PYTHON" -m venv "$VENV"
    fi
    local want
    want="$(_mlr3py_hash)"
    if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
        echo "Installing mlr3py and its test dependencies into $VENV (pip, quiet) ..." >&2
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            -e "$REPO_ROOT[test]"
        echo "$want" > "$STAMP"
    fi
    # the cache of OpenML data sets (sonar, spam, german_credit): use the shared copy if any
    if [ -z "${MLR3PY_DATA_DIR:-}" ] && [ -d "$REPO_ROOT/../shared/data" ]; then
        MLR3PY_DATA_DIR="$(cd "$REPO_ROOT/../shared/data" && pwd)"
        export MLR3PY_DATA_DIR
    fi
}
