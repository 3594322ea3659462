"""po("threshold") and po("tunethreshold") set and tune classification thresholds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_classif, lrn, tsk
from mlr3py.errors import ConfigError, InputError
from mlr3py.pipelines import as_learner, po
from mlr3py.predictions import PredictionClassif


def _prediction() -> PredictionClassif:
    prob = np.array([[0.9, 0.1], [0.6, 0.4], [0.35, 0.65], [0.2, 0.8]])
    return PredictionClassif([1, 2, 3, 4], truth=["p", "p", "p", "n"], prob=prob,
                             class_names=["p", "n"])


def test_threshold_sets_the_threshold_on_a_copy() -> None:
    op = po("threshold", thresholds=0.3)
    op.train([None])
    given = _prediction()
    (out,) = op.predict([given])
    assert list(out.response) == ["p", "p", "p", "n"]  # positive when prob(p) >= 0.3
    assert list(given.response) == ["p", "p", "n", "n"]  # the input is unchanged
    op.param_set.values["thresholds"] = {"p": 1.0, "n": 0.2}
    (weighted,) = op.predict([given])
    assert list(weighted.response) == ["p", "n", "n", "n"]  # argmax of prob / threshold
    op.param_set.values["thresholds"] = [1.0, 0.2]  # the same, in class order
    (in_order,) = op.predict([given])
    assert list(in_order.response) == ["p", "n", "n", "n"]


def test_threshold_errors() -> None:
    with pytest.raises(ConfigError, match="thresholds"):
        po("threshold", thresholds=1.5)
    op = po("threshold", thresholds=[0.5, 0.2, 0.3])
    op.train([None])
    with pytest.raises(ConfigError, match=r"3 thresholds for the 2 classes \['p', 'n'\]"):
        op.predict([_prediction()])
    op = po("threshold")
    op.train([None])
    response_only = PredictionClassif([1], truth=["p"], response=["p"], class_names=["p", "n"])
    with pytest.raises(InputError, match="needs probabilities.*predict_type='prob'"):
        op.predict([response_only])


def test_threshold_in_a_graph_learner() -> None:
    task = tsk("sonar")
    learner = as_learner(lrn("classif.rpart", predict_type="prob")
                         >> po("threshold", thresholds=1.0))
    learner.train(task)
    pred = learner.predict(task)
    pos = pred.prob_matrix[:, 0]
    assert (np.asarray(pred.response == task.positive) == (pos >= 1.0)).all()


def _prob_task(pos: np.ndarray, truth: list[str]) -> object:
    frame = pd.DataFrame({"m.prob.p": pos, "m.prob.n": 1 - pos, "y": truth})
    return as_task_classif(frame, target="y", positive="p")


def test_tunethreshold_finds_the_best_threshold() -> None:
    # positives have prob(p) >= 0.3, negatives below: only a threshold in (0.2, 0.3] is exact
    pos = np.array([0.3, 0.45, 0.9, 0.7, 0.1, 0.2, 0.15, 0.05])
    truth = ["p", "p", "p", "p", "n", "n", "n", "n"]
    task = _prob_task(pos, truth)
    op = po("tunethreshold")
    op.train([task])
    assert op.state["threshold"] == pytest.approx(0.3)
    (pred,) = op.predict([task])
    assert float(pred.score("classif.ce").iloc[0]) == 0.0
    assert float(PredictionClassif(task.row_ids, truth=task.truth(),
                                   prob=np.c_[pos, 1 - pos],
                                   class_names=["p", "n"]).score("classif.ce").iloc[0]) > 0


def test_tunethreshold_multiclass_improves_the_measure() -> None:
    rng = np.random.default_rng(0)
    n = 90
    prob = rng.dirichlet([1, 1, 1], size=n)
    truth = np.array(["a", "b", "c"])[np.argmax(prob * [1.0, 0.4, 0.4], axis=1)]
    frame = pd.DataFrame(prob, columns=["m.prob.a", "m.prob.b", "m.prob.c"])
    frame["y"] = truth
    task = as_task_classif(frame, target="y")
    op = po("tunethreshold")
    op.train([task])
    (tuned,) = op.predict([task])
    plain = PredictionClassif(task.row_ids, truth=task.truth(), prob=prob,
                              class_names=["a", "b", "c"])
    assert set(op.state["threshold"]) == {"a", "b", "c"}
    assert float(tuned.score("classif.ce").iloc[0]) < float(plain.score("classif.ce").iloc[0])


def test_tunethreshold_after_learner_cv() -> None:
    task = tsk("sonar")
    learner = as_learner(po("learner_cv", lrn("classif.rpart", predict_type="prob"))
                         >> po("tunethreshold", measure="classif.fbeta"))
    assert learner.task_type == "classif"
    np.random.seed(1)  # noqa: NPY002 - the folds draw from numpy's stream
    learner.train(task)
    threshold = learner.model.states["tunethreshold"]["threshold"]
    assert 0.0 <= threshold <= 1.0
    pred = learner.predict(task)
    assert len(pred.row_ids) == task.nrow


def test_tunethreshold_needs_probability_features() -> None:
    op = po("tunethreshold")
    with pytest.raises(InputError, match=r"'<learner id>\.prob\.M'.*po\('learner_cv'"):
        op.train([tsk("sonar")])
