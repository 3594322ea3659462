"""Whether a parameter's dependency is met, and what to say when it is not (paradox's deps).

A parameter that depends on another (``add_dep(id, on, cond)``) may be set only while
its condition holds for the parent's value, or for the parent's default when the
parent is unset. A parent that is itself inactive (its own dependency not met) meets
no condition, whatever its value or default, as in paradox.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.params._conditions import CondAnyOf, CondEqual, Condition
from mlr3py.params._domain import NO_DEFAULT, Domain
from mlr3py.params._format import format_value
from mlr3py.params._tune_token import TuneToken
from mlr3py.registry import did_you_mean

__all__ = ["assert_feasible", "dependency_message", "dependency_met", "infeasible_values"]


def infeasible_values(parent: Domain, cond: Condition) -> list[Any]:
    """The values a condition compares with that ``parent`` cannot take.

    Only :class:`CondEqual` and :class:`CondAnyOf` are looked into; other
    conditions give ``[]``.
    """
    if isinstance(cond, CondAnyOf):
        rhs = list(cond.rhs)
    elif isinstance(cond, CondEqual):
        rhs = [cond.rhs]
    else:
        return []
    return [v for v in rhs if parent.check(v) is not True]


def assert_feasible(parent: Domain, id: str, cond: Condition) -> None:  # noqa: A002
    """Raise unless the parent can take every value the condition of ``id`` names.

    As paradox's ``add_dep()`` ("Condition has infeasible values"): a condition
    on a value the parent never takes is a typo, not a dependency.

    Raises
    ------
    ConfigError
        Naming the values, the parent and its levels or bounds.
    """
    bad = infeasible_values(parent, cond)
    if not bad:
        return
    what = ", ".join(format_value(v) for v in bad)
    hint = ""
    if parent.levels is not None:
        levels = [str(lv) for lv in parent.levels]
        hint = "".join(did_you_mean(str(v), levels) for v in bad if isinstance(v, str))
    raise ConfigError(
        f"The condition of the '{id}' parameter ({cond.describe()}) names "
        f"{'a value' if len(bad) == 1 else 'values'} the '{cond.on}' parameter cannot take: "
        f"{what}; '{cond.on}' is {parent.describe()}.{hint} Give values of '{cond.on}' in "
        "the condition."
    )


def _parent_value(params: Mapping[str, Domain], on: str, values: Mapping[str, Any]) -> Any:
    if on in values:
        return values[on]
    return params[on].default


def _inactive_parent(params: Mapping[str, Domain], domain: Domain,
                     values: Mapping[str, Any]) -> str | None:
    """The nearest ancestor of ``domain`` whose own dependency is not met, if any."""
    seen = {domain.id}
    cond = domain.depends
    while cond is not None and cond.on not in seen:
        seen.add(cond.on)
        parent = params[cond.on]
        if parent.depends is not None and not _own_condition_met(params, parent, values):
            return parent.id
        cond = parent.depends
    return None


def _own_condition_met(params: Mapping[str, Domain], domain: Domain,
                       values: Mapping[str, Any]) -> bool:
    assert domain.depends is not None
    parent = _parent_value(params, domain.depends.on, values)
    if isinstance(parent, TuneToken):  # decided per configuration when tuning
        return True
    return parent is not NO_DEFAULT and domain.depends.test(parent)


def dependency_met(params: Mapping[str, Domain], domain: Domain,
                   values: Mapping[str, Any]) -> bool:
    """Whether ``domain`` may be set given ``values`` (always, if it has no dependency).

    Parameters
    ----------
    params : mapping of str to Domain
        All parameters of the set, by id.
    domain : Domain
        The parameter asked about.
    values : mapping
        The values set (unset parents count with their defaults).

    Returns
    -------
    bool
    """
    if domain.depends is None:
        return True
    return (_own_condition_met(params, domain, values)
            and _inactive_parent(params, domain, values) is None)


def dependency_message(params: Mapping[str, Domain], context: str, domain: Domain,
                       values: Mapping[str, Any]) -> str:
    """Why ``domain`` cannot be set given ``values``, and what to change.

    Parameters
    ----------
    params : mapping of str to Domain
        All parameters of the set, by id.
    context : str
        How the message names the set's owner (``"Learner 'classif.rpart'"``).
    domain : Domain
        A parameter whose dependency is not met.
    values : mapping
        The values set.

    Returns
    -------
    str
    """
    cond = domain.depends
    assert cond is not None
    parent = _parent_value(params, cond.on, values)
    inactive = _inactive_parent(params, domain, values)
    if inactive is not None and _own_condition_met(params, domain, values):
        inactive_domain = params[inactive]
        assert inactive_domain.depends is not None
        root = inactive_domain.depends.on
        root_value = _parent_value(params, root, values)
        root_got = ("unset" if root_value is NO_DEFAULT
                    else f"= {format_value(root_value)}")
        return (f"The '{domain.id}' parameter of {context} can only be set when "
                f"{cond.describe()}, and '{cond.on}' is inactive: '{inactive}' can only "
                f"be set when {inactive_domain.depends.describe()}. Got '{root}' "
                f"{root_got} instead. Change '{root}' or unset '{domain.id}' "
                f"(del param_set.values['{domain.id}']).")
    if parent is NO_DEFAULT:
        got = f"'{cond.on}' unset (it has no default)"
    elif cond.on in values:
        got = f"'{cond.on}' = {format_value(parent)}"
    else:
        got = f"'{cond.on}' = {format_value(parent)} (its default)"
    return (f"The '{domain.id}' parameter of {context} can only be set when "
            f"{cond.describe()}. Got {got} instead. Change '{cond.on}' or unset "
            f"'{domain.id}' (del param_set.values['{domain.id}']).")
