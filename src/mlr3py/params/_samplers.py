"""Samplers (paradox's ``Sampler`` classes): draw a :class:`Design` of ``n`` points.

One-dimensional samplers draw one parameter: uniformly
(:class:`Sampler1DUnif`), by level probabilities (:class:`Sampler1DCateg`),
from a normal truncated at the bounds (:class:`Sampler1DNormal`) or from a
user function (:class:`Sampler1DRfun`). :class:`SamplerJointIndep` combines
samplers of disjoint parameters; :class:`SamplerHierarchical` draws a
parameter only in the rows where its dependency holds; :class:`SamplerUnif`
draws every parameter uniformly, respecting dependencies.

Examples
--------
>>> from mlr3py.params import ps, p_dbl, p_fct, Sampler1DCateg, Sampler1DUnif
>>> from mlr3py.params import SamplerHierarchical
>>> param_set = ps(A=p_fct(["a", "b"]), B=p_dbl(0, 1, depends=("A", "a")))
>>> sampler = SamplerHierarchical(param_set, [Sampler1DCateg(param_set.subset(["A"])),
...                                           Sampler1DUnif(param_set.subset(["B"],
...                                               allow_dangling_dependencies=True))])
>>> sampler.sample(4, seed=1).data.shape
(4, 2)
"""

from __future__ import annotations

import dataclasses
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.params._design import (
    Design,
    active_rows,
    as_generator,
    assert_samplable,
    column,
    dependency_order,
)
from mlr3py.params._domain import Domain
from mlr3py.params._format import format_value
from mlr3py.params._param_set import ParamSet

__all__ = [
    "Sampler",
    "Sampler1D",
    "Sampler1DCateg",
    "Sampler1DNormal",
    "Sampler1DRfun",
    "Sampler1DUnif",
    "SamplerHierarchical",
    "SamplerJointIndep",
    "SamplerUnif",
]


class Sampler(ABC):
    """Base class: ``sample(n, seed=None) -> Design`` over :attr:`param_set`."""

    def __init__(self, param_set: ParamSet) -> None:
        if not isinstance(param_set, ParamSet):
            raise ConfigError(f"{type(self).__name__} needs a ParamSet. "
                              f"Got {format_value(param_set)} instead.")
        assert_samplable(param_set)
        self.param_set = param_set

    def sample(self, n: int, seed: Any = None) -> Design:
        """Draw ``n`` points.

        Parameters
        ----------
        n : int
            Number of points (>= 0; 0 gives an empty design).
        seed : int, numpy.random.Generator or None
            The same seed gives the same design.

        Returns
        -------
        Design
        """
        _check_n(n, type(self).__name__)
        rng = as_generator(seed)
        values = self._sample_columns(int(n), rng)
        data = {k: column(self.param_set.params[k], values[k]) for k in self.param_set.params}
        frame = pd.DataFrame(data, columns=list(self.param_set.params), index=range(int(n)))
        return Design(self.param_set, frame)

    @abstractmethod
    def _sample_columns(self, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """One array of ``n`` values per parameter."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}> for {self.param_set.ids()}"


def _check_n(n: Any, who: str) -> None:
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ConfigError(f"n of {who}.sample() must be an int >= 0. "
                          f"Got {format_value(n)} instead.")


class Sampler1D(Sampler):
    """A sampler of one parameter: a ParamSet of size 1 (e.g. ``ps.subset(['x'])``)."""

    def __init__(self, param: ParamSet | Domain) -> None:
        if isinstance(param, Domain):
            if param.id is None:
                raise ConfigError(f"{type(self).__name__} needs a parameter with an id, e.g. "
                                  "param_set.params['x'] or param_set.subset(['x']).")
            param = ParamSet({param.id: dataclasses.replace(param, depends=None)})
        if isinstance(param, ParamSet) and len(param) != 1:
            raise ConfigError(f"{type(self).__name__} samples one parameter; got a ParamSet of "
                              f"{param.ids()}. Pass param_set.subset(['id']).")
        super().__init__(param)

    @property
    def param(self) -> Domain:
        """The sampled parameter's domain."""
        return next(iter(self.param_set.params.values()))

    @property
    def id(self) -> str:
        """The sampled parameter's id."""
        return next(iter(self.param_set.params))

    def _sample_columns(self, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        return {self.id: self.sample_values(n, rng)}

    @abstractmethod
    def sample_values(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` values of the parameter."""


class Sampler1DUnif(Sampler1D):
    """Uniform over a bounded numeric range or the levels."""

    def sample_values(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` uniform values (through the domain's ``qunif``)."""
        return np.asarray(self.param.qunif(rng.random(n)))


class Sampler1DCateg(Sampler1D):
    """Levels of a categorical or logical parameter, with probabilities.

    Parameters
    ----------
    param : ParamSet
        One ParamFct or ParamLgl.
    prob : sequence or mapping of float, optional
        One probability per level (in level order, or level -> probability);
        uniform by default. They must sum to 1.
    """

    def __init__(self, param: ParamSet | Domain,
                 prob: Sequence[float] | Mapping[Any, float] | None = None) -> None:
        super().__init__(param)
        if not self.param.is_categ:
            raise ConfigError(f"Sampler1DCateg samples categorical and logical parameters; the "
                              f"'{self.id}' parameter is {self.param.cls}. Use Sampler1DUnif.")
        levels = list(self.param.levels or ())
        if prob is None:
            probs = np.full(len(levels), 1 / len(levels))
        else:
            if isinstance(prob, Mapping):
                missing = [lv for lv in levels if lv not in prob]
                if missing or len(prob) != len(levels):
                    raise ConfigError(f"prob of Sampler1DCateg must give each level of '{self.id}' "
                                      f"({levels}) a probability. Got {format_value(prob)}.")
                prob = [prob[lv] for lv in levels]
            probs = np.asarray(prob, dtype=float)
            if (probs.shape != (len(levels),) or np.any(probs < 0)
                    or not np.isclose(probs.sum(), 1.0)):
                raise ConfigError(
                    f"prob of Sampler1DCateg must be {len(levels)} non-negative numbers summing "
                    f"to 1, one per level of '{self.id}' ({levels}). Got {format_value(prob)} "
                    "instead."
                )
        self.prob = probs

    def sample_values(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` levels drawn with :attr:`prob`."""
        levels = np.empty(len(self.prob), dtype=object)
        levels[:] = list(self.param.levels or ())
        return levels[rng.choice(len(self.prob), size=n, p=self.prob)]


class Sampler1DNormal(Sampler1D):
    """A normal distribution truncated at the bounds (:data:`scipy.stats.truncnorm`).

    Parameters
    ----------
    param : ParamSet
        One bounded ParamDbl.
    mean, sd : float, optional
        Default: the middle of the range and a quarter of its width.
    """

    def __init__(self, param: ParamSet | Domain, mean: float | None = None, sd: float | None = None
                 ) -> None:
        super().__init__(param)
        domain = self.param
        if domain.cls != "ParamDbl":
            raise ConfigError(f"Sampler1DNormal samples ParamDbl parameters; the '{self.id}' "
                              f"parameter is {domain.cls}.")
        assert domain.lower is not None and domain.upper is not None
        for name, value in (("mean", mean), ("sd", sd)):
            if value is not None and (not isinstance(value, (int, float, np.number))
                                      or isinstance(value, (bool, np.bool_))
                                      or not math.isfinite(value)):
                raise ConfigError(f"{name} of Sampler1DNormal for '{self.id}' must be a finite "
                                  f"number. Got {format_value(value)} instead.")
        self.mean = (domain.lower + domain.upper) / 2 if mean is None else float(mean)
        self.sd = (domain.upper - domain.lower) / 4 if sd is None else float(sd)
        if not self.sd > 0:
            raise ConfigError(f"sd of Sampler1DNormal for '{self.id}' must be > 0. "
                              f"Got {format_value(self.sd)} instead.")

    def sample_values(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws of the truncated normal."""
        from scipy.stats import truncnorm

        lower, upper = self.param.lower, self.param.upper
        assert lower is not None and upper is not None
        a, b = (lower - self.mean) / self.sd, (upper - self.mean) / self.sd
        draws = truncnorm.rvs(a, b, loc=self.mean, scale=self.sd, size=n, random_state=rng)
        return np.clip(np.asarray(draws, dtype=float), lower, upper)


class Sampler1DRfun(Sampler1D):
    """Values from a user function ``fn(n) -> n values``.

    Parameters
    ----------
    param : ParamSet
        One parameter.
    fn : callable
        ``fn(n)`` returns ``n`` values. It receives the numpy Generator (for
        reproducibility) as ``fn(n, rng)`` if it has two required positional
        parameters, or as ``fn(n, rng=rng)`` if it has a parameter named
        ``rng``. Parameters with defaults are left to their defaults, and a
        function whose signature cannot be read (some builtins) gets ``n`` only.
    trunc : bool
        Clip numbers to the parameter's bounds (else out-of-range values raise).
    rfun : callable, optional
        paradox's name for ``fn`` (``Sampler1DRfun(param, rfun=...)``); give one of the two.
    """

    def __init__(self, param: ParamSet | Domain, fn: Callable[..., Any] | None = None,
                 trunc: bool = True, *, rfun: Callable[..., Any] | None = None) -> None:
        super().__init__(param)
        if rfun is not None:
            if fn is not None:
                raise ConfigError("Sampler1DRfun got both fn= and rfun=; rfun is paradox's "
                                  "name for fn, pass only one of them.")
            fn = rfun
        if not callable(fn):
            raise ConfigError(f"fn of Sampler1DRfun must be a function fn(n) returning n values. "
                              f"Got {format_value(fn)} instead.")
        self.fn = fn
        self.trunc = trunc
        self._rng_as = _rng_argument(fn)

    def sample_values(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Call ``fn`` and check its values."""
        if self._rng_as == "positional":
            values = np.asarray(self.fn(n, rng))
        elif self._rng_as == "keyword":
            values = np.asarray(self.fn(n, rng=rng))
        else:
            values = np.asarray(self.fn(n))
        if values.shape != (n,):
            raise ConfigError(f"fn of Sampler1DRfun for '{self.id}' must return {n} values. "
                              f"Got an array of shape {values.shape} instead.")
        domain = self.param
        if domain.is_number and self.trunc:
            values = np.clip(values, domain.lower, domain.upper)
            if domain.cls == "ParamInt":
                values = np.round(values).astype(np.int64)
        for value in values:
            value = value.item() if isinstance(value, np.generic) else value
            ok = domain.check(value)
            if ok is not True:
                raise ConfigError(f"fn of Sampler1DRfun returned {format_value(value)} for the "
                                  f"'{self.id}' parameter, which {ok}.")
        return values


def _rng_argument(fn: Callable[..., Any]) -> str | None:
    """How :class:`Sampler1DRfun` hands ``fn`` the generator: positional, keyword or not."""
    import inspect

    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # a builtin without a readable signature: n only
        return None
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = [p for p in params if p.kind in positional and p.default is p.empty]
    required_kw = [p.name for p in params
                   if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is p.empty
                   and p.name != "rng"]
    if len(required) > 2 or required_kw:
        names = [p.name for p in required] + required_kw
        raise ConfigError(f"fn of Sampler1DRfun must be callable as fn(n) or fn(n, rng); it "
                          f"requires the arguments {names}. Give the others defaults, e.g. "
                          "functools.partial(fn, ...).")
    if len(required) == 2:
        return "positional"
    if any(p.name == "rng" and p.kind is not inspect.Parameter.POSITIONAL_ONLY for p in params):
        return "keyword"
    if not required and not any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
        if not any(p.kind in positional for p in params):
            raise ConfigError("fn of Sampler1DRfun must take the number of values n as its "
                              "first argument: fn(n) or fn(n, rng).")
    return None


class SamplerJointIndep(Sampler):
    """Samplers of disjoint parameters, drawn independently side by side."""

    def __init__(self, samplers: Sequence[Sampler]) -> None:
        samplers = list(samplers)
        if not samplers or not all(isinstance(s, Sampler) for s in samplers):
            raise ConfigError(f"SamplerJointIndep needs a non-empty list of samplers. "
                              f"Got {format_value(samplers)} instead.")
        combined = ParamSet()
        for sampler in samplers:
            for key, domain in sampler.param_set.params.items():
                if key in combined.params:
                    raise ConfigError(f"Two samplers of SamplerJointIndep sample '{key}'; each "
                                      "parameter may be sampled by one only.")
                combined.add(dataclasses.replace(domain, depends=None), id=key)
        super().__init__(combined)
        self.samplers = samplers

    def _sample_columns(self, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for sampler in self.samplers:
            out.update(sampler._sample_columns(n, rng))
        return out


class SamplerHierarchical(Sampler):
    """Draws each parameter only in the rows where its dependency holds.

    Parents are drawn before their children; a child's sampler draws as many
    values as there are rows where it is active; elsewhere it is NaN / None.

    Parameters
    ----------
    param_set : ParamSet
        The parameters, with their dependencies.
    samplers : sequence of Sampler1D
        One sampler per parameter.
    """

    def __init__(self, param_set: ParamSet, samplers: Sequence[Sampler1D]) -> None:
        super().__init__(param_set)
        by_id: dict[str, Sampler1D] = {}
        for sampler in samplers:
            if not isinstance(sampler, Sampler1D):
                raise ConfigError(f"SamplerHierarchical takes one Sampler1D* per parameter. "
                                  f"Got {format_value(sampler)} instead.")
            if sampler.id not in param_set.params:
                raise ConfigError(f"SamplerHierarchical got a sampler for '{sampler.id}', which "
                                  f"is not a parameter of {param_set.context} "
                                  f"({param_set.ids()}).")
            if sampler.id in by_id:
                raise ConfigError(f"SamplerHierarchical got two samplers for '{sampler.id}' "
                                  f"({type(by_id[sampler.id]).__name__} and "
                                  f"{type(sampler).__name__}). Give one sampler per parameter.")
            _assert_inside(sampler, param_set)
            by_id[sampler.id] = sampler
        missing = [k for k in param_set.params if k not in by_id]
        if missing:
            raise ConfigError(f"SamplerHierarchical needs a sampler for each parameter; none "
                              f"for {missing}.")
        self.samplers = by_id

    def sample(self, n: int, seed: Any = None) -> Design:
        """Draw ``n`` points; inactive entries are NaN / None."""
        _check_n(n, type(self).__name__)
        n = int(n)
        rng = as_generator(seed)
        values: dict[str, np.ndarray] = {}
        active: dict[str, np.ndarray] = {}
        for key in dependency_order(self.param_set):
            rows = active_rows(self.param_set, key, values, active, n)
            full = np.empty(n, dtype=object)
            k = int(rows.sum())
            if k:
                full[rows] = list(self.samplers[key].sample_values(k, rng))
            values[key] = full
            active[key] = rows
        data = {key: column(self.param_set.params[key], values[key], active[key])
                for key in self.param_set.params}
        frame = pd.DataFrame(data, columns=list(self.param_set.params), index=range(n))
        return Design(self.param_set, frame)

    def _sample_columns(self, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        design = self.sample(n, rng)
        return {k: design.data[k].to_numpy() for k in design.data.columns}


def _assert_inside(sampler: Sampler1D, param_set: ParamSet) -> None:
    """Raise unless ``sampler`` draws only values of its parameter in ``param_set``."""
    mine, theirs = sampler.param, param_set.params[sampler.id]
    inside = mine.cls == theirs.cls and mine.logscale == theirs.logscale
    if inside and mine.is_number:
        assert mine.lower is not None and mine.upper is not None
        assert theirs.lower is not None and theirs.upper is not None
        inside = theirs.lower <= mine.lower and mine.upper <= theirs.upper
    elif inside and mine.levels is not None:
        inside = all(theirs.check(level) is True for level in mine.levels)
    if not inside:
        raise ConfigError(f"SamplerHierarchical got a sampler for '{sampler.id}' that draws "
                          f"{mine.describe()}, but the '{sampler.id}' parameter of "
                          f"{param_set.context} is {theirs.describe()}. Build the sampler from "
                          f"the set's own parameter: param_set.params['{sampler.id}'].")


class SamplerUnif(SamplerHierarchical):
    """Every parameter uniformly (:class:`Sampler1DUnif`), respecting dependencies."""

    def __init__(self, param_set: ParamSet) -> None:
        if not isinstance(param_set, ParamSet):
            raise ConfigError(f"SamplerUnif needs a ParamSet. Got {format_value(param_set)} "
                              "instead.")
        assert_samplable(param_set)
        samplers = [Sampler1DUnif(param_set.subset([k], allow_dangling_dependencies=True))
                    for k in param_set.params]
        super().__init__(param_set, samplers)
