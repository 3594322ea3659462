"""Registries (mlr3's ``Dictionary``): key -> constructor, with "did you mean"."""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import pandas as pd

from mlr3py.errors import ConfigError, UnknownKeyError

__all__ = ["Dictionary", "apply_kwargs", "did_you_mean"]

T = TypeVar("T")


def did_you_mean(value: str, candidates: Iterable[str], n: int = 3) -> str:
    """Return a " Did you mean ...?" suffix listing close matches, or "".

    Parameters
    ----------
    value : str
        The string that was not found.
    candidates : iterable of str
        The valid strings.
    n : int
        The largest number of suggestions.

    Returns
    -------
    str
        ``" Did you mean 'a', 'b'?"`` or the empty string when nothing is close.
    """
    matches = difflib.get_close_matches(str(value), list(candidates), n=n, cutoff=0.6)
    if not matches:
        return ""
    return " Did you mean " + ", ".join(f"'{m}'" for m in matches) + "?"


def apply_kwargs(obj: Any, kwargs: dict[str, Any], what: str) -> Any:
    """Set keyword arguments on a freshly built object, as mlr3's sugar does.

    A keyword naming a parameter of ``obj.param_set`` sets that parameter value;
    otherwise a keyword naming a public attribute of ``obj`` (``id``,
    ``predict_type``, ...) sets that attribute. Anything else raises an error
    with suggestions.

    Parameters
    ----------
    obj : object
        The object to configure.
    kwargs : dict
        Parameter values or attribute values.
    what : str
        How to name the object in error messages, e.g. ``"Learner 'classif.rpart'"``.

    Returns
    -------
    object
        ``obj``, configured.
    """
    param_set = getattr(obj, "param_set", None)
    param_ids = list(param_set.ids()) if param_set is not None else []
    fields = [
        name
        for name in dir(type(obj))
        if not name.startswith("_") and isinstance(getattr(type(obj), name), property)
        and getattr(type(obj), name).fset is not None
    ]
    params: dict[str, Any] = {}
    for key, value in kwargs.items():
        if key in param_ids:
            params[key] = value
        elif key in fields:
            setattr(obj, key, value)
        else:
            raise UnknownKeyError(
                f"{what} has no parameter or field '{key}'."
                + did_you_mean(key, param_ids + fields)
            )
    if params:  # only keys of a param_set land here
        assert param_set is not None
        param_set.set_values(**params)
    return obj


class Dictionary(Generic[T]):
    """A registry mapping keys to constructors.

    Parameters
    ----------
    name : str
        The registry's name, e.g. ``"mlr_learners"``.
    kind : str
        What it holds, singular, e.g. ``"Learner"``; used in messages.

    Examples
    --------
    >>> from mlr3py import mlr_learners
    >>> learner = mlr_learners.get("classif.rpart", max_depth=3)
    """

    def __init__(self, name: str, kind: str) -> None:
        self.name = name
        self.kind = kind
        self._items: dict[str, Callable[..., T]] = {}
        self._unavailable: dict[str, str] = {}

    def add(self, key: str, constructor: Callable[..., T]) -> None:
        """Register ``constructor`` under ``key`` (replacing an existing entry)."""
        if not isinstance(key, str) or not key:
            raise ConfigError(
                f"A key of {self.name} must be a non-empty string. Got {key!r} instead."
            )
        if not callable(constructor):
            raise ConfigError(
                f"The constructor for key '{key}' of {self.name} must be callable "
                f"(a class or a function). Got {constructor!r} instead."
            )
        self._items[key] = constructor

    def add_unavailable(self, key: str, reason: str) -> None:
        """Mark ``key`` as known but unusable here, e.g. when an optional dependency is
        missing: ``get(key)`` raises a :class:`ConfigError` with ``reason``; ``keys()``
        does not list it."""
        self._unavailable[key] = reason

    def remove(self, key: str) -> None:
        """Remove ``key`` from the registry."""
        self._check_key(key)
        del self._items[key]

    def keys(self, pattern: str | None = None) -> list[str]:
        """Sorted keys, optionally filtered by ``pattern``.

        A key is kept when it matches ``pattern`` as a glob (``"classif.*"``) or
        contains a match of it as a regular expression (mlr3's ``keys("^classif")``,
        ``keys("rpart")``).
        """
        keys = sorted(self._items)
        if pattern is not None:
            try:
                regex: re.Pattern[str] | None = re.compile(pattern)
            except re.error:  # a glob such as "*.rpart" is no regular expression
                regex = None
            keys = [
                k for k in keys
                if fnmatch.fnmatchcase(k, pattern) or (regex is not None and regex.search(k))
            ]
        return keys

    def has(self, key: str) -> bool:
        """Whether ``key`` is registered."""
        return key in self._items

    def _check_key(self, key: str) -> None:
        if key not in self._items:
            if key in self._unavailable:
                raise ConfigError(self._unavailable[key])
            raise UnknownKeyError(
                f"Element with key '{key}' not found in {self.name}."
                + did_you_mean(key, self._items)
            )

    def get(self, key: str, **kwargs: Any) -> T:
        """Build the object registered under ``key``.

        Keyword arguments set parameter values (``max_depth=3``) or fields
        (``id=...``, ``predict_type="prob"``) of the new object.
        """
        self._check_key(key)
        obj = self._items[key]()
        return apply_kwargs(obj, kwargs, f"{self.kind} '{key}'")

    def mget(self, keys: Iterable[str], **kwargs: Any) -> list[T]:
        """Build one object per key, each with the same keyword arguments."""
        return [self.get(k, **kwargs) for k in keys]

    def as_table(self) -> pd.DataFrame:
        """One row per key, with the columns each object reports in ``_dict_row()``.

        An entry that cannot be built here (an optional package it needs is missing)
        keeps its row, with what it needs in the column ``unavailable``.
        """
        rows: list[dict[str, Any]] = []
        for key in self.keys():
            try:
                obj = self._items[key]()
            except ConfigError as exc:
                rows.append({"key": key, "unavailable": str(exc)})
                continue
            row = {"key": key}
            describe = getattr(obj, "_dict_row", None)
            if describe is not None:
                row.update(describe())
            rows.append(row)
        return pd.DataFrame(rows)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        keys = self.keys()
        shown = ", ".join(keys[:20]) + (", ..." if len(keys) > 20 else "")
        return f"<Dictionary {self.name}: {len(keys)} {self.kind}s> {shown}"
