"""ParamSetCollection: several parameter sets under prefixed ids (paradox).

A pipeline's parameters are those of its operators, each under the
operator's id: ``scale.center``, ``pca.rank``. The collection holds no values
of its own; reading ``collection.values`` gathers the member sets' values and
setting them (validated as a whole first) writes through to the members, so
``collection.values["scale.center"] = False`` sets ``center`` of the ``scale``
member.

Examples
--------
>>> from mlr3py.params import ps, p_lgl, p_int, ParamSetCollection
>>> scale, pca = ps(center=p_lgl()), ps(rank=p_int(1))
>>> collection = ParamSetCollection({"scale": scale, "pca": pca})
>>> collection.values["scale.center"] = False
>>> scale.values["center"]
False
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.params._domain import Domain
from mlr3py.params._format import format_value
from mlr3py.params._param_set import ParamSet
from mlr3py.params._param_set_trafo import SetTrafo
from mlr3py.params._values import ParamValues

__all__ = ["ParamSetCollection"]


class ParamSetCollection(ParamSet):
    """Parameter sets combined under prefixed ids; values live in the member sets.

    Parameters
    ----------
    sets : mapping of str to ParamSet, or sequence of ParamSet
        Prefix -> set (``""`` for no prefix); a sequence adds no prefixes.
    context : str
        How error messages name the owner.
    """

    def __init__(self, sets: Mapping[str, ParamSet] | Sequence[ParamSet], *,
                 context: str = "ParamSetCollection") -> None:
        if isinstance(sets, Mapping):
            pairs = list(sets.items())
        elif isinstance(sets, Sequence) and not isinstance(sets, (str, bytes)):
            pairs = [("", s) for s in sets]
        else:
            raise ConfigError(f"ParamSetCollection needs a dict prefix -> ParamSet or a "
                              f"list of ParamSets. Got {format_value(sets)} instead.")
        seen: dict[int, str] = {}
        for prefix, member in pairs:
            if isinstance(member, ParamSet) and id(member) in seen:
                raise ConfigError(
                    f"ParamSetCollection got the same ParamSet object under the prefixes "
                    f"'{seen[id(member)]}' and '{prefix}'; its values would be shared and "
                    "overwrite each other. Pass a copy for the second: param_set.clone()."
                )
            seen[id(member)] = prefix
        self._sets: list[tuple[str, ParamSet]] = pairs
        domains: dict[str, Domain] = {}
        self._owner: dict[str, tuple[int, str]] = {}
        for i, (prefix, member) in enumerate(self._sets):
            if not isinstance(prefix, str) or not isinstance(member, ParamSet):
                raise ConfigError(f"ParamSetCollection needs ParamSets under string prefixes. "
                                  f"Got {format_value(prefix)}: {format_value(member)}.")
            for key, domain in member.params.items():
                full = _join(prefix, key)
                if full in domains:
                    raise ConfigError(f"ParamSetCollection has the id '{full}' twice; give the "
                                      "sets distinct prefixes.")
                dep = domain.depends
                if dep is not None:
                    dep = dataclasses.replace(dep, on=_join(prefix, dep.on))
                domains[full] = dataclasses.replace(domain, id=None, depends=dep)
                self._owner[full] = (i, key)
        super().__init__(domains, context=context)
        self._values = _CollectionValues(self)

    @property
    def sets(self) -> dict[str, ParamSet]:
        """The member sets by prefix (``""`` for unprefixed ones, the last of them)."""
        return dict(self._sets)

    def add(self, param: Domain | ParamSet, id: str | None = None) -> ParamSet:  # noqa: A002
        """Not supported: build a new collection with the extra set instead."""
        raise ConfigError("A ParamSetCollection cannot grow: build a new ParamSetCollection "
                          "with the extra set.")

    def _apply_set_trafo(self, point: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {k: v for k, v in point.items() if k not in self._owner}
        for i, (prefix, member) in enumerate(self._sets):
            sub = {key: point[full] for full, (j, key) in self._owner.items()
                   if j == i and full in point}
            if member._has_set_trafo():  # an inner collection: its members' trafos too
                sub = member._apply_set_trafo(sub)
            out.update({_join(prefix, k): v for k, v in sub.items()})
        return super()._apply_set_trafo(out)

    def _has_set_trafo(self) -> bool:
        return self._trafo is not None or any(m._has_set_trafo() for _, m in self._sets)

    def _set_trafo_fn(self) -> SetTrafo | None:
        if not self._has_set_trafo():
            return None
        return _CollectionTrafo(copy.deepcopy(self))

    def _distribute(self, new: Mapping[str, Any]) -> None:
        subs: list[dict[str, Any]] = [{} for _ in self._sets]
        for full, value in new.items():
            i, key = self._owner[full]
            subs[i][key] = value
        for (_, member), sub in zip(self._sets, subs, strict=True):
            member.values = sub

    def _gather(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for prefix, member in self._sets:
            out.update({_join(prefix, k): v for k, v in member.values.items()})
        return {k: out[k] for k in self._params if k in out}

    def __deepcopy__(self, memo: dict[int, Any]) -> ParamSetCollection:
        new = object.__new__(type(self))
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            if key != "_values":
                new.__dict__[key] = copy.deepcopy(value, memo)
        new._values = _CollectionValues(new)
        return new


class _CollectionTrafo:
    """A collection's set-level trafos (its members' and its own) for a set built from it.

    Holds a copy of the collection, so later changes to the members do not reach it.
    """

    def __init__(self, collection: ParamSetCollection) -> None:
        self.collection = collection

    def __call__(self, x: dict[str, Any], param_set: ParamSet) -> Mapping[str, Any]:
        owned = self.collection._params
        out = {k: v for k, v in x.items() if k not in owned}
        out.update(self.collection._apply_set_trafo({k: v for k, v in x.items() if k in owned}))
        return out


class _CollectionValues(ParamValues):
    """``collection.values``: reads gather the members' values, writes go to them."""

    def __init__(self, param_set: ParamSetCollection) -> None:  # no own storage
        self._param_set = param_set
        self._collection = param_set

    @property  # type: ignore[override]
    def _data(self) -> dict[str, Any]:
        return self._collection._gather()

    @_data.setter
    def _data(self, new: dict[str, Any]) -> None:
        self._collection._distribute(new)

    def _replace(self, new: Mapping[str, Any]) -> None:
        self._collection._distribute(new)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key
