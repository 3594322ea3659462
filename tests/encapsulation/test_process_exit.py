"""A script whose learner ran in an encapsulation process exits when it ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.subprocess, pytest.mark.slow]

SCRIPT = """
from mlr3py import lrn, tsk
learner = lrn("classif.rpart")
learner.encapsulation = "process"
learner.train(tsk("iris"))
print("trained")
"""


def test_script_with_a_pooled_child_exits(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    src = Path(__file__).resolve().parents[2] / "src"
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(src)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "trained"
