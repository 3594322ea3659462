"""A search space seen through optuna's distributions (define-by-run).

:class:`OptunaSpace` asks an optuna trial for one point of a
:class:`~mlr3py.params.ParamSet`: parameters are suggested parents first, and
a parameter whose dependency does not hold is not suggested at all, so
optuna's samplers see the conditional structure (TPE models each parameter
only on the trials where it was active). The point it returns is in
search-space coordinates (untransformed), ready for ``instance.eval_batch``.

Mapping: ``ParamDbl`` -> ``FloatDistribution``, ``ParamInt`` ->
``IntDistribution``, ``ParamFct`` / ``ParamLgl`` -> ``CategoricalDistribution``.
A logscale parameter (``p_dbl(1e-4, 1, logscale=True)``) is suggested on its
original scale with ``log=True`` and mapped back to the log scale the search
space holds, so optuna's log distributions do the work.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlr3py.errors import ConfigError
from mlr3py.params import Domain, ExpTrafo, ParamSet

if TYPE_CHECKING:
    import optuna

__all__ = ["OptunaSpace"]

# values optuna's CategoricalDistribution can store
_CATEGORICAL_TYPES = (type(None), bool, int, float, str)


@dataclass(frozen=True)
class _Suggestion:
    """How to suggest one parameter and map optuna's value into the search space."""

    id: str
    suggest: Callable[[optuna.trial.Trial], Any]
    to_space: Callable[[Any], Any]
    #: the inverse of ``to_space``: a search-space value as optuna's value
    from_space: Callable[[Any], Any]


class OptunaSpace:
    """Suggest points of ``search_space`` from optuna trials.

    Parameters
    ----------
    search_space : ParamSet
        Bounded ``ParamDbl`` / ``ParamInt`` / ``ParamFct`` / ``ParamLgl``
        parameters, possibly with dependencies.
    context : str
        How error messages name the caller, e.g. ``"Tuner 'optuna'"``.

    Raises
    ------
    ConfigError
        If a parameter is unbounded or of another class.
    """

    def __init__(self, search_space: ParamSet, context: str = "Tuner 'optuna'") -> None:
        self.search_space = search_space
        self._order = _parents_first(search_space)
        self._suggestions = {
            pid: _suggestion(search_space.params[pid], context) for pid in self._order
        }

    def suggest(self, trial: optuna.trial.Trial) -> dict[str, Any]:
        """Ask ``trial`` for a point; inactive parameters are left out.

        Parameters
        ----------
        trial : optuna.trial.Trial
            A trial from ``study.ask()``.

        Returns
        -------
        dict
            Parameter id -> value in search-space coordinates.
        """
        point: dict[str, Any] = {}
        for pid in self._order:
            cond = self.search_space.params[pid].depends
            if cond is not None and (cond.on not in point or not cond.test(point[cond.on])):
                continue
            s = self._suggestions[pid]
            point[pid] = s.to_space(s.suggest(trial))
        return {pid: point[pid] for pid in self.search_space.ids() if pid in point}

    def known_trial(self, optuna: Any, point: dict[str, Any],
                    values: list[float] | None) -> optuna.trial.FrozenTrial:
        """A finished trial of an evaluated ``point``, to tell a study with ``add_trial``.

        Parameters
        ----------
        optuna : module
            The optuna module.
        point : dict
            A configuration in search-space coordinates (inactive parameters left out).
        values : list of float or None
            Its scores, one per objective; None (or a NaN) records a failed trial.

        Returns
        -------
        optuna.trial.FrozenTrial
            With the distributions :meth:`suggest` uses, so samplers model it like the
            trials they asked for.
        """
        params: dict[str, Any] = {}
        distributions: dict[str, Any] = {}
        for pid in self._order:
            if pid not in point:
                continue
            s = self._suggestions[pid]
            recorder = _Recorder(optuna)
            s.suggest(recorder)  # type: ignore[arg-type]
            distribution = recorder.distribution
            value = s.from_space(point[pid])
            if hasattr(distribution, "low"):  # an ulp outside after exp(log(x)): clip
                value = type(value)(min(max(value, distribution.low), distribution.high))
            params[pid], distributions[pid] = value, distribution
        failed = values is None or any(math.isnan(v) for v in values)
        state = optuna.trial.TrialState.FAIL if failed else optuna.trial.TrialState.COMPLETE
        return optuna.trial.create_trial(state=state, params=params, distributions=distributions,
                                         values=None if failed else values)


class _Recorder:
    """Stands in for a trial to record the distribution a suggestion asks for."""

    def __init__(self, optuna: Any) -> None:
        self._distributions = optuna.distributions
        self.distribution: Any = None

    def suggest_float(self, name: str, low: float, high: float, *, log: bool = False) -> float:
        self.distribution = self._distributions.FloatDistribution(low, high, log=log)
        return low

    def suggest_int(self, name: str, low: int, high: int, *, log: bool = False) -> int:
        self.distribution = self._distributions.IntDistribution(low, high, log=log)
        return low

    def suggest_categorical(self, name: str, choices: Any) -> Any:
        self.distribution = self._distributions.CategoricalDistribution(choices)
        return choices[0]


def _parents_first(search_space: ParamSet) -> list[str]:
    """Parameter ids ordered so that each comes after the parameter it depends on."""
    params = search_space.params
    order: list[str] = []
    placed: set[str] = set()
    remaining = list(params)
    while remaining:
        progress = [
            pid for pid in remaining
            if params[pid].depends is None or params[pid].depends.on in placed  # type: ignore[union-attr]
        ]
        if not progress:
            raise ConfigError(
                f"The dependencies of the search space form a cycle among {remaining}. "
                "Remove one of the dependencies."
            )
        for pid in progress:
            order.append(pid)
            placed.add(pid)
        remaining = [pid for pid in remaining if pid not in placed]
    return order


def _suggestion(domain: Domain, context: str) -> _Suggestion:
    pid = domain.id
    assert pid is not None
    if domain.cls in ("ParamFct", "ParamLgl"):
        return _categorical(pid, tuple(domain.levels or ()))
    if domain.cls not in ("ParamDbl", "ParamInt"):
        raise ConfigError(
            f"{context} cannot search the '{pid}' parameter: it is a {domain.cls}. "
            "Search spaces for optuna hold p_dbl(), p_int(), p_fct() and p_lgl() parameters."
        )
    if not domain.is_bounded:
        raise ConfigError(
            f"{context} needs bounds for the '{pid}' parameter, which is unbounded "
            f"({domain!r}). Give it finite bounds, e.g. to_tune(1, 100)."
        )
    lower, upper = float(domain.lower), float(domain.upper)  # type: ignore[arg-type]
    trafo = domain.trafo
    if domain.logscale and isinstance(trafo, ExpTrafo):
        orig_lower, orig_upper = trafo.lower, trafo.upper
        if trafo.integer and orig_lower >= 1:
            # an int k on the log scale is any x with floor(exp(x)) == k: log(k + 0.5) is safe
            lo, hi = int(orig_lower), int(orig_upper)
            return _Suggestion(pid, lambda t: t.suggest_int(pid, lo, hi, log=True),
                               lambda k: _clip(math.log(k + 0.5), lower, upper), trafo)
        if not trafo.integer:
            return _Suggestion(pid,
                               lambda t: t.suggest_float(pid, orig_lower, orig_upper, log=True),
                               lambda v: _clip(math.log(v), lower, upper), trafo)
        # an int logscale parameter starting at 0: search the log scale uniformly
    if domain.cls == "ParamInt":
        return _Suggestion(pid, lambda t: t.suggest_int(pid, int(lower), int(upper)), int, int)
    return _Suggestion(pid, lambda t: t.suggest_float(pid, lower, upper), float, float)


def _categorical(pid: str, levels: tuple[Any, ...]) -> _Suggestion:
    if all(isinstance(v, _CATEGORICAL_TYPES) for v in levels):
        return _Suggestion(pid, lambda t: t.suggest_categorical(pid, levels), lambda v: v,
                           lambda v: v)
    # levels optuna cannot store (tuples, objects): optuna picks a position
    positions = tuple(range(len(levels)))
    return _Suggestion(pid, lambda t: t.suggest_categorical(pid, positions), lambda i: levels[i],
                       levels.index)


def _clip(value: float, lower: float, upper: float) -> float:
    return min(max(value, lower), upper)
