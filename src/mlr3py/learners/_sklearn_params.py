"""Derive a :class:`~mlr3py.params.ParamSet` from a scikit-learn estimator.

scikit-learn declares what each constructor argument accepts in the class
attribute ``_parameter_constraints`` (see ``sklearn.utils._param_validation``).
This module turns those declarations into domains:

======================================  ===========================================
constraints (``None`` adds a special)   domain
======================================  ===========================================
one ``Interval(Integral, a, b)``        ``p_int(a, b)`` (open bounds moved inwards)
one ``Interval(Real, a, b)``            ``p_dbl(a, b)`` (open bounds checked exactly)
one ``StrOptions({...})``               ``p_fct(levels)``
``"boolean"``                           ``p_lgl()``
``"verbose"``                           ``p_int(0)`` (bools allowed too)
anything else                           ``p_uty`` checked by scikit-learn's constraints
======================================  ===========================================

Defaults come from the estimator's ``__init__`` signature; arguments the given
estimator sets to something else become initial values. Where scikit-learn
rejects combinations of values (see :mod:`mlr3py.learners._sklearn_combinations`),
the set checks them whenever values are set. Every parameter is
tagged ``"train"``; ``n_jobs`` is an int (or None) tagged ``"threads"`` as well.
"""

from __future__ import annotations

import dataclasses
import inspect
from numbers import Integral, Real
from typing import Any

from sklearn.base import BaseEstimator

from mlr3py.errors import ConfigError
from mlr3py.learners._sklearn_combinations import SklearnParamSet, combination_rule
from mlr3py.params import NO_DEFAULT, Domain, ParamSet, p_dbl, p_fct, p_int, p_lgl, p_uty
from mlr3py.params._format import same_value

__all__ = ["SklearnConstraintCheck", "derive_param_set"]


class SklearnConstraintCheck:
    """A ``custom_check`` accepting what any of scikit-learn's constraints accepts.

    Parameters
    ----------
    constraints : list
        Entries of an estimator's ``_parameter_constraints`` for one parameter.
    """

    def __init__(self, constraints: list[Any]) -> None:
        from sklearn.utils._param_validation import Hidden, make_constraint

        self.constraints = list(constraints)
        self._made = [make_constraint(c) for c in self.constraints]
        shown = [
            str(m)
            for c, m in zip(self.constraints, self._made, strict=True)
            if not isinstance(c, Hidden)
        ]
        if len(shown) > 1:
            self.description = ", ".join(shown[:-1]) + " or " + shown[-1]
        else:
            self.description = shown[0] if shown else "a valid value"

    def __call__(self, value: Any) -> bool | str:
        if any(m.is_satisfied_by(value) for m in self._made):
            return True
        return self.description

    def __repr__(self) -> str:
        return f"SklearnConstraintCheck({self.description})"

    # Immutable: copies (e.g. when a learner is cloned) can share it.
    def __copy__(self) -> SklearnConstraintCheck:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> SklearnConstraintCheck:
        return self


def _init_defaults(cls: type) -> dict[str, Any]:
    try:
        sig = inspect.signature(cls)
    except (TypeError, ValueError):
        return {}
    return {
        name: p.default
        for name, p in sig.parameters.items()
        if p.default is not inspect.Parameter.empty
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


def _typed_domain(constraints: list[Any], tags: set[str]) -> Domain | None:
    """The typed domain for simple constraint lists, or None when only p_uty fits."""
    from sklearn.utils._param_validation import Hidden, Interval, StrOptions

    visible = [c for c in constraints if not isinstance(c, Hidden)]
    special = (None,) if any(c is None for c in visible) else ()
    rest = [c for c in visible if c is not None]
    if len(rest) != 1:
        return None
    c = rest[0]
    if isinstance(c, Interval) and c.type is Integral:
        lower = None if c.left is None else c.left + (c.closed in ("right", "neither"))
        upper = None if c.right is None else c.right - (c.closed in ("left", "neither"))
        return p_int(lower, upper, special_vals=special, tags=tags)
    if isinstance(c, Interval) and issubclass(c.type, Real):
        domain = p_dbl(c.left, c.right, special_vals=special, tags=tags)
        if c.closed != "both" and (c.left is not None or c.right is not None):
            domain = dataclasses.replace(domain, custom_check=SklearnConstraintCheck([c]))
        return domain
    if isinstance(c, StrOptions):
        return p_fct(sorted(c.options), special_vals=special, tags=tags)
    if c == "boolean":
        return p_lgl(special_vals=special, tags=tags)
    if c == "verbose":
        return p_int(0, special_vals=(*special, False, True), tags=tags)
    return None


def _domain(name: str, constraints: list[Any] | None, default: Any) -> Domain:
    tags = {"train", "threads"} if name == "n_jobs" else {"train"}
    domain: Domain | None = None
    if name == "n_jobs":
        domain = p_int(special_vals=(None,), tags=tags)
    elif constraints is not None:
        domain = _typed_domain(constraints, tags)
        if domain is None:
            domain = p_uty(SklearnConstraintCheck(constraints), tags=tags)
    if domain is None:
        domain = p_uty(tags=tags)
    if default is not NO_DEFAULT and domain.test(default):
        domain = dataclasses.replace(domain, default=default)
    return domain


def derive_param_set(estimator: BaseEstimator) -> ParamSet:
    """A ParamSet describing ``estimator``'s constructor arguments.

    Parameters
    ----------
    estimator : sklearn.base.BaseEstimator
        The estimator; arguments it sets away from the class defaults become
        the parameter set's values.

    Returns
    -------
    ParamSet
        One domain per entry of ``estimator.get_params(deep=False)``.
    """
    cls = type(estimator)
    constraints: dict[str, list[Any]] = getattr(cls, "_parameter_constraints", {}) or {}
    defaults = _init_defaults(cls)
    current = estimator.get_params(deep=False)
    domains = {
        name: _domain(name, constraints.get(name), defaults.get(name, NO_DEFAULT))
        for name in current
    }
    rule = combination_rule(estimator)
    param_set = (
        ParamSet(domains) if rule is None else SklearnParamSet(domains, rule=rule, base=current)
    )
    values = {
        name: value
        for name, value in current.items()
        if name not in defaults or not same_value(value, defaults[name])
    }
    try:
        param_set.set_values(**values)
    except ConfigError as exc:
        raise ConfigError(
            f"The scikit-learn estimator {cls.__name__} is configured with values its own "
            f"constraints reject: {exc}"
        ) from exc
    return param_set
