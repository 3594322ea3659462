"""Objects many jobs share travel to a worker once per run, not with every job.

All jobs of an experiment hold the same task and resampling. Pickled into every
submitted unit they would cost a copy each, and each copy would build the
task's caches (data frames, the float matrix) again. Instead the plans replace
them in each job by a :class:`SharedRef` (:func:`strip`), get the objects to
the worker once, and the worker puts them back (:func:`restore`), the same
object for every job it runs, as in the main process.

The process plans send each worker the objects it has not had yet in this run,
which the worker keeps in :data:`_CACHE` until the next run (:func:`remember`).
(Under the dask plan jobs travel whole: shared objects held as tasks of the
cluster become dependencies that a worker's death can fail too.)
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from dataclasses import dataclass
from typing import Any

from mlr3py.execution._job import Job

__all__ = ["SharedRef", "forget", "new_run_token", "refs", "remember", "restore", "strip"]

#: The job fields shared by many jobs.
SHARED_FIELDS = ("task", "resampling")


@dataclass(frozen=True)
class SharedRef:
    """Stands in a job for a shared object.

    Attributes
    ----------
    key : int
        Identifies the object within one run.
    """

    key: int


def strip(items: list[Any], objects: dict[int, Any]) -> list[Any]:
    """``items`` with the shared fields of jobs replaced by :class:`SharedRef`.

    Parameters
    ----------
    items : list
        A unit's items; those that are not :class:`~mlr3py.execution.Job` stay as they are.
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
        if isinstance(item, Job):
            changes = {}
            for name in SHARED_FIELDS:
                obj = getattr(item, name)
                objects.setdefault(id(obj), obj)
                changes[name] = SharedRef(id(obj))
            item = dataclasses.replace(item, **changes)
        out.append(item)
    return out


def refs(items: list[Any]) -> set[int]:
    """The keys of the shared objects the stripped ``items`` need."""
    return {getattr(item, name).key for item in items if isinstance(item, Job)
            for name in SHARED_FIELDS}


def restore(items: list[Any], shared: dict[int, Any]) -> list[Any]:
    """The inverse of :func:`strip`, with the objects the worker received."""
    out = []
    for item in items:
        if isinstance(item, Job):
            item = dataclasses.replace(item, **{
                name: shared[getattr(item, name).key] for name in SHARED_FIELDS
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
