"""The fault matrix: condition x stage x method, each with a featureless fallback.

For every cell a 2-fold resample completes, every iteration has a score, the
condition is in the log with the right stage and class, and the main process is
unharmed. A segmentation fault under ``"evaluate"`` cannot be survived
in-process: that cell is skipped, and a separate test shows the crash in a
subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from typing import Any

import numpy as np
import pytest

from mlr3py import lrn, msr, resample, rsmp, tsk
from mlr3py.errors import LearnerPredictError, LearnerTrainError

TIMEOUT = 0.2
SLEEP = 1.5

# condition -> (parameters for a stage, expected class, expected message fragment)
CONDITIONS: dict[str, tuple[dict[str, Any], str, str]] = {
    "error": ({"error_{stage}": 1}, "error", "Error from classif.debug->{stage}()"),
    "warning": ({"warning_{stage}": 1}, "warning", "Warning from classif.debug->{stage}()"),
    "message": ({"message_{stage}": 1}, "message", "Message from classif.debug->{stage}()"),
    "segfault": ({"segfault_{stage}": 1}, "error", "process exited with signal SIGSEGV (-11)"),
    "timeout": ({"sleep_{stage}": SLEEP}, "error", "reached elapsed time limit"),
    "missing": ({"predict_missing": 0.5}, "message", "Imputed"),
}


def _learner(condition: str, stage: str, method: str) -> Any:
    params, _, _ = CONDITIONS[condition]
    values = {k.format(stage=stage): v for k, v in params.items()}
    learner = lrn("classif.debug", **values)
    learner.encapsulate(method, lrn("classif.featureless"))
    learner.timeout = TIMEOUT
    return learner


@pytest.mark.subprocess
@pytest.mark.parametrize("method", ["evaluate", "process"])
@pytest.mark.parametrize("stage", ["train", "predict"])
@pytest.mark.parametrize("condition", list(CONDITIONS))
def test_fault_matrix(condition: str, stage: str, method: str) -> None:
    if condition == "segfault" and method == "evaluate":
        pytest.skip("a segfault cannot be survived in-process: it kills the interpreter "
                    "(see test_segfault_under_evaluate_kills_the_process); use 'process'")
    if condition == "missing" and stage == "train":
        pytest.skip("missing predictions arise when predicting only (predict_missing)")
    task = tsk("iris")
    pid = os.getpid()
    rr = resample(task, _learner(condition, stage, method), rsmp("cv", folds=2), seed=1)
    scores = rr.score(msr("classif.ce"))["classif.ce"].to_numpy()
    assert len(scores) == 2 and not np.isnan(scores).any()
    _, cls, fragment = CONDITIONS[condition]
    expected_stage = "predict" if condition == "missing" else stage
    for result in rr.job_results:
        hits = [e for e in result.log if e.cls == cls and fragment.format(stage=stage) in e.msg]
        assert hits, result.log
        assert all(e.stage == expected_stage for e in hits)
    if cls == "error":
        assert len(rr.errors) == 2
    if condition == "warning":
        assert len(rr.warnings) == 2
    # the main process is unharmed
    assert os.getpid() == pid
    again = resample(task, lrn("classif.featureless"), rsmp("cv", folds=2), seed=1)
    assert not np.isnan(again.aggregate(msr("classif.ce"))["classif.ce"])


@pytest.mark.slow
@pytest.mark.subprocess
def test_segfault_under_evaluate_kills_the_process() -> None:
    code = textwrap.dedent(
        """
        from mlr3py import lrn, tsk
        learner = lrn("classif.debug", segfault_train=1)
        learner.encapsulation = "evaluate"
        learner.train(tsk("iris"))
        print("survived")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == -11
    assert "survived" not in out.stdout


@pytest.mark.parametrize(("stage", "error"), [("train", LearnerTrainError),
                                              ("predict", LearnerPredictError)])
def test_without_encapsulation_errors_propagate_with_their_type(stage: str,
                                                                error: type) -> None:
    learner = lrn("classif.debug", **{f"error_{stage}": 1})
    with pytest.raises(error, match=f"Error from classif.debug->{stage}"):
        resample(tsk("iris"), learner, rsmp("cv", folds=2), seed=1)
