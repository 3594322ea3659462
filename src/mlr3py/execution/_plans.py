"""Execution plans: :func:`plan`, :func:`tweak` and the nested plan levels.

A plan says how the parallel map (:mod:`mlr3py.execution._map`) runs the jobs of
``resample()`` / ``benchmark()`` (R's ``future::plan()``); each strategy is an
engine of the registry (:mod:`mlr3py.execution._engine`):

==================  =======================================================
``"sequential"``    one job after the other in this process (the default)
``"threads"``       a thread pool in this process
``"processes"``     worker processes started with loky (any OS); alias
                    ``"multisession"``
``"multicore"``     worker processes forked from this one (POSIX only;
                    sequential with a warning elsewhere)
``"dask"``          a dask.distributed cluster: a ``Client``, a scheduler
                    ``address``, or a local cluster the plan starts; alias
                    ``"cluster"``
==================  =======================================================

Plans nest: ``plan(["processes", "sequential"])`` or
``plan([tweak("processes", workers=2), tweak("threads", workers=2)])``. The first
level runs the jobs; inside a job (e.g. a learner that runs ``resample()`` while
it trains) the next level is active, and after the last given level everything
is sequential. Inside a worker, a level without an explicit ``workers=`` uses one
worker, so nested levels do not oversubscribe the machine by accident.

``plan()`` sets the plan globally and returns a handle; used in a ``with``
statement the previous plan comes back at the end of the block::

    with mlr3py.plan("processes", workers=2):
        rr = resample(task, learner, rsmp("cv", folds=8), seed=1)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.execution._engine import engine_info, engine_names
from mlr3py.execution._levels import (
    SEQUENTIAL,
    PlanSpec,
    current_levels,
    current_plan,
    default_workers,
    enter_worker,
    exit_worker,
    in_parallel_worker,
    set_levels,
    worker_depth,
)
from mlr3py.registry import did_you_mean

__all__ = [
    "SEQUENTIAL",
    "PlanHandle",
    "PlanSpec",
    "current_levels",
    "current_plan",
    "default_workers",
    "enter_worker",
    "exit_worker",
    "in_parallel_worker",
    "plan",
    "tweak",
    "worker_depth",
]


def tweak(strategy: str | PlanSpec, **kwargs: Any) -> PlanSpec:
    """A plan level with settings (future's ``tweak()``).

    Parameters
    ----------
    strategy : str or PlanSpec
        A strategy name (see :mod:`mlr3py.execution._plans`) or a level to modify.
    **kwargs
        ``workers`` (int >= 1) for threads, processes, multicore and dask;
        ``client`` or ``address`` for dask.

    Returns
    -------
    PlanSpec

    Examples
    --------
    >>> tweak("processes", workers=2)
    tweak('processes', workers=2)
    """
    if isinstance(strategy, PlanSpec):
        base = {"workers": strategy.workers, "client": strategy.client,
                "address": strategy.address}
        name = strategy.strategy
    else:
        name = _canonical(strategy)
        base = {}
    allowed = engine_info(name).settings
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        what = ", ".join(allowed) if allowed else "no settings"
        raise ConfigError(
            f"Plan '{name}' does not take {unknown}; it takes {what}."
        )
    settings = {**base, **{k: v for k, v in kwargs.items()}}
    workers = settings.get("workers")
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ConfigError(
            f"The 'workers' setting of plan '{name}' must be an int >= 1 or None. "
            f"Got {workers!r} instead."
        )
    address = settings.get("address")
    if address is not None and not isinstance(address, str):
        raise ConfigError(
            f"The 'address' setting of plan 'dask' must be a str such as "
            f"'tcp://127.0.0.1:8786'. Got {address!r} instead."
        )
    if settings.get("client") is not None and address is not None:
        raise ConfigError("Plan 'dask' takes a 'client' or an 'address', not both.")
    check = engine_info(name).check
    if check is not None:
        check(settings)
    return PlanSpec(name, workers, settings.get("client"), address)


def _canonical(name: Any) -> str:
    names = engine_names()
    if not isinstance(name, str) or name not in names:
        hint = did_you_mean(name, names) if isinstance(name, str) else ""
        raise ConfigError(
            f"Unknown plan {name!r}. Use one of {', '.join(repr(s) for s in names)}."
            f"{hint}"
        )
    return names[name]


def _as_levels(strategy: Any, kwargs: dict[str, Any]) -> tuple[PlanSpec, ...]:
    if isinstance(strategy, str | PlanSpec):
        return (tweak(strategy, **kwargs),)
    if isinstance(strategy, Iterable):
        if kwargs:
            raise ConfigError(
                "Settings for a list of plan levels go into each level: "
                "plan([tweak('processes', workers=2), 'sequential'])."
            )
        levels = tuple(tweak(s) for s in strategy)
        if not levels:
            raise ConfigError("plan() needs at least one level. Got an empty list.")
        return levels
    raise ConfigError(
        "The 'strategy' argument of plan() must be a name, a tweak() result or a list of "
        f"them. Got {strategy!r} instead."
    )


# The plan levels: global, and overridden inside workers (per thread / task context).
class PlanHandle:
    """What :func:`plan` returns: the levels now active; a context manager restoring the old.

    Attributes
    ----------
    levels : tuple of PlanSpec
        The plan levels set by the call.
    previous : tuple of PlanSpec
        The levels active before the call.
    """

    def __init__(self, levels: tuple[PlanSpec, ...], previous: tuple[PlanSpec, ...]) -> None:
        self.levels = levels
        self.previous = previous

    def __enter__(self) -> PlanHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        set_levels(self.previous)

    @property
    def strategy(self) -> str:
        """The outer level's strategy."""
        return self.levels[0].strategy

    def __repr__(self) -> str:
        return f"<plan {list(self.levels)!r}>"


def plan(strategy: Any = None, **kwargs: Any) -> PlanHandle:
    """Choose how jobs run (R's ``future::plan()``); as a context manager, for a block.

    Parameters
    ----------
    strategy : str, PlanSpec or list of them, optional
        ``"sequential"``, ``"threads"``, ``"processes"`` (``"multisession"``),
        ``"multicore"``, ``"dask"`` (``"cluster"``), a :func:`tweak` result, or a
        list of those for nested levels. Omitted: report the current plan.
    **kwargs
        Settings of a single level, as for :func:`tweak` (``workers=``,
        ``client=``, ``address=``).

    Returns
    -------
    PlanHandle
        Its ``levels`` are the plan now active; ``with plan(...):`` restores the
        previous plan at the end of the block.

    Examples
    --------
    >>> with plan("processes", workers=2):
    ...     rr = resample(tsk("sonar"), lrn("classif.rpart"), rsmp("cv", folds=4), seed=1)
    >>> plan(["processes", "sequential"]).levels
    (tweak('processes'), tweak('sequential'))
    """
    previous = current_levels()
    if strategy is None:
        if kwargs:
            raise ConfigError("plan() needs a strategy name together with settings.")
        return PlanHandle(previous, previous)
    levels = _as_levels(strategy, kwargs)
    set_levels(levels)
    return PlanHandle(levels, previous)
