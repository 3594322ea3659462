"""Design generators: grid, random, Latin hypercube and Sobol (paradox's ``generate_design_*``).

Random, LHS and Sobol designs draw points in the unit cube (numpy, and
:mod:`scipy.stats.qmc` for LHS and Sobol) and map each coordinate onto its
parameter with :meth:`~mlr3py.params.Domain.qunif`. A grid takes
``resolution`` evenly spaced values of each numeric parameter and every level
of categorical and logical ones. Inactive entries (dependencies not met) are
NaN / None.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.params._design import Design, as_generator, assert_samplable, mask_inactive
from mlr3py.params._format import format_value
from mlr3py.params._param_set import ParamSet

__all__ = [
    "generate_design_grid",
    "generate_design_lhs",
    "generate_design_random",
    "generate_design_sobol",
]


def _check_set(param_set: Any, fn: str) -> ParamSet:
    if not isinstance(param_set, ParamSet):
        raise ConfigError(f"{fn}() needs a ParamSet, e.g. ps(x=p_dbl(0, 1)). "
                          f"Got {format_value(param_set)} instead.")
    return param_set


def _check_n(n: Any, fn: str) -> int:
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ConfigError(f"n of {fn}() must be an int >= 0 (the number of points). "
                          f"Got {format_value(n)} instead.")
    return int(n)


def _from_unit(param_set: ParamSet, unit: np.ndarray) -> Design:
    """Map a (n, d) array of unit-cube points onto the parameters, column by column."""
    n = unit.shape[0]
    values = {key: np.asarray(domain.qunif(unit[:, j]))
              for j, (key, domain) in enumerate(param_set.params.items())}
    return Design(param_set, mask_inactive(param_set, values, n))


def generate_design_random(param_set: ParamSet, n: int, seed: Any = None) -> Design:
    """``n`` points drawn uniformly and independently.

    Parameters
    ----------
    param_set : ParamSet
        Bounded numeric, categorical and logical parameters only.
    n : int
        Number of points; 0 gives an empty design with a column per parameter.
    seed : int, numpy.random.Generator or None
        The same seed gives the same design.

    Returns
    -------
    Design

    Raises
    ------
    ConfigError
        If a parameter is unbounded or untyped, or ``n`` is not an int >= 0.
    """
    param_set = _check_set(param_set, "generate_design_random")
    n = _check_n(n, "generate_design_random")
    assert_samplable(param_set)
    rng = as_generator(seed)
    return _from_unit(param_set, rng.random((n, len(param_set))))


def generate_design_lhs(param_set: ParamSet, n: int, seed: Any = None) -> Design:
    """A Latin hypercube design of ``n`` points (:class:`scipy.stats.qmc.LatinHypercube`).

    Each parameter's range is split into ``n`` equal strata, each hit once.
    Arguments, result and errors as in :func:`generate_design_random`.
    """
    from scipy.stats import qmc

    param_set = _check_set(param_set, "generate_design_lhs")
    n = _check_n(n, "generate_design_lhs")
    assert_samplable(param_set)
    if len(param_set) == 0 or n == 0:
        return _from_unit(param_set, np.empty((n, len(param_set))))
    sampler = qmc.LatinHypercube(d=len(param_set), rng=as_generator(seed))
    return _from_unit(param_set, sampler.random(n))


def generate_design_sobol(param_set: ParamSet, n: int, seed: Any = None) -> Design:
    """``n`` points of a scrambled Sobol sequence (:class:`scipy.stats.qmc.Sobol`).

    The sequence covers the cube most evenly when ``n`` is a power of 2.
    Arguments, result and errors as in :func:`generate_design_random`.
    """
    from scipy.stats import qmc

    param_set = _check_set(param_set, "generate_design_sobol")
    n = _check_n(n, "generate_design_sobol")
    assert_samplable(param_set)
    if len(param_set) == 0 or n == 0:
        return _from_unit(param_set, np.empty((n, len(param_set))))
    sampler = qmc.Sobol(d=len(param_set), scramble=True, rng=as_generator(seed))
    with warnings.catch_warnings():  # "balance properties" for n not a power of 2
        warnings.simplefilter("ignore", UserWarning)
        unit = sampler.random(n)
    return _from_unit(param_set, unit)


def generate_design_grid(
    param_set: ParamSet,
    resolution: int | None = None,
    param_resolutions: Mapping[str, int] | None = None,
) -> Design:
    """A full grid: every combination of evenly spaced values.

    Numeric parameters get ``resolution`` values (``param_resolutions`` per
    parameter overrides it) from lower to upper bound, ints without
    duplicates; categorical and logical parameters get all their levels.
    Rows that differ only in inactive parameters appear once.

    Parameters
    ----------
    param_set : ParamSet
        Bounded numeric, categorical and logical parameters only.
    resolution : int, optional
        Values per numeric parameter.
    param_resolutions : mapping of str to int, optional
        Per-parameter resolutions.

    Returns
    -------
    Design

    Raises
    ------
    ConfigError
        If a resolution is < 1 or missing for a numeric parameter, or a
        parameter cannot be sampled.
    """
    param_set = _check_set(param_set, "generate_design_grid")
    assert_samplable(param_set, "put on a grid")
    per_param = dict(param_resolutions or {})
    for key in per_param:
        if key not in param_set.params:
            raise ConfigError(f"param_resolutions names '{key}', which is not a parameter of "
                              f"{param_set.context}; its parameters are {param_set.ids()}.")
        if param_set.params[key].is_categ:
            raise ConfigError(f"param_resolutions names '{key}', a {param_set.params[key].cls} "
                              f"parameter of {param_set.context}; a grid takes all its levels, "
                              "so only numeric parameters have a resolution. Leave it out.")
    for key, value in [("resolution", resolution), *per_param.items()]:
        if value is None and key == "resolution":
            continue
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            name = "resolution" if key == "resolution" else f"the resolution of '{key}'"
            raise ConfigError(f"{name[0].upper()}{name[1:]} of generate_design_grid() must be "
                              f"an int >= 1. Got {format_value(value)} instead.")
    axes: list[list[Any]] = []
    for key, domain in param_set.params.items():
        if domain.is_categ:
            assert domain.levels is not None
            axes.append(list(domain.levels))
            continue
        res = per_param.get(key, resolution)
        if res is None:
            raise ConfigError(
                f"The '{key}' parameter of {param_set.context} is numeric and has no grid "
                "resolution. Pass resolution= or param_resolutions={'" + key + "': ...}."
            )
        grid = np.asarray(domain.qunif(np.linspace(0.0, 1.0, int(res))))
        _, first = np.unique(grid, return_index=True)
        axes.append(list(grid[np.sort(first)]))
    rows = list(itertools.product(*axes))
    n = len(rows)
    values = {key: _axis_column([row[j] for row in rows], param_set.params[key].is_categ)
              for j, key in enumerate(param_set.params)}
    return Design(param_set, mask_inactive(param_set, values, n), remove_dupl=True)


def _axis_column(cells: list[Any], categ: bool) -> np.ndarray:
    if categ:
        out = np.empty(len(cells), dtype=object)
        out[:] = cells
        return out
    return np.asarray(cells)
