"""``to_tune()``: mark a parameter value as "to be tuned" (paradox's TuneToken).

A :class:`TuneToken` is a legal value of any parameter in ``param_set.values``;
it says over which range the parameter should be tuned. The set's
:meth:`~mlr3py.params.ParamSet.search_space` turns the tokens into a search
space, and a learner refuses to train while a token is among its values.

Examples
--------
>>> from mlr3py.params import ps, p_int, p_dbl, to_tune
>>> param_set = ps(cp=p_dbl(0, 1), minsplit=p_int(1, 100))
>>> param_set.values["cp"] = to_tune(1e-4, 0.1, logscale=True)
>>> param_set.values["minsplit"] = to_tune()
>>> param_set.search_space().ids()
['cp', 'minsplit']
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.params._domain import NO_DEFAULT, Domain
from mlr3py.params._domain_types import ParamFct
from mlr3py.params._format import format_number, format_value, same_value
from mlr3py.params._trafo import numeric_domain

__all__ = ["TuneToken", "to_tune"]


@dataclass(frozen=True)
class TuneToken:
    """A tuning range in place of a parameter value; build it with :func:`to_tune`.

    Exactly one form is used: a numeric range (``lower`` / ``upper``, each
    ``None`` for the parameter's own bound, with ``logscale``), a list of
    ``levels``, a ready ``domain``, or none of them (the parameter's whole range).
    ``internal=True`` marks a parameter the learner tunes itself while training
    (e.g. the boosting rounds early stopping keeps): it stays out of
    :meth:`~mlr3py.params.ParamSet.search_space` and goes into its internal
    search space (mlr3tuning's ``to_tune(internal = TRUE)``).
    """

    lower: float | None = None
    upper: float | None = None
    logscale: bool = False
    levels: tuple[Any, ...] | None = None
    domain: Domain | None = None
    internal: bool = False

    @property
    def kind(self) -> str:
        """``"range"``, ``"levels"``, ``"domain"`` or ``"all"``."""
        if self.domain is not None:
            return "domain"
        if self.levels is not None:
            return "levels"
        if self.lower is not None or self.upper is not None or self.logscale:
            return "range"
        return "all"

    def __repr__(self) -> str:
        text = self._text()
        return text[:-1] + (", " if text[-2] != "(" else "") + "internal=True)" \
            if self.internal else text

    def _text(self) -> str:
        kind = self.kind
        if kind == "domain":
            return f"to_tune({self.domain!r})"
        if kind == "levels":
            assert self.levels is not None
            return f"to_tune({list(self.levels)!r})"
        if kind == "range":
            args = [_bound_text(self.lower), _bound_text(self.upper)]
            if self.logscale:
                args.append("logscale=True")
            return f"to_tune({', '.join(args)})"
        return "to_tune()"

    def check(self, param: Domain) -> bool | str:
        """Whether this token fits ``param``: ``True`` or a clause saying why not."""
        try:
            self.to_domain(param)
        except ConfigError as exc:
            return str(exc)
        return True

    def to_domain(self, param: Domain) -> Domain:
        """The domain of the search space for ``param`` (without id or dependency).

        Raises
        ------
        ConfigError
            If the token does not fit the parameter: a range on a
            non-numeric parameter, bounds outside the parameter's bounds, an
            unbounded range, levels the parameter rejects.
        """
        kind = self.kind
        tags = param.tags
        if kind == "domain":
            assert self.domain is not None
            domain = self.domain
            if domain.trafo is None:
                self._check_inside(param, domain)
            return dataclasses.replace(domain, tags=domain.tags | tags, id=None, depends=None)
        if kind == "levels":
            assert self.levels is not None
            for i, level in enumerate(self.levels):
                if any(same_value(level, other) for other in self.levels[:i]):
                    raise ConfigError(f"takes {self!r}, which names the level "
                                      f"{format_value(level)} twice. Give each level once")
            for level in self.levels:
                ok = param.check(level)
                if ok is not True:
                    raise ConfigError(
                        f"takes {self!r}, whose level {format_value(level)} it rejects: it "
                        f"{ok}. Give levels the parameter accepts"
                    )
            return ParamFct(levels=self.levels, tags=tags)
        if param.cls == "ParamUty" and kind == "range":
            return self._untyped_range(param, tags)
        if not param.is_number:
            if kind == "all" and param.is_categ:
                assert param.levels is not None
                return ParamFct(levels=param.levels, tags=tags) if param.cls == "ParamFct" \
                    else dataclasses.replace(param, default=NO_DEFAULT, init=NO_DEFAULT,
                                             special_vals=(), depends=None, id=None, tags=tags)
            if kind == "all":
                raise ConfigError(
                    f"is {param.cls}, which has no range to tune over. Give one: "
                    "to_tune([...levels]) or to_tune(p_dbl(lower, upper))"
                )
            levels_hint = (f". Use to_tune({list(param.levels)!r}) to tune over levels"
                           if param.levels is not None else "")
            raise ConfigError(
                f"is {param.cls}, not numeric, so {self!r} does not fit it{levels_hint}"
            )
        assert param.lower is not None and param.upper is not None
        lower = param.lower if self.lower is None else self.lower
        upper = param.upper if self.upper is None else self.upper
        if not (math.isfinite(lower) and math.isfinite(upper)):
            raise ConfigError(
                f"is unbounded ({param.describe()}), so {self!r} has no finite range to "
                "sample. Give bounds: to_tune(lower, upper)"
            )
        for name, bound in (("lower", lower), ("upper", upper)):
            if param.cls == "ParamInt" and not float(bound).is_integer():
                raise ConfigError(
                    f"takes {self!r}, whose {name} bound {format_number(bound)} is not a whole "
                    "number, as the int parameter needs. Give whole-number bounds"
                )
        if self.logscale and lower <= 0:
            raise ConfigError(
                f"takes {self!r}, whose lower bound {format_number(lower)} has no logarithm "
                "(logscale=True searches the log of the bounds). Give a lower bound > 0"
            )
        if lower < param.lower or upper > param.upper:
            raise ConfigError(
                f"takes {self!r}, whose bounds [{format_number(lower)}, "
                f"{format_number(upper)}] are outside the parameter's own bounds "
                f"[{format_number(param.lower)}, {format_number(param.upper)}]. Give bounds "
                "within them"
            )
        return numeric_domain(param.cls == "ParamInt", lower, upper, logscale=self.logscale,
                              tags=tags)

    def _untyped_range(self, param: Domain, tags: frozenset[str]) -> Domain:
        """A numeric range for an untyped parameter that accepts both bounds."""
        if self.lower is None or self.upper is None:
            raise ConfigError(
                f"is untyped (ParamUty), so {self!r} needs both bounds: to_tune(lower, upper)"
            )
        for bound in (self.lower, self.upper):
            ok = param.check(bound)
            if ok is not True:
                raise ConfigError(f"takes {self!r}, but the bound {format_value(bound)} is no "
                                  f"valid value: it {ok}. Give bounds it accepts")
        integer = all(isinstance(b, int) for b in (self.lower, self.upper))
        return numeric_domain(integer, self.lower, self.upper, logscale=self.logscale, tags=tags)

    @staticmethod
    def _check_inside(param: Domain, domain: Domain) -> None:
        if param.cls == "ParamUty" and domain.is_number:
            for bound in (domain.lower, domain.upper):
                bound_value = int(bound) if domain.cls == "ParamInt" and bound is not None \
                    and math.isfinite(bound) else bound
                ok = param.check(bound_value)
                if ok is not True:
                    raise ConfigError(
                        f"takes to_tune() with the bound {format_value(bound_value)}, which is "
                        f"no valid value: it {ok}. Give bounds it accepts"
                    )
        elif param.is_number and domain.is_number:
            assert domain.lower is not None and domain.upper is not None
            assert param.lower is not None and param.upper is not None
            if domain.lower < param.lower or domain.upper > param.upper:
                raise ConfigError(
                    f"takes to_tune() with bounds [{format_number(domain.lower)}, "
                    f"{format_number(domain.upper)}], outside the parameter's own bounds "
                    f"[{format_number(param.lower)}, {format_number(param.upper)}]. Give "
                    "bounds within them (or a trafo that maps into them)"
                )
        elif domain.is_categ:
            assert domain.levels is not None
            for level in domain.levels:
                if not param.test(level):
                    raise ConfigError(
                        f"takes to_tune() with the level {format_value(level)}, which it "
                        f"rejects: it must be {param.describe()}"
                    )


def to_tune(
    lower: Any = None,
    upper: float | None = None,
    *,
    logscale: bool = False,
    internal: bool = False,
) -> TuneToken:
    """Mark a parameter as "to be tuned" over a range.

    Forms: ``to_tune()`` (the parameter's own bounded range or levels),
    ``to_tune(lower, upper, logscale=False)`` (a numeric range; either bound
    may be ``None`` for the parameter's own), ``to_tune(levels)`` (a list of
    values) and ``to_tune(p_dbl(...))`` (a ready domain, possibly with a trafo).

    Parameters
    ----------
    lower : float, list, Domain or None
        The lower bound, or the levels, or a domain.
    upper : float or None
        The upper bound.
    logscale : bool
        Search ``[lower, upper]`` on the log scale.
    internal : bool
        The learner tunes this parameter itself while training (early stopping
        of the boosting rounds or epochs): the tuner leaves it out of its search
        space, training uses the upper bound, and each configuration records
        the value early stopping chose (mlr3tuning's internal tuning).

    Returns
    -------
    TuneToken

    Examples
    --------
    >>> to_tune(1e-4, 0.1, logscale=True)
    to_tune(0.0001, 0.1, logscale=True)
    """
    for name, flag in (("logscale", logscale), ("internal", internal)):
        if not isinstance(flag, bool):
            raise ConfigError(f"{name} of to_tune() must be True or False. "
                              f"Got {format_value(flag)} instead.")
    token = _make_token(lower, upper, logscale)
    return dataclasses.replace(token, internal=True) if internal else token


def _make_token(lower: Any, upper: float | None, logscale: bool) -> TuneToken:
    """The token of ``to_tune(lower, upper, logscale=...)``: a domain, levels or a range."""
    if isinstance(lower, Domain):
        if upper is not None or logscale:
            raise ConfigError("to_tune(domain) takes no upper bound or logscale: put them "
                              "into the domain, e.g. to_tune(p_dbl(1e-4, 1, logscale=True)).")
        return TuneToken(domain=lower)
    if isinstance(lower, (list, tuple, set, frozenset)) or (
        isinstance(lower, Iterable) and not isinstance(lower, (str, bytes))
    ):
        levels = tuple(sorted(lower, key=repr) if isinstance(lower, (set, frozenset)) else lower)
        if not levels or upper is not None or logscale:
            raise ConfigError(
                "to_tune(levels) takes a non-empty list of values and nothing else. "
                f"Got to_tune({format_value(lower)}, {format_value(upper)}) instead."
            )
        return TuneToken(levels=levels)
    for name, bound in (("lower", lower), ("upper", upper)):
        if bound is not None and (not isinstance(bound, (int, float)) or isinstance(bound, bool)
                                  or math.isnan(bound)):
            raise ConfigError(
                f"The {name} bound of to_tune() must be a number or None (the parameter's "
                f"own bound). Got {format_value(bound)} instead."
            )
    if lower is not None and upper is not None and lower > upper:
        raise ConfigError(
            f"The lower bound of to_tune() must not exceed its upper bound. "
            f"Got to_tune({format_value(lower)}, {format_value(upper)}) instead."
        )
    return TuneToken(lower=lower, upper=upper, logscale=logscale)


def _bound_text(bound: float | None) -> str:
    return "None" if bound is None else format_number(bound)
