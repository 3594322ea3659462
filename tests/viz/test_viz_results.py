"""Plots of resample and benchmark results: the drawn data are the scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_curve

from mlr3py import benchmark, benchmark_grid, lrn, resample, rsmp
from mlr3py.errors import InputError
from mlr3py.evaluation import BenchmarkResult
from mlr3py.tasks import as_task_classif, as_task_regr
from mlr3py.viz import autoplot


@pytest.fixture
def task():
    rng = np.random.default_rng(0)
    x = rng.normal(size=60)
    y = np.where(x + rng.normal(scale=0.8, size=60) > 0, "pos", "neg")
    return as_task_classif(pd.DataFrame({"x": x, "z": rng.normal(size=60), "y": y}),
                           target="y", positive="pos", id="toy")


@pytest.fixture
def rr(task):
    return resample(task, lrn("classif.rpart", predict_type="prob", max_depth=2),
                    rsmp("cv", folds=4), seed=1)


@pytest.fixture
def bmr(task):
    other = task.clone()
    other.id = "toy2"
    learners = [lrn("classif.rpart", predict_type="prob", max_depth=2),
                lrn("classif.featureless", predict_type="prob")]
    return benchmark(benchmark_grid([task, other], learners, rsmp("cv", folds=3)), seed=1)


def _medians(ax):
    # boxplot medians are the orange lines of two points at equal height
    return [line.get_ydata()[0] for line in ax.get_lines()
            if line.get_color() in ("C1", "#ff7f0e") and len(line.get_ydata()) == 2]


def test_rr_boxplot_shows_the_scores(rr) -> None:
    ax = autoplot(rr, measure="classif.auc")
    scores = rr.score("classif.auc")["classif.auc"]
    assert _medians(ax) == [pytest.approx(scores.median())]
    assert ax.get_ylabel() == "classif.auc"


def test_rr_histogram_counts_every_iteration(rr) -> None:
    ax = autoplot(rr, type="histogram", measure="classif.acc")
    assert sum(p.get_height() for p in ax.patches) == rr.iters
    assert ax.get_xlabel() == "classif.acc"


def test_rr_roc_pooled_equals_sklearn_on_the_pooled_prediction(rr) -> None:
    ax = autoplot(rr, type="roc")
    (line,) = [ln for ln in ax.get_lines() if ln.get_linestyle() != ":"]
    p = rr.prediction()
    fpr, tpr, _ = roc_curve(p.truth_codes == 0, p.prob_matrix[:, 0])
    np.testing.assert_allclose(line.get_xdata(), fpr)
    np.testing.assert_allclose(line.get_ydata(), tpr)
    assert "positive class: pos" in ax.get_xlabel()


def test_rr_roc_per_iteration_draws_one_curve_each(rr) -> None:
    ax = autoplot(rr, type="prc", pooled=False)
    assert len(ax.get_lines()) == rr.iters
    assert ax.get_ylabel() == "Precision"


def test_bmr_boxplot_has_a_panel_per_task_and_the_scores_per_learner(bmr) -> None:
    fig = autoplot(bmr, measure="classif.ce")
    panels = [a for a in fig.axes if a.get_visible()]
    assert [a.get_title() for a in panels] == ["toy", "toy2"]
    scores = bmr.score("classif.ce")
    for panel in panels:
        rows = scores[scores["task_id"] == panel.get_title()]
        expected = rows.groupby("learner_id", sort=False)["classif.ce"].median()
        assert [t.get_text() for t in panel.get_xticklabels()] == list(expected.index)
        assert _medians(panel) == pytest.approx(expected.tolist())
        assert panel.get_ylabel() == "classif.ce"


def test_bmr_boxplot_of_one_task_draws_on_the_given_axes(task) -> None:
    import matplotlib.pyplot as plt

    bmr = benchmark(benchmark_grid(task, lrn("classif.featureless"), rsmp("cv", folds=3)))
    _, ax = plt.subplots()
    assert autoplot(bmr, ax=ax) is ax


def test_bmr_ci_draws_means_and_intervals(bmr) -> None:
    fig = autoplot(bmr, type="ci", measure="classif.acc", level=0.9)
    panel = fig.axes[0]
    scores = bmr.score("classif.acc")
    means = scores[scores["task_id"] == "toy"].groupby("learner_id", sort=False)[
        "classif.acc"].mean()
    (line,) = [ln for ln in panel.get_lines() if ln.get_marker() == "o"]
    np.testing.assert_allclose(line.get_ydata(), means.to_numpy())
    assert "classif.acc" in panel.get_ylabel() and "90%" in panel.get_ylabel()


def test_bmr_roc_has_a_curve_per_learner(bmr) -> None:
    fig = autoplot(bmr, type="roc")
    labels = [ln.get_label() for ln in fig.axes[0].get_lines() if ln.get_linestyle() != ":"]
    assert [lab.split(":")[0] for lab in labels] == ["classif.rpart", "classif.featureless"]


def test_a_measure_of_another_task_type_is_refused(bmr) -> None:
    with pytest.raises(InputError, match="regr.mse"):
        autoplot(bmr, measure="regr.mse")


def test_an_empty_benchmark_result_is_refused() -> None:
    with pytest.raises(InputError, match="no resample results"):
        autoplot(BenchmarkResult())


def test_roc_of_a_response_only_result_says_to_predict_probabilities(task) -> None:
    rr = resample(task, lrn("classif.featureless"), rsmp("holdout"))
    with pytest.raises(InputError, match='predict_type="prob"'):
        autoplot(rr, type="roc")


def test_regression_results_use_the_regression_default_measure() -> None:
    df = pd.DataFrame({"x": np.arange(20.0), "y": np.arange(20.0) ** 0.5})
    rr = resample(as_task_regr(df, target="y"), lrn("regr.featureless"), rsmp("cv", folds=3))
    assert autoplot(rr).get_ylabel() == "regr.mse"
