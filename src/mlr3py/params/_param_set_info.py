"""What a parameter set describes: its domains, their ids, tags, defaults and dependencies.

:class:`ParamSetInfo` is the base of :class:`~mlr3py.params.ParamSet`: the read-only
questions about the domains (``ids()``, ``default``, ``tags``, ``deps``, ...), the
``context`` that names the owner in messages, and the set as a container and a table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.params._dependencies import dependency_met
from mlr3py.params._display import param_table
from mlr3py.params._domain import Domain
from mlr3py.params._format import as_str_set, format_value
from mlr3py.params._values import ParamValues

__all__ = ["ParamSetInfo"]


class ParamSetInfo:
    """The domains of a parameter set and what they describe (base of ``ParamSet``).

    Attributes
    ----------
    _params : dict of str to Domain
        The domains, keyed by parameter id.
    _values : ParamValues
        The current values.
    """

    _params: dict[str, Domain]
    _values: ParamValues
    _context: str

    # -- description -------------------------------------------------------------------------

    @property
    def context(self) -> str:
        """How error messages name the owner (``"Learner 'classif.rpart'"``)."""
        return self._context

    @context.setter
    def context(self, value: str) -> None:
        if not isinstance(value, str) or not value:
            raise ConfigError(
                f"The context of a ParamSet must be a non-empty string such as "
                f"\"Learner 'classif.rpart'\". Got {format_value(value)} instead."
            )
        self._context = value

    @property
    def params(self) -> Mapping[str, Domain]:
        """Read-only mapping id -> :class:`Domain`."""
        return MappingProxyType(self._params)

    def ids(
        self,
        tags: str | Iterable[str] | None = None,
        *,
        cls: str | Iterable[str] | None = None,
        any_tags: str | Iterable[str] | None = None,
    ) -> list[str]:
        """Parameter ids, optionally filtered.

        Parameters
        ----------
        tags : str or iterable of str, optional
            Keep parameters having all of these tags.
        cls : str or iterable of str, optional
            Keep parameters of these classes (``"ParamInt"``, ...).
        any_tags : str or iterable of str, optional
            Keep parameters having at least one of these tags.

        Returns
        -------
        list of str
        """
        all_tags = as_str_set(tags, "tags")
        some_tags = as_str_set(any_tags, "any_tags")
        classes = as_str_set(cls, "cls")
        return [
            k
            for k, d in self._params.items()
            if all_tags <= d.tags
            and (not some_tags or some_tags & d.tags)
            and (not classes or d.cls in classes)
        ]

    @property
    def default(self) -> dict[str, Any]:
        """Declared defaults, id -> value (parameters without a default are left out)."""
        return {k: d.default for k, d in self._params.items() if d.has_default}

    @property
    def tags(self) -> dict[str, frozenset[str]]:
        """Tags of each parameter."""
        return {k: d.tags for k, d in self._params.items()}

    @property
    def cls(self) -> dict[str, str]:
        """Class of each parameter (``"ParamInt"``, ``"ParamDbl"``, ...): paradox's
        ``ps$class`` (``class`` is a Python keyword)."""
        return {k: d.cls for k, d in self._params.items()}

    @property
    def lower(self) -> dict[str, float]:
        """Lower bound of each parameter (``-inf`` when unbounded, NaN for non-numeric ones)."""
        return {k: _bound(d.lower) if d.is_number else math.nan for k, d in self._params.items()}

    @property
    def upper(self) -> dict[str, float]:
        """Upper bound of each parameter (``inf`` when unbounded, NaN for non-numeric ones)."""
        return {k: _bound(d.upper) if d.is_number else math.nan for k, d in self._params.items()}

    @property
    def levels(self) -> dict[str, tuple[Any, ...] | None]:
        """Levels of each parameter: a tuple for factors (``(True, False)`` for logicals),
        None for the others."""
        return {k: d.levels if d.is_categ else None for k, d in self._params.items()}

    @property
    def is_number(self) -> dict[str, bool]:
        """Whether each parameter is numeric (``ParamInt`` or ``ParamDbl``)."""
        return {k: d.is_number for k, d in self._params.items()}

    @property
    def is_categ(self) -> dict[str, bool]:
        """Whether each parameter is categorical (``ParamFct`` or ``ParamLgl``)."""
        return {k: d.is_categ for k, d in self._params.items()}

    @property
    def all_numeric(self) -> bool:
        """Whether every parameter is numeric (True for an empty set, as in paradox)."""
        return all(d.is_number for d in self._params.values())

    @property
    def all_categorical(self) -> bool:
        """Whether every parameter is categorical (True for an empty set, as in paradox)."""
        return all(d.is_categ for d in self._params.values())

    @property
    def storage_type(self) -> dict[str, str]:
        """The Python type of each parameter's values: ``"int"`` (ParamInt), ``"float"``
        (ParamDbl), ``"bool"`` (ParamLgl), ``"str"`` (ParamFct with string levels) or
        ``"object"`` (ParamUty, ParamFct with other levels). paradox's ``integer``,
        ``numeric``, ``logical``, ``character`` and ``list``."""
        return {k: _storage_type(d) for k, d in self._params.items()}

    @property
    def nlevels(self) -> dict[str, float]:
        """Number of distinct values of each parameter (``inf`` for continuous ones)."""
        return {k: d.nlevels for k, d in self._params.items()}

    @property
    def is_bounded(self) -> bool:
        """Whether every parameter has a finite range (the set can be sampled); each
        parameter's: ``{k: d.is_bounded for k, d in param_set.params.items()}``."""
        return all(d.is_bounded for d in self._params.values())

    @property
    def all_bounded(self) -> bool:
        """paradox's name for :attr:`is_bounded`."""
        return self.is_bounded

    @property
    def deps(self) -> pd.DataFrame:
        """Dependencies: one row per dependent parameter (columns id, on, cond)."""
        rows = [
            {"id": k, "on": d.depends.on, "cond": d.depends}
            for k, d in self._params.items()
            if d.depends is not None
        ]
        return pd.DataFrame(rows, columns=["id", "on", "cond"])

    @property
    def has_deps(self) -> bool:
        """Whether any parameter depends on another."""
        return any(d.depends is not None for d in self._params.values())

    def _dependency_met(self, domain: Domain, values: Mapping[str, Any]) -> bool:
        return dependency_met(self._params, domain, values)

    # -- display -----------------------------------------------------------------------------

    def as_table(self) -> pd.DataFrame:
        """One row per parameter: id, class, lower, upper, nlevels, default, value.

        Missing bounds (non-numeric parameters), missing defaults and unset
        values are ``pd.NA``.
        """
        return param_table(self._params, self._values)

    def __len__(self) -> int:
        return len(self._params)

    def __contains__(self, key: object) -> bool:
        return key in self._params

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._params))


_STORAGE_TYPES = {"ParamInt": "int", "ParamDbl": "float", "ParamLgl": "bool", "ParamUty": "object"}


def _bound(value: float | None) -> float:
    """A numeric domain's bound as a float (NaN where there is none)."""
    return math.nan if value is None else float(value)


def _storage_type(domain: Domain) -> str:
    """The Python type name of the values of ``domain`` (see ``ParamSetInfo.storage_type``)."""
    if domain.cls == "ParamFct":
        levels = domain.levels or ()
        return "str" if all(isinstance(level, str) for level in levels) else "object"
    return _STORAGE_TYPES.get(domain.cls, "object")
