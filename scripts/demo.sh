#!/usr/bin/env bash
# Run the main demonstration (examples/quickstart.py), setting up .venv first if needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
mlr3py_setup_venv
cd "$REPO_ROOT"
exec "$VENV/bin/python" examples/quickstart.py "$@"
