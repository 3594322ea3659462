"""Plots of tuning archives, tasks and importance scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import lrn, rsmp, tsk
from mlr3py.errors import InputError
from mlr3py.params import p_int, ps, to_tune
from mlr3py.tuning import tnr, tune
from mlr3py.viz import autoplot, plot_types


def test_performance_draws_each_score_and_the_running_best(instance) -> None:
    ax = autoplot(instance)
    scores = instance.archive.data["classif.ce"].to_numpy()
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 1], scores)
    (best,) = ax.get_lines()
    np.testing.assert_allclose(best.get_ydata(), np.minimum.accumulate(scores))
    assert ax.get_ylabel() == "classif.ce"


def test_marginal_has_a_panel_per_parameter(instance) -> None:
    fig = autoplot(instance.archive, type="marginal")
    panels = [a for a in fig.axes if a.get_visible() and a.get_xlabel()]
    assert [a.get_xlabel() for a in panels] == instance.archive.cols_x
    crit = panels[0]
    assert {t.get_text() for t in crit.get_xticklabels()} <= {"gini", "entropy"}


def test_parallel_draws_one_line_per_configuration(instance) -> None:
    ax = autoplot(instance, type="parallel")
    assert len(ax.get_lines()) == instance.archive.n_evals
    assert [t.get_text() for t in ax.get_xticklabels()] == instance.archive.cols_x
    for line in ax.get_lines():
        assert 0.0 <= line.get_ydata().min() and line.get_ydata().max() <= 1.0


def test_surface_draws_two_parameters(instance) -> None:
    ax = autoplot(instance, type="surface", x="max_depth", y="min_samples_leaf")
    data = instance.archive.data
    np.testing.assert_allclose(ax.collections[-1].get_offsets(),
                               data[["max_depth", "min_samples_leaf"]].to_numpy(dtype=float))
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("max_depth", "min_samples_leaf")


def test_budget_plot_of_a_hyperband_run_colours_brackets(task) -> None:
    space = ps(max_depth=p_int(1, 8, tags="budget"), min_samples_leaf=p_int(1, 10))
    inst = tune(tnr("hyperband", eta=2), task, lrn("classif.rpart"), rsmp("holdout"),
                "classif.ce", search_space=space, seed=1)
    ax = autoplot(inst, type="budget")
    data = inst.archive.data
    assert sorted(c.get_label() for c in ax.collections) == sorted(
        f"bracket {b}" for b in data["bracket"].unique())
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(data)
    assert "max_depth" in ax.get_xlabel()


def test_budget_plot_needs_a_budget_tuner(instance) -> None:
    with pytest.raises(InputError, match="hyperband"):
        autoplot(instance, type="budget")


def test_a_measure_not_in_the_archive_is_refused(instance) -> None:
    with pytest.raises(InputError, match=r"'classif.auc' is not in the tuning archive"):
        autoplot(instance, measure="classif.auc")


def test_task_target_counts_rows_per_class() -> None:
    task = tsk("penguins")
    ax = autoplot(task)
    counts = task.data(cols="species")["species"].value_counts()
    heights = {t.get_text(): p.get_height()
               for t, p in zip(ax.get_xticklabels(), ax.patches, strict=True)}
    assert heights == counts.to_dict()


def test_task_pairs_is_a_scatter_matrix_of_numeric_features(task) -> None:
    fig = autoplot(task, type="pairs")
    assert len(fig.axes) == 4
    with pytest.raises(InputError, match="numeric"):
        autoplot(task, type="pairs", features=["y"])


def test_importance_bars_are_sorted_scores() -> None:
    scores = pd.Series({"a": 1.0, "b": 3.0, "c": 2.0}, name="anova")
    ax = autoplot(scores)
    ordered = sorted(zip((p.get_y() for p in ax.patches),
                         (p.get_width() for p in ax.patches), strict=True), reverse=True)
    assert [w for _, w in ordered] == [3.0, 2.0, 1.0]
    top_down = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in top_down] == ["b", "c", "a"]
    assert ax.get_xlabel() == "anova"


def test_importance_accepts_a_scores_attribute_or_an_importance_method() -> None:
    class Filter:
        scores = pd.Series({"x": 0.2, "y": 0.9})

    class Trained:
        def importance(self) -> pd.Series:
            return pd.Series({"u": 5.0})

    assert set(plot_types(Filter())) == {"importance"}
    assert len(autoplot(Filter()).patches) == 2
    assert len(autoplot(Trained()).patches) == 1
    assert autoplot(Trained()).get_xlabel() == "Importance"
    assert autoplot(Filter()).get_xlabel() == "Score"
    with pytest.raises(InputError, match="no scores"):
        autoplot(pd.Series([], dtype=float))


def test_an_empty_tuning_archive_is_refused(task) -> None:
    from mlr3py.tuning import TuningInstance, trm

    learner = lrn("classif.rpart", max_depth=to_tune(1, 3))
    inst = TuningInstance(task, learner, rsmp("holdout"), "classif.ce", trm("evals", n_evals=1))
    with pytest.raises(InputError, match="no evaluations"):
        autoplot(inst)


def test_importance_of_a_trained_learner_is_its_importance() -> None:
    learner = lrn("classif.rpart", max_depth=3)
    learner.train(tsk("penguins"))
    ax = autoplot(learner, type="importance")  # the default of a tree is the tree
    expected = learner.importance().sort_values(ascending=False, kind="stable")
    widths = sorted(((p.get_y(), p.get_width()) for p in ax.patches), reverse=True)
    assert [w for _, w in widths] == pytest.approx(expected.tolist())
