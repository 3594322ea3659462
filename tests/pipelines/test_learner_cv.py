"""po("learner_cv") and ppl("stacking") / ppl("branch")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import lrn, plan, resample, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.pipelines import as_learner, po, ppl
from mlr3py.tasks import TaskClassif
from mlr3py.testing import check_pipeop


def test_learner_cv_conforms(task_numeric: TaskClassif) -> None:
    check_pipeop(po("learner_cv", lrn("classif.rpart", predict_type="prob")), task_numeric)
    check_pipeop(po("learner_cv", lrn("regr.rpart")), tsk("mtcars"))


def test_parameters_are_mlr3pipelines() -> None:
    op = po("learner_cv", lrn("classif.rpart"))
    values = op.param_set.values
    assert values["resampling.method"] == "cv"
    assert values["resampling.folds"] == 3
    assert values["resampling.keep_response"] is False
    assert "max_depth" in op.param_set.params
    with pytest.raises(ConfigError):
        op.param_set.values["resampling.folds"] = 1


def test_training_features_are_out_of_fold_predictions() -> None:
    task = tsk("sonar")
    learner = lrn("classif.rpart", predict_type="prob", max_depth=3)
    op = po("learner_cv", learner)
    np.random.seed(11)  # noqa: NPY002 - resample() draws its root seed from here
    (out,) = op.train([task])
    np.random.seed(11)  # noqa: NPY002
    oof = resample(task, learner, rsmp("cv", folds=3)).prediction()
    expected = oof.prob.loc[task.row_ids]  # type: ignore[attr-defined]
    got = out.data(cols=[f"classif.rpart.prob.{c}" for c in task.class_names])
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy())
    assert out.target_names == task.target_names
    assert out.feature_names == [f"classif.rpart.prob.{c}" for c in task.class_names]
    # not the in-sample fit: that would be the leak stacking must avoid
    full = learner.clone().train(task).predict(task).prob
    assert not np.allclose(got.to_numpy(), full.to_numpy())  # type: ignore[union-attr]
    # at prediction time, the learner trained on all training rows predicts
    (pred,) = op.predict([task])
    np.testing.assert_allclose(
        pred.data(cols=got.columns.tolist()).to_numpy(), full.to_numpy())  # type: ignore[union-attr]


def test_insample_and_keep_response() -> None:
    task = tsk("iris")
    learner = lrn("classif.rpart", predict_type="prob", random_state=1)
    op = po("learner_cv", learner)
    op.param_set.values["resampling.method"] = "insample"
    op.param_set.values["resampling.keep_response"] = True
    (out,) = op.train([task])
    full = learner.clone().train(task).predict(task)
    frame = out.data(cols=out.feature_names)
    assert list(frame.columns) == ["classif.rpart.response",
                                   *[f"classif.rpart.prob.{c}" for c in task.class_names]]
    assert list(frame["classif.rpart.response"]) == list(full.response)  # type: ignore[attr-defined]
    assert out.feature_types.set_index("id").loc["classif.rpart.response", "type"] == "factor"


def _stack() -> object:
    return as_learner(ppl("stacking", [lrn("classif.rpart", predict_type="prob", max_depth=3),
                                       lrn("classif.featureless", predict_type="prob")],
                          lrn("classif.log_reg")))


def test_stacking_graph() -> None:
    graph = ppl("stacking", [lrn("classif.rpart")], lrn("classif.log_reg"), folds=4)
    assert set(graph.pipeops) == {"classif.rpart", "nop", "featureunion_stacking",
                                  "classif.log_reg"}
    assert graph.param_set.values["classif.rpart.resampling.folds"] == 4
    no_features = ppl("stacking", [lrn("classif.rpart")], lrn("classif.log_reg"),
                      use_features=False)
    (out,) = no_features.train(tsk("iris")).values()
    assert out is None
    trained = no_features.pipeops["featureunion_stacking"]
    assert trained.is_trained
    with pytest.raises(ConfigError, match="base_learners"):
        ppl("stacking", lrn("classif.rpart"), lrn("classif.log_reg"))


def test_stacked_learner_resamples_the_same_under_processes() -> None:
    task = tsk("sonar")
    sequential = resample(task, _stack(), rsmp("cv", folds=2), seed=5)  # type: ignore[arg-type]
    with plan("processes", workers=2):
        parallel = resample(task, _stack(), rsmp("cv", folds=2), seed=5)  # type: ignore[arg-type]
    a, b = sequential.prediction(), parallel.prediction()
    pd.testing.assert_series_equal(pd.Series(np.asarray(a.response)),  # type: ignore[attr-defined]
                                   pd.Series(np.asarray(b.response)))  # type: ignore[attr-defined]
    assert sequential.aggregate().iloc[0] < 0.5


def test_branch_pipeline() -> None:
    graph = ppl("branch", {"pca": po("pca"), "nothing": po("nop")})
    assert graph.pipeops["branch"].param_set.values["selection"] == "pca"
    learner = as_learner(graph >> lrn("classif.rpart"))
    learner.param_set.values["branch.selection"] = "nothing"
    learner.train(tsk("iris"))
    assert learner.model.states["pca"] is not None  # type: ignore[union-attr]
    unnamed = ppl("branch", [po("pca"), po("nop")], prefix_branchops="b_")
    assert {"b_branch", "b_unbranch"} <= set(unnamed.pipeops)
    with pytest.raises(ConfigError, match="one input and one output"):
        ppl("branch", [po("branch", 2), po("nop")])
