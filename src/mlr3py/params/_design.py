"""Designs: points of a parameter set, one row per point (paradox's ``Design``).

Designs come from :func:`generate_design_grid`, :func:`generate_design_random`,
:func:`generate_design_lhs`, :func:`generate_design_sobol` and the samplers.
A parameter whose dependency does not hold in a row is inactive there: NaN
(numbers) or None (levels) in :attr:`Design.data`, absent from
:meth:`Design.transpose`. Inactivity is decided from the dependencies, so a
level None (``p_fct([None, "sqrt"])``) in a row where the parameter is active
stays the value None.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.params._dependencies import dependency_met
from mlr3py.params._domain import Domain
from mlr3py.params._format import format_number, format_value
from mlr3py.params._param_set import ParamSet
from mlr3py.params._trafo import ExpTrafo

__all__ = [
    "Design",
    "as_generator",
    "assert_samplable",
    "column",
    "dependency_order",
    "is_missing",
    "mask_inactive",
]


class Design:
    """Points of a parameter set.

    Parameters
    ----------
    param_set : ParamSet
        The set the points belong to.
    data : pandas.DataFrame
        One column per parameter id, one row per point (untransformed values).
    remove_dupl : bool
        Drop duplicate rows (grid designs).

    Examples
    --------
    >>> from mlr3py.params import ps, p_int, generate_design_grid
    >>> design = generate_design_grid(ps(x=p_int(1, 3)), resolution=3)
    >>> design.transpose()
    [{'x': 1}, {'x': 2}, {'x': 3}]
    """

    def __init__(self, param_set: ParamSet, data: pd.DataFrame, remove_dupl: bool = False) -> None:
        if not isinstance(param_set, ParamSet):
            raise ConfigError(f"A Design needs a ParamSet. Got {format_value(param_set)} instead.")
        if not isinstance(data, pd.DataFrame):
            raise ConfigError(f"The data of a Design must be a pandas DataFrame. "
                              f"Got {format_value(data)} instead.")
        unknown = [c for c in data.columns if c not in param_set.params]
        if unknown:
            raise ConfigError(f"The design has the column '{unknown[0]}', which is not a "
                              f"parameter of {param_set.context}; its parameters are "
                              f"{param_set.ids()}.")
        if remove_dupl:
            data = data.loc[~data.astype(str).duplicated()].reset_index(drop=True)
        self.param_set = param_set
        self.data = data

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"<Design> with {len(self.data)} rows:\n{self.data.to_string(index=False)}"

    def transpose(self, trafo: bool = True, filter_na: bool = True) -> list[dict[str, Any]]:
        """The points as a list of dicts, one per row.

        A parameter is inactive in a row when its dependency does not hold there (its
        parent inactive or not matching), or when its cell is empty (NaN / None) and
        None is not one of its values. An empty cell of a parameter that takes None
        (a level or special value, e.g. ``p_fct([None, "sqrt"])``) whose dependency
        holds is the value None, not an inactive entry.

        Parameters
        ----------
        trafo : bool
            Apply the set's transformations (:meth:`ParamSet.transform`), if it
            has any. They see only the active entries of a point.
        filter_na : bool
            Leave out inactive entries; else they are ``None``. With ``trafo``,
            the ``None`` entries are added after the transformations ran (for
            the inactive parameters whose ids the set's trafo did not return).

        Returns
        -------
        list of dict
            Plain Python values (ints, floats, bools, levels).
        """
        params = self.param_set.params
        columns = list(self.data.columns)
        order = [key for key in dependency_order(self.param_set) if key in columns]
        transform = trafo and self.param_set.has_trafo
        points = []
        for row in self.data.itertuples(index=False, name=None):
            cells = dict(zip(columns, row, strict=True))
            active: dict[str, Any] = {}
            for key in order:
                domain, value = params[key], cells[key]
                if is_missing(value):
                    if not takes_none(domain) or (domain.depends is not None and
                                                  not dependency_met(params, domain, active)):
                        continue  # inactive; a value set where it is inactive fails check()
                    value = None
                active[key] = None if value is None else _plain(domain, value)
            point = {key: active[key] for key in columns if key in active}
            if transform:
                point = self.param_set.transform(point)
            if not filter_na:  # None for the inactive ids, in column order, others after
                merged = point | {k: None for k in columns if k not in active and k not in point}
                point = {k: merged[k] for k in columns if k in merged} | merged
            points.append(point)
        return points


def takes_none(domain: Domain) -> bool:
    """Whether None is a value of ``domain`` (a level or a special value)."""
    return any(v is None for v in (*(domain.levels or ()), *domain.special_vals))


def is_missing(value: Any) -> bool:
    """Whether a cell of a design is an inactive entry (None, NaN, pd.NA)."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _plain(domain: Domain, value: Any) -> Any:
    if domain.cls == "ParamInt":
        return int(value)
    if domain.cls == "ParamDbl":
        return float(value)
    if domain.cls == "ParamLgl":
        return bool(value)
    return value.item() if isinstance(value, np.generic) else value


def as_generator(seed: Any) -> np.random.Generator:
    """A numpy Generator from an int seed, a Generator or None (fresh entropy)."""
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise ConfigError(f"seed must be a non-negative int, a numpy Generator or None. "
                      f"Got {format_value(seed)} instead.")


def assert_samplable(param_set: ParamSet, what: str = "sampled") -> None:
    """Raise unless every parameter is bounded numeric, categorical or logical.

    Raises
    ------
    ConfigError
        Naming the first parameter that cannot be sampled and saying to give bounds.
    """
    for key, domain in param_set.params.items():
        if domain.cls == "ParamUty":
            raise ConfigError(
                f"The '{key}' parameter of {param_set.context} is untyped (p_uty), so it cannot "
                f"be {what}. Give it bounds or levels instead: p_dbl(lower, upper), "
                "p_int(lower, upper) or p_fct([...])."
            )
        if not domain.is_bounded:
            trafo = domain.trafo
            if domain.logscale and isinstance(trafo, ExpTrafo):  # say what the user wrote
                kind = "p_int" if trafo.integer else "p_dbl"
                raise ConfigError(
                    f"The '{key}' parameter of {param_set.context} is unbounded "
                    f"({kind}({format_number(trafo.lower)}, {_bound(trafo.upper)}, "
                    f"logscale=True)), so it cannot be {what}. Give it both bounds, e.g. "
                    f"{kind}(lower, upper, logscale=True)."
                )
            raise ConfigError(
                f"The '{key}' parameter of {param_set.context} is unbounded "
                f"({domain.describe()}), so it cannot be {what}. Give it bounds, e.g. "
                f"p_{domain.cls[5:].lower()}(lower, upper)."
            )


def _bound(value: float) -> str:
    return "None" if math.isinf(value) else format_number(value)


def dependency_order(param_set: ParamSet) -> list[str]:
    """Parameter ids ordered so that every parent comes before its children."""
    params = param_set.params
    order: list[str] = []
    placed: set[str] = set()

    def place(key: str, trail: tuple[str, ...]) -> None:
        if key in placed:
            return
        if key in trail:
            raise ConfigError(f"The dependencies of {param_set.context} form a cycle: "
                              f"{' -> '.join((*trail, key))}.")
        cond = params[key].depends
        if cond is not None:
            place(cond.on, (*trail, key))
        placed.add(key)
        order.append(key)

    for key in params:
        place(key, ())
    return order


def active_rows(param_set: ParamSet, key: str, values: Mapping[str, np.ndarray],
                active: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """Rows in which the dependency of ``key`` holds (its parent active and matching)."""
    cond = param_set.params[key].depends
    if cond is None:
        return np.ones(n, dtype=bool)
    parent_active = active[cond.on]
    parent = values[cond.on]
    return np.array([bool(parent_active[i]) and cond.test(_plain(param_set.params[cond.on],
                                                                  parent[i]))
                     for i in range(n)], dtype=bool)


def column(domain: Domain, values: Any, active: np.ndarray | None = None) -> pd.Series:
    """A design column: values typed by the domain, NaN / None where inactive."""
    arr = np.asarray(values) if not isinstance(values, np.ndarray) else values
    if active is None or bool(np.all(active)):
        if domain.cls == "ParamInt":
            return pd.Series(arr.astype(np.int64))
        if domain.cls == "ParamDbl":
            return pd.Series(arr.astype(float))
        if domain.cls == "ParamLgl":
            return pd.Series(arr.astype(bool))
        return pd.Series(list(arr), dtype=object)
    if domain.is_number:
        out = np.array([float(v) if a else np.nan for v, a in zip(arr, active, strict=True)])
        return pd.Series(out, dtype=float)
    cells = [(_plain(domain, v) if a else None) for v, a in zip(arr, active, strict=True)]
    return pd.Series(cells, dtype=object)


def mask_inactive(param_set: ParamSet, values: Mapping[str, np.ndarray], n: int) -> pd.DataFrame:
    """Build the design data from full columns, setting inactive entries to NaN / None."""
    active: dict[str, np.ndarray] = {}
    for key in dependency_order(param_set):
        active[key] = active_rows(param_set, key, values, active, n)
    data = {key: column(param_set.params[key], values[key], active[key])
            for key in param_set.params}
    return pd.DataFrame(data, columns=list(param_set.params), index=range(n))
