"""How a measure aggregates resampling iterations: its ``aggregator`` (mlr3's
Measure$aggregator) and ``average="macro_weighted"`` (scores weighted by test set size)."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import lrn, msr, tsk
from mlr3py.errors import ConfigError
from mlr3py.evaluation import ResampleResult, resample
from mlr3py.resamplings import ResamplingCustom


@pytest.fixture(scope="module")
def rr_uneven() -> ResampleResult:
    """rpart on iris, three test sets of 20, 50 and 80 rows."""
    task = tsk("iris")
    rows = np.asarray(task.row_ids)
    tests = [rows[:20], rows[20:70], rows[70:]]
    trains = [np.setdiff1d(rows, t) for t in tests]
    resampling = ResamplingCustom().instantiate(task, train_sets=trains, test_sets=tests)
    return resample(task, lrn("classif.rpart", max_depth=2), resampling, seed=1)


def test_aggregator_median_gives_the_median_of_the_iteration_scores(
    rr_uneven: ResampleResult,
) -> None:
    scores = rr_uneven.score("classif.ce")["classif.ce"].to_numpy()
    measure = msr("classif.ce", aggregator=np.median)
    assert rr_uneven.aggregate(measure)["classif.ce"] == pytest.approx(np.median(scores))
    assert rr_uneven.aggregate("classif.ce")["classif.ce"] == pytest.approx(scores.mean())
    assert np.median(scores) != pytest.approx(scores.mean())


def test_macro_weighted_weights_by_test_set_size(rr_uneven: ResampleResult) -> None:
    scores = rr_uneven.score("classif.ce")["classif.ce"].to_numpy()
    sizes = np.array([len(p.row_ids) for p in rr_uneven.predictions()])
    assert sizes.tolist() == [20, 50, 80]
    measure = msr("classif.ce", average="macro_weighted")
    expected = float(np.sum(scores * sizes) / sizes.sum())
    assert rr_uneven.aggregate(measure)["classif.ce"] == pytest.approx(expected)
    assert expected != pytest.approx(scores.mean())


def test_macro_weighted_passes_the_weights_to_an_aggregator(
    rr_uneven: ResampleResult,
) -> None:
    seen = {}

    def largest_test_set(scores: np.ndarray, weights: np.ndarray) -> float:
        seen["weights"] = weights.tolist()
        return float(scores[np.argmax(weights)])

    measure = msr("classif.ce", average="macro_weighted", aggregator=largest_test_set)
    scores = rr_uneven.score("classif.ce")["classif.ce"].to_numpy()
    assert rr_uneven.aggregate(measure)["classif.ce"] == pytest.approx(scores[2])
    assert seen["weights"] == [20.0, 50.0, 80.0]


def test_aggregator_must_be_a_function() -> None:
    with pytest.raises(ConfigError, match="aggregator of Measure 'classif.ce'"):
        msr("classif.ce", aggregator="median")
    with pytest.raises(ConfigError, match="macro_weighted"):
        msr("classif.ce", average="weighted")


def test_measures_averaging_macro_only_also_allow_macro_weighted() -> None:
    assert msr("time_train", average="macro_weighted").average == "macro_weighted"
    with pytest.raises(ConfigError):
        msr("time_train", average="micro")
