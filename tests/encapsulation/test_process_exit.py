"""A program that used the "process" encapsulation ends when it is done."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_the_interpreter_exits_after_process_encapsulation() -> None:
    code = textwrap.dedent(
        """
        from mlr3py import lrn, tsk

        learner = lrn("classif.rpart")
        learner.encapsulate("process")
        learner.train(tsk("iris"))
        print("trained")
        """
    )
    # the pooled child must be ended before multiprocessing joins its children at exit
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=90, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "trained"
