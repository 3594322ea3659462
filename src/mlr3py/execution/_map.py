"""The parallel map: :func:`map_outcomes` and :func:`map_items` over the active plan.

The items are split into units (:mod:`mlr3py.execution._chunking`) and handed to
the engine of the active plan level (:mod:`mlr3py.execution._engine`); results
come back in item order. An item lost with a dead worker process comes back as a
:class:`~mlr3py.execution._deaths.WorkerDied` from :func:`map_outcomes`, and
makes :func:`map_items` raise. What the map learns about an item comes from the
item (:mod:`mlr3py.execution._items`): its shared parts, log fields and threads.

Log records emitted while an item runs in a worker process ("processes",
"multicore", "dask") travel back with its result (:func:`mlr3py.log.forward_records`)
and are handed to this process's handlers when the run's results are in, in
item order, tagged with the item's log fields (:func:`mlr3py.log.replay_records`).
Under "sequential" and "threads" records are emitted here as they happen.
Warnings raised in worker processes travel back the same way and are raised
again here, in item order (:mod:`mlr3py.execution._warnings`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from mlr3py.errors import Mlr3pyError
from mlr3py.execution._chunking import TAIL_UNITS_PER_WORKER, auto_chunk_sizes, make_chunks
from mlr3py.execution._deaths import WorkerDied
from mlr3py.execution._engine import Engine, engine_info, get_engine
from mlr3py.execution._items import item_log_fields
from mlr3py.execution._plans import SEQUENTIAL, PlanSpec, current_levels, worker_depth
from mlr3py.execution._progress import progress_bar
from mlr3py.execution._units import Unit
from mlr3py.execution._warnings import WarningRecord, record_warnings, replay_warnings
from mlr3py.log import LogForwarding, forward_records, log_forwarding, replay_records
from mlr3py.options import options

__all__ = [
    "forwarding_call", "map_items", "map_outcomes", "plan_level", "replay_failure",
    "unit_positions", "unwrap",
]

T = TypeVar("T")


@dataclass
class Forwarded:
    """An item's result from a worker process and the log records and warnings emitted
    meanwhile."""

    value: Any
    records: list[Any]
    warnings: list[WarningRecord]


_RECORDS_ATTR = "mlr3py_log_records"
_WARNINGS_ATTR = "mlr3py_warnings"


class ForwardLogs:
    """``fn`` run in a worker process, its log records and warnings kept for the main process.

    Returns a :class:`Forwarded`; an exception raised by ``fn`` carries the records
    in its attribute ``mlr3py_log_records`` and the warnings in ``mlr3py_warnings``.

    Parameters
    ----------
    fn : callable
        The mapped function.
    config : LogForwarding or None
        The main process's logging setup; None: no record would be handled there.
    dedicated : bool
        The worker runs one item at a time (loky and fork workers; for dask, a
        worker with one thread): its warnings are recorded.
    """

    def __init__(self, fn: Callable[[Any], Any], config: LogForwarding | None,
                 dedicated: bool = True) -> None:
        self.fn = fn
        self.config = config
        self.dedicated = dedicated

    def __call__(self, item: Any) -> Forwarded:
        records: list[Any] = []
        caught: list[WarningRecord] = []
        forwarding: contextlib.AbstractContextManager[list[Any]] = (
            forward_records(self.config) if self.config is not None
            else contextlib.nullcontext([])
        )
        try:
            with forwarding as records, record_warnings(self._exclusive()) as caught:
                value = self.fn(item)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                setattr(exc, _RECORDS_ATTR, list(records))
                setattr(exc, _WARNINGS_ATTR, list(caught))
            raise
        return Forwarded(value, records, caught)

    def _exclusive(self) -> bool:
        if self.dedicated:
            return True
        try:  # a dask worker: only one with a single thread runs one item at a time
            from distributed import get_worker

            return bool(get_worker().state.nthreads == 1)
        except Exception:
            return False


def forwarding_call(engine: Engine, fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn`` as the engine calls it: wrapped to bring log records and warnings back
    from worker processes (engines that emit here get ``fn`` itself)."""
    if engine.forwarding == "none":
        return fn  # sequential and threads emit in this process
    dedicated = engine.forwarding == "dedicated"
    return ForwardLogs(fn, log_forwarding(dedicated=dedicated), dedicated)


def _chunks(spec: PlanSpec, n: int, chunk_size: int | None,
            tail: int = TAIL_UNITS_PER_WORKER) -> list[list[int]]:
    """The positions of each unit of a parallel level: ``chunk_size``, else
    ``options.exec_chunk_size``, else units of decreasing size for an engine that
    declares its workers (:func:`~mlr3py.execution._chunking.auto_chunk_sizes`; one
    item per unit for the others)."""
    size = chunk_size or options.exec_chunk_size
    shuffle = options.exec_random
    if size is not None:
        return make_chunks(n, size, shuffle)
    workers = engine_info(spec.strategy).workers
    if workers is None:
        return make_chunks(n, 1, shuffle)
    return make_chunks(n, None, shuffle, sizes=auto_chunk_sizes(n, workers(spec), tail))


def replay_failure(exc: BaseException) -> None:
    """Emit here the log records and warnings an error of a worker process carries."""
    records = getattr(exc, _RECORDS_ATTR, None)
    if records:
        with contextlib.suppress(Exception):
            delattr(exc, _RECORDS_ATTR)
        replay_records(records)
    caught = getattr(exc, _WARNINGS_ATTR, None)
    if caught:
        with contextlib.suppress(Exception):
            delattr(exc, _WARNINGS_ATTR)
        replay_warnings(caught)


def unwrap(items: Sequence[Any], results: list[Any]) -> list[Any]:
    """The results of ``items`` (item order), the log records and warnings that came back
    with them (:class:`Forwarded`) emitted here first, item by item."""
    for p, out in enumerate(results):  # item order
        if isinstance(out, Forwarded):
            if out.records:
                replay_records(out.records, item_log_fields(items[p]))
            if out.warnings:
                replay_warnings(out.warnings)
            results[p] = out.value
    return results


def plan_level() -> tuple[PlanSpec, tuple[PlanSpec, ...]]:
    """The active plan level and the levels inside it (sequential under ``options.debug``)."""
    levels = current_levels()
    if options.debug:
        return SEQUENTIAL, ()
    return levels[0], levels[1:]


def unit_positions(spec: PlanSpec, n: int, chunk_size: int | None,
                   tail: int = TAIL_UNITS_PER_WORKER) -> list[list[int]]:
    """The item positions of each unit of a run of ``n`` items on plan level ``spec``
    (``tail``: see :func:`~mlr3py.execution._chunking.auto_chunk_sizes`)."""
    if spec.is_sequential:
        return make_chunks(n, max(1, n), shuffle=False)
    return _chunks(spec, n, chunk_size, tail)


def _run(
    fn: Callable[[Any], Any], items: Sequence[Any], desc: str, chunk_size: int | None = None
) -> list[Any]:
    spec, inner = plan_level()
    positions = unit_positions(spec, len(items), chunk_size)
    units = [Unit(k, 0, [items[p] for p in chunk]) for k, chunk in enumerate(positions)]
    engine = get_engine(spec)
    call = forwarding_call(engine, fn)
    bar = progress_bar(len(items), worker_depth(), desc)
    try:
        outcomes = engine.map(call, units, inner, bar)
    except BaseException as exc:
        replay_failure(exc)
        raise
    finally:
        bar.close()
    results: list[Any] = [None] * len(items)
    for chunk, outs in zip(positions, outcomes, strict=True):
        for p, out in zip(chunk, outs, strict=True):
            results[p] = out
    return unwrap(items, results)


def map_outcomes(
    fn: Callable[[Any], T], items: Sequence[Any], desc: str = "items",
    chunk_size: int | None = None,
) -> list[T | WorkerDied]:
    """Run ``fn`` over ``items`` through the active plan; results in item order.

    Parameters
    ----------
    fn : callable
        Importable by reference (worker processes receive it pickled).
    items : sequence
        The items; see :mod:`mlr3py.execution._items` for what they may declare.
    desc : str
        Label of the progress bar.
    chunk_size : int, optional
        Items per submitted unit; ``options.exec_chunk_size`` when omitted (see
        :mod:`mlr3py.execution._chunking` for both unset).

    Returns
    -------
    list
        ``fn(item)`` per item, or a :class:`~mlr3py.execution._deaths.WorkerDied`
        for an item lost with a dead worker process.
    """
    return _run(fn, items, desc, chunk_size)


def map_items(
    fn: Callable[[Any], T], items: Sequence[Any], desc: str = "chunks",
    chunk_size: int | None = None,
) -> list[T]:
    """Run ``fn`` over ``items`` through the active plan (e.g. parallel prediction).

    ``chunk_size`` overrides ``options.exec_chunk_size``.

    Raises
    ------
    Mlr3pyError
        If a worker died while it held an item.
    """
    results = _run(fn, items, desc, chunk_size)
    for res in results:
        if isinstance(res, WorkerDied):
            raise Mlr3pyError(f"A {res.message} while running {desc}.")
    return results
