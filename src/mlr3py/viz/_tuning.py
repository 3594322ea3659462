"""Plots of tuning instances and archives (mlr3viz's ``autoplot.TuningInstance``).

``performance``: the score of each evaluation, with the running best;
``incumbent``: the best score so far; ``marginal``: the score against each
parameter; ``parallel``: parallel coordinates of the configurations, coloured by
score; ``points``: two parameters, points coloured by score; ``pairs``: a scatter
matrix of the parameters, coloured by score; ``surface``: the score over two
parameters; ``budget``: the score against the budget of a hyperband or successive
halving run, coloured by bracket (or stage).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import InputError
from mlr3py.viz._common import axes, facets
from mlr3py.viz._registry import register_plot

__all__: list[str] = []

_INSTANCE = "mlr3py.tuning._instance.TuningInstance"
_ARCHIVE = "mlr3py.tuning._archive.ArchiveTuning"


def _archive(obj: Any) -> Any:
    archive = getattr(obj, "archive", obj)
    if archive.n_evals == 0:
        raise InputError("The tuning archive holds no evaluations; there is nothing to plot.")
    return archive


def _measure(archive: Any, measure: Any) -> tuple[str, bool]:
    """The measure column and whether lower is better."""
    ids = archive.cols_y
    if measure is None:
        m = archive.measures[0]
        return m.id, bool(m.minimize)
    key = getattr(measure, "id", measure)
    if key not in ids:
        raise InputError(
            f"Measure {key!r} is not in the tuning archive; it scored {ids}. Pass one of those."
        )
    m = archive.measures[ids.index(key)]
    return m.id, bool(m.minimize)


def _numeric(values: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    """Values as floats; categorical (and logical) values as codes with their labels."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        labels = [str(v) for v in pd.unique(values.astype(str))]
        codes = pd.Categorical(values.astype(str), categories=labels).codes
        return codes.astype(float), labels
    return values.to_numpy(dtype=float), None


def _params(archive: Any, params: Any) -> list[str]:
    cols = archive.cols_x
    if params is None:
        return cols
    chosen = [params] if isinstance(params, str) else list(params)
    unknown = [p for p in chosen if p not in cols]
    if unknown:
        raise InputError(f"Parameters {unknown} are not in the search space; it has {cols}.")
    return chosen


def _performance(obj: Any, ax: Any = None, measure: Any = None) -> Any:
    """The score of each evaluation in order, coloured by batch, and the running best."""
    archive = _archive(obj)
    key, minimize = _measure(archive, measure)
    data = archive.data
    y = data[key].to_numpy(dtype=float)
    x = np.arange(1, y.size + 1)
    best = np.fmin.accumulate(y) if minimize else np.fmax.accumulate(y)
    ax = axes(ax)
    points = ax.scatter(x, y, c=data["batch_nr"].to_numpy(), cmap="viridis", s=18,
                        label="evaluation")
    ax.step(x, best, where="post", color="C3", label="best so far")
    ax.set_xlabel("Evaluation")
    ax.set_ylabel(key)
    ax.figure.colorbar(points, ax=ax, label="batch_nr")
    ax.legend(fontsize="small")
    return ax


def _marginal(obj: Any, ax: Any = None, measure: Any = None, params: Any = None) -> Any:
    """The score against each parameter (one panel each), coloured by batch."""
    archive = _archive(obj)
    key, _ = _measure(archive, measure)
    data = archive.data
    names = _params(archive, params)
    fig, panels = facets(len(names), ax)
    y = data[key].to_numpy(dtype=float)
    for panel, name in zip(panels, names, strict=True):
        x, labels = _numeric(data[name])
        panel.scatter(x, y, c=data["batch_nr"].to_numpy(), cmap="viridis", s=18)
        if labels is not None:
            panel.set_xticks(range(len(labels)), labels=labels)
        panel.set_xlabel(name)
        panel.set_ylabel(key)
    return panels[0] if len(panels) == 1 else fig


def _parallel(obj: Any, ax: Any = None, measure: Any = None, params: Any = None,
              cmap: str = "viridis") -> Any:
    """Parallel coordinates: each configuration a line across its parameters, each axis
    scaled to [0, 1] over the archive (categories evenly spaced), coloured by score."""
    import matplotlib as mpl

    archive = _archive(obj)
    key, _ = _measure(archive, measure)
    data = archive.data
    names = _params(archive, params)
    scaled = []
    for name in names:
        x, _labels = _numeric(data[name])
        lo, hi = np.nanmin(x), np.nanmax(x)
        scaled.append((x - lo) / (hi - lo) if hi > lo else np.full_like(x, 0.5))
    matrix = np.column_stack(scaled)
    y = data[key].to_numpy(dtype=float)
    norm = mpl.colors.Normalize(np.nanmin(y), np.nanmax(y))
    colours = mpl.colormaps[cmap](norm(y))
    ax = axes(ax, figsize=(1.2 * len(names) + 3, 4))
    positions = np.arange(len(names))
    for row, colour in zip(matrix, colours, strict=True):
        ax.plot(positions, row, color=colour, alpha=0.7)
    ax.set_xticks(positions, labels=names)
    ax.set_ylabel("Value (scaled to [0, 1])")
    mappable = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    ax.figure.colorbar(mappable, ax=ax, label=key)
    return ax


def _two_params(archive: Any, x: str | None, y: str | None) -> tuple[str, str]:
    if x is None or y is None:
        names = archive.cols_x
        if len(names) < 2:
            raise InputError(
                f"This plot needs two parameters; the search space has {names}. Use "
                "type='marginal'."
            )
        x, y = x or names[0], y or next(n for n in names if n != x)
    _params(archive, [x, y])
    return x, y


def _scatter_xy(obj: Any, ax: Any, measure: Any, x: str | None, y: str | None, cmap: str,
                contour: bool) -> Any:
    archive = _archive(obj)
    key, _ = _measure(archive, measure)
    data = archive.data
    x, y = _two_params(archive, x, y)
    xs, xlabels = _numeric(data[x])
    ys, ylabels = _numeric(data[y])
    z = data[key].to_numpy(dtype=float)
    ax = axes(ax, figsize=(5, 4))
    ok = ~(np.isnan(xs) | np.isnan(ys) | np.isnan(z))
    if contour and np.unique(np.column_stack([xs[ok], ys[ok]]), axis=0).shape[0] >= 3:
        try:
            ax.tricontourf(xs[ok], ys[ok], z[ok], levels=12, cmap=cmap, alpha=0.6)
        except (ValueError, RuntimeError):  # the points lie on a line
            pass
    points = ax.scatter(xs, ys, c=z, cmap=cmap, edgecolors="black", s=25)
    for labels, setter in ((xlabels, ax.set_xticks), (ylabels, ax.set_yticks)):
        if labels is not None:
            setter(range(len(labels)), labels=labels)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.figure.colorbar(points, ax=ax, label=key)
    return ax


def _surface(obj: Any, ax: Any = None, measure: Any = None, x: str | None = None,
             y: str | None = None, cmap: str = "viridis") -> Any:
    """The score over two parameters: evaluated points and, from three points not on a
    line, a filled contour of their triangulation."""
    return _scatter_xy(obj, ax, measure, x, y, cmap, contour=True)


def _points(obj: Any, ax: Any = None, measure: Any = None, x: str | None = None,
            y: str | None = None, cmap: str = "viridis") -> Any:
    """The evaluated configurations over two parameters, coloured by score."""
    return _scatter_xy(obj, ax, measure, x, y, cmap, contour=False)


def _incumbent(obj: Any, ax: Any = None, measure: Any = None) -> Any:
    """The best score so far (the incumbent) after each evaluation."""
    archive = _archive(obj)
    key, minimize = _measure(archive, measure)
    y = archive.data[key].to_numpy(dtype=float)
    best = np.fmin.accumulate(y) if minimize else np.fmax.accumulate(y)
    ax = axes(ax)
    ax.step(np.arange(1, y.size + 1), best, where="post", marker="o", markersize=3)
    ax.set_xlabel("Evaluation")
    ax.set_ylabel(f"{key} (best so far)")
    return ax


def _pairs(obj: Any, ax: Any = None, measure: Any = None, params: Any = None,
           cmap: str = "viridis") -> Any:
    """A scatter matrix of the parameters, points coloured by score; histograms of the
    evaluated values on the diagonal."""
    import matplotlib.pyplot as plt

    archive = _archive(obj)
    key, _ = _measure(archive, measure)
    data = archive.data
    names = _params(archive, params)
    k = len(names)
    values = [_numeric(data[name]) for name in names]
    z = data[key].to_numpy(dtype=float)
    fig, grid = plt.subplots(k, k, figsize=(2.4 * k + 1.5, 2.4 * k), squeeze=False,
                             layout="constrained")
    points = None
    for i in range(k):
        for j in range(k):
            panel = grid[i][j]
            (xj, xlabels), (yi, ylabels) = values[j], values[i]
            if i == j:
                panel.hist(xj[~np.isnan(xj)], bins=10)
            else:
                points = panel.scatter(xj, yi, c=z, cmap=cmap, s=14)
                if ylabels is not None:
                    panel.set_yticks(range(len(ylabels)), labels=ylabels)
            if xlabels is not None:
                panel.set_xticks(range(len(xlabels)), labels=xlabels)
            if i == k - 1:
                panel.set_xlabel(names[j])
            if j == 0:
                panel.set_ylabel(names[i])
    if points is not None:
        fig.colorbar(points, ax=grid.ravel().tolist(), label=key)
    return fig


def _budget(obj: Any, ax: Any = None, measure: Any = None) -> Any:
    """The score against the budget, one colour per bracket (or stage)."""
    archive = _archive(obj)
    key, _ = _measure(archive, measure)
    data = archive.data
    budget = archive.search_space.ids(tags="budget")
    group = next((c for c in ("bracket", "stage") if c in data.columns), None)
    if not budget or group is None:
        raise InputError(
            "A budget plot needs the archive of a budget tuner (tnr('hyperband') or "
            "tnr('successive_halving')): a parameter tagged 'budget' and the columns "
            f"'bracket' / 'stage'. This archive has columns {archive.cols_x + archive.cols_y}."
        )
    ax = axes(ax)
    for value, part in data.groupby(group, sort=True):
        ax.scatter(part[budget[0]].to_numpy(dtype=float), part[key].to_numpy(dtype=float),
                   s=20, alpha=0.8, label=f"{group} {value}")
    budgets = data[budget[0]].to_numpy(dtype=float)
    if budgets.min() > 0 and budgets.max() / budgets.min() >= 8:
        ax.set_xscale("log", base=2)
    ax.set_xlabel(f"Budget ({budget[0]})")
    ax.set_ylabel(key)
    ax.legend(fontsize="small")
    return ax


for _target in (_INSTANCE, _ARCHIVE):
    register_plot(_target, "performance", _performance,
                  "score of each evaluation and the best so far", default=True)
    register_plot(_target, "incumbent", _incumbent, "best score so far per evaluation")
    register_plot(_target, "marginal", _marginal, "score against each parameter")
    register_plot(_target, "parallel", _parallel, "parallel coordinates coloured by score")
    register_plot(_target, "points", _points, "two parameters, points coloured by score")
    register_plot(_target, "pairs", _pairs, "scatter matrix of the parameters")
    register_plot(_target, "surface", _surface, "score over two parameters")
    register_plot(_target, "budget", _budget, "score against budget (hyperband)")
