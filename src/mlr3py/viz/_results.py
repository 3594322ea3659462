"""Plots of resample and benchmark results.

ResampleResult: ``boxplot`` / ``histogram`` of a measure over the iterations,
``roc`` / ``prc`` of the pooled prediction (``pooled=False``: one curve per
iteration). BenchmarkResult: ``boxplot`` of a measure per learner, one panel per
task; ``roc`` / ``prc`` per learner (pooled predictions), one panel per task;
``ci``: per learner the mean over iterations and its t confidence interval.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import InputError
from mlr3py.measures import Measure, MeasuresArg, as_measures, resolve_measures
from mlr3py.viz._common import MAX_CURVE_POINTS, axes, facets
from mlr3py.viz._curves import class_curves, draw_curves, label_axes
from mlr3py.viz._registry import register_plot

__all__: list[str] = []

_RR = "mlr3py.evaluation._resample_result.ResampleResult"
_BMR = "mlr3py.evaluation._benchmark_result.BenchmarkResult"


# -- ResampleResult ----------------------------------------------------------------------

def _rr_scores(rr: Any, measure: MeasuresArg) -> tuple[Measure, np.ndarray]:
    if rr.iters == 0:
        raise InputError(
            f"The ResampleResult of task {rr.task.id!r} and learner {rr.learner.id!r} holds "
            "no iterations; there is nothing to plot."
        )
    measures = resolve_measures(measure, rr.task.task_type, f"Task '{rr.task.id}'")
    if len(measures) != 1:
        raise InputError(f"This plot shows one measure. Got {[m.id for m in measures]}.")
    m = measures[0]
    values = rr.score(m)[m.id].to_numpy(dtype=float)
    if np.isnan(values).all():
        raise InputError(f"Measure {m.id!r} gives no score for any iteration of this "
                         f"ResampleResult{_why_no_score(m, [rr.learner])}; there is nothing "
                         "to plot.")
    return m, values


def _why_no_score(measure: Measure, learners: list[Any]) -> str:
    """Why a measure may score nothing: learners that predict another type."""
    needed = measure.predict_type
    if needed in (None, "response"):
        return ""
    lacking = sorted({lr.id for lr in learners if lr.predict_type != needed})
    if not lacking:
        return ""
    return (f" (it needs predict type {needed!r}, which learner(s) {lacking} do not "
            f"predict: set predict_type={needed!r} on the learner and resample again)")


def _rr_boxplot(rr: Any, ax: Any = None, measure: MeasuresArg = None) -> Any:
    m, values = _rr_scores(rr, measure)
    ax = axes(ax, figsize=(3.5, 4.0))
    ax.boxplot([values[~np.isnan(values)]])
    ax.set_xticks([1], labels=[rr.learner.id])
    ax.set_ylabel(m.id)
    ax.set_title(f"{rr.task.id}: {rr.iters} iterations", fontsize="medium")
    return ax


def _rr_histogram(rr: Any, ax: Any = None, measure: MeasuresArg = None,
                  bins: Any = "auto") -> Any:
    m, values = _rr_scores(rr, measure)
    ax = axes(ax)
    ax.hist(values[~np.isnan(values)], bins=bins)
    ax.set_xlabel(m.id)
    ax.set_ylabel("Iterations")
    ax.set_title(f"{rr.task.id} / {rr.learner.id}", fontsize="medium")
    return ax


def _rr_curve(rr: Any, kind: str, ax: Any, pooled: bool, max_points: int) -> Any:
    if rr.iters == 0:
        raise InputError("The ResampleResult holds no iterations; there is nothing to plot.")
    ax = axes(ax, figsize=(4.5, 4.5))
    if pooled:
        prediction = rr.prediction()
        draw_curves(ax, class_curves(prediction, kind, max_points), kind)
    else:
        predictions = rr.predictions()
        prediction = predictions[0]
        for it, p in zip(rr.iterations, predictions, strict=True):
            draw_curves(ax, class_curves(p, kind, max_points), kind, prefix=f"iter {it}: ",
                        alpha=0.7)
    label_axes(ax, kind, prediction)
    ax.legend(fontsize="x-small")
    ax.set_title(f"{rr.task.id} / {rr.learner.id}", fontsize="medium")
    return ax


def _rr_roc(rr: Any, ax: Any = None, pooled: bool = True,
            max_points: int = MAX_CURVE_POINTS) -> Any:
    return _rr_curve(rr, "roc", ax, pooled, max_points)


def _rr_prc(rr: Any, ax: Any = None, pooled: bool = True,
            max_points: int = MAX_CURVE_POINTS) -> Any:
    return _rr_curve(rr, "prc", ax, pooled, max_points)


# -- BenchmarkResult -----------------------------------------------------------------------

def _check_bmr(bmr: Any) -> None:
    if bmr.n_resample_results == 0:
        raise InputError("The BenchmarkResult holds no resample results; there is nothing "
                         "to plot.")


def _bmr_measure(bmr: Any, measure: MeasuresArg) -> Measure:
    types = list(dict.fromkeys(rr.task.task_type for rr in bmr.resample_results))
    if measure is None:
        return resolve_measures(None, types[0], "the BenchmarkResult")[0]
    measures = as_measures(measure)
    if len(measures) != 1:
        raise InputError(f"This plot shows one measure. Got {[m.id for m in measures]}.")
    m = measures[0]
    if m.task_type is not None and m.task_type not in types:
        raise InputError(
            f"Measure {m.id!r} scores {m.task_type!r} tasks, but this BenchmarkResult holds "
            f"{types} tasks only ({bmr.task_ids}). Pass a measure of those task types."
        )
    return m


def _bmr_scores(bmr: Any, measure: MeasuresArg) -> tuple[Measure, pd.DataFrame]:
    _check_bmr(bmr)
    m = _bmr_measure(bmr, measure)
    scored = bmr.score(m)
    table = scored[scored[m.id].notna()]
    learners = [rr.learner for rr in bmr.resample_results]
    if table.empty:
        raise InputError(f"Measure {m.id!r} gives no score for any iteration of this "
                         f"BenchmarkResult{_why_no_score(m, learners)}; there is nothing to "
                         "plot.")
    kept = set(zip(table["task_id"], table["learner_id"], strict=True))
    left_out = [f"{t} / {lid}" for t, lid in
                dict.fromkeys(zip(scored["task_id"], scored["learner_id"], strict=True))
                if (t, lid) not in kept]
    if left_out:
        warnings.warn(
            f"Measure {m.id!r} gives no score for {left_out}; they are left out of the plot"
            f"{_why_no_score(m, learners)}.", UserWarning, stacklevel=3)
    return m, table


def _groups(table: pd.DataFrame, value: str) -> dict[str, dict[str, np.ndarray]]:
    """task id -> learner id -> scores, in order of appearance."""
    out: dict[str, dict[str, np.ndarray]] = {}
    tasks = pd.unique(table["task_id"])
    learners = pd.unique(table["learner_id"])
    for (task_id, learner_id), part in table.groupby(["task_id", "learner_id"], sort=False):
        out.setdefault(str(task_id), {})[str(learner_id)] = part[value].to_numpy(dtype=float)
    ordered = {}
    for t in tasks:
        by_learner = out[str(t)]
        ordered[str(t)] = {str(lid): by_learner[str(lid)] for lid in learners
                           if str(lid) in by_learner}
    return ordered


def _bmr_boxplot(bmr: Any, ax: Any = None, measure: MeasuresArg = None) -> Any:
    """A boxplot of a measure per learner, one panel per task.

    Returns the Axes for one task, the Figure for several.
    """
    m, table = _bmr_scores(bmr, measure)
    groups = _groups(table, m.id)
    fig, panels = facets(len(groups), ax)
    for panel, (task_id, by_learner) in zip(panels, groups.items(), strict=True):
        panel.boxplot(list(by_learner.values()))
        panel.set_xticks(range(1, len(by_learner) + 1), labels=list(by_learner))
        panel.set_title(task_id, fontsize="medium")
        panel.set_ylabel(m.id)
        panel.tick_params(axis="x", labelrotation=30)
    return panels[0] if len(panels) == 1 else fig


def _bmr_ci(bmr: Any, ax: Any = None, measure: MeasuresArg = None,
            level: float = 0.95) -> Any:
    """Per learner the mean of a measure over iterations and its t confidence interval
    (``level``), one panel per task."""
    from scipy import stats

    if not 0.0 < level < 1.0:
        raise InputError(f"'level' must be in (0, 1). Got {level!r} instead.")
    m, table = _bmr_scores(bmr, measure)
    groups = _groups(table, m.id)
    fig, panels = facets(len(groups), ax)
    for panel, (task_id, by_learner) in zip(panels, groups.items(), strict=True):
        means = np.array([v.mean() for v in by_learner.values()])
        half = np.array([
            stats.t.ppf(0.5 + level / 2, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)
            if v.size > 1 else np.nan
            for v in by_learner.values()
        ])
        x = np.arange(len(by_learner))
        panel.errorbar(x, means, yerr=half, fmt="o", capsize=4)
        panel.set_xticks(x, labels=list(by_learner))
        panel.set_xlim(-0.5, len(by_learner) - 0.5)
        panel.set_title(task_id, fontsize="medium")
        panel.set_ylabel(f"{m.id} (mean, {level:.0%} CI)")
        panel.tick_params(axis="x", labelrotation=30)
    return panels[0] if len(panels) == 1 else fig


def _bmr_curve(bmr: Any, kind: str, ax: Any, max_points: int) -> Any:
    _check_bmr(bmr)
    by_task: dict[str, list[Any]] = {}
    for rr in bmr.resample_results:
        by_task.setdefault(rr.task.id, []).append(rr)
    fig, panels = facets(len(by_task), ax, size=(4.5, 4.5))
    for panel, (task_id, rrs) in zip(panels, by_task.items(), strict=True):
        several = len({rr.resampling.id for rr in rrs}) > 1
        prediction = None
        for rr in rrs:
            if rr.iters == 0:
                continue
            prediction = rr.prediction()
            name = f"{rr.learner.id} / {rr.resampling.id}" if several else rr.learner.id
            try:
                curves = class_curves(prediction, kind, max_points)
            except InputError as exc:
                raise InputError(f"Learner {rr.learner.id!r} on task {task_id!r}: {exc}") \
                    from exc
            draw_curves(panel, curves, kind, prefix=f"{name}: ")
        if prediction is None:
            raise InputError(f"The resample results of task {task_id!r} hold no iterations; "
                             "there is nothing to plot.")
        label_axes(panel, kind, prediction)
        panel.legend(fontsize="x-small")
        panel.set_title(task_id, fontsize="medium")
    return panels[0] if len(panels) == 1 else fig


def _bmr_roc(bmr: Any, ax: Any = None, max_points: int = MAX_CURVE_POINTS) -> Any:
    return _bmr_curve(bmr, "roc", ax, max_points)


def _bmr_prc(bmr: Any, ax: Any = None, max_points: int = MAX_CURVE_POINTS) -> Any:
    return _bmr_curve(bmr, "prc", ax, max_points)


register_plot(_RR, "boxplot", _rr_boxplot, "a measure over iterations", default=True)
register_plot(_RR, "histogram", _rr_histogram, "histogram of a measure over iterations")
register_plot(_RR, "roc", _rr_roc, "ROC of the pooled prediction (pooled=False: per iteration)")
register_plot(_RR, "prc", _rr_prc, "precision-recall of the pooled prediction")
register_plot(_BMR, "boxplot", _bmr_boxplot, "a measure per learner, one panel per task",
              default=True)
register_plot(_BMR, "roc", _bmr_roc, "ROC per learner, one panel per task")
register_plot(_BMR, "prc", _bmr_prc, "precision-recall per learner, one panel per task")
register_plot(_BMR, "ci", _bmr_ci, "mean and confidence interval per learner")
