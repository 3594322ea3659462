"""GraphLearner: a graph used like any learner."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from mlr3py import (
    as_task_classif,
    benchmark,
    benchmark_grid,
    lrn,
    msr,
    plan,
    resample,
    rsmp,
    tnr,
    tsk,
    tune,
)
from mlr3py.errors import ConfigError
from mlr3py.params import to_tune
from mlr3py.pipelines import GraphLearner, GraphLearnerClassif, as_learner, po, ppl
from mlr3py.tasks import TaskClassif


def _learner() -> GraphLearner:
    return as_learner(po("scale") >> lrn("classif.rpart", max_depth=2))


def test_graph_learner_is_a_learner(task_numeric: TaskClassif) -> None:
    learner = _learner()
    assert isinstance(learner, GraphLearnerClassif)
    assert learner.id == "scale.classif.rpart"
    learner.train(task_numeric, row_ids=range(20))
    pred = learner.predict(task_numeric, row_ids=range(20, 30))
    assert len(pred.row_ids) == 10
    assert 0 <= pred.score(msr("classif.ce"))["classif.ce"] <= 1
    # the graph itself keeps no state: the model holds it
    assert not learner.graph.is_trained
    assert learner.graph_model.is_trained
    assert set(learner.model.states) == {"scale", "classif.rpart"}


def test_predict_type_reaches_the_final_learner(task_numeric: TaskClassif) -> None:
    learner = _learner()
    learner.predict_type = "prob"
    pred = learner.train(task_numeric).predict(task_numeric)
    assert pred.prob is not None and list(pred.prob.columns) == task_numeric.class_names


def test_resample_matches_a_sklearn_pipeline_and_benchmark_runs() -> None:
    from sklearn.model_selection import cross_validate
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    task = tsk("sonar")
    learner = as_learner(po("scale") >> lrn("classif.rpart", max_depth=3, random_state=0))
    resampling = rsmp("cv", folds=3).instantiate(task, seed=1)
    rr = resample(task, learner, resampling)
    position = pd.Index(task.row_ids)
    folds = [(position.get_indexer(resampling.train_set(i)),
              position.get_indexer(resampling.test_set(i))) for i in range(3)]
    x = task.data(cols=task.feature_names).to_numpy(dtype=float)
    y = np.asarray(task.truth().codes)
    pipe = Pipeline([("s", StandardScaler()),
                     ("t", DecisionTreeClassifier(max_depth=3, random_state=0))])
    acc = cross_validate(pipe, x, y, cv=folds, scoring="accuracy")["test_score"]
    assert np.allclose(1 - rr.score()["classif.ce"].to_numpy(dtype=float), acc)
    design = benchmark_grid([task], [learner, lrn("classif.featureless")], [rsmp("holdout")])
    bmr = benchmark(design, seed=1)
    assert len(bmr.aggregate()) == 2


def test_tune_prefixed_parameters(task_numeric: TaskClassif) -> None:
    learner = as_learner(po("scale", center=to_tune()) >> lrn(
        "classif.rpart", max_depth=to_tune(1, 3)))
    assert set(learner.param_set.search_space().ids()) == {"scale.center",
                                                            "classif.rpart.max_depth"}
    instance = tune(tnr("grid_search", resolution=3), task_numeric, learner,
                    rsmp("holdout"), msr("classif.ce"), term_evals=4, seed=1)
    best = instance.result_learner_param_vals
    assert "classif.rpart.max_depth" in best and "scale.center" in best


def test_encapsulation_and_fallback(task_numeric: TaskClassif) -> None:
    learner = as_learner(po("scale") >> lrn("classif.debug", error_train=1.0))
    learner.encapsulate("try", fallback=lrn("classif.featureless"))
    rr = resample(task_numeric, learner, rsmp("holdout"), seed=1)
    assert len(rr.errors) == 1
    assert np.isfinite(rr.aggregate()["classif.ce"])


@pytest.mark.parametrize("name", ["sequential", "threads"])
def test_plans_give_the_same_result(task_numeric: TaskClassif, name: str) -> None:
    learner = as_learner(po("subsample", frac=0.7) >> lrn("classif.rpart"))
    ref = resample(task_numeric, learner, rsmp("cv", folds=3), seed=3).score()
    with plan(name, workers=2) if name != "sequential" else plan("sequential"):
        got = resample(task_numeric, learner, rsmp("cv", folds=3), seed=3).score()
    assert np.allclose(ref["classif.ce"], got["classif.ce"])


@pytest.mark.subprocess
@pytest.mark.slow
def test_process_plan(task_numeric: TaskClassif) -> None:
    learner = _learner()
    ref = resample(task_numeric, learner, rsmp("cv", folds=2), seed=3).score()
    with plan("processes", workers=2):
        got = resample(task_numeric, learner, rsmp("cv", folds=2), seed=3).score()
    assert np.allclose(ref["classif.ce"], got["classif.ce"])


def test_pickle_and_clone(task_numeric: TaskClassif) -> None:
    learner = _learner().train(task_numeric)
    restored = pickle.loads(pickle.dumps(learner))
    assert isinstance(restored, GraphLearnerClassif)
    a = learner.predict(task_numeric).response
    assert list(restored.predict(task_numeric).response) == list(a)
    clone = learner.clone()
    clone.param_set.values["classif.rpart.max_depth"] = 1
    assert learner.param_set.values["classif.rpart.max_depth"] == 2
    assert clone.graph.pipeops["classif.rpart"].param_set.values["max_depth"] == 1


def test_graph_without_prediction_output_is_refused() -> None:
    with pytest.raises(ConfigError, match="output is a prediction"):
        as_learner(po("scale") >> po("pca"))
    with pytest.raises(ConfigError, match="exactly one output"):
        from mlr3py.pipelines import gunion

        as_learner(gunion([lrn("classif.rpart"), lrn("classif.featureless")]))


def test_new_levels_at_predict_time_go_through_fixfactors() -> None:
    train = pd.DataFrame({"f": ["a", "b"] * 10, "x": np.arange(20.0),
                          "y": ["u", "v", "v", "u"] * 5})
    test = pd.DataFrame({"f": ["c", "a"], "x": [1.0, 2.0], "y": ["u", "v"]})
    task = as_task_classif(train, target="y")
    learner = as_learner(ppl("robustify", task, lrn("classif.rpart")) >> lrn("classif.rpart"))
    learner.train(task)
    pred = learner.predict_newdata(test)
    assert pred.response.notna().all()


def test_bootstrap_rows_repeat_through_the_operators() -> None:
    graph = (po("imputemedian") >> po("imputemode") >> po("scale") >> po("encode")
             >> po("pca", rank=3) >> lrn("classif.rpart"))
    rr = resample(tsk("penguins"), as_learner(graph), rsmp("bootstrap", repeats=2), seed=1)
    assert np.isfinite(rr.aggregate()["classif.ce"])


@pytest.mark.subprocess
@pytest.mark.slow
def test_process_encapsulation() -> None:
    learner = as_learner(po("scale") >> lrn("classif.rpart"))
    learner.encapsulate("process", fallback=lrn("classif.featureless"))
    rr = resample(tsk("iris"), learner, rsmp("holdout"), seed=1)
    assert len(rr.errors) == 0 and rr.aggregate()["classif.ce"] < 0.2
