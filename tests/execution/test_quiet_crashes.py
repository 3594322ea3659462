"""A worker that crashes on purpose prints no "Fatal Python error" dump into the test output.

Workers of the plan "multicore" are forked from the test process, whose faulthandler
pytest enables; the root conftest turns it off while tests marked ``subprocess`` run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.subprocess,
    pytest.mark.skipif(os.name != "posix", reason="multicore needs fork"),
]

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_segfaulting_forked_worker_prints_no_dump() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/execution/test_worker_failures.py", "-k", "segfault and multicore"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "1 passed" in output
    assert "Fatal Python error" not in output
