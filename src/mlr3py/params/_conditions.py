"""Dependencies between parameters (paradox's ``Condition``).

A parameter that ``depends`` on another may only be set when the other
parameter's value (its set value, else its default) satisfies a condition:
:class:`CondEqual` (``booster == 'gbtree'``) or :class:`CondAnyOf`
(``kernel`` is one of ``{'poly', 'rbf'}``). A parent that is itself inactive
(its own condition not met) satisfies no condition, whatever its value or default.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.params._format import contains_value, format_choices, format_value, same_value

__all__ = ["CondAnyOf", "CondEqual", "Condition", "as_condition"]


@dataclass(frozen=True)
class Condition(ABC):
    """Base class of conditions on the value of the parameter ``on``.

    Parameters
    ----------
    on : str
        The id of the parameter whose value the condition tests.
    rhs : object
        What the value is compared with.
    """

    on: str
    rhs: Any

    def __post_init__(self) -> None:
        if not isinstance(self.on, str) or not self.on:
            raise ConfigError(
                f"The 'on' argument of {type(self).__name__} must be a parameter id "
                f"(a non-empty string). Got {format_value(self.on)} instead."
            )

    def __deepcopy__(self, memo: dict[int, Any]) -> Condition:
        """Conditions are immutable, so copies share them."""
        return self

    @abstractmethod
    def test(self, value: Any) -> bool:
        """Whether ``value`` (the value of parameter ``on``) satisfies the condition."""
        raise NotImplementedError(f"{type(self).__name__} must implement test().")

    @abstractmethod
    def describe(self) -> str:
        """The condition in words, e.g. ``'booster' == 'gbtree'``."""
        raise NotImplementedError(f"{type(self).__name__} must implement describe().")


@dataclass(frozen=True)
class CondEqual(Condition):
    """The parameter ``on`` must equal ``rhs``.

    Examples
    --------
    >>> CondEqual("booster", "gbtree").test("gbtree")
    True
    """

    def test(self, value: Any) -> bool:
        """Whether ``value`` equals ``rhs``."""
        return same_value(value, self.rhs)

    def describe(self) -> str:
        """``'on' == rhs``."""
        return f"'{self.on}' == {format_value(self.rhs)}"


@dataclass(frozen=True)
class CondAnyOf(Condition):
    """The parameter ``on`` must be one of the values in ``rhs``.

    Examples
    --------
    >>> CondAnyOf("kernel", ["poly", "rbf"]).test("rbf")
    True
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        rhs = self.rhs
        if isinstance(rhs, (str, bytes)) or not isinstance(rhs, Iterable):
            raise ConfigError(
                f"The 'rhs' argument of CondAnyOf must be a list of values. "
                f"Got {format_value(rhs)} instead."
            )
        values = tuple(rhs)
        if not values:
            raise ConfigError(
                f"The 'rhs' argument of CondAnyOf on '{self.on}' must not be empty."
            )
        object.__setattr__(self, "rhs", values)

    def test(self, value: Any) -> bool:
        """Whether ``value`` is among ``rhs``."""
        return contains_value(self.rhs, value)

    def describe(self) -> str:
        """``'on' is one of {...}``."""
        return f"'{self.on}' is one of {format_choices(self.rhs)}"


def as_condition(depends: Any) -> Condition | None:
    """Turn the ``depends=`` argument of the ``p_*()`` functions into a condition.

    Parameters
    ----------
    depends : Condition, tuple or None
        A condition, or the sugar ``("booster", "gbtree")`` (equal) and
        ``("kernel", ["poly", "rbf"])`` (any of; a list, tuple or set).

    Returns
    -------
    Condition or None
    """
    if depends is None or isinstance(depends, Condition):
        return depends
    if isinstance(depends, (tuple, list)) and len(depends) == 2 and isinstance(depends[0], str):
        on, rhs = depends
        if isinstance(rhs, (list, tuple, set, frozenset)):
            if isinstance(rhs, (set, frozenset)):
                rhs = sorted(rhs, key=repr)
            return CondAnyOf(on, rhs)
        return CondEqual(on, rhs)
    raise ConfigError(
        "depends must be a Condition such as CondEqual('booster', 'gbtree') or a pair "
        "('booster', 'gbtree') / ('kernel', ['poly', 'rbf']). "
        f"Got {format_value(depends)} instead."
    )
