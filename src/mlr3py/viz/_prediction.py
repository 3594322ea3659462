"""Plots of predictions: ``stacked``, ``confusion``, ``roc``, ``prc``, ``threshold``
(classification), ``xy``, ``residual``, ``histogram``, ``confidence`` (regression)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from mlr3py.errors import InputError
from mlr3py.measures import MeasuresArg
from mlr3py.viz._common import MAX_CURVE_POINTS, axes, one_measure
from mlr3py.viz._curves import check_prob, class_curves, draw_curves, label_axes
from mlr3py.viz._registry import register_plot

__all__: list[str] = []

_CLASSIF = "mlr3py.predictions.classif.PredictionClassif"
_REGR = "mlr3py.predictions.regr.PredictionRegr"


def _check_rows(prediction: Any) -> None:
    if len(prediction) == 0:
        raise InputError("The prediction has no rows; there is nothing to plot.")


def plot_curve(prediction: Any, kind: str, ax: Any = None,
               max_points: int = MAX_CURVE_POINTS, **line_kwargs: Any) -> Any:
    """ROC (``kind="roc"``) or precision-recall (``"prc"``) curves of a prediction.

    Two classes: one curve for the positive class. More classes: one curve per
    class, one-vs-rest. Curves longer than ``max_points`` are thinned
    (:func:`~mlr3py.viz.thin_curve`), so a figure's size does not grow with the rows.
    """
    _check_rows(prediction)
    curves = class_curves(prediction, kind, max_points=max_points)
    ax = axes(ax, figsize=(4.5, 4.5))
    draw_curves(ax, curves, kind, **line_kwargs)
    label_axes(ax, kind, prediction)
    ax.legend(loc="lower right" if kind == "roc" else "lower left", fontsize="small")
    return ax


def _roc(prediction: Any, ax: Any = None, **kwargs: Any) -> Any:
    return plot_curve(prediction, "roc", ax=ax, **kwargs)


def _prc(prediction: Any, ax: Any = None, **kwargs: Any) -> Any:
    return plot_curve(prediction, "prc", ax=ax, **kwargs)


def _threshold(prediction: Any, ax: Any = None, measure: MeasuresArg = None,
               n_thresholds: int = 101, **line_kwargs: Any) -> Any:
    """A measure against the threshold on the positive class's probability."""
    _check_rows(prediction)
    check_prob(prediction, "threshold")
    if len(prediction.class_names) != 2:
        raise InputError(
            "A threshold plot needs two classes; this prediction has "
            f"{len(prediction.class_names)} ({prediction.class_names}). Use type='roc' "
            "for one-vs-rest curves."
        )
    m = one_measure(measure, "classif", "the prediction")
    thresholds = np.linspace(0.0, 1.0, int(n_thresholds))
    work = copy.copy(prediction)
    values = np.array([float(m.score(work.set_threshold(float(t)))) for t in thresholds])
    ax = axes(ax)
    ax.plot(thresholds, values, **line_kwargs)
    ax.set_xlabel(f"Threshold (probability of positive class {prediction.class_names[0]})")
    ax.set_ylabel(m.id)
    return ax


def _confusion(prediction: Any, ax: Any = None, cmap: str = "Blues") -> Any:
    """The confusion matrix as a heatmap with the counts written in the cells."""
    _check_rows(prediction)
    table = prediction.confusion.T  # rows truth, columns response
    counts = table.to_numpy()
    ax = axes(ax, figsize=(4.5, 4.0))
    image = ax.imshow(counts, cmap=cmap)
    labels = [str(c) for c in table.index]
    ax.set_xticks(range(len(labels)), labels=labels)
    ax.set_yticks(range(len(labels)), labels=labels)
    limit = counts.max() / 2 if counts.size else 0
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center",
                    color="white" if counts[i, j] > limit else "black")
    ax.set_xlabel("Predicted (response)")
    ax.set_ylabel("True (truth)")
    ax.figure.colorbar(image, ax=ax)
    return ax


def _stacked(prediction: Any, ax: Any = None) -> Any:
    """Two bars, the true and the predicted classes, each stacked by class counts
    (mlr3viz's default plot of a classification prediction)."""
    _check_rows(prediction)
    classes = [str(c) for c in prediction.class_names]
    k = len(classes)
    truth = np.bincount(np.asarray(prediction.truth_codes)[prediction.truth_codes >= 0],
                        minlength=k)
    codes = np.asarray(prediction.response_codes)
    response = np.bincount(codes[codes >= 0], minlength=k)
    ax = axes(ax, figsize=(4.0, 4.0))
    bottom = np.zeros(2)
    for j, label in enumerate(classes):
        heights = np.array([truth[j], response[j]], dtype=float)
        ax.bar(["truth", "response"], heights, bottom=bottom, label=label)
        bottom += heights
    ax.set_ylabel("Count")
    ax.legend(title="Class", fontsize="small")
    return ax


def _regr_values(prediction: Any) -> tuple[np.ndarray, np.ndarray]:
    _check_rows(prediction)
    truth = np.asarray(prediction.truth, dtype=float)
    response = np.asarray(prediction.response, dtype=float)
    ok = ~(np.isnan(truth) | np.isnan(response))
    return truth[ok], response[ok]


def _xy(prediction: Any, ax: Any = None, **scatter_kwargs: Any) -> Any:
    """Response against truth, with the diagonal ``response == truth``."""
    truth, response = _regr_values(prediction)
    ax = axes(ax, figsize=(4.5, 4.5))
    ax.scatter(truth, response, s=scatter_kwargs.pop("s", 10), alpha=0.6, **scatter_kwargs)
    if truth.size:
        lo = float(min(truth.min(), response.min()))
        hi = float(max(truth.max(), response.max()))
        ax.plot([lo, hi], [lo, hi], linestyle=":", color="grey")
    ax.set_xlabel("Truth")
    ax.set_ylabel("Response")
    return ax


def _residual(prediction: Any, ax: Any = None, **scatter_kwargs: Any) -> Any:
    """Residuals (truth - response) against the response, with a line at 0."""
    truth, response = _regr_values(prediction)
    ax = axes(ax)
    ax.scatter(response, truth - response, s=scatter_kwargs.pop("s", 10), alpha=0.6,
               **scatter_kwargs)
    ax.axhline(0.0, linestyle=":", color="grey")
    ax.set_xlabel("Response")
    ax.set_ylabel("Residual (truth - response)")
    return ax


def _histogram(prediction: Any, ax: Any = None, bins: Any = 30, **hist_kwargs: Any) -> Any:
    """A histogram of the residuals (truth - response)."""
    truth, response = _regr_values(prediction)
    ax = axes(ax)
    ax.hist(truth - response, bins=bins, **hist_kwargs)
    ax.set_xlabel("Residual (truth - response)")
    ax.set_ylabel("Count")
    return ax


def _confidence(prediction: Any, ax: Any = None, level: float = 0.95,
                **errorbar_kwargs: Any) -> Any:
    """Response against truth with normal confidence intervals ``response +- z * se``
    (needs predict type ``"se"``)."""
    from scipy.stats import norm

    _check_rows(prediction)
    if prediction.se is None:
        raise InputError(
            "A confidence plot needs predicted standard errors, but this prediction has "
            f"predict types {prediction.predict_types} only. Use a learner with predict "
            "type 'se' (lrn(..., predict_type=\"se\")) and predict again."
        )
    if not 0.0 < float(level) < 1.0:
        raise InputError(f"'level' must be in (0, 1). Got {level!r} instead.")
    truth = np.asarray(prediction.truth, dtype=float)
    response = np.asarray(prediction.response, dtype=float)
    se = np.asarray(prediction.se, dtype=float)
    ok = ~(np.isnan(truth) | np.isnan(response) | np.isnan(se))
    half = float(norm.ppf(0.5 + float(level) / 2)) * se[ok]
    ax = _xy(prediction, ax=ax)
    ax.errorbar(truth[ok], response[ok], yerr=half, fmt="none", alpha=0.5,
                **errorbar_kwargs)
    ax.set_ylabel(f"Response ({float(level):.0%} confidence interval)")
    return ax


register_plot(_CLASSIF, "stacked", _stacked, "true and predicted class counts, stacked")
register_plot(_CLASSIF, "roc", _roc, "ROC curve; one-vs-rest per class for multiclass")
register_plot(_CLASSIF, "prc", _prc, "precision-recall curve")
register_plot(_CLASSIF, "threshold", _threshold, "a measure over thresholds (two classes)")
register_plot(_CLASSIF, "confusion", _confusion, "confusion matrix heatmap with counts",
              default=True)
register_plot(_REGR, "xy", _xy, "response against truth", default=True)
register_plot(_REGR, "residual", _residual, "residuals against response")
register_plot(_REGR, "histogram", _histogram, "histogram of residuals")
register_plot(_REGR, "confidence", _confidence, "response against truth with confidence "
              "intervals (predict type 'se')")
