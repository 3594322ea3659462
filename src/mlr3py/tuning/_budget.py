"""What successive halving and hyperband share: the budget parameter, the schedule, promotion.

The budget is one numeric parameter of the search space tagged ``"budget"``
(``to_tune(p_int(1, 64, tags="budget"))`` on the epochs of an MLP or the trees
of a forest). Its lower bound ``r_min`` is the budget of a configuration in the
first stage, its upper bound ``r_max`` the largest budget of the last stage.
Both tuners evaluate a stage as one batch and promote the best ``1 / eta`` of
its configurations (for several measures: by non-dominated sorting, ties in the
last front broken by crowding distance) to the next stage with ``eta`` times
the budget, as mlr3hyperband does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.params import Domain, ParamSet

__all__ = ["budget_domain", "floor_log", "hyperband_schedule", "n_stages", "select_best"]

_HOW_TO_TAG = (
    "Tag exactly one numeric parameter of the search space with 'budget', e.g. "
    "to_tune(p_int(1, 64, tags='budget')) for the epochs of an MLP or the number of trees "
    "of a forest."
)


def budget_domain(search_space: ParamSet, context: str) -> Domain:
    """The one ``budget``-tagged numeric parameter of ``search_space``.

    Raises
    ------
    ConfigError
        If no parameter, several parameters or a non-numeric, unbounded or
        transformed parameter carries the tag.
    """
    ids = search_space.ids(tags="budget")
    if len(ids) != 1:
        got = "none" if not ids else ", ".join(f"'{i}'" for i in ids)
        raise ConfigError(
            f"{context} needs exactly one parameter tagged 'budget' in the search space. "
            f"Got {got} instead. {_HOW_TO_TAG}"
        )
    domain = search_space.params[ids[0]]
    if domain.cls not in ("ParamInt", "ParamDbl"):
        raise ConfigError(
            f"{context} needs a numeric budget parameter; '{ids[0]}' is a {domain.cls}. "
            + _HOW_TO_TAG
        )
    if getattr(domain, "logscale", False):
        raise ConfigError(
            f"{context} steps the budget parameter '{ids[0]}' by factors of eta itself; it "
            "cannot be on the log scale. Drop logscale=True, e.g. "
            f"to_tune(p_int(1, 64, tags='budget')) for '{ids[0]}'."
        )
    if not domain.is_bounded or domain.lower is None or float(domain.lower) <= 0:
        raise ConfigError(
            f"{context} needs a budget parameter with bounds 0 < lower <= upper < inf; "
            f"'{ids[0]}' is {domain!r}. Give it bounds, e.g. p_int(1, 64, tags='budget')."
        )
    if getattr(domain, "trafo", None) is not None or domain.depends is not None:
        raise ConfigError(
            f"{context} needs the budget parameter '{ids[0]}' on its own scale, without a "
            "trafo, logscale or dependency: its bounds are the smallest and largest budget."
        )
    return domain


def floor_log(x: float, eta: float) -> int:
    """``floor(log_eta(x))``, not one too small when ``x`` is an exact power of ``eta``."""
    return math.floor(math.log(x) / math.log(eta) + 1e-9)


def n_stages(r_min: float, r_max: float, eta: float) -> int:
    """``s_max``: one less than the number of stages of the most explorative bracket."""
    return floor_log(r_max / r_min, eta)


def hyperband_schedule(
    r_min: float, r_max: float, eta: float, integer_budget: bool = False
) -> pd.DataFrame:
    """The brackets and stages of one hyperband run (mlr3hyperband's ``hyperband_schedule``).

    Parameters
    ----------
    r_min, r_max : float
        The smallest and the largest budget of one configuration.
    eta : float
        The factor by which the budget grows and the configurations shrink, > 1.
    integer_budget : bool
        Round the budgets (banker's rounding, as R's ``round``).

    Returns
    -------
    pandas.DataFrame
        Columns ``bracket``, ``stage``, ``budget``, ``n`` (configurations).

    Examples
    --------
    >>> hyperband_schedule(1, 8, 2).query("bracket == 3")["n"].tolist()
    [8, 4, 2, 1]
    """
    r = r_max / r_min
    s_max = n_stages(r_min, r_max, eta)
    b = (s_max + 1) * r
    rows = []
    for s in range(s_max, -1, -1):
        nb = math.ceil((b / r) * (eta**s) / (s + 1))
        rb = r * eta ** (-s)
        for i in range(s + 1):
            budget: float = r_min * rb * eta**i
            rows.append({"bracket": s, "stage": i,
                         "budget": round(budget) if integer_budget else budget,
                         "n": math.floor(nb * eta ** (-i))})
    return pd.DataFrame(rows, columns=["bracket", "stage", "budget", "n"])


def select_best(
    rows: pd.DataFrame, measure_ids: Sequence[str], minimize: Sequence[bool], n: int
) -> pd.DataFrame:
    """The ``n`` best rows: by the score, or by non-dominated sorting for several measures.

    Rows with a missing score (NaN) come last. Ties keep the order of ``rows``.

    Parameters
    ----------
    rows : pandas.DataFrame
        One row per configuration with a column per measure.
    measure_ids : sequence of str
        The measure columns.
    minimize : sequence of bool
        Whether each measure is minimised.
    n : int
        How many rows to keep.

    Returns
    -------
    pandas.DataFrame
    """
    if n <= 0 or rows.empty:
        return rows.iloc[:0]
    # a cost matrix: smaller is better in every column
    costs = np.column_stack([
        (1.0 if mini else -1.0) * pd.to_numeric(rows[mid], errors="coerce").to_numpy(dtype=float)
        for mid, mini in zip(measure_ids, minimize, strict=True)
    ])
    failed = np.asarray(np.isnan(costs).any(axis=1), dtype=bool)
    if costs.shape[1] == 1:
        order = np.argsort(np.where(failed, np.inf, costs[:, 0]), kind="stable")[:n]
        return rows.iloc[order]
    chosen: list[int] = []
    left = [i for i in range(len(rows)) if not failed[i]]
    while left and len(chosen) < n:
        front = [i for i in left if not any(_dominates(costs[j], costs[i]) for j in left)]
        if len(chosen) + len(front) <= n:
            chosen.extend(front)
        else:
            crowding = _crowding_distance(costs[front])
            by_crowding = np.argsort(-crowding, kind="stable")
            chosen.extend(front[k] for k in by_crowding[: n - len(chosen)])
        on_front = set(front)
        left = [i for i in left if i not in on_front]
    # configurations without a score come last
    chosen.extend(i for i in range(len(rows)) if failed[i] and len(chosen) < n)
    return rows.iloc[chosen[:n]]


def _dominates(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.all(a <= b) and np.any(a < b))


def _crowding_distance(costs: np.ndarray) -> np.ndarray[Any, np.dtype[np.float64]]:
    m = len(costs)
    dist = np.zeros(m)
    for col in costs.T:
        order = np.argsort(col, kind="stable")
        dist[order[0]] = dist[order[-1]] = np.inf
        span = col[order[-1]] - col[order[0]]
        if m > 2 and span > 0:
            dist[order[1:-1]] += (col[order[2:]] - col[order[:-2]]) / span
    return dist
