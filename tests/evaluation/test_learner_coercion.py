"""Graphs and scikit-learn estimators where a learner is expected (mlr3's as_learner())."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from mlr3py import benchmark, benchmark_grid, lrn, msr, po, resample, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.learners import Learner, coerce_learner, register_learner_conversion
from mlr3py.params import to_tune
from mlr3py.pipelines import as_learner
from mlr3py.tuning import auto_tuner, tnr, tune


@pytest.fixture(scope="module")
def task():
    return tsk("sonar")


def _graph():
    return po("pca", rank=5) >> lrn("classif.rpart", max_depth=3)


def test_resample_takes_a_graph_as_its_learner(task):
    cv = rsmp("cv", folds=3)
    by_graph = resample(task, _graph(), cv, seed=4)
    by_learner = resample(task, as_learner(_graph()), cv, seed=4)
    assert by_graph.learner.id == "pca.classif.rpart"
    np.testing.assert_array_equal(by_graph.score(msr("classif.ce"))["classif.ce"],
                                  by_learner.score(msr("classif.ce"))["classif.ce"])


def test_resample_takes_a_scikit_learn_estimator(task):
    rr = resample(task, DecisionTreeClassifier(max_depth=2, random_state=0),
                  rsmp("holdout"), seed=1)
    assert isinstance(rr.learner, Learner)
    assert 0.0 <= rr.aggregate(msr("classif.ce"))["classif.ce"] <= 1.0


def test_benchmark_grid_takes_a_single_graph_and_a_list_with_one(task):
    design = benchmark_grid(task, _graph(), rsmp("holdout"), seed=1)
    assert [learner.id for learner in design["learner"]] == ["pca.classif.rpart"]
    design = benchmark_grid(task, [_graph(), lrn("classif.featureless")], rsmp("holdout"),
                            seed=1)
    bmr = benchmark(design, seed=1)
    assert sorted(bmr.aggregate()["learner_id"]) == ["classif.featureless",
                                                     "pca.classif.rpart"]


def test_tune_and_auto_tuner_take_a_graph(task):
    graph = po("pca") >> lrn("classif.rpart")
    graph.param_set.values["pca.rank"] = to_tune(2, 10)
    instance = tune(tnr("random_search"), task, graph, rsmp("holdout"), msr("classif.ce"),
                    term_evals=3, seed=1)
    assert len(instance.archive.data) == 3
    assert set(instance.archive.data["pca.rank"]) <= set(range(2, 11))
    graph = po("pca") >> lrn("classif.rpart")
    graph.param_set.values["pca.rank"] = to_tune(2, 10)
    at = auto_tuner(tnr("random_search"), graph, rsmp("holdout"), "classif.ce", term_evals=2)
    assert at.task_type == "classif"
    rr = resample(task, at, rsmp("holdout"), seed=1)
    assert np.isfinite(rr.aggregate(msr("classif.ce"))["classif.ce"])


def test_other_objects_are_named_in_the_error(task):
    with pytest.raises(ConfigError, match=r"must be a Learner.*'classif.rpart'"):
        resample(task, "classif.rpart", rsmp("holdout"))
    with pytest.raises(ConfigError, match="must be a Learner"):
        benchmark_grid(task, [object()], rsmp("holdout"))
    with pytest.raises(ConfigError, match=r"a Graph or PipeOp.*Got str"):
        as_learner("classif.rpart")


def test_a_registered_conversion_is_used_by_resample(task):
    class Recipe:  # a user's own description of a learner
        def __init__(self, depth: int) -> None:
            self.depth = depth

    def build(recipe: Recipe) -> Learner:
        return lrn("classif.rpart", max_depth=recipe.depth)

    register_learner_conversion(Recipe, build)
    learner = coerce_learner(Recipe(2))
    assert learner.param_set.values["max_depth"] == 2
    rr = resample(task, Recipe(1), rsmp("holdout"), seed=1)
    assert rr.learner.param_set.values["max_depth"] == 1
