"""The concrete domains: ParamInt, ParamDbl, ParamFct, ParamLgl and ParamUty.

They differ only in which values they accept (``_check_type``), how they
describe them (``_describe_type``), their bounds or levels and how
:meth:`~mlr3py.params.Domain.qunif` maps [0, 1] onto them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.params._domain import Domain
from mlr3py.params._format import (
    contains_value,
    format_choices,
    format_number,
    format_value,
    same_value,
)

__all__ = ["ParamDbl", "ParamFct", "ParamInt", "ParamLgl", "ParamUty"]


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _bounds_text(kind: str, lower: float, upper: float) -> str:
    if math.isinf(lower) and math.isinf(upper):
        return kind
    if math.isinf(upper):
        return f"{kind} >= {format_number(lower)}"
    if math.isinf(lower):
        return f"{kind} <= {format_number(upper)}"
    return f"{kind} in [{format_number(lower)}, {format_number(upper)}]"


def _as_bound(x: Any, name: str, label: str, infinite: float, integer: bool) -> float:
    if x is None:
        return infinite
    if not _is_number(x) or math.isnan(float(x)):
        raise ConfigError(
            f"The {name} bound of {label} must be a number or None. Got {format_value(x)} instead."
        )
    if math.isinf(float(x)):
        return float(x)
    if integer:
        if not float(x).is_integer():
            raise ConfigError(
                f"The {name} bound of {label} must be a whole number. "
                f"Got {format_value(x)} instead."
            )
        return int(x)
    return float(x)


@dataclass(frozen=True, repr=False)
class _NumericDomain(Domain):
    is_number = True
    _integer = False

    def _normalize(self) -> None:
        label = self._label()
        lower = _as_bound(self.lower, "lower", label, -math.inf, self._integer)
        upper = _as_bound(self.upper, "upper", label, math.inf, self._integer)
        if lower > upper:
            raise ConfigError(
                f"The lower bound of {label} must not exceed its upper bound. "
                f"Got lower={format_number(lower)}, upper={format_number(upper)} instead."
            )
        object.__setattr__(self, "lower", lower)
        object.__setattr__(self, "upper", upper)
        if self.levels is not None:
            raise ConfigError(f"{label} is numeric and takes no levels.")

    @property
    def _bounds(self) -> tuple[float, float]:
        """``(lower, upper)``, both numbers once :meth:`_normalize` has run."""
        assert self.lower is not None and self.upper is not None
        return self.lower, self.upper

    def _in_bounds(self, value: Any) -> bool:
        lower, upper = self._bounds
        return lower <= value <= upper

    @property
    def is_bounded(self) -> bool:
        lower, upper = self._bounds
        return math.isfinite(lower) and math.isfinite(upper)


@dataclass(frozen=True, repr=False)
class ParamInt(_NumericDomain):
    """Integers in ``[lower, upper]``; bools are not ints here."""

    _integer = True

    def _check_type(self, value: Any) -> bool:
        return _is_int(value) and self._in_bounds(value)

    def _describe_type(self) -> str:
        return _bounds_text("an int", *self._bounds)

    @property
    def nlevels(self) -> float:
        if not self.is_bounded:
            return math.inf
        lower, upper = self._bounds
        return int(upper) - int(lower) + 1

    def _qunif(self, u: np.ndarray) -> np.ndarray:
        if not self.is_bounded:
            return super()._qunif(u)
        lower, upper = self._bounds
        values = lower + np.floor(u * (upper - lower + 1))
        return np.minimum(values, upper).astype(np.int64)


@dataclass(frozen=True, repr=False)
class ParamDbl(_NumericDomain):
    """Real numbers in ``[lower, upper]`` (ints accepted, NaN and bools not)."""

    def _check_type(self, value: Any) -> bool:
        return _is_number(value) and not math.isnan(value) and self._in_bounds(value)

    def _describe_type(self) -> str:
        return _bounds_text("a number", *self._bounds)

    def _qunif(self, u: np.ndarray) -> np.ndarray:
        if not self.is_bounded:
            return super()._qunif(u)
        lower, upper = self._bounds
        # exactly the bounds at u = 0 and u = 1 (lower + u * (upper - lower) can overshoot
        # upper by one ulp), and never outside them in between
        values = lower * (1.0 - u) + upper * u
        return np.clip(values, lower, upper)


@dataclass(frozen=True, repr=False)
class _CategDomain(Domain):
    is_categ = True

    @property
    def _levels(self) -> tuple[Any, ...]:
        """The levels, a tuple once :meth:`_normalize` has run."""
        assert self.levels is not None
        return self.levels

    @property
    def is_bounded(self) -> bool:
        return True

    @property
    def nlevels(self) -> float:
        return len(self._levels)

    def _check_type(self, value: Any) -> bool:
        return contains_value(self._levels, value)

    def _qunif(self, u: np.ndarray) -> np.ndarray:
        n = len(self._levels)
        index = np.minimum(np.floor(u * n).astype(np.int64), n - 1)
        levels = np.empty(n, dtype=object)
        levels[:] = list(self._levels)
        return levels[index]


@dataclass(frozen=True, repr=False)
class ParamFct(_CategDomain):
    """One value out of a finite set of ``levels`` (usually strings)."""

    def _normalize(self) -> None:
        label = self._label()
        levels = self.levels
        if levels is None or isinstance(levels, (str, bytes)) or not hasattr(levels, "__iter__"):
            raise ConfigError(
                f"The levels of {label} must be a list of values. Got {format_value(levels)} "
                "instead."
            )
        levels = tuple(levels)
        if not levels:
            raise ConfigError(f"The levels of {label} must not be empty.")
        for i, level in enumerate(levels):
            if any(same_value(level, other) for other in levels[:i]):
                raise ConfigError(
                    f"The levels of {label} must be unique. Got {format_value(level)} twice."
                )
        if self.lower is not None or self.upper is not None:
            raise ConfigError(f"{label} is a factor and takes no bounds.")
        object.__setattr__(self, "levels", levels)

    def _describe_type(self) -> str:
        return f"one of {format_choices(self._levels)}"


@dataclass(frozen=True, repr=False)
class ParamLgl(_CategDomain):
    """``True`` or ``False`` (Python or numpy bools)."""

    def _normalize(self) -> None:
        bounded = self.lower is not None or self.upper is not None
        if bounded or self.levels not in (None, (True, False)):
            raise ConfigError(f"{self._label()} is logical and takes no bounds or levels.")
        object.__setattr__(self, "levels", (True, False))

    def _check_type(self, value: Any) -> bool:
        return isinstance(value, (bool, np.bool_))

    def _describe_type(self) -> str:
        return "a bool"

    def _qunif(self, u: np.ndarray) -> np.ndarray:
        return np.asarray(super()._qunif(u), dtype=bool)


@dataclass(frozen=True, repr=False)
class ParamUty(Domain):
    """Any value, optionally restricted by ``custom_check``."""

    def _normalize(self) -> None:
        if self.lower is not None or self.upper is not None or self.levels is not None:
            raise ConfigError(f"{self._label()} is untyped and takes no bounds or levels.")

    def _check_type(self, value: Any) -> bool:
        return True

    def _describe_type(self) -> str:
        if self.custom_check is not None:
            return "a value accepted by its custom check"
        return "any value"

    @property
    def nlevels(self) -> float:
        return math.nan
