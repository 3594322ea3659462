"""Batches streamed: :class:`BatchSource`.

:meth:`TuningInstance.eval_batches <mlr3py.tuning.TuningInstance.eval_batches>` hands
a tuner's proposals to :func:`~mlr3py.evaluation._stream.benchmark_stream` through a
:class:`BatchSource`. The source draws the next proposal early, while the running
batches are still being evaluated, only when the terminator cannot fire before that
batch starts (:meth:`~mlr3py.tuning.Terminator.allows`, given the evaluations still
running); otherwise it waits until they are archived and asks the terminator as
:meth:`~mlr3py.tuning.TuningInstance.eval_batch` does. So the batches evaluated, their
numbers and seeds, and the archive are those of one ``eval_batch`` call per proposal.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NoReturn, Protocol

import pandas as pd

from mlr3py.evaluation import BenchmarkResult
from mlr3py.evaluation._stream import StreamDesign
from mlr3py.measures import Measure
from mlr3py.tuning._archive import ArchiveTuning
from mlr3py.tuning._batch import Batch
from mlr3py.tuning._terminator import Terminator

__all__ = ["BatchEvaluator", "BatchSource"]


class BatchEvaluator(Protocol):
    """What a :class:`BatchSource` drives (a :class:`~mlr3py.tuning.TuningInstance`)."""

    archive: ArchiveTuning
    terminator: Terminator

    @property
    def is_terminated(self) -> bool: ...

    def prepare_batch(self, xs: pd.DataFrame | Sequence[Mapping[str, Any]],
                      extra: pd.DataFrame | None, batch_nr: int) -> Batch: ...

    def archive_batch_rows(self, batch: Batch, bmr: BenchmarkResult) -> None: ...

    def batch_seed(self, batch_nr: int) -> int: ...

    def kept_scores(self) -> list[Measure] | None: ...

    def stop(self) -> NoReturn: ...


class BatchSource:
    """The proposals of a tuner as a :class:`~mlr3py.evaluation._stream.BenchmarkSource`.

    Parameters
    ----------
    instance : BatchEvaluator
        The tuning instance.
    proposals : iterator
        Batches of configurations (DataFrames or lists of dicts), drawn one at a time,
        one ahead of the batch being prepared (to know whether it is the last).
    """

    def __init__(self, instance: BatchEvaluator,
                 proposals: Iterator[pd.DataFrame | Sequence[Mapping[str, Any]]]) -> None:
        self.instance = instance
        self.proposals = proposals
        self.running: deque[Batch] = deque()
        self.terminated = False
        self.error: Exception | None = None  # met while earlier batches ran
        self._ahead: Any = next(proposals, None)  # drawn one ahead: is a batch the last?

    def more(self, busy: bool) -> StreamDesign | None:
        """The next batch's design; None while the terminator might fire before it, or
        once the proposals, the terminator or an error ended the stream."""
        instance = self.instance
        if self.terminated or self.error is not None:
            return None
        if busy:
            if not instance.terminator.allows(instance.archive, self._running_evals()):
                return None
        elif instance.is_terminated:
            self.terminated = True
            return None
        xs, self._ahead = self._ahead, None
        if xs is None:
            return None
        nr = instance.archive.n_batch + len(self.running) + 1
        try:
            batch = instance.prepare_batch(xs, None, nr)
        except Exception as exc:  # raised once the running batches are archived
            self.error = exc
            return None
        self.running.append(batch)
        self._ahead = next(self.proposals, None)
        last = self._ahead is None or not instance.terminator.allows(instance.archive,
                                                                     self._running_evals())
        # the batch's learners are clones configured for it alone: not cloned again
        return StreamDesign(batch.rows(), instance.batch_seed(nr), last, own_learners=True,
                            measures=instance.kept_scores())

    def _running_evals(self) -> int:
        return sum(len(b.points) for b in self.running)

    def done(self, result: BenchmarkResult) -> None:
        """Archive the oldest running batch."""
        self.instance.archive_batch_rows(self.running.popleft(), result)

    def finish(self) -> None:
        """After the stream: raise what ended it early.

        Raises
        ------
        Exception
            An error met while preparing a batch (the batches before it are archived).
        mlr3py.errors.TerminatedError
            When the terminator fired.
        """
        if self.error is not None:
            raise self.error
        if self.terminated:
            self.instance.stop()
