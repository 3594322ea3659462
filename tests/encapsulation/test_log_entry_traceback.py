"""An error caught under encapsulation keeps its traceback text in the log entry."""

from __future__ import annotations

import pytest

from mlr3py import lrn, tsk
from mlr3py.encapsulation import LogEntry, encapsulate


class _Failing:
    def boom(self, x: int) -> int:
        return self._deeper(x)

    def _deeper(self, x: int) -> int:
        raise ValueError(f"bad value {x}")


@pytest.mark.parametrize("method", ["try", "evaluate"])
def test_an_error_keeps_its_traceback(method: str) -> None:
    run = encapsulate(method, "train", _Failing(), "boom", (3,))
    assert run.failed
    (entry,) = [e for e in run.log if e.cls == "error"]
    assert entry.msg == "bad value 3"
    assert entry.condition == "ValueError"
    assert "Traceback (most recent call last)" in entry.traceback
    assert "_deeper" in entry.traceback
    assert "ValueError: bad value 3" in entry.traceback


@pytest.mark.parametrize("method", ["try", "evaluate"])
def test_a_learner_error_keeps_its_traceback_in_the_state(method: str) -> None:
    learner = lrn("classif.debug", error_train=1.0)
    learner.encapsulate(method)
    learner.train(tsk("iris"))
    (entry,) = [e for e in learner.state.log if e.cls == "error"]
    assert "LearnerTrainError" in entry.traceback
    assert "_misbehave" in entry.traceback


def test_the_traceback_is_not_part_of_equality() -> None:
    assert LogEntry("train", "error", "x", "E", traceback="a") == LogEntry(
        "train", "error", "x", "E", traceback="b"
    )
