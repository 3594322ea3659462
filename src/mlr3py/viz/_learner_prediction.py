"""What a resampled learner predicts over the feature space (``prediction``; mlr3viz's
``autoplot(rr, type = "prediction")``).

For a task with one or two numeric features: one panel per iteration, the
prediction of that iteration's model over a grid of the features (classes or the
positive class's probability as coloured regions, or the regression response), and
that iteration's test rows on top. Needs ``resample(..., store_models=True)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError, InputError
from mlr3py.viz._common import facets
from mlr3py.viz._registry import register_plot

__all__: list[str] = []

_RR = "mlr3py.evaluation._resample_result.ResampleResult"
_NUMERIC = ("numeric", "integer")


def _features(task: Any) -> list[str]:
    types = task.col_types()
    features = list(task.feature_names)
    if not 1 <= len(features) <= 2 or any(types[f] not in _NUMERIC for f in features):
        shown = ", ".join(f"{f} ({types[f]})" for f in features[:5])
        more = f" and {len(features) - 5} more" if len(features) > 5 else ""
        raise InputError(
            f"A prediction plot needs a task with one or two numeric features; task "
            f"{task.id!r} has {len(features)}: {shown}{more}. Select one or two, e.g. "
            f"task.select({features[:2]!r}), and resample again."
        )
    return features


def _learners(rr: Any) -> list[Any]:
    try:
        learners = rr.learners
    except ConfigError as exc:
        raise InputError(
            "A prediction plot needs the trained models: run resample(..., "
            "store_models=True)."
        ) from exc
    return list(learners)


def _grid(data: pd.DataFrame, features: list[str], points: int) -> pd.DataFrame:
    axes = []
    for f in features:
        values = data[f].to_numpy(dtype=float)
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        axes.append(np.linspace(lo, hi, points) if hi > lo else np.array([lo]))
    mesh = np.meshgrid(*axes, indexing="xy")
    return pd.DataFrame({f: m.ravel() for f, m in zip(features, mesh, strict=True)})


def _surface(learner: Any, grid: pd.DataFrame, task: Any) -> tuple[np.ndarray, str]:
    """The value drawn over the grid and its label."""
    prediction = learner.predict_newdata(grid)
    if task.task_type == "regr":
        return np.asarray(prediction.response, dtype=float), "response"
    prob = prediction.prob_matrix
    if prob is not None and len(task.class_names) == 2:
        return np.asarray(prob)[:, 0], f"probability of {task.class_names[0]}"
    return np.asarray(prediction.response_codes, dtype=float), "response"


def _rr_prediction(rr: Any, ax: Any = None, grid_points: int = 60) -> Any:
    """Per iteration: the model's prediction over the features, test rows on top
    (classes: one colour each; two-class probabilities and regression: a colour scale)."""
    import matplotlib as mpl
    from matplotlib.lines import Line2D

    task = rr.task
    features = _features(task)
    learners = _learners(rr)
    data = task.data(cols=[*features, *task.target_names])
    grid = _grid(data, features, int(grid_points))
    target = task.target_names[0]
    classes = [str(c) for c in task.class_names] if task.task_type == "classif" else []
    fig, panels = facets(len(learners), ax)
    label = "response"
    for panel, it, learner in zip(panels, rr.iterations, learners, strict=True):
        if learner is None:
            panel.set_title(f"iteration {it}: no model", fontsize="medium")
            continue
        test = task.data(rows=rr.resampling.test_set(it), cols=[*features, target])
        z, label = _surface(learner, grid, task)
        if classes and label == "response":  # one colour per class
            cmap: Any = mpl.colors.ListedColormap(
                [mpl.colormaps["tab10"](i % 10) for i in range(len(classes))])
            norm: Any = mpl.colors.BoundaryNorm(np.arange(len(classes) + 1) - 0.5, cmap.N)
            points = pd.Categorical(test[target].astype(str), categories=classes).codes
        elif classes:  # the positive class's probability
            cmap, norm = mpl.colormaps["RdBu_r"], mpl.colors.Normalize(0.0, 1.0)
            points = (test[target].astype(str) == classes[0]).to_numpy(dtype=float)
        else:
            cmap = mpl.colormaps["viridis"]
            values = np.concatenate([z, test[target].to_numpy(dtype=float)])
            norm = mpl.colors.Normalize(float(np.nanmin(values)), float(np.nanmax(values)))
            points = test[target].to_numpy(dtype=float)
        x = grid[features[0]].to_numpy(dtype=float)
        if len(features) == 2:
            y = grid[features[1]].to_numpy(dtype=float)
            panel.pcolormesh(np.unique(x), np.unique(y),
                             z.reshape(len(np.unique(y)), len(np.unique(x))), cmap=cmap,
                             norm=norm, alpha=0.45, shading="nearest")
            panel.scatter(test[features[0]], test[features[1]], c=points, cmap=cmap, norm=norm,
                          edgecolors="black", s=18)
            panel.set_ylabel(features[1])
        else:
            panel.plot(x, z, color="black")
            panel.scatter(test[features[0]], points, c=points, cmap=cmap, norm=norm,
                          edgecolors="black", s=18)
            if classes and label == "response":
                panel.set_yticks(range(len(classes)), labels=classes)
            panel.set_ylabel(target if label == "response" else label)
        panel.set_xlabel(features[0])
        panel.set_title(f"iteration {it}", fontsize="medium")
        if classes and label == "response":
            handles = [Line2D([], [], marker="o", linestyle="", color=cmap(i), label=c)
                       for i, c in enumerate(classes)]
            panel.legend(handles=handles, fontsize="x-small", title=target)
    fig.suptitle(f"{task.id} / {rr.learner.id}: {label}; test rows as points",
                 fontsize="medium")
    return panels[0] if len(panels) == 1 else fig


register_plot(_RR, "prediction", _rr_prediction,
              "the models' predictions over one or two features (store_models=True)")
