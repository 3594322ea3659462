"""Batches of configurations: :class:`Batch` (made by :func:`make_batch`, archived as
:func:`batch_rows`), and :class:`BatchSource`, which streams them.

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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError, Mlr3pyError
from mlr3py.evaluation import BenchmarkResult
from mlr3py.evaluation._stream import StreamDesign
from mlr3py.learners import Learner
from mlr3py.log import tuning_logger

if TYPE_CHECKING:
    from mlr3py.tuning._instance import TuningInstance

__all__ = ["Batch", "BatchSource", "batch_rows", "configured", "make_batch", "point_text"]


@dataclass
class Batch:
    """A batch of configurations ready to evaluate.

    Attributes
    ----------
    nr : int
        Its batch number in the archive.
    points : list of dict
        The configurations, in search-space values.
    x_domains : list of dict
        The same, transformed.
    extras : list of dict
        Further archive columns per configuration (given by the tuner).
    learners : list of Learner
        One configured clone of the learner per configuration.
    instance : TuningInstance
        The tuning problem (its task and instantiated resampling).
    """

    nr: int
    points: list[dict[str, Any]]
    x_domains: list[dict[str, Any]]
    extras: list[dict[str, Any]]
    learners: list[Learner]
    instance: TuningInstance

    def cells(self) -> np.ndarray:
        """The benchmark design's rows (task, learner, resampling) as an object array."""
        cells = np.empty((len(self.learners), 3), dtype=object)  # filled cell by cell
        for i, configured in enumerate(self.learners):
            cells[i, 0], cells[i, 1], cells[i, 2] = (self.instance.task, configured,
                                                     self.instance.resampling)
        return cells


def point_text(point: Mapping[str, Any]) -> str:
    """A configuration as ``{key=value, ...}`` for messages."""
    return "{" + ", ".join(f"{k}={v!r}" for k, v in point.items()) + "}"


def configured(untuned: Learner, x_domain: Mapping[str, Any]) -> Learner:
    """A clone of ``untuned`` (a learner without tuning tokens) with ``x_domain`` set."""
    learner = untuned.clone()
    learner.param_set.set_values(**dict(x_domain))
    return learner


def make_batch(instance: TuningInstance, points: list[dict[str, Any]],
               extra: pd.DataFrame | None, nr: int) -> Batch:
    """Batch ``nr`` of the checked configurations ``points``: transformed and each set on a
    clone of the instance's learner.

    Raises
    ------
    ConfigError
        If the learner rejects a configuration's transformed values (naming it and the
        batch).
    """
    extras = instance.archive.check_extra(extra, len(points))
    learners: list[Learner] = []
    x_domains: list[dict[str, Any]] = []
    untuned: Learner | None = None
    for i, point in enumerate(points):
        x_domain: dict[str, Any] | None = None
        try:
            x_domain = instance.search_space.transform(point)
            if untuned is None:
                untuned = instance._untuned_learner()
            learners.append(configured(untuned, x_domain))
        except (Mlr3pyError, ValueError, TypeError, KeyError) as exc:
            shown = "" if x_domain is None else f", transformed to {point_text(x_domain)}"
            raise ConfigError(
                f"Configuration {i + 1} of batch {nr} ({point_text(point)}{shown}) cannot be "
                f"set on Learner '{instance.learner.id}': {exc} Check the search space and "
                "its trafo."
            ) from exc
        x_domains.append(x_domain)
    tuning_logger.info("Evaluating %d configuration(s) in batch %d", len(points), nr)
    return Batch(nr, points, x_domains, extras, learners, instance)


def batch_rows(instance: TuningInstance, batch: Batch,
               bmr: BenchmarkResult) -> list[dict[str, Any]]:
    """The archive rows of an evaluated batch: configuration, scores, counts, results."""
    timestamp = pd.Timestamp.now()
    cols_x = instance.archive.cols_x
    rows = []
    for point, x_domain, rr, more in zip(batch.points, batch.x_domains,
                                         bmr.resample_results, batch.extras, strict=True):
        scores = rr.aggregate_values(instance.measures)
        warnings, errors = rr.condition_counts()
        row: dict[str, Any] = {key: point.get(key, np.nan) for key in cols_x}
        row.update({m.id: float(scores[m.id]) for m in instance.measures})
        row.update(
            x_domain=x_domain,
            runtime_learners=float(sum(r.train_time + r.predict_time for r in rr.job_results)),
            timestamp=timestamp,
            batch_nr=batch.nr,
            warnings=sum(warnings),
            errors=sum(errors),
            resample_result=rr,
        )
        row.update(more)
        rows.append(row)
    return rows


class BatchSource:
    """The proposals of a tuner as a :class:`~mlr3py.evaluation._stream.BenchmarkSource`.

    Parameters
    ----------
    instance : TuningInstance
    proposals : iterator
        Batches of configurations (DataFrames or lists of dicts), drawn one at a time,
        one ahead of the batch being prepared (to know whether it is the last).
    """

    def __init__(self, instance: TuningInstance,
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
            running = sum(len(b.points) for b in self.running)
            if not instance.terminator.allows(instance.archive, running):
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
        running = sum(len(b.points) for b in self.running)
        last = self._ahead is None or not instance.terminator.allows(instance.archive, running)
        return StreamDesign([tuple(row) for row in batch.cells()],  # type: ignore[misc]
                            instance.batch_seed(nr), last)

    def done(self, result: BenchmarkResult) -> None:
        """Archive the oldest running batch."""
        self.instance.archive_batch(self.running.popleft(), result)

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
