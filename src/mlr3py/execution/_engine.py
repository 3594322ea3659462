"""The engines behind the plans: one protocol, one registry.

An engine runs the units of one plan level (:class:`~mlr3py.execution._units.Unit`)
and returns, per unit, one outcome per item: the item's result, or a
:class:`~mlr3py.execution._deaths.WorkerDied` when the worker process that held
the item died. Each engine module registers itself with :func:`register_engine`:
its name, aliases, the settings :func:`~mlr3py.execution.tweak` accepts for it
and the factory that makes an engine for a plan level. :func:`get_engine` and
the plans' name checks read the registry; adding an engine touches no other
module.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from mlr3py.errors import ConfigError

if TYPE_CHECKING:
    from mlr3py.execution._levels import PlanSpec
    from mlr3py.execution._units import Progress, Unit

__all__ = [
    "Engine", "EngineInfo", "engine_info", "engine_names", "get_engine", "register_engine",
    "shutdown_workers", "unregister_engine",
]

#: Where the log records of items come from: emitted here as they happen ("none"),
#: or forwarded from worker processes of their own ("dedicated") or shared with
#: other work ("shared", e.g. a dask cluster).
LogForwardingKind = Literal["none", "dedicated", "shared"]


class Engine(Protocol):
    """Runs the units of one plan level."""

    #: How log records emitted in the workers reach this process.
    forwarding: LogForwardingKind

    def map(
        self, fn: Callable[[Any], Any], units: list[Unit], levels: tuple[PlanSpec, ...],
        progress: Progress,
    ) -> list[list[Any]]:
        """``fn`` over each unit's items, the inner plan ``levels`` active in the workers."""
        ...


# An engine may also take units while it runs: a ``stream(fn, feed, levels, progress)``
# method (:class:`mlr3py.execution._stream.StreamingEngine`, e.g. the process plans)
# lets :func:`~mlr3py.execution._stream.map_stream` queue a group's units behind the
# running ones; engines without it run the groups of a stream one map after the other.


@dataclass(frozen=True)
class EngineInfo:
    """A registered engine.

    Attributes
    ----------
    name : str
        The canonical strategy name, e.g. ``"processes"``.
    factory : callable
        ``factory(spec)`` makes the engine for plan level ``spec``.
    aliases : tuple of str
        Other names of the strategy (``"multisession"``).
    settings : tuple of str
        The settings :func:`~mlr3py.execution.tweak` accepts (``"workers"``, ...).
    shutdown : callable or None
        Stops the workers the engine keeps between runs.
    check : callable or None
        ``check(settings)`` raises a ConfigError for settings the engine cannot use
        (called by :func:`~mlr3py.execution.tweak`).
    workers : callable or None
        ``workers(spec)``: how many items the engine runs at once for plan level
        ``spec``. Engines whose submissions cost something (worker processes, a
        cluster) give it: when no chunk size is set, a run is split into units of
        decreasing size (:func:`~mlr3py.execution._chunking.auto_chunk_sizes`).
        None: each item is a unit of its own.
    """

    name: str
    factory: Callable[[PlanSpec], Engine]
    aliases: tuple[str, ...] = ()
    settings: tuple[str, ...] = ("workers",)
    shutdown: Callable[[], None] | None = None
    check: Callable[[dict[str, Any]], None] | None = None
    workers: Callable[[PlanSpec], int] | None = None


_ENGINES: dict[str, EngineInfo] = {}
_NAMES: dict[str, str] = {}


def register_engine(info: EngineInfo) -> None:
    """Add an engine (and its aliases) to the registry, replacing one of the same name."""
    _ENGINES[info.name] = info
    for name in (info.name, *info.aliases):
        _NAMES[name] = info.name


def unregister_engine(name: str) -> None:
    """Remove the engine ``name`` and its aliases from the registry."""
    info = _ENGINES.pop(name, None)
    if info is not None:
        for key in (info.name, *info.aliases):
            _NAMES.pop(key, None)


def engine_names() -> dict[str, str]:
    """Every accepted strategy name (aliases included) -> its canonical name."""
    return dict(_NAMES)


def engine_info(name: str) -> EngineInfo:
    """The registered engine called ``name`` (or an alias of it).

    Raises
    ------
    ConfigError
        If no engine has that name.
    """
    canonical = _NAMES.get(name)
    if canonical is None:
        raise ConfigError(f"Unknown plan strategy {name!r}. Use one of {sorted(_NAMES)}.")
    return _ENGINES[canonical]


def get_engine(spec: PlanSpec) -> Engine:
    """The engine running plan level ``spec``."""
    return engine_info(spec.strategy).factory(spec)


def shutdown_workers() -> None:
    """Stop the worker processes kept for reuse and the local dask clusters plans started."""
    for info in list(_ENGINES.values()):
        if info.shutdown is not None:
            info.shutdown()


atexit.register(shutdown_workers)
