"""Plots of tasks: ``target`` (class counts, or the target's distribution), ``duo``
(each numeric feature against the target) and ``pairs`` (a scatter matrix of a few
numeric features, coloured by class)."""

from __future__ import annotations

from typing import Any

import numpy as np

from mlr3py.errors import InputError
from mlr3py.viz._common import axes, facets
from mlr3py.viz._registry import register_plot

__all__: list[str] = []

_TASK = "mlr3py.tasks.task.Task"
_NUMERIC = ("numeric", "integer")


def _empty(task: Any) -> None:
    if task.nrow == 0:
        raise InputError(f"Task {task.id!r} has no rows; there is nothing to plot.")


def _target(task: Any, ax: Any = None, bins: Any = 30) -> Any:
    """Rows per class (classification) or a histogram of the target (regression)."""
    _empty(task)
    ax = axes(ax)
    target = task.target_names[0]
    values = task.data(cols=[target])[target]
    if task.task_type == "classif":
        classes = list(task.class_names)
        counts = values.astype(str).value_counts().reindex(classes, fill_value=0)
        ax.bar(classes, counts.to_numpy())
        ax.set_xlabel(target + (f" (positive class: {task.positive})" if task.positive else ""))
        ax.set_ylabel("Rows")
    else:
        ax.hist(values.to_numpy(dtype=float), bins=bins)
        ax.set_xlabel(target)
        ax.set_ylabel("Rows")
    ax.set_title(task.id, fontsize="medium")
    return ax


def _numeric_features(task: Any, features: Any, max_features: int) -> list[str]:
    """The numeric features asked for (default: the first ``max_features``)."""
    types = task.feature_types
    numeric = types.loc[types["type"].isin(_NUMERIC), "id"].tolist()
    if features is None:
        features = numeric[:max_features]
    else:
        features = [features] if isinstance(features, str) else list(features)
        bad = [f for f in features if f not in numeric]
        if bad:
            raise InputError(f"Features {bad} are not numeric features of task {task.id!r}; "
                             f"its numeric features are {numeric}.")
    if not features:
        raise InputError(f"Task {task.id!r} has no numeric features to plot.")
    return list(features)


def _duo(task: Any, ax: Any = None, features: Any = None, max_features: int = 4) -> Any:
    """Each numeric feature (default: the first ``max_features``) against the target,
    one panel each: boxplots per class (classification) or a scatter plot (regression)
    (mlr3viz's ``duo``, GGally's ``ggduo``)."""
    _empty(task)
    chosen = _numeric_features(task, features, max_features)
    target = task.target_names[0]
    data = task.data(cols=[*chosen, target])
    fig, panels = facets(len(chosen), ax)
    for panel, name in zip(panels, chosen, strict=True):
        if task.task_type == "classif":
            labels = data[target].astype(str).to_numpy()
            classes = [str(c) for c in task.class_names]
            values = data[name].to_numpy(dtype=float)
            groups = [values[(labels == c) & ~np.isnan(values)] for c in classes]
            panel.boxplot(groups)
            panel.set_xticks(range(1, len(classes) + 1), labels=classes)
            panel.set_xlabel(target)
            panel.set_ylabel(name)
        else:
            panel.scatter(data[name].to_numpy(dtype=float), data[target].to_numpy(dtype=float),
                          s=8, alpha=0.6)
            panel.set_xlabel(name)
            panel.set_ylabel(target)
    fig.suptitle(task.id)
    return panels[0] if len(panels) == 1 else fig


def _pairs(task: Any, ax: Any = None, features: Any = None, max_features: int = 4) -> Any:
    """A scatter matrix of numeric features (default: the first ``max_features``),
    histograms on the diagonal; points coloured by class for classification."""
    import matplotlib.pyplot as plt

    _empty(task)
    features = _numeric_features(task, features, max_features)
    data = task.data(cols=[*features, *task.target_names])
    target = task.target_names[0]
    k = len(features)
    fig, grid = plt.subplots(k, k, figsize=(2.2 * k + 1, 2.2 * k), squeeze=False,
                             layout="constrained")
    if task.task_type == "classif":
        labels = data[target].astype(str).to_numpy()
        groups = [(c, labels == c) for c in task.class_names]
    else:
        groups = [("", np.ones(len(data), dtype=bool))]
    for i, fy in enumerate(features):
        for j, fx in enumerate(features):
            panel = grid[i][j]
            for label, rows in groups:
                if i == j:
                    panel.hist(data.loc[rows, fx].to_numpy(dtype=float), bins=20, alpha=0.6)
                else:
                    panel.scatter(data.loc[rows, fx], data.loc[rows, fy], s=6, alpha=0.6,
                                  label=label or None)
            if i == k - 1:
                panel.set_xlabel(fx)
            if j == 0:
                panel.set_ylabel(fy)
    if task.task_type == "classif" and k > 1:
        fig.legend(*grid[0][1].get_legend_handles_labels(), loc="outside right upper",
                   title=target)
    fig.suptitle(task.id)
    return fig


register_plot(_TASK, "target", _target, "class counts or target distribution", default=True)
register_plot(_TASK, "duo", _duo, "each numeric feature against the target")
register_plot(_TASK, "pairs", _pairs, "scatter matrix of a few numeric features")
