"""Classification measures against scikit-learn and hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn import metrics

from mlr3py.errors import ConfigError
from mlr3py.measures import mlr_measures
from mlr3py.predictions import PredictionClassif


def score(key: str, pred: PredictionClassif, **kwargs: object) -> float:
    return mlr_measures.get(key, **kwargs).score(pred)


def _arrays(pred: PredictionClassif) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(pred.truth, dtype=object), np.asarray(pred.response, dtype=object)


def test_ce_acc_bacc_mcc_match_sklearn(multi_pred: PredictionClassif) -> None:
    t, r = _arrays(multi_pred)
    assert score("classif.ce", multi_pred) == pytest.approx(1 - metrics.accuracy_score(t, r))
    assert score("classif.acc", multi_pred) == pytest.approx(metrics.accuracy_score(t, r))
    assert score("classif.bacc", multi_pred) == pytest.approx(
        metrics.balanced_accuracy_score(t, r)
    )
    assert score("classif.mcc", multi_pred) == pytest.approx(metrics.matthews_corrcoef(t, r))


def test_binary_rates_match_sklearn(binary_pred: PredictionClassif) -> None:
    t, r = _arrays(binary_pred)
    kw = {"pos_label": "M"}
    assert score("classif.precision", binary_pred) == pytest.approx(
        metrics.precision_score(t, r, **kw)
    )
    assert score("classif.recall", binary_pred) == pytest.approx(metrics.recall_score(t, r, **kw))
    assert score("classif.fbeta", binary_pred) == pytest.approx(metrics.f1_score(t, r, **kw))
    assert score("classif.fbeta", binary_pred, beta=2.0) == pytest.approx(
        metrics.fbeta_score(t, r, beta=2.0, **kw)
    )
    assert score("classif.mcc", binary_pred) == pytest.approx(metrics.matthews_corrcoef(t, r))
    (tn, fp), (fn, tp) = metrics.confusion_matrix(t, r, labels=["R", "M"])
    assert score("classif.tp", binary_pred) == tp
    assert score("classif.fp", binary_pred) == fp
    assert score("classif.tn", binary_pred) == tn
    assert score("classif.fn", binary_pred) == fn
    assert score("classif.tnr", binary_pred) == pytest.approx(tn / (tn + fp))
    assert score("classif.fpr", binary_pred) == pytest.approx(fp / (fp + tn))
    assert score("classif.fnr", binary_pred) == pytest.approx(fn / (fn + tp))
    assert score("classif.npv", binary_pred) == pytest.approx(tn / (tn + fn))


@pytest.mark.parametrize(
    ("alias", "original"),
    [
        ("classif.ppv", "classif.precision"),
        ("classif.tpr", "classif.recall"),
        ("classif.sensitivity", "classif.recall"),
        ("classif.specificity", "classif.tnr"),
    ],
)
def test_aliases_agree(alias: str, original: str, binary_pred: PredictionClassif) -> None:
    assert score(alias, binary_pred) == score(original, binary_pred)


def test_prob_measures_match_sklearn(binary_pred: PredictionClassif) -> None:
    t = np.asarray(binary_pred.truth, dtype=object)
    p_m = binary_pred.prob["M"].to_numpy()
    assert score("classif.auc", binary_pred) == pytest.approx(
        metrics.roc_auc_score(t == "M", p_m)
    )
    assert score("classif.bbrier", binary_pred) == pytest.approx(
        metrics.brier_score_loss(t == "M", p_m)
    )
    p_true = np.where(t == "M", p_m, 1 - p_m)
    expected_logloss = -np.mean(np.log(np.clip(p_true, 1e-15, 1 - 1e-15)))
    assert score("classif.logloss", binary_pred) == pytest.approx(expected_logloss)


def test_multiclass_logloss_and_mbrier(multi_pred: PredictionClassif) -> None:
    t = np.asarray(multi_pred.truth, dtype=object)
    prob = multi_pred.prob.to_numpy()
    assert score("classif.logloss", multi_pred) == pytest.approx(
        metrics.log_loss(t, prob, labels=["a", "b", "c"])
    )
    onehot = (t[:, None] == np.array(["a", "b", "c"])).astype(float)
    assert score("classif.mbrier", multi_pred) == pytest.approx(
        np.mean(np.sum((onehot - prob) ** 2, axis=1))
    )


def test_logloss_clips_with_eps() -> None:
    pred = PredictionClassif([0, 1], truth=["a", "b"], prob=[[0.0, 1.0], [0.0, 1.0]],
                             class_names=["a", "b"])
    assert score("classif.logloss", pred) == pytest.approx(-np.log(1e-15) / 2)
    assert score("classif.logloss", pred, eps=0.1) == pytest.approx(
        -(np.log(0.1) + np.log(0.9)) / 2
    )


def _binary(truth: list[str], p_pos: list[float]) -> PredictionClassif:
    prob = np.column_stack([p_pos, 1 - np.asarray(p_pos, dtype=float)])
    return PredictionClassif(np.arange(len(truth)), truth=truth, prob=prob, class_names=["a", "b"])


def test_prauc_mlr3measures_example() -> None:
    # mlr3measures' example: truth a a a b, prob .6 .7 .1 .4, positive a
    pred = _binary(["a", "a", "a", "b"], [0.6, 0.7, 0.1, 0.4])
    assert score("classif.prauc", pred) == pytest.approx(2 / 3 + (1 - math.log(4 / 3)) / 3)


def test_prauc_prroc_reference_values() -> None:
    # from PRROC's tests: perfect ranking 1; all tied 0.5; worst ranking 1 - log(2)
    assert score("classif.prauc", _binary(["a", "b"] * 5, [0.9, 0.1] * 5)) == pytest.approx(1)
    assert score("classif.prauc", _binary(["a", "b"] * 250, [0.5] * 500)) == pytest.approx(0.5)
    worst = _binary(["a"] * 1000 + ["b"] * 1000, list(np.linspace(0, 0.4, 1000)) + [0.9] * 1000)
    worst_ties_broken = _binary(
        ["a"] * 1000 + ["b"] * 1000,
        list(np.linspace(0.0, 0.4, 1000)) + list(np.linspace(0.5, 1.0, 1000)),
    )
    assert score("classif.prauc", worst_ties_broken) == pytest.approx(0.3068528194, abs=1e-9)
    assert 0 <= score("classif.prauc", worst) <= 0.5


def test_prauc_close_to_average_precision(binary_pred: PredictionClassif) -> None:
    t = np.asarray(binary_pred.truth, dtype=object) == "M"
    ap = metrics.average_precision_score(t, binary_pred.prob["M"])
    assert score("classif.prauc", binary_pred) == pytest.approx(ap, abs=0.05)


@pytest.mark.parametrize(
    "key",
    ["classif.precision", "classif.ppv", "classif.fbeta"],
)
def test_nan_without_positive_predictions(key: str) -> None:
    pred = PredictionClassif([0, 1, 2], truth=["a", "b", "b"], response=["b", "b", "b"],
                             class_names=["a", "b"])
    assert math.isnan(score(key, pred))


@pytest.mark.parametrize("key", ["classif.auc", "classif.prauc"])
def test_nan_with_one_class_in_truth(key: str) -> None:
    assert math.isnan(score(key, _binary(["a", "a", "a"], [0.2, 0.5, 0.9])))


def test_recall_nan_without_positive_truth() -> None:
    pred = PredictionClassif([0, 1], truth=["b", "b"], response=["a", "b"], class_names=["a", "b"])
    assert math.isnan(score("classif.recall", pred))
    assert math.isnan(score("classif.fnr", pred))
    assert score("classif.fpr", pred) == 0.5


def test_mcc_degenerate_is_zero() -> None:
    pred = PredictionClassif([0, 1], truth=["a", "b"], response=["a", "a"], class_names=["a", "b"])
    assert score("classif.mcc", pred) == 0.0


def test_missing_response_gives_nan() -> None:
    pred = PredictionClassif([0, 1], truth=["a", "b"], response=["a", None], class_names=["a", "b"])
    assert math.isnan(score("classif.ce", pred))
    assert math.isnan(score("classif.tp", pred))


def test_missing_truth_and_empty_give_nan() -> None:
    new_data = PredictionClassif([0], truth=[None], response=["a"], class_names=["a", "b"])
    assert math.isnan(score("classif.acc", new_data))
    empty = PredictionClassif([], truth=[], response=[], class_names=["a", "b"])
    assert math.isnan(score("classif.ce", empty))


@pytest.mark.parametrize(
    "key", ["classif.auc", "classif.precision", "classif.tp", "classif.bbrier"]
)
def test_binary_measure_on_multiclass_raises(key: str, multi_pred: PredictionClassif) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.") + ".*twoclass"):
        score(key, multi_pred)


def test_binary_measure_uses_task_properties(binary_pred: PredictionClassif) -> None:
    class FakeTask:
        id = "three"
        properties = frozenset({"multiclass"})

    with pytest.raises(ConfigError, match="task 'three'"):
        mlr_measures.get("classif.auc").score(binary_pred, task=FakeTask())


def test_positive_class_is_first_class_name() -> None:
    truth = ["x", "x", "y"]
    response = ["x", "y", "y"]
    pos_x = PredictionClassif([0, 1, 2], truth=truth, response=response, class_names=["x", "y"])
    pos_y = PredictionClassif([0, 1, 2], truth=truth, response=response, class_names=["y", "x"])
    assert score("classif.tp", pos_x) == 1
    assert score("classif.tp", pos_y) == 1
    assert score("classif.recall", pos_x) == 0.5
    assert score("classif.recall", pos_y) == 1.0


def test_set_threshold_changes_scores(binary_pred: PredictionClassif) -> None:
    binary_pred.set_threshold(0.0)
    assert score("classif.recall", binary_pred) == 1.0
    assert score("classif.tnr", binary_pred) == 0.0
