"""The book's custom measure example (examples/custom_measure.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from mlr3py.measures import MeasureRegr, mlr_measures
from mlr3py.predictions import PredictionRegr

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "custom_measure.py"


@pytest.fixture
def example() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("custom_measure_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    if mlr_measures.has("regr.thresh_acc"):
        mlr_measures.remove("regr.thresh_acc")


def test_registered_and_built_by_key(example: ModuleType) -> None:
    measure = mlr_measures.get("regr.thresh_acc")
    assert isinstance(measure, example.MeasureRegrThresholdAcc)
    assert isinstance(measure, MeasureRegr)
    assert measure.minimize is False
    assert measure.range == (0.0, 1.0)
    assert measure.task_type == "regr"


def test_scores_share_within_threshold(example: ModuleType) -> None:
    pred = PredictionRegr([0, 1, 2, 3], truth=[1.0, 2.0, 3.0, 4.0], response=[1.5, 3.5, 3.0, 2.0])
    assert mlr_measures.get("regr.thresh_acc").score(pred) == 0.5
    assert mlr_measures.get("regr.thresh_acc", threshold=2.0).score(pred) == 0.75
    assert pred.score("regr.thresh_acc")["regr.thresh_acc"] == 0.5


def test_example_runs_end_to_end(example: ModuleType, capsys: pytest.CaptureFixture) -> None:
    value = example.main()
    assert 0.0 <= value <= 1.0
    assert "regr.thresh_acc" in capsys.readouterr().out
