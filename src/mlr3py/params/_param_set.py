"""ParamSet: a set of named parameter domains plus their current values (paradox)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.params._conditions import CondAnyOf
from mlr3py.params._dependencies import assert_feasible, dependency_message, infeasible_values
from mlr3py.params._display import param_text
from mlr3py.params._domain import NO_DEFAULT, Domain
from mlr3py.params._format import as_str_set, contains_value, format_ids, format_value
from mlr3py.params._param_set_trafo import ParamSetTrafo, SetTrafo
from mlr3py.params._set_ops import add_dependency, add_set, add_to, by_id, replicate
from mlr3py.params._tune_token import TuneToken
from mlr3py.params._values import ParamValues
from mlr3py.registry import did_you_mean

__all__ = ["ParamSet"]

_DEFAULT_CONTEXT = "ParamSet"
_Problem = tuple[type[ConfigError], str]


class ParamSet(ParamSetTrafo):
    """Named parameter domains and the values currently set for them.

    Parameters
    ----------
    params : mapping of str to Domain, or list of Domain, optional
        The domains, keyed by parameter id (usually built with :func:`ps`), or
        a list of domains that have ids (``ParamDbl(id="x", lower=0, upper=1)``).
    context : str
        How error messages name the owner, e.g. ``"Learner 'classif.rpart'"``.

    Examples
    --------
    >>> from mlr3py.params import ps, p_int, p_fct
    >>> param_set = ps(max_depth=p_int(1, tags="train"), criterion=p_fct(["gini", "entropy"]))
    >>> param_set.values["max_depth"] = 3
    >>> param_set.get_values(tags="train")
    {'max_depth': 3}

    Notes
    -----
    The questions about the domains (``ids()``, ``tags``, ``deps``, ...) come from
    :class:`~mlr3py.params._param_set_info.ParamSetInfo`, the tuning tokens and
    trafos from :class:`~mlr3py.params._param_set_trafo.ParamSetTrafo`.
    """

    def __init__(
        self,
        params: Mapping[str, Domain] | Iterable[Domain] | None = None,
        *,
        context: str = _DEFAULT_CONTEXT,
    ) -> None:
        if params is not None and not isinstance(params, Mapping):
            params = by_id(params)
        self.context = context
        self._trafo: SetTrafo | None = None
        self._params: dict[str, Domain] = {}
        for key, domain in (params or {}).items():
            if not isinstance(key, str) or not key:
                raise ConfigError(
                    f"A parameter id must be a non-empty string. Got {format_value(key)} instead."
                )
            if not isinstance(domain, Domain):
                raise ConfigError(
                    f"The '{key}' parameter must be a domain built with p_int(), p_dbl(), "
                    f"p_fct(), p_lgl() or p_uty(). Got {format_value(domain)} instead."
                )
            self._params[key] = domain.with_id(key)
        for domain in self._params.values():
            on = domain.depends.on if domain.depends is not None else None
            if on is not None and on not in self._params:
                raise ConfigError(
                    f"The '{domain.id}' parameter depends on '{on}', which is not a parameter "
                    f"of {self.context}." + did_you_mean(on, self._params)
                )
            if domain.depends is not None:
                assert domain.id is not None
                assert_feasible(self._params[domain.depends.on], domain.id, domain.depends)
        self._values = ParamValues(self)
        init = {k: d.init for k, d in self._params.items() if d.init is not NO_DEFAULT}
        if init:
            self._values.update(init)


    # -- values ------------------------------------------------------------------------------

    @property
    def values(self) -> ParamValues:
        """The current values; a dict-like that validates every change."""
        return self._values

    @values.setter
    def values(self, new: Mapping[str, Any]) -> None:
        self._assert(new, check_required=False)
        self._values._replace(new)

    def set_values(self, **values: Any) -> ParamSet:
        """Set some values (merged with the current ones, validated together).

        Returns
        -------
        ParamSet
            ``self``, for chaining.
        """
        self._values.update(values)
        return self

    def get_values(
        self, tags: str | Iterable[str] | None = None, *, check_required: bool = False
    ) -> dict[str, Any]:
        """A copy of the values, optionally only of parameters having all ``tags``.

        Parameters
        ----------
        tags : str or iterable of str, optional
            E.g. ``"train"``.
        check_required : bool
            Raise :class:`~mlr3py.errors.ConfigError` if a required parameter is unset.

        Returns
        -------
        dict
        """
        if check_required:
            self._assert(self._values, check_required=True)
        keep = set(self.ids(tags)) if tags is not None else None
        return {k: v for k, v in self._values.items() if keep is None or k in keep}

    # -- checking ----------------------------------------------------------------------------

    def check(self, values: Mapping[str, Any] | None = None, *,
              check_required: bool = True) -> bool | str:
        """Check values (default: the current ones).

        Checks names, types, bounds, levels, dependencies and (unless
        ``check_required=False``) that every ``required`` parameter is set.

        Returns
        -------
        True or str
            ``True`` when valid, else the problems, one per line.
        """
        problems = self._problems(self._values if values is None else values, check_required)
        return True if not problems else "\n".join(msg for _, msg in problems)

    def test(self, values: Mapping[str, Any] | None = None, *,
             check_required: bool = True) -> bool:
        """Whether :meth:`check` passes."""
        return self.check(values, check_required=check_required) is True

    def assert_(self, values: Mapping[str, Any] | None = None, *,
                check_required: bool = True) -> Mapping[str, Any]:
        """Return ``values`` if :meth:`check` passes, else raise.

        Raises
        ------
        UnknownKeyError
            If a name is not a parameter (with "did you mean" suggestions).
        ConfigError
            If a value is invalid, a dependency is not met or a required
            parameter is missing.
        """
        return self._assert(self._values if values is None else values, check_required)

    def _assert(self, values: Any, check_required: bool) -> Any:
        problems = self._problems(values, check_required)
        if problems:
            unknown = any(e is UnknownKeyError for e, _ in problems)
            raise (UnknownKeyError if unknown else ConfigError)("\n".join(m for _, m in problems))
        return values

    def _problems(self, values: Any, check_required: bool) -> list[_Problem]:
        if not isinstance(values, Mapping):
            return [(ConfigError, f"The values of {self.context} must be a dict of parameter "
                                  f"values. Got {format_value(values)} instead.")]
        problems: list[_Problem] = []
        for key, value in values.items():
            domain = self._params.get(key)
            if domain is None:
                problems.append((UnknownKeyError, f"{self.context} has no parameter '{key}'."
                                 + did_you_mean(str(key), self._params)))
                continue
            if isinstance(value, TuneToken):  # its clause names the token already
                ok = value.check(domain)
                if ok is not True:
                    problems.append((ConfigError, f"The '{key}' parameter of {self.context} "
                                                  f"{ok}."))
                    continue
            else:
                ok = domain.check(value)
                if ok is not True:
                    problems.append((ConfigError, f"The '{key}' parameter of {self.context} "
                                                  f"{ok}. Got {format_value(value)} instead."))
                    continue
            if domain.depends is not None and not self._dependency_met(domain, values):
                problems.append((ConfigError, self._dependency_message(domain, values)))
        if check_required:
            missing = [
                k for k in self.ids("required")
                if k not in values and self._dependency_met(self._params[k], values)
            ]
            if missing:
                noun = "parameter" if len(missing) == 1 else "parameters"
                verb = "is" if len(missing) == 1 else "are"
                problems.append((ConfigError, f"The required {noun} {format_ids(missing)} of "
                                              f"{self.context} {verb} not set. Set "
                                              f"{'it' if len(missing) == 1 else 'them'} with "
                                              "param_set.set_values()."))
        return problems

    def _dependency_message(self, domain: Domain, values: Mapping[str, Any]) -> str:
        return dependency_message(self._params, self.context, domain, values)

    # -- tuning ------------------------------------------------------------------------------

    def search_space(self, values: Mapping[str, Any] | None = None) -> ParamSet:
        """The search space described by the :func:`to_tune` tokens among the values.

        Each parameter set to a :class:`TuneToken` becomes a parameter of the
        same id; tokens with ``internal=True`` (parameters the learner tunes
        itself while training) are left out. A dependency is kept where its
        parent is tuned too, unless the
        parent's search domain has a trafo (e.g. ``logscale=True``): the
        condition is on the parent's value, and the search space holds another
        scale, so (as paradox's ``get_tune_ps``) the dependency is left out of
        the search space. The child is then tuned in every configuration, and
        this set still checks the dependency when the tuned values are set.
        A kept ``CondAnyOf`` is narrowed to the values the parent is tuned over.

        Parameters
        ----------
        values : mapping, optional
            Values to read the tokens from (default: the current values).

        Returns
        -------
        ParamSet

        Raises
        ------
        ConfigError
            If a token does not fit its parameter, or a tuned parameter depends on
            values its tuned parent never takes (it could never be active).
        """
        source = self._values if values is None else values
        domains: dict[str, Domain] = {}
        for key, value in source.items():
            if isinstance(value, TuneToken) and not value.internal:
                if key not in self._params:
                    raise UnknownKeyError(f"{self.context} has no parameter '{key}'."
                                          + did_you_mean(str(key), self._params))
                try:
                    domains[key] = value.to_domain(self._params[key])
                except ConfigError as exc:
                    raise ConfigError(f"The '{key}' parameter of {self.context} {exc}.") from None
        for key in domains:
            cond = self._params[key].depends
            if cond is None or cond.on not in domains:
                continue
            parent = domains[cond.on]
            if parent.trafo is not None or parent.logscale:
                continue  # the condition is on values, the search space on another scale
            bad = infeasible_values(parent, cond)
            if bad and isinstance(cond, CondAnyOf) and len(bad) < len(cond.rhs):
                cond = CondAnyOf(cond.on, [v for v in cond.rhs if not contains_value(bad, v)])
            elif bad:
                raise ConfigError(
                    f"The '{key}' parameter of {self.context} is tuned, but it is active only "
                    f"where {cond.describe()}, and '{cond.on}' is tuned over "
                    f"{parent.describe()}, so '{key}' would never be active. Tune "
                    f"'{cond.on}' over a range that includes it, or do not tune '{key}'."
                )
            domains[key] = dataclasses.replace(domains[key], depends=cond)
        return ParamSet(domains)


    # -- derived sets ------------------------------------------------------------------------

    def add(self, param: Domain | ParamSet, id: str | None = None) -> ParamSet:  # noqa: A002
        """Add a parameter (``add(p_dbl(0, 1), id="x")``) or all parameters of a set.

        A set's values come along. Its set-level trafo keeps applying to its
        own parameters' values only, as this set's trafo does to this set's
        (paradox's ``ps_union``); values of other parameters pass through.
        A domain's ``init`` is checked first: when it breaks a dependency,
        nothing is added.

        Parameters
        ----------
        param : Domain or ParamSet
            What to add.
        id : str, optional
            The id of an added domain (default: its own id).

        Returns
        -------
        ParamSet
            ``self``, for chaining.

        Raises
        ------
        ConfigError
            If an id is taken already, a dependency's parent is missing or
            cannot take the values its condition names, or an ``init`` breaks
            a dependency.
        """
        if isinstance(param, ParamSet):
            return add_set(self, param)
        return add_to(self, param, id)

    def add_dep(self, id: str, on: str, cond: Any) -> ParamSet:  # noqa: A002 - paradox's name
        """Make parameter ``id`` depend on parameter ``on``.

        Parameters
        ----------
        id : str
            The dependent parameter.
        on : str
            The parameter it depends on.
        cond : Condition or value
            ``CondEqual(on, value)`` / ``CondAnyOf(on, [values])``, or just the
            value (equal) or a list of values (any of).

        Returns
        -------
        ParamSet
            ``self``, for chaining.

        Raises
        ------
        ConfigError
            If a parameter is unknown, ``id`` depends on something already,
            the condition names another parameter or values the parent cannot
            take (as paradox: "infeasible values"), or the dependencies would
            form a cycle.
        """
        return add_dependency(self, id, on, cond)

    def rep(self, n: int) -> ParamSet:
        """A new set with ``n`` copies of each parameter, ``x_rep_1`` ... ``x_rep_n``.

        Each copy is tagged ``x_rep`` (its group); dependencies point to the
        parent's copy of the same number; each copy has the current value of
        its parameter.

        Returns
        -------
        ParamSet

        Raises
        ------
        ConfigError
            If ``n`` is not an int >= 1, or the set has a set-level trafo (it
            would not know the copies' ids): set ``trafo = None`` first.
        """
        new = ParamSet(replicate(self, n), context=self.context)
        new.values = {f"{key}_rep_{k}": copy.deepcopy(value)
                      for k in range(1, n + 1) for key, value in self._values.items()}
        return new

    def subset(self, ids: Iterable[str], *, allow_dangling_dependencies: bool = False) -> ParamSet:
        """A new set with only the parameters ``ids`` (and their values).

        The set-level :attr:`trafo` is kept (as in paradox); it then sees only
        the values of the kept parameters, so it must not rely on the others.

        Parameters
        ----------
        ids : iterable of str
            Parameter ids to keep, in the order of this set.
        allow_dangling_dependencies : bool
            If False (default), keeping a parameter without the parameter it
            depends on is an error; if True, such dependencies are dropped.
        """
        keep = as_str_set(ids, "ids")
        unknown = sorted(keep - set(self._params))
        if unknown:
            raise UnknownKeyError(
                f"{self.context} has no parameter '{unknown[0]}'."
                + did_you_mean(unknown[0], self._params)
            )
        domains: dict[str, Domain] = {}
        for key, domain in self._params.items():
            if key not in keep:
                continue
            if domain.depends is not None and domain.depends.on not in keep:
                if not allow_dangling_dependencies:
                    raise ConfigError(
                        f"Cannot subset {self.context} to {format_ids(sorted(keep))}: the "
                        f"'{key}' parameter depends on '{domain.depends.on}'. Keep "
                        f"'{domain.depends.on}' too or pass allow_dangling_dependencies=True."
                    )
                domain = dataclasses.replace(domain, depends=None)
            domains[key] = domain
        new = ParamSet(domains, context=self.context)
        new.values = {k: copy.deepcopy(v) for k, v in self._values.items() if k in keep}
        new._trafo = self._set_trafo_fn()
        return new

    def clone(self) -> ParamSet:
        """An independent deep copy: values are deep-copied, immutable domains shared."""
        return copy.deepcopy(self)

    def __copy__(self) -> ParamSet:
        """Same as :meth:`clone`: a shallow copy would share (and corrupt) the values."""
        return self.clone()

    def __deepcopy__(self, memo: dict[int, Any]) -> ParamSet:
        new = object.__new__(type(self))
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            if key == "_params":
                new._params = dict(value)
            elif key == "_values":
                new._values = ParamValues(new)
                new._values._data = copy.deepcopy(value._data, memo)
            else:
                new.__dict__[key] = copy.deepcopy(value, memo)
        return new


    def __repr__(self) -> str:
        header = f"<ParamSet({len(self)})>"
        if self.context != _DEFAULT_CONTEXT:
            header += f" of {self.context}"
        return header + "\n" + param_text(self._params, self._values, with_parents=self.has_deps)
