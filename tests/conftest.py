"""Test-wide set-up: the OpenML data cache points at the shared data directory.

``MLR3PY_DATA_DIR`` is set at import time, before any test module builds a
task, to ``<repo root>/../shared/data`` (it holds ``sonar.csv``).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"

os.environ["MLR3PY_DATA_DIR"] = str(SHARED_DATA_DIR)
