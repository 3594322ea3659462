"""msr("selected_features") (mlr3's MeasureSelectedFeatures): the number of features
the trained model uses, read from the learner."""

from __future__ import annotations

import math

import pytest

from mlr3py import as_learner, benchmark_grid, lrn, msr, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.evaluation import benchmark, resample
from mlr3py.pipelines import po


def test_a_stump_selects_one_feature() -> None:
    task = tsk("sonar")
    learner = lrn("classif.rpart", max_depth=1).train(task)
    measure = msr("selected_features")
    assert measure.score(None, task=task, learner=learner) == 1.0
    measure.param_set.values["normalize"] = True
    assert measure.score(None, task=task, learner=learner) == pytest.approx(1 / 60)


def test_counts_the_learners_selected_features() -> None:
    task = tsk("sonar")
    learner = lrn("classif.rpart", max_depth=3).train(task)
    expected = len(learner.selected_features())
    assert expected > 1
    assert msr("selected_features").score(None, task=task, learner=learner) == expected
    assert msr("selected_features", normalize=True).score(
        None, task=task, learner=learner
    ) == pytest.approx(expected / len(task.feature_names))


def test_nan_for_a_learner_without_the_property() -> None:
    task = tsk("sonar")
    learner = lrn("classif.debug").train(task)
    assert "selected_features" not in learner.properties
    assert math.isnan(msr("selected_features").score(None, task=task, learner=learner))


def test_needs_the_learner_the_task_and_the_model() -> None:
    task = tsk("sonar")
    measure = msr("selected_features")
    with pytest.raises(ConfigError, match="requires the learner"):
        measure.score(None, task=task)
    with pytest.raises(ConfigError, match="requires the task"):
        measure.score(None, learner=lrn("classif.rpart").train(task))
    with pytest.raises(ConfigError, match="requires the trained model"):
        measure.score(None, task=task, learner=lrn("classif.rpart"))


def test_resample_aggregate_needs_stored_models() -> None:
    task = tsk("sonar")
    learner = lrn("classif.rpart", max_depth=1)
    rr = resample(task, learner, rsmp("cv", folds=3), store_models=True, seed=1)
    assert rr.score("selected_features")["selected_features"].tolist() == [1.0, 1.0, 1.0]
    assert rr.aggregate(msr("selected_features"))["selected_features"] == 1.0
    dropped = resample(task, learner, rsmp("cv", folds=3), seed=1)
    with pytest.raises(ConfigError, match="store_models=True"):
        dropped.aggregate(msr("selected_features"))


def test_a_graph_learner_is_asked_through_its_base_learner() -> None:
    task = tsk("sonar")
    graph = as_learner(po("scale") >> po("learner", lrn("classif.rpart", max_depth=1)))
    graph.train(task)
    assert msr("selected_features").score(None, task=task, learner=graph) == 1.0


def test_benchmark_scores_each_learner() -> None:
    design = benchmark_grid(
        [tsk("sonar")],
        [lrn("classif.rpart", max_depth=1), lrn("classif.featureless")],
        [rsmp("cv", folds=2)],
    )
    bmr = benchmark(design, store_models=True, seed=1)
    table = bmr.aggregate(["classif.ce", "selected_features"])
    assert table["selected_features"].tolist() == [1.0, 0.0]
