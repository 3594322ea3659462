"""Tuning tokens and transformations of a parameter set (paradox's ``trafo``).

:class:`ParamSetTrafo` gives :class:`~mlr3py.params.ParamSet` the :func:`to_tune`
tokens among its values (``tune_tokens()``, ``assert_untuned()``) and the way a
point of a search space becomes the values handed on: the parameters' own trafos,
then the set's :attr:`~ParamSetTrafo.trafo` (``transform()``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.params._format import format_value
from mlr3py.params._param_set_info import ParamSetInfo
from mlr3py.params._tune_token import TuneToken
from mlr3py.registry import did_you_mean

if TYPE_CHECKING:
    from mlr3py.params._param_set import ParamSet

__all__ = ["ParamSetTrafo", "SetTrafo"]

SetTrafo = Callable[[dict[str, Any], "ParamSet"], Mapping[str, Any]]


class ParamSetTrafo(ParamSetInfo):
    """Tuning tokens and trafos of a parameter set (base of ``ParamSet``).

    Attributes
    ----------
    _trafo : callable or None
        The set's transformation, see :attr:`trafo`.
    """

    _trafo: SetTrafo | None

    # -- tuning ------------------------------------------------------------------------------

    def tune_tokens(self) -> dict[str, TuneToken]:
        """The values that are :func:`to_tune` tokens, id -> token."""
        return {k: v for k, v in self._values.items() if isinstance(v, TuneToken)}

    def assert_untuned(self, action: str = "train") -> None:
        """Raise if a value is still a :func:`to_tune` token.

        Raises
        ------
        ConfigError
            Naming the parameter and saying to tune it first.
        """
        tokens = self.tune_tokens()
        if tokens:
            key, token = next(iter(tokens.items()))
            raise ConfigError(
                f"The '{key}' parameter of {self.context} is set to {token!r}, a tuning range, "
                f"not a value, so {self.context} cannot {action}. Tune it with tune() or wrap "
                f"the learner with auto_tuner(), or set a value: param_set.values['{key}'] = ..."
            )

    # -- transformations ---------------------------------------------------------------------

    @property
    def trafo(self) -> SetTrafo | None:
        """The set's transformation ``fn(x, param_set) -> dict``, or None.

        It runs after the parameters' own trafos in :meth:`transform`; it may
        change values and types and drop or add entries.
        """
        return self._trafo

    @trafo.setter
    def trafo(self, fn: SetTrafo | None) -> None:
        if fn is not None and not callable(fn):
            raise ConfigError(
                f"The trafo of {self.context} must be a function fn(x, param_set) returning a "
                f"dict, or None. Got {format_value(fn)} instead."
            )
        if fn is not None and not _takes_two_arguments(fn):
            name = getattr(fn, "__name__", type(fn).__name__)
            raise ConfigError(
                f"The trafo of {self.context} must be a function fn(x, param_set) returning a "
                f"dict: it gets the point x (a dict of values) and the ParamSet. Got {name}"
                f"{_signature_text(fn)}, which cannot be called with (x, param_set). A trafo "
                f"of one value, fn(value), belongs to a parameter: p_dbl(..., trafo=fn)."
            )
        self._trafo = fn

    @property
    def has_trafo(self) -> bool:
        """Whether the set or one of its parameters has a trafo."""
        return self._has_set_trafo() or any(d.trafo is not None for d in self._params.values())

    def _has_set_trafo(self) -> bool:
        """Whether :meth:`transform` runs a set-level trafo (a collection: its members' too)."""
        return self._trafo is not None

    def _set_trafo_fn(self) -> SetTrafo | None:
        """A function doing this set's set-level trafo, for sets built from this one."""
        return self._trafo

    def transform(self, x: Mapping[str, Any]) -> dict[str, Any]:
        """Transform one point: drop inactive parameters, apply the trafos.

        Parameters whose dependencies do not hold in ``x`` are dropped first,
        then each parameter's own trafo runs, then the set's :attr:`trafo`.

        Parameters
        ----------
        x : mapping
            One point, parameter id -> value (on the search scale).

        Returns
        -------
        dict
            The values to hand on (e.g. to a learner).
        """
        if not isinstance(x, Mapping):
            raise ConfigError(f"transform() of {self.context} needs a dict of parameter values. "
                              f"Got {format_value(x)} instead.")
        for key in x:
            if key not in self._params:
                raise UnknownKeyError(f"{self.context} has no parameter '{key}'."
                                      + did_you_mean(str(key), self._params))
        point = {k: v for k, v in x.items() if self._dependency_met(self._params[k], x)}
        for key, value in point.items():
            fn = self._params[key].trafo
            if fn is not None:
                point[key] = fn(value)
        return self._apply_set_trafo(point)

    def _apply_set_trafo(self, point: dict[str, Any]) -> dict[str, Any]:
        if self._trafo is None:
            return point
        out = self._trafo(dict(point), cast("ParamSet", self))  # only ever a ParamSet
        if not isinstance(out, Mapping):
            raise ConfigError(f"The trafo of {self.context} must return a dict of values. "
                              f"Got {format_value(out)} instead.")
        return dict(out)


def _signature(fn: Callable[..., Any]) -> inspect.Signature | None:
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):  # some builtins have no readable signature
        return None


def _takes_two_arguments(fn: Callable[..., Any]) -> bool:
    """Whether ``fn(x, param_set)`` binds (True when the signature cannot be read)."""
    signature = _signature(fn)
    if signature is None:
        return True
    try:
        signature.bind(None, None)
    except TypeError:
        return False
    return True


def _signature_text(fn: Callable[..., Any]) -> str:
    signature = _signature(fn)
    return "" if signature is None else str(signature)
