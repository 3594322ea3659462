"""Small helpers shared by domains, conditions and parameter sets.

They compare values safely (numpy scalars, arrays and objects whose ``==``
does not return a bool) and format values and numbers for error messages.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from mlr3py.errors import ConfigError

_MAX_REPR = 60


def same_value(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` are the same value, for levels and special values.

    ``True`` and ``1`` differ (a bool only equals a bool), comparisons that raise
    or do not give a single truth value count as "different".

    Parameters
    ----------
    a, b : object
        The values to compare.

    Returns
    -------
    bool
        Whether they are identical or compare equal.
    """
    if a is b:
        return True
    if a is None or b is None:
        return False
    if isinstance(a, (bool, np.bool_)) != isinstance(b, (bool, np.bool_)):
        return False
    try:
        result = a == b
    except Exception:  # comparisons of exotic objects may raise anything
        return False
    if isinstance(result, (bool, np.bool_)):
        return bool(result)
    return False


def contains_value(candidates: Iterable[Any], value: Any) -> bool:
    """Whether ``value`` is among ``candidates`` (by :func:`same_value`)."""
    return any(same_value(value, c) for c in candidates)


def format_value(value: Any) -> str:
    """``repr`` of a value for an error message, shortened when long."""
    if isinstance(value, np.generic):
        text = repr(value.item())
    else:
        try:
            text = repr(value)
        except Exception:  # a broken __repr__ must not hide the real error
            text = f"<{type(value).__name__} object>"
    text = " ".join(text.split())
    if len(text) > _MAX_REPR:
        text = text[: _MAX_REPR - 3] + "..."
    return text


def format_number(x: float) -> str:
    """Format a bound: ``1``, ``0.5``, ``1e-08``, ``inf``."""
    if isinstance(x, (bool, np.bool_)):
        return repr(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def format_choices(values: Iterable[Any]) -> str:
    """Format levels as a set literal: ``{'gini', 'entropy'}``."""
    return "{" + ", ".join(format_value(v) for v in values) + "}"


def format_ids(ids: Iterable[str]) -> str:
    """Format parameter ids as ``'a', 'b'``."""
    return ", ".join(f"'{i}'" for i in ids)


def as_str_set(x: str | Iterable[str] | None, what: str) -> frozenset[str]:
    """Turn ``None``, one string or an iterable of strings into a frozenset.

    Parameters
    ----------
    x : str, iterable of str or None
        The strings.
    what : str
        How to name ``x`` in the error message, e.g. ``"tags"``.

    Returns
    -------
    frozenset of str
    """
    if x is None:
        return frozenset()
    if isinstance(x, str):
        return frozenset({x})
    try:
        items = list(x)
    except TypeError:
        raise ConfigError(
            f"{what} must be a string or an iterable of strings. Got {format_value(x)} instead."
        ) from None
    bad = [i for i in items if not isinstance(i, str)]
    if bad:
        raise ConfigError(
            f"{what} must be a string or an iterable of strings. "
            f"Got {format_value(bad[0])} among them instead."
        )
    return frozenset(items)
