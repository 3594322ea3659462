"""Plots of predictions: the drawn points are the curves and counts of the prediction."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import precision_recall_curve, roc_curve

from mlr3py.errors import ConfigError, InputError, UnknownKeyError
from mlr3py.predictions import PredictionClassif, PredictionRegr
from mlr3py.viz import autoplot, plot_types, thin_curve


def _binary(n: int = 200, seed: int = 1) -> PredictionClassif:
    rng = np.random.default_rng(seed)
    truth = rng.choice(["yes", "no"], size=n, p=[0.3, 0.7])
    score = np.clip(rng.normal(0.4, 0.2, n) + 0.25 * (truth == "yes"), 0, 1)
    prob = np.column_stack([score, 1 - score])
    return PredictionClassif(np.arange(n), truth=truth, prob=prob, class_names=["yes", "no"])


def _curve_lines(ax):  # the curves, not the dotted diagonal
    return [line for line in ax.get_lines() if line.get_linestyle() != ":"]


def test_roc_points_equal_sklearn_roc_curve() -> None:
    p = _binary()
    ax = autoplot(p, type="roc")
    (line,) = _curve_lines(ax)
    fpr, tpr, _ = roc_curve(p.truth_codes == 0, p.prob_matrix[:, 0])
    np.testing.assert_allclose(line.get_xdata(), fpr)
    np.testing.assert_allclose(line.get_ydata(), tpr)
    assert "positive class: yes" in ax.get_xlabel()


def test_prc_points_equal_sklearn_precision_recall_curve() -> None:
    p = _binary()
    ax = autoplot(p, type="prc")
    (line,) = _curve_lines(ax)
    precision, recall, _ = precision_recall_curve(p.truth_codes == 0, p.prob_matrix[:, 0],
                                                  drop_intermediate=True)
    np.testing.assert_allclose(line.get_xdata(), recall[::-1])
    np.testing.assert_allclose(line.get_ydata(), precision[::-1])
    assert "positive class: yes" in ax.get_xlabel()


def test_multiclass_roc_is_one_vs_rest_per_class() -> None:
    rng = np.random.default_rng(2)
    prob = rng.dirichlet([1, 1, 1], size=90)
    truth = np.array(["a", "b", "c"])[rng.integers(0, 3, 90)]
    p = PredictionClassif(np.arange(90), truth=truth, prob=prob, class_names=["a", "b", "c"])
    ax = autoplot(p, type="roc")
    lines = _curve_lines(ax)
    assert len(lines) == 3
    for j, line in enumerate(lines):
        fpr, tpr, _ = roc_curve(truth == "abc"[j], prob[:, j])
        np.testing.assert_allclose(line.get_xdata(), fpr)
        np.testing.assert_allclose(line.get_ydata(), tpr)
        assert line.get_label().startswith("abc"[j])
    assert "one-vs-rest" in ax.get_xlabel()


def test_roc_of_a_response_only_prediction_says_to_predict_probabilities() -> None:
    p = PredictionClassif([0, 1], truth=["a", "b"], response=["a", "a"])
    with pytest.raises(InputError, match='predict_type="prob"'):
        autoplot(p, type="roc")


def test_roc_needs_both_classes_in_the_truth() -> None:
    p = PredictionClassif([0, 1], truth=["a", "a"], prob=np.array([[0.3, 0.7], [0.6, 0.4]]),
                          class_names=["a", "b"])
    with pytest.raises(InputError, match="'a'"):
        autoplot(p, type="roc")


def test_unknown_type_lists_the_types_of_the_object() -> None:
    with pytest.raises(UnknownKeyError) as err:
        autoplot(_binary(), type="rocc")
    for name in ("roc", "prc", "threshold", "confusion"):
        assert f"'{name}'" in str(err.value)
    assert "Did you mean 'roc'" in str(err.value)
    assert set(plot_types(_binary())) == {"roc", "prc", "threshold", "confusion",
                                           "stacked"}


def test_an_object_without_plots_is_refused() -> None:
    with pytest.raises(ConfigError, match="no plot types"):
        autoplot(object())


def test_threshold_curve_is_the_measure_at_each_threshold() -> None:
    p = _binary()
    ax = autoplot(p, type="threshold", measure="classif.fpr", n_thresholds=11)
    (line,) = ax.get_lines()
    assert ax.get_ylabel() == "classif.fpr"
    assert "yes" in ax.get_xlabel()
    t = line.get_xdata()[5]
    expected = PredictionClassif(np.arange(200), truth=p.truth, prob=p.prob).set_threshold(t)
    assert line.get_ydata()[5] == pytest.approx(float(expected.score("classif.fpr").iloc[0]))
    assert p.response.tolist() == _binary().response.tolist()  # left unchanged


def test_confusion_cells_hold_the_counts() -> None:
    p = PredictionClassif(range(5), truth=list("aabbb"), response=list("abbba"))
    ax = autoplot(p)  # the default type of a classification prediction
    counts = p.confusion.T.to_numpy()  # rows truth, columns response
    assert [t.get_text() for t in ax.texts] == [str(c) for c in counts.ravel()]
    np.testing.assert_array_equal(ax.images[0].get_array(), counts)


def test_regression_plots_draw_truth_and_response() -> None:
    p = PredictionRegr([0, 1, 2, 3], truth=[1.0, 2.0, 3.0, np.nan], response=[1.5, 1.5, 4.0, 2.0])
    ax = autoplot(p)
    np.testing.assert_allclose(ax.collections[0].get_offsets(),
                               [[1.0, 1.5], [2.0, 1.5], [3.0, 4.0]])
    ax = autoplot(p, type="residual")
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 1], [-0.5, 0.5, -1.0])
    ax = autoplot(p, type="histogram", bins=3)
    assert sum(patch.get_height() for patch in ax.patches) == 3


def test_an_empty_prediction_is_refused() -> None:
    p = PredictionRegr([], truth=[], response=[])
    with pytest.raises(InputError, match="no rows"):
        autoplot(p)


def test_thin_curve_bounds_the_distance_of_every_dropped_point() -> None:
    p = _binary(n=3000, seed=3)
    fpr, tpr, _ = roc_curve(p.truth_codes == 0, p.prob_matrix[:, 0], drop_intermediate=False)
    curve = thin_curve(fpr, tpr, max_points=60)
    assert curve.n_full == fpr.size and curve.x.size <= 62
    dist = np.abs(fpr[:, None] - curve.x[None, :]) + np.abs(tpr[:, None] - curve.y[None, :])
    assert dist.min(axis=1).max() <= curve.error
    assert (curve.x[0], curve.x[-1]) == (fpr[0], fpr[-1])


def test_a_long_roc_curve_is_thinned() -> None:
    p = _binary(n=20_000, seed=4)
    ax = autoplot(p, type="roc", max_points=100)
    (line,) = _curve_lines(ax)
    assert line.get_xdata().size <= 102


@pytest.mark.parametrize("share", [0.2, 0.8])
@pytest.mark.parametrize("drop", [True, False])
def test_roc_points_equal_sklearn_with_ties(share: float, drop: bool) -> None:
    from mlr3py.viz._curves import roc_points

    rng = np.random.default_rng(5)
    positive = rng.random(5000) < share
    score = np.round(rng.random(5000) * 0.7 + 0.3 * positive, 2)
    fpr, tpr, _ = roc_curve(positive, score, drop_intermediate=drop)
    got = roc_points(positive, score, drop_intermediate=drop)
    np.testing.assert_array_equal(got[0], fpr)
    np.testing.assert_array_equal(got[1], tpr)


def test_an_argument_the_plot_type_does_not_take_is_named() -> None:
    p = PredictionClassif([0, 1], truth=["a", "b"], response=["a", "a"])
    with pytest.raises(ConfigError, match=r"takes no argument 'measure'; it takes \['cmap'\]"):
        autoplot(p, type="confusion", measure="classif.ce")
