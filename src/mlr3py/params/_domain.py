"""Domains of single parameters (paradox's ``Domain`` / ``p_int()`` ...).

A :class:`Domain` describes the values one parameter may take: its type,
bounds or levels, special values (such as ``None``), a default, tags, a
dependency on another parameter and an initial value. Domains are immutable;
:class:`~mlr3py.params.ParamSet` gives each one its id.

The subclasses (in ``_domain_types``) :class:`ParamInt`, :class:`ParamDbl`, :class:`ParamFct`,
:class:`ParamLgl` and :class:`ParamUty` differ only in which values they
accept and how they describe them, so that designs and samplers (tuning) can
work on any domain through ``lower``, ``upper``, ``levels``, ``nlevels``,
``is_bounded`` and :meth:`Domain.qunif`.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.params._conditions import Condition, as_condition
from mlr3py.params._format import (
    as_str_set,
    contains_value,
    format_choices,
    format_number,
    format_value,
)

__all__ = ["NO_DEFAULT", "CustomCheck", "Domain", "NoDefault"]


class NoDefault:
    """Type of :data:`NO_DEFAULT`, the marker for "no default / no initial value".

    There is exactly one instance; it survives copying and pickling.
    """

    _instance: NoDefault | None = None

    def __new__(cls) -> NoDefault:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_DEFAULT"

    def __reduce__(self) -> str:
        return "NO_DEFAULT"

    def __copy__(self) -> NoDefault:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> NoDefault:
        return self


NO_DEFAULT = NoDefault()

CustomCheck = Callable[[Any], "bool | str"]



@dataclass(frozen=True, repr=False)
class Domain(ABC):
    """The set of values one parameter may take, plus its metadata.

    Build domains with :func:`p_int`, :func:`p_dbl`, :func:`p_fct`,
    :func:`p_lgl` and :func:`p_uty` rather than directly.

    Parameters
    ----------
    lower, upper : float or None
        Inclusive bounds of numeric domains (``-inf`` / ``inf`` when unbounded);
        ``None`` for the other domains.
    levels : tuple or None
        The allowed values of factor and logical domains.
    default : object
        The value the underlying code uses when the parameter is not set, or
        :data:`NO_DEFAULT`.
    special_vals : tuple
        Values accepted in addition to the domain, e.g. ``(None,)``.
    tags : frozenset of str
        E.g. ``"train"``, ``"predict"``, ``"threads"``, ``"required"``.
    depends : Condition or None
        The parameter may only be set when this condition holds.
    init : object
        The value put into ``ParamSet.values`` when the set is built, or
        :data:`NO_DEFAULT`.
    custom_check : callable or None
        ``custom_check(value)`` returns ``True`` or a message saying what the
        value must be (``"a callable"``, ``"must be positive"``).
    id : str or None
        The parameter's id; set by the :class:`~mlr3py.params.ParamSet`.
    trafo : callable or None
        ``trafo(value)`` maps a value of this domain (e.g. drawn by a design)
        to the value the learner gets; see :meth:`ParamSet.transform`.
    logscale : bool
        Whether the domain holds the logarithm of the value (built by
        ``p_dbl(..., logscale=True)``; its ``trafo`` exponentiates).
    """

    lower: float | None = None
    upper: float | None = None
    levels: tuple[Any, ...] | None = None
    default: Any = NO_DEFAULT
    special_vals: tuple[Any, ...] = ()
    tags: frozenset[str] = field(default_factory=frozenset)
    depends: Condition | None = None
    init: Any = NO_DEFAULT
    custom_check: CustomCheck | None = None
    id: str | None = None
    trafo: Callable[[Any], Any] | None = None
    logscale: bool = False

    #: whether the domain holds numbers (int or float)
    is_number = False
    #: whether the domain is a finite set of levels (factor or logical)
    is_categ = False

    def __post_init__(self) -> None:
        if self.id is not None and (not isinstance(self.id, str) or not self.id):
            raise ConfigError(
                f"A parameter id must be a non-empty string. Got {format_value(self.id)} instead."
            )
        special = self.special_vals
        if not isinstance(special, (list, tuple)):
            raise ConfigError(
                f"special_vals of {self._label()} must be a list or tuple of values, "
                f"e.g. [None]. Got {format_value(special)} instead."
            )
        object.__setattr__(self, "special_vals", tuple(special))
        object.__setattr__(self, "tags", as_str_set(self.tags, "tags"))
        object.__setattr__(self, "depends", as_condition(self.depends))
        if self.depends is not None and self.depends.on == self.id:
            raise ConfigError(f"The '{self.id}' parameter cannot depend on itself.")
        if self.custom_check is not None and not callable(self.custom_check):
            raise ConfigError(
                f"custom_check of {self._label()} must be a function returning True or a "
                f"message. Got {format_value(self.custom_check)} instead."
            )
        if self.trafo is not None and not callable(self.trafo):
            raise ConfigError(
                f"The trafo of {self._label()} must be a function of one value. "
                f"Got {format_value(self.trafo)} instead."
            )
        self._normalize()
        for name, what in (("default", "The default"), ("init", "The initial value (init)")):
            value = getattr(self, name)
            if value is NO_DEFAULT:
                continue
            ok = self.check(value)
            if ok is not True:
                raise ConfigError(
                    f"{what} of {self._label()} {ok}. Got {format_value(value)} instead."
                )

    # -- hooks of the subclasses -------------------------------------------------------------

    def _normalize(self) -> None:  # noqa: B027 - optional hook, empty by default
        """Check and normalise bounds / levels (subclasses override)."""

    @abstractmethod
    def _check_type(self, value: Any) -> bool:
        """Whether ``value`` is in the domain, ignoring special values."""

    @abstractmethod
    def _describe_type(self) -> str:
        """The domain in words, e.g. ``an int >= 1``."""

    def _qunif(self, u: np.ndarray) -> np.ndarray:
        raise ConfigError(
            f"qunif() needs a bounded domain; {self._label()} ({self.cls}) is not bounded."
        )

    # -- public API --------------------------------------------------------------------------

    @property
    def cls(self) -> str:
        """The paradox class name: ``ParamInt``, ``ParamDbl``, ``ParamFct``, ..."""
        return type(self).__name__

    @property
    def has_default(self) -> bool:
        """Whether a default is declared."""
        return self.default is not NO_DEFAULT

    @property
    def is_bounded(self) -> bool:
        """Whether the domain is finite or has finite bounds (so it can be sampled)."""
        return False

    @property
    def nlevels(self) -> float:
        """Number of distinct values: ``inf`` for doubles and unbounded ints, NaN for ParamUty."""
        return math.inf

    def describe(self) -> str:
        """The accepted values in words, e.g. ``an int >= 1 or None``."""
        text = self._describe_type()
        if len(self.special_vals) == 1:
            text += f" or {format_value(self.special_vals[0])}"
        elif self.special_vals:
            text += " or one of " + ", ".join(format_value(v) for v in self.special_vals)
        return text

    def check(self, value: Any) -> bool | str:
        """Check one value.

        Parameters
        ----------
        value : object
            The candidate value.

        Returns
        -------
        True or str
            ``True`` if the value is accepted, else a clause such as
            ``"must be an int >= 1"`` (used in the error message template).
        """
        if contains_value(self.special_vals, value):
            return True
        if not self._check_type(value):
            return f"must be {self.describe()}"
        if self.custom_check is not None:
            return self._run_custom_check(value)
        return True

    def test(self, value: Any) -> bool:
        """Whether ``value`` is accepted."""
        return self.check(value) is True

    def with_id(self, id: str) -> Domain:  # noqa: A002 - paradox's name
        """A copy of this domain with its id set to ``id``."""
        if not isinstance(id, str) or not id:
            raise ConfigError(
                f"A parameter id must be a non-empty string. Got {format_value(id)} instead."
            )
        if self.depends is not None and self.depends.on == id:
            raise ConfigError(f"The '{id}' parameter cannot depend on itself.")
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        object.__setattr__(new, "id", id)
        return new

    def qunif(self, u: Any) -> Any:
        """Map numbers in [0, 1] to the domain (the quantile function of a uniform).

        Doubles map linearly onto ``[lower, upper]``; ints, levels and bools
        split [0, 1] into ``nlevels`` equal bins. Designs and samplers use this
        to turn uniform draws into parameter values.

        Parameters
        ----------
        u : float or array-like of float
            Values in [0, 1].

        Returns
        -------
        object or numpy.ndarray
            One value for a scalar ``u``, else an array of values.
        """
        arr = np.asarray(u, dtype=float)
        if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
            raise ConfigError(
                f"qunif() of {self._label()} needs values in [0, 1]. Got {format_value(u)} instead."
            )
        out = self._qunif(np.atleast_1d(arr))
        if arr.ndim == 0:
            item = out[0]
            return item.item() if isinstance(item, np.generic) else item
        return out.reshape(arr.shape)

    def __copy__(self) -> Domain:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Domain:
        """Domains are immutable, so copies share them (keeps ``clone()`` cheap)."""
        return self

    # -- helpers -----------------------------------------------------------------------------

    def _label(self) -> str:
        if self.id is not None:
            return f"the '{self.id}' parameter"
        return f"p_{self.cls[5:].lower()}()"

    def _run_custom_check(self, value: Any) -> bool | str:
        assert self.custom_check is not None
        try:
            result = self.custom_check(value)
        except Exception as exc:  # a failing user check is a failed check, not a crash
            return f"must pass its custom check, which raised {type(exc).__name__}: {exc}"
        if result is True or (isinstance(result, np.bool_) and bool(result)):
            return True
        if isinstance(result, str) and result:
            text = result.strip().rstrip(".")
            if text.lower().startswith("must"):
                return "must" + text[4:]
            return f"must be {text}"
        return "must pass its custom check"

    def __repr__(self) -> str:
        parts = []
        if self.id is not None:
            parts.append(f"id={self.id!r}")
        if self.lower is not None and self.upper is not None:
            parts.append(f"lower={format_number(self.lower)}, upper={format_number(self.upper)}")
        if self.levels is not None and self.cls != "ParamLgl":
            parts.append(f"levels={format_choices(self.levels)}")
        if self.has_default:
            parts.append(f"default={format_value(self.default)}")
        if self.special_vals:
            parts.append(f"special_vals={self.special_vals!r}")
        if self.tags:
            parts.append(f"tags={sorted(self.tags)!r}")
        if self.depends is not None:
            parts.append(f"depends={self.depends!r}")
        if self.init is not NO_DEFAULT:
            parts.append(f"init={format_value(self.init)}")
        if self.logscale:
            parts.append("logscale=True")
        elif self.trafo is not None:
            parts.append(f"trafo={getattr(self.trafo, '__name__', 'function')}")
        return f"{self.cls}({', '.join(parts)})"
