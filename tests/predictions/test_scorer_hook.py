"""Prediction.score() reaches the measures through a hook, and refuses bad measures."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from mlr3py import lrn, resample, rsmp, tsk
from mlr3py.errors import InputError
from mlr3py.predictions import PredictionRegr


def test_score_works_without_importing_the_measures() -> None:
    code = textwrap.dedent(
        """
        import sys
        import mlr3py.learners
        import mlr3py.predictions
        import mlr3py.tasks

        task = mlr3py.tasks.mlr_tasks.get("iris")
        learner = mlr3py.learners.mlr_learners.get("classif.featureless")
        prediction = learner.train(task).predict(task)
        assert isinstance(prediction, mlr3py.predictions.PredictionClassif)
        assert "mlr3py.measures" not in sys.modules, "measures imported before scoring"
        score = prediction.score()
        assert list(score.index) == ["classif.ce"], score
        print(round(float(score["classif.ce"]), 4))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0.6667"


def test_the_package_root_is_cheap_and_wires_the_scorer() -> None:
    code = textwrap.dedent(
        """
        import sys
        import mlr3py
        assert "pandas" not in sys.modules
        assert "mlr3py.measures" not in sys.modules
        from mlr3py.predictions._scorer import get_scorer
        from mlr3py.measures import score_prediction
        assert get_scorer() is score_prediction
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr


def test_prediction_score_with_a_number_is_a_typed_error() -> None:
    prediction = PredictionRegr([0, 1], truth=[1.0, 2.0], response=[1.5, 2.5])
    with pytest.raises(InputError, match=r"42.*int") as info:
        prediction.score(42)
    assert "msr('classif.ce')" in str(info.value)


def test_resample_result_score_with_a_number_is_a_typed_error() -> None:
    rr = resample(tsk("iris"), lrn("classif.featureless"), rsmp("holdout"))
    with pytest.raises(InputError, match=r"Got 42 \(int\)") as info:
        rr.score(measures=42)
    assert "a measure key, or a list of those" in str(info.value)
    with pytest.raises(InputError, match="42"):
        rr.aggregate(42)
