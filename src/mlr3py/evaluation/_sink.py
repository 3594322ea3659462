"""Where finished jobs go: the :class:`JobStore` protocol and its registry.

``resample()``, ``benchmark()`` and ``tune()`` take ``store=``: a path (opened by the
registered opener, :mod:`mlr3py.store`, which registers itself when :mod:`mlr3py` is
imported) or an object implementing :class:`JobStore`. The store receives the run's
design first (:meth:`JobStore.open_run`), tells which of its jobs are already done
(:meth:`JobStore.begin_jobs`), and hands out a picklable :class:`JobWriter` that
writes each job's result where the job finishes (in a worker process, under
parallel plans), so a run that dies loses nothing that had finished.

This layer only defines the seam; it never imports the store (the opener is
registered in the leaf module :mod:`mlr3py._store_hook`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from mlr3py._store_hook import get_store_opener, register_store_loader, register_store_opener
from mlr3py.errors import ConfigError

if TYPE_CHECKING:
    from mlr3py.evaluation._job import Experiment, Job, JobResult

__all__ = [
    "JobStore",
    "JobWriter",
    "RunSpec",
    "open_job_store",
    "register_store_loader",
    "register_store_opener",
]


@dataclass
class RunSpec:
    """What a store records of a run so that it can be resumed and read back.

    Attributes
    ----------
    kind : str
        ``"resample"`` or ``"benchmark"``.
    experiments : list of Experiment
        The validated experiments (task, learner, instantiated resampling).
    jobs : list of Job
        Every job of the run, in design order, each with its ``key``.
    root_seed : int
        The run's root seed.
    store_models : bool
        Whether models are kept.
    """

    kind: str
    experiments: list[Experiment]
    jobs: list[Job]
    root_seed: int
    store_models: bool = False


@runtime_checkable
class JobWriter(Protocol):
    """Writes a job's progress; pickled to the workers, so it holds only plain values."""

    def started(self, job: Job) -> None:
        """Record that ``job`` runs here now (a lease)."""
        ...

    def finished(self, job: Job, result: JobResult) -> None:
        """Record ``job``'s result (atomically: a crash leaves it unfinished, not broken)."""
        ...

    def raised(self, job: Job, message: str) -> None:
        """Record that ``job``'s learner raised (no encapsulation) with ``message``: the
        job did not finish, so a resumed run runs it again."""
        ...


@runtime_checkable
class JobStore(Protocol):
    """A place that keeps finished jobs across runs (see the module docstring)."""

    def recorded_seed(self) -> int | None:
        """The root seed of the run recorded here, or None for a new store."""
        ...

    def open_run(self, kind: str, fingerprint: str, spec: object) -> None:
        """Take the store for this run: record ``spec`` on a new store, or check that
        ``kind`` and ``fingerprint`` match the recorded run (else raise a StoreError)."""
        ...

    def begin_jobs(self, jobs: Sequence[Job], retry_errors: bool = False) -> set[str]:
        """Register ``jobs`` and return the keys of those already done (with
        ``retry_errors``, jobs whose log holds an error do not count as done)."""
        ...

    def load_results(self, keys: Sequence[str]) -> dict[str, JobResult]:
        """The results of finished jobs, by key."""
        ...

    def writer(self) -> JobWriter:
        """The writer that records each job as it starts and finishes."""
        ...

    def put_object(self, name: str, obj: object) -> None:
        """Keep ``obj`` under ``name`` (atomically)."""
        ...

    def get_object(self, name: str) -> Any:
        """The object kept under ``name``, or None."""
        ...

    @property
    def is_open(self) -> bool:
        """Whether :meth:`open_run` was called and :meth:`close` not yet."""
        ...

    def close(self) -> None:
        """End the run: give the store's lock back."""
        ...


def open_job_store(store: Any) -> JobStore:
    """The :class:`JobStore` for a ``store=`` argument.

    Parameters
    ----------
    store : str, os.PathLike or JobStore
        A directory path, or an object implementing :class:`JobStore`.

    Returns
    -------
    JobStore
    """
    if isinstance(store, JobStore):
        return store
    if not isinstance(store, str | os.PathLike):
        raise ConfigError(
            "The 'store' argument must be a directory path (str or pathlib.Path), e.g. "
            f"store='runs/my-study'. Got {store!r:.80} of type {type(store).__name__} instead."
        )
    opener = get_store_opener()
    if opener is None:
        raise ConfigError("No result store is available. Import mlr3py.store (or mlr3py) "
                          "before passing store=.")
    result: JobStore = opener(store)
    return result
