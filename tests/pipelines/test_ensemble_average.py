"""po("classifavg") and po("regravg") average predictions as mlr3pipelines does."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import lrn, tsk
from mlr3py.errors import ConfigError, InputError
from mlr3py.pipelines import as_learner, gunion, po
from mlr3py.predictions import PredictionClassif, PredictionRegr

CLASSES = ["a", "b", "c"]
P1 = np.array([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]])
P2 = np.array([[0.2, 0.7, 0.1], [0.1, 0.5, 0.4]])


def _classif(prob: np.ndarray | None = None, response: list[str] | None = None,
             row_ids: list[int] | None = None, classes: list[str] = CLASSES) -> PredictionClassif:
    return PredictionClassif(row_ids or [1, 2], truth=["a", "c"], response=response, prob=prob,
                             class_names=classes)


def _avg(op_key: str, preds: list, **values) -> object:  # type: ignore[no-untyped-def]
    op = po(op_key, **values)
    op.train([None] * len(preds))
    (out,) = op.predict(preds)
    return out


def test_classifavg_weighted_mean_of_probabilities() -> None:
    out = _avg("classifavg", [_classif(P1), _classif(P2)], weights=[3, 1])
    expected = 0.75 * P1 + 0.25 * P2
    assert np.allclose(out.prob_matrix, expected)
    assert list(out.response) == ["a", "c"]  # argmax of the averaged probabilities
    equal = _avg("classifavg", [_classif(P1), _classif(P2)])
    assert np.allclose(equal.prob_matrix, (P1 + P2) / 2)
    assert list(equal.response) == ["b", "c"]


def test_classifavg_log_pooling() -> None:
    out = _avg("classifavg", [_classif(P1), _classif(P2)], prob_aggr="log")
    pooled = np.sqrt(P1 * P2)
    assert np.allclose(out.prob_matrix, pooled / pooled.sum(axis=1, keepdims=True))


def test_classifavg_votes_without_probabilities() -> None:
    preds = [_classif(response=["a", "b"]), _classif(response=["b", "b"]),
             _classif(response=["a", "c"])]
    out = _avg("classifavg", preds, weights=[1, 1, 2])
    assert np.allclose(out.prob_matrix, [[0.75, 0.25, 0.0], [0.0, 0.5, 0.5]])
    assert list(out.response) == ["a", "b"]  # the tie in row 2 goes to the first class
    # zero weights drop out
    only_last = _avg("classifavg", preds, weights=[0, 0, 1])
    assert list(only_last.response) == ["a", "c"]


def test_classifavg_refuses_predictions_that_do_not_fit() -> None:
    other_classes = _classif(np.array([[0.5, 0.5], [0.1, 0.9]]), classes=["a", "c"])
    with pytest.raises(InputError, match=r"same classes.*\['a', 'b', 'c'\].*\['a', 'c'\]"):
        _avg("classifavg", [_classif(P1), other_classes])
    with pytest.raises(InputError, match="input 2 predicts other row ids"):
        _avg("classifavg", [_classif(P1), _classif(P2, row_ids=[1, 3])])
    with pytest.raises(ConfigError, match="2 predictions but 3 weights"):
        _avg("classifavg", [_classif(P1), _classif(P2)], weights=[1, 2, 3])
    with pytest.raises(ConfigError, match="weights"):
        po("classifavg", weights=[-1, 1])
    with pytest.raises(ConfigError, match="weights"):
        po("classifavg", innum=2, weights=[1, 1, 1])


def test_classifavg_input_channels() -> None:
    assert [c.name for c in po("classifavg").input] == ["..."]
    assert [c.name for c in po("classifavg", innum=3).input] == ["input1", "input2", "input3"]
    with pytest.raises(ConfigError, match="innum"):
        po("classifavg", innum=-1)


MEANS = [np.array([1.0, 4.0]), np.array([2.0, 5.0]), np.array([6.0, 7.0])]
SES = [np.array([0.2, 0.3]), np.array([0.4, 0.5]), np.array([0.6, 0.7])]
W = np.array([0.2, 0.3, 0.5])


def _regr(with_se: bool = True) -> list[PredictionRegr]:
    return [PredictionRegr([1, 2], truth=[0.5, -1.2], response=m, se=s if with_se else None)
            for m, s in zip(MEANS, SES, strict=True)]


@pytest.mark.parametrize("method", ["predictive", "mean", "within", "between", "none"])
def test_regravg_response_and_se(method: str) -> None:
    out = _avg("regravg", _regr(), weights=list(W * 10), se_aggr=method, se_aggr_rho=0.5)
    m, s = np.stack(MEANS), np.stack(SES)
    mu = W @ m
    assert np.allclose(out.response, mu)
    between = W @ (m - mu) ** 2
    within = W @ s**2
    expected = {
        "predictive": np.sqrt(within + between),
        "within": np.sqrt(within),
        "between": np.sqrt(between),
        "mean": np.sqrt(0.5 * (W**2 @ s**2) + 0.5 * (W @ s) ** 2),
        "none": None,
    }[method]
    if expected is None:
        assert out.se is None
    else:
        assert np.allclose(out.se, expected)


def test_regravg_se_needs_every_se() -> None:
    out = _avg("regravg", _regr(with_se=False), se_aggr="between")
    assert out.se is not None
    with pytest.raises(InputError, match="se_aggr='within' needs a standard error"):
        _avg("regravg", _regr(with_se=False), se_aggr="within")


def test_classifavg_in_a_graph_learner_averages_its_learners() -> None:
    task = tsk("iris")
    graph = gunion([lrn("classif.rpart", id="a", max_depth=1),
                    lrn("classif.featureless", id="b")]) >> po("classifavg")
    learner = as_learner(graph)
    learner.predict_type = "prob"
    learner.train(task)
    pred = learner.predict(task)
    one = lrn("classif.rpart", max_depth=1, predict_type="prob").train(task).predict(task)
    two = lrn("classif.featureless", predict_type="prob").train(task).predict(task)
    assert np.allclose(pred.prob_matrix, (one.prob_matrix + two.prob_matrix) / 2)
