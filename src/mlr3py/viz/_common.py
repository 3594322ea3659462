"""Shared pieces of the plots: axes and facets, measures, curve thinning."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlr3py.errors import InputError
from mlr3py.measures import Measure, MeasuresArg, resolve_measures

__all__ = ["Curve", "axes", "facets", "one_measure", "thin_curve"]

#: default largest number of points a drawn curve keeps
MAX_CURVE_POINTS = 2000


def axes(ax: Any = None, figsize: tuple[float, float] = (5.0, 4.0)) -> Any:
    """``ax``, or the Axes of a new figure."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize)
    return new


def facets(n: int, ax: Any = None, ncols: int | None = None,
           size: tuple[float, float] = (4.0, 3.5)) -> tuple[Any, list[Any]]:
    """A figure with ``n`` panels; with ``n == 1`` and ``ax`` given, draws on ``ax``.

    Returns
    -------
    (Figure, list of Axes)
    """
    if n == 1 and ax is not None:
        return ax.figure, [ax]
    import matplotlib.pyplot as plt

    ncols = ncols or min(n, 3)
    nrows = math.ceil(n / ncols)
    fig, grid = plt.subplots(nrows, ncols, figsize=(size[0] * ncols, size[1] * nrows),
                             squeeze=False, layout="constrained")
    panels = list(grid.ravel())
    for extra in panels[n:]:
        extra.set_visible(False)
    return fig, panels[:n]


def one_measure(measure: MeasuresArg, task_type: str, where: str) -> Measure:
    """Exactly one measure for ``task_type`` (None: its default)."""
    measures = resolve_measures(measure, task_type, where)
    if len(measures) != 1:
        raise InputError(
            f"This plot shows one measure. Got {len(measures)} "
            f"({[m.id for m in measures]}); pass one."
        )
    return measures[0]


@dataclass(frozen=True)
class Curve:
    """The points of a drawn curve and how far the drawing may be from the full curve.

    Attributes
    ----------
    x, y : numpy.ndarray
        The points kept.
    n_full : int
        Points of the full curve.
    error : float
        Every point of the full curve lies within this L1 distance of a point of
        the kept curve (0 when nothing was dropped).
    """

    x: np.ndarray
    y: np.ndarray
    n_full: int
    error: float


def thin_curve(x: np.ndarray, y: np.ndarray, max_points: int = MAX_CURVE_POINTS) -> Curve:
    """Keep at most about ``max_points`` points of a curve, with a bound on the error.

    The curve is cut into pieces of equal L1 path length ``h``; where a point starts
    a new piece, it and the point before it are kept, as are both ends. Every dropped
    point lies on the path between two kept points whose path length apart is at most
    ``h``, so it is within L1 distance ``h`` of a kept point. ``h`` is the path length
    over ``max_points / 2``.

    Parameters
    ----------
    x, y : numpy.ndarray
        The curve, in drawing order.
    max_points : int
        About the largest number of points kept (at least 4).

    Returns
    -------
    Curve
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = x.shape[0]
    if n <= max_points:
        return Curve(x, y, n, 0.0)
    step = np.abs(np.diff(x)) + np.abs(np.diff(y))
    step[~np.isfinite(step)] = 0.0
    length = np.concatenate([[0.0], np.cumsum(step)])
    total = float(length[-1])
    if total == 0.0:
        return Curve(x[[0, -1]], y[[0, -1]], n, 0.0)
    h = total / max(2, max_points // 2 - 1)
    bucket = np.floor(length / h).astype(np.int64)
    starts = np.flatnonzero(np.diff(bucket)) + 1
    keep = np.zeros(n, dtype=bool)
    keep[[0, n - 1]] = True
    keep[starts] = True
    keep[starts - 1] = True
    return Curve(x[keep], y[keep], n, h)
