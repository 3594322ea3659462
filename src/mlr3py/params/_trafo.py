"""Transformations of single parameters: ``trafo=`` and ``logscale=True``.

A search space often describes a parameter on another scale than the learner
wants it: ``p_dbl(1e-4, 1, logscale=True)`` is sampled uniformly on
``[log(1e-4), log(1)]`` and handed to the learner as ``exp(x)``. This module
builds such domains (:func:`numeric_domain`, used by :func:`p_int` /
:func:`p_dbl` and by :func:`to_tune`) and holds the picklable exponential
trafo they carry, so search spaces travel to worker processes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.params._domain import NO_DEFAULT
from mlr3py.params._domain_types import ParamDbl, ParamInt
from mlr3py.params._format import format_number, format_value

__all__ = ["ExpTrafo", "numeric_domain"]


@dataclass(frozen=True)
class ExpTrafo:
    """``exp(x)`` clipped to ``[lower, upper]``; for ints, the floor of it.

    The trafo of a logscale parameter. A dataclass rather than a lambda, so
    that a search space can be pickled.

    Parameters
    ----------
    lower, upper : float
        The bounds on the original scale.
    integer : bool
        Whether the original parameter is an int.
    """

    lower: float
    upper: float
    integer: bool = False

    @property
    def __name__(self) -> str:  # shown by Domain.__repr__
        return "exp"

    def __call__(self, x: Any) -> Any:
        """Map a value on the log scale back to the original scale."""
        value = min(max(math.exp(float(x)), self.lower), self.upper)
        if self.integer:
            return min(max(math.floor(value), int(self.lower)), int(self.upper))
        return float(value)


def numeric_domain(
    integer: bool,
    lower: float | None,
    upper: float | None,
    *,
    logscale: bool = False,
    trafo: Callable[[Any], Any] | None = None,
    **common: Any,
) -> ParamInt | ParamDbl:
    """Build a :class:`ParamInt` / :class:`ParamDbl`, optionally on the log scale.

    With ``logscale=True`` the result is a :class:`ParamDbl` on
    ``[log(lower), log(upper)]`` (ints: ``[log(max(lower, 0.5)), log(upper + 1)]``,
    so every int is equally likely) whose trafo is :class:`ExpTrafo`.

    Parameters
    ----------
    integer : bool
        Whether the parameter is an int.
    lower, upper : float or None
        Bounds on the original scale (``None``: unbounded).
    logscale : bool
        Whether to search on the log scale.
    trafo : callable or None
        A trafo of the value (not together with ``logscale``).
    **common
        ``default``, ``special_vals``, ``tags``, ``depends``, ``init``.

    Returns
    -------
    ParamInt or ParamDbl

    Raises
    ------
    ConfigError
        If ``logscale`` comes with a trafo, a default or initial value, or
        with bounds that have no logarithm.
    """
    kind = "p_int" if integer else "p_dbl"
    if not isinstance(logscale, bool):
        raise ConfigError(f"logscale of {kind}() must be True or False. "
                          f"Got {format_value(logscale)} instead.")
    if not logscale:
        cls = ParamInt if integer else ParamDbl
        return cls(lower=lower, upper=upper, trafo=trafo, **common)
    if trafo is not None:
        raise ConfigError(f"{kind}(logscale=True) already transforms with exp(); "
                          "pass either logscale=True or trafo=, not both.")
    for name in ("default", "init"):
        if common.get(name, NO_DEFAULT) is not NO_DEFAULT:
            raise ConfigError(
                f"{kind}(logscale=True) takes no {name}: a logscale parameter describes a "
                f"search range. Drop {name}= or build the parameter without logscale."
            )
    numeric = isinstance(lower, (int, float)) and not isinstance(lower, bool)
    if lower is None or not numeric or lower < 0 or (not integer and lower == 0):
        need = ">= 0" if integer else "> 0"
        raise ConfigError(
            f"{kind}(logscale=True) needs a lower bound {need} (the log of the bound is "
            f"searched). Got lower={format_value(lower)} instead."
        )
    hi = math.inf if upper is None else upper
    if not isinstance(hi, (int, float)) or isinstance(hi, bool) or hi < lower:
        raise ConfigError(
            f"The upper bound of {kind}(logscale=True) must be a number >= its lower bound "
            f"{format_number(float(lower))}. Got upper={format_value(upper)} instead."
        )
    whole_upper = not math.isfinite(hi) or float(hi).is_integer()
    if integer and (not float(lower).is_integer() or not whole_upper):
        raise ConfigError(
            f"The bounds of p_int(logscale=True) must be whole numbers. "
            f"Got lower={format_value(lower)}, upper={format_value(upper)} instead."
        )
    log_lower = math.log(max(float(lower), 0.5)) if integer else math.log(float(lower))
    log_upper = math.log(float(hi) + 1) if integer else math.log(float(hi))
    return ParamDbl(lower=log_lower, upper=log_upper, logscale=True,
                    trafo=ExpTrafo(float(lower), float(hi), integer), **common)
