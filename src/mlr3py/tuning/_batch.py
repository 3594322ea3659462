"""A batch of configurations: :class:`Batch`, made by :func:`make_batch`, archived as
:func:`batch_rows`.

A batch is the unit of :meth:`TuningInstance.eval_batch
<mlr3py.tuning.TuningInstance.eval_batch>`: its configurations, transformed and each
set on a clone of the learner, become the rows of one benchmark design over the
instance's task and instantiated resampling; the benchmark's resample results become
its archive rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError, Mlr3pyError
from mlr3py.evaluation import BenchmarkResult
from mlr3py.evaluation._job_key import stable_text
from mlr3py.learners import Learner
from mlr3py.log import tuning_logger
from mlr3py.measures import Measure
from mlr3py.params import ParamSet
from mlr3py.resamplings import Resampling
from mlr3py.tasks import Task

__all__ = [
    "Batch", "batch_name", "batch_rows", "configured", "make_batch", "point_text", "same_points",
]


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
    task : Task
        The tuning problem's task.
    resampling : Resampling
        Its instantiated resampling (the same folds for every configuration).
    """

    nr: int
    points: list[dict[str, Any]]
    x_domains: list[dict[str, Any]]
    extras: list[dict[str, Any]]
    learners: list[Learner]
    task: Task
    resampling: Resampling

    def rows(self) -> list[tuple[Task, Learner, Resampling]]:
        """The benchmark design's rows: (task, configured learner, resampling)."""
        return [(self.task, learner, self.resampling) for learner in self.learners]

    def cells(self) -> np.ndarray:
        """The same rows as an object array (filled cell by cell: pandas unpacks nothing)."""
        cells = np.empty((len(self.learners), 3), dtype=object)
        for i, row in enumerate(self.rows()):
            cells[i, 0], cells[i, 1], cells[i, 2] = row
        return cells


def point_text(point: Mapping[str, Any]) -> str:
    """A configuration as ``{key=value, ...}`` for messages."""
    return "{" + ", ".join(f"{k}={v!r}" for k, v in point.items()) + "}"


def configured(untuned: Learner, x_domain: Mapping[str, Any]) -> Learner:
    """A clone of ``untuned`` (a learner without tuning tokens) with ``x_domain`` set."""
    learner = untuned.clone()
    learner.param_set.set_values(**dict(x_domain))
    return learner


def make_batch(nr: int, points: list[dict[str, Any]], extras: list[dict[str, Any]],
               search_space: ParamSet, untuned: Learner, task: Task,
               resampling: Resampling) -> Batch:
    """Batch ``nr`` of the checked configurations ``points``: each transformed with the
    search space's trafos and set on a clone of ``untuned`` (the learner without its
    tuning tokens).

    Raises
    ------
    ConfigError
        If the learner rejects a configuration's transformed values (naming it and the
        batch).
    """
    learners: list[Learner] = []
    x_domains: list[dict[str, Any]] = []
    for i, point in enumerate(points):
        try:
            x_domain = search_space.transform(point)
        except Exception as exc:  # a user's trafo may raise anything
            raise ConfigError(
                f"The trafo of the search space failed on configuration {i + 1} of batch "
                f"{nr} {point_text(point)}: {type(exc).__name__}: {_sentence(exc)} Check "
                "the trafo: a parameter's trafo is fn(value), a set's fn(x, param_set)."
            ) from exc
        try:
            learners.append(configured(untuned, x_domain))
        except (Mlr3pyError, ValueError, TypeError, KeyError) as exc:
            raise ConfigError(
                f"Configuration {i + 1} of batch {nr} ({point_text(point)}, transformed to "
                f"{point_text(x_domain)}) cannot be set on Learner '{untuned.id}': "
                f"{_sentence(exc)} Check the search space and its trafo."
            ) from exc
        x_domains.append(x_domain)
    tuning_logger.info("Evaluating %d configuration(s) in batch %d", len(points), nr)
    return Batch(nr, points, x_domains, extras, learners, task, resampling)


def _sentence(exc: BaseException) -> str:
    """``exc``'s message ending with a full stop."""
    text = str(exc).rstrip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def batch_rows(batch: Batch, bmr: BenchmarkResult, measures: Sequence[Measure],
               cols_x: Sequence[str]) -> list[dict[str, Any]]:
    """The archive rows of an evaluated batch: configuration (the search-space columns
    ``cols_x``), one score per measure, condition counts, the resample results."""
    timestamp = pd.Timestamp.now()
    rows = []
    for point, x_domain, rr, more in zip(batch.points, batch.x_domains,
                                         bmr.resample_results, batch.extras, strict=True):
        scores = rr.aggregate_values(measures)
        warnings, errors = rr.condition_counts()
        row: dict[str, Any] = {key: point.get(key, np.nan) for key in cols_x}
        row.update({m.id: float(scores[m.id]) for m in measures})
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


def batch_name(batch_nr: int) -> str:
    """The store object holding the archive rows of batch ``batch_nr``."""
    return f"batch-{batch_nr:05d}"


def same_points(stored_rows: list[dict[str, Any]], x_domains: list[dict[str, Any]]) -> bool:
    """Whether a kept batch holds the configurations proposed now."""
    return [stable_text(r["x_domain"]) for r in stored_rows] == [stable_text(x)
                                                                  for x in x_domains]
