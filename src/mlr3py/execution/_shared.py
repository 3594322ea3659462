"""Objects many items share travel to a worker once per run, not with every item.

All jobs of an experiment hold the same task and resampling. Pickled into every
submitted unit they would cost a copy each, and each copy would build the
task's caches (data frames, the float matrix) again. Items that say which of
their parts are shared (:class:`~mlr3py.execution._items.SharesParts`) get those
parts replaced by a :class:`SharedRef` (:func:`strip`); the plans get the
objects to the worker once, and the worker puts them back (:func:`restore`),
the same object for every item it runs, as in the main process.

The process plans send each worker the objects it has not had yet in this run,
which the worker keeps in :data:`_CACHE` until the next run (:func:`remember`);
their large arrays travel through memory-mapped files that all workers share
(:mod:`mlr3py.execution._memmap`).
(Under the dask plan items travel whole: shared objects held as tasks of the
cluster become dependencies that a worker's death can fail too.)
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from typing import Any

from mlr3py.execution._items import shares_parts

__all__ = [
    "SharedRef", "collect", "forget", "new_run_token", "refs", "remember", "restore", "strip",
]


@dataclass(frozen=True)
class SharedRef:
    """Stands in an item for a shared object.

    Attributes
    ----------
    key : int
        Identifies the object within one run.
    """

    key: int


def strip(items: list[Any], objects: dict[int, Any]) -> list[Any]:
    """``items`` with their shared parts replaced by :class:`SharedRef`.

    Parameters
    ----------
    items : list
        A unit's items; those that share no parts stay as they are.
    objects : dict
        Collects ``key -> object`` for every shared object met (kept alive by it,
        so the keys stay unique for the run).

    Returns
    -------
    list
        The stripped items.
    """
    out = []
    for item in items:
        if shares_parts(item):
            changes = {}
            for name, obj in item.shared_parts().items():
                objects.setdefault(id(obj), obj)
                changes[name] = SharedRef(id(obj))
            item = item.with_parts(changes)
        out.append(item)
    return out


def collect(items: list[Any], objects: dict[int, Any]) -> None:
    """Add the shared objects of ``items`` to ``objects`` (``key -> object``, the keys
    :func:`strip` gives them), leaving the items as they are."""
    for item in items:
        if shares_parts(item):
            for obj in item.shared_parts().values():
                objects.setdefault(id(obj), obj)


def refs(items: list[Any]) -> set[int]:
    """The keys of the shared objects the stripped ``items`` need."""
    return {ref.key for item in items if shares_parts(item)
            for ref in item.shared_parts().values() if isinstance(ref, SharedRef)}


def restore(items: list[Any], shared: dict[int, Any]) -> list[Any]:
    """The inverse of :func:`strip`, with the objects the worker received."""
    out = []
    for item in items:
        if shares_parts(item):
            item = item.with_parts({
                name: shared[ref.key] for name, ref in item.shared_parts().items()
                if isinstance(ref, SharedRef)
            })
        out.append(item)
    return out


_TOKENS = itertools.count(1)

#: In a worker process: the run the cache belongs to, and its objects.
_CACHE: dict[str, Any] = {"run": None, "objects": {}}


def new_run_token() -> tuple[int, int]:
    """A token unique to one run of this process (with its pid: unique among processes)."""
    return (os.getpid(), next(_TOKENS))


def remember(run: tuple[int, int], new: dict[int, Any]) -> dict[int, Any]:
    """In a worker: add ``new`` to the objects of ``run``; forget those of earlier runs.

    Returns
    -------
    dict
        Every object of the run this worker has received.
    """
    if _CACHE["run"] != run:
        _CACHE["run"], _CACHE["objects"] = run, {}
    _CACHE["objects"].update(new)
    return _CACHE["objects"]


def forget() -> None:
    """In a worker, after a run: drop its shared objects."""
    _CACHE["run"], _CACHE["objects"] = None, {}
