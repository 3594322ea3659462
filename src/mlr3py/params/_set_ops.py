"""Growing parameter sets: ``add()``, ``add_dep()`` and ``rep()`` (paradox).

The bodies of the :class:`~mlr3py.params.ParamSet` methods of the same names,
kept apart so that the set's own module stays about values and checking.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.params._conditions import Condition, as_condition
from mlr3py.params._dependencies import assert_feasible
from mlr3py.params._domain import NO_DEFAULT, Domain
from mlr3py.params._format import format_ids, format_value
from mlr3py.registry import did_you_mean

if TYPE_CHECKING:
    from mlr3py.params._param_set import ParamSet, SetTrafo

__all__ = ["UnionTrafo", "add_dependency", "add_set", "add_to", "by_id", "replicate"]


def add_set(param_set: ParamSet, other: ParamSet) -> ParamSet:
    """The body of :meth:`ParamSet.add` for a set: its parameters, values and trafo.

    Each set's set-level trafo keeps applying to its own parameters' values only
    (:class:`UnionTrafo`), as paradox's ``ps_union()`` does.
    """
    taken = [k for k in other.params if k in param_set._params]
    if taken:
        raise ConfigError(f"Cannot add the parameters {format_ids(taken)} to "
                          f"{param_set.context}: it has them already. Rename them first.")
    mine, theirs = param_set._set_trafo_fn(), other._set_trafo_fn()
    own_ids = frozenset(param_set._params)
    param_set._params.update(other.params)
    param_set._values._replace({**param_set._values, **other.values})
    if theirs is not None:
        parts = _parts(mine, own_ids) if mine is not None else []
        param_set._trafo = UnionTrafo([*parts, *_parts(theirs, frozenset(other.params))])
    return param_set


def _parts(fn: SetTrafo, ids: frozenset[str]) -> list[tuple[frozenset[str], SetTrafo]]:
    return list(fn.parts) if isinstance(fn, UnionTrafo) else [(ids, fn)]


def add_to(param_set: ParamSet, param: Any, id: str | None) -> ParamSet:  # noqa: A002
    """The body of :meth:`ParamSet.add` for a domain (anything else is an error)."""
    if not isinstance(param, Domain):
        raise ConfigError(f"add() takes a domain such as p_dbl(0, 1) or a ParamSet. "
                          f"Got {format_value(param)} instead.")
    key = id if id is not None else param.id
    if key is None:
        raise ConfigError("add() needs the id of the new parameter: add(p_dbl(0, 1), id='x').")
    if key in param_set._params:
        raise ConfigError(f"{param_set.context} has a parameter '{key}' already. Pick another id.")
    domain = param.with_id(key)
    if domain.depends is not None:
        if domain.depends.on not in param_set._params:
            raise ConfigError(f"The '{key}' parameter depends on '{domain.depends.on}', which "
                              f"is not a parameter of {param_set.context}."
                              + did_you_mean(domain.depends.on, param_set._params))
        assert_feasible(param_set._params[domain.depends.on], key, domain.depends)
    previous = dict(param_set._params)
    param_set._params[key] = domain
    if domain.init is not NO_DEFAULT:
        try:  # all or nothing: an init that breaks a dependency leaves the set as it was
            param_set._values[key] = domain.init
        except Exception:
            param_set._params = previous
            raise
    return param_set


def add_dependency(param_set: ParamSet, id: str, on: str, cond: Any) -> ParamSet:  # noqa: A002
    """The body of :meth:`ParamSet.add_dep`."""
    for key in (id, on):
        if key not in param_set._params:
            raise UnknownKeyError(f"{param_set.context} has no parameter '{key}'."
                                  + did_you_mean(str(key), param_set._params))
    if isinstance(cond, Condition):
        if cond.on != on:
            raise ConfigError(f"add_dep('{id}', on='{on}', ...) got a condition on "
                              f"'{cond.on}'. Build it on '{on}': {type(cond).__name__}"
                              f"('{on}', ...).")
    else:
        cond = as_condition((on, cond))
    assert cond is not None
    assert_feasible(param_set._params[on], id, cond)
    domain = param_set._params[id]
    if domain.depends is not None:
        raise ConfigError(f"The '{id}' parameter of {param_set.context} depends on "
                          f"'{domain.depends.on}' already ({domain.depends.describe()}); a "
                          "parameter has one dependency.")
    parent: str | None = on
    while parent is not None:
        if parent == id:
            raise ConfigError(f"'{id}' cannot depend on '{on}': '{on}' depends on '{id}', "
                              "and dependencies must not form a cycle.")
        up = param_set._params[parent].depends
        parent = up.on if up is not None else None
    previous = dict(param_set._params)
    param_set._params[id] = dataclasses.replace(domain, depends=cond)
    try:
        param_set._assert(param_set._values, check_required=False)
    except ConfigError:
        param_set._params = previous
        raise
    return param_set


def replicate(param_set: ParamSet, n: int) -> dict[str, Domain]:
    """The domains of :meth:`ParamSet.rep`: ``n`` copies of each parameter."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ConfigError(f"n of rep() must be an int >= 1. Got {format_value(n)} instead.")
    if param_set._has_set_trafo():
        raise ConfigError(f"Cannot rep() {param_set.context}: it has a set-level trafo, which "
                          "works on the ids of the original parameters, not on those of the "
                          "copies ('x_rep_1', ...). Set param_set.trafo = None first and give "
                          "the replicated set its own trafo.")
    domains: dict[str, Domain] = {}
    for k in range(1, n + 1):
        for key, d in param_set._params.items():
            dep = d.depends
            if dep is not None:
                dep = dataclasses.replace(dep, on=f"{dep.on}_rep_{k}")
            domains[f"{key}_rep_{k}"] = dataclasses.replace(
                d, id=None, depends=dep, tags=d.tags | {f"{key}_rep"})
    return domains


def by_id(params: Any) -> dict[str, Domain]:
    if isinstance(params, (str, bytes)) or not isinstance(params, Iterable):
        raise ConfigError("The parameters of a ParamSet must be a dict id -> domain or a list of "
                          f"domains with ids. Got {format_value(params)} instead.")
    out: dict[str, Domain] = {}
    for domain in params:
        if not isinstance(domain, Domain) or domain.id is None:
            raise ConfigError("A list of parameters for a ParamSet must hold domains with ids, "
                              "e.g. ParamDbl(id='x', lower=0, upper=1). "
                              f"Got {format_value(domain)} instead.")
        if domain.id in out:
            raise ConfigError(f"The list of parameters for a ParamSet has two parameters with "
                              f"the id '{domain.id}'. Give each parameter its own id.")
        out[domain.id] = domain
    return out


class UnionTrafo:
    """The set trafos of sets joined with :meth:`ParamSet.add`, each on its own values.

    Each part's trafo receives only the values of its own parameters (and the
    joined set as ``param_set``); values of parameters of no part pass through.

    Parameters
    ----------
    parts : sequence of (frozenset of str, callable)
        The ids of a set's parameters and that set's trafo.
    """

    def __init__(self, parts: Sequence[tuple[frozenset[str], SetTrafo]]) -> None:
        self.parts = tuple((frozenset(ids), fn) for ids, fn in parts)

    def __call__(self, x: dict[str, Any], param_set: ParamSet) -> Mapping[str, Any]:
        owned = frozenset().union(*(ids for ids, _ in self.parts))
        out = {k: v for k, v in x.items() if k not in owned}
        for ids, fn in self.parts:
            result = fn({k: v for k, v in x.items() if k in ids}, param_set)
            if not isinstance(result, Mapping):
                raise ConfigError(f"The trafo of the parameters {format_ids(sorted(ids))} of "
                                  f"{param_set.context} must return a dict of values. "
                                  f"Got {format_value(result)} instead.")
            out.update(result)
        return out
