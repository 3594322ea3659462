"""ArchiveTuning: every evaluated configuration of a tuning run (mlr3tuning's archive)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.evaluation import BenchmarkResult, ResampleResult
from mlr3py.measures import Measure
from mlr3py.params import ParamSet

__all__ = ["ArchiveTuning", "pareto_front"]

ARCHIVE_COLUMNS = ("x_domain", "runtime_learners", "timestamp", "batch_nr", "warnings", "errors",
                   "resample_result")


def pareto_front(scores: np.ndarray, minimize: Sequence[bool]) -> np.ndarray:
    """Indices of the non-dominated rows of ``scores`` (one column per measure).

    Parameters
    ----------
    scores : numpy.ndarray
        Shape (n, m).
    minimize : sequence of bool
        Per column, whether lower is better.

    Returns
    -------
    numpy.ndarray
        Row indices, in their original order.
    """
    signs = np.where(np.asarray(minimize, dtype=bool), 1.0, -1.0)
    costs = np.asarray(scores, dtype=float) * signs
    keep = []
    for i in range(costs.shape[0]):
        others = np.delete(costs, i, axis=0)
        dominated = np.any(np.all(others <= costs[i], axis=1) & np.any(others < costs[i], axis=1))
        if not dominated and not np.any(np.isnan(costs[i])):
            keep.append(i)
    return np.asarray(keep, dtype=int)


class ArchiveTuning:
    """The evaluations of a tuning run, one row per configuration.

    Parameters
    ----------
    search_space : ParamSet
        The space the configurations come from.
    measures : list of Measure
        The measures scoring them (several: a multi-criteria run).

    Attributes
    ----------
    search_space : ParamSet
    measures : list of Measure
    start_time : float or None
        ``time.time()`` when the first batch started.
    stop_reason : str or None
        Why the run stopped: the sentence of the terminator that fired, or that
        the tuner's design was exhausted.
    """

    def __init__(self, search_space: ParamSet, measures: Sequence[Measure]) -> None:
        self.search_space = search_space
        self.measures = list(measures)
        self.start_time: float | None = None
        self.stop_reason: str | None = None
        self._rows: list[dict[str, Any]] = []
        self._data: pd.DataFrame | None = None

    @property
    def cols_x(self) -> list[str]:
        """The search-space columns."""
        return list(self.search_space.ids())

    @property
    def cols_y(self) -> list[str]:
        """The measure columns."""
        return [m.id for m in self.measures]

    @property
    def data(self) -> pd.DataFrame:
        """One row per evaluation: the configuration (search-space values), ``x_domain``
        (the transformed values handed to the learner), one column per measure,
        ``runtime_learners``, ``timestamp``, ``batch_nr``, ``warnings``, ``errors`` (counts)
        and ``resample_result``."""
        if self._data is None:
            columns = [*self.cols_x, *self.cols_y, *ARCHIVE_COLUMNS]
            frame = pd.DataFrame(self._rows, columns=columns)
            for key in self.cols_y:
                frame[key] = frame[key].astype(float)
            for key in ("batch_nr", "warnings", "errors"):
                frame[key] = frame[key].astype("int64")
            self._data = frame
        return self._data

    def add_rows(self, rows: list[dict[str, Any]]) -> None:
        """Append evaluated rows (used by :class:`TuningInstance`)."""
        self._rows.extend(rows)
        self._data = None

    @property
    def n_evals(self) -> int:
        """Number of evaluated configurations."""
        return len(self._rows)

    @property
    def n_batch(self) -> int:
        """Number of evaluated batches."""
        return max((int(r["batch_nr"]) for r in self._rows), default=0)

    @property
    def benchmark_result(self) -> BenchmarkResult:
        """All resample results, in evaluation order, as one BenchmarkResult."""
        return BenchmarkResult([r["resample_result"] for r in self._rows])

    def resample_result(self, i: int) -> ResampleResult:
        """The ResampleResult of the ``i``-th (0-based) evaluation."""
        if not 0 <= i < self.n_evals:
            raise ConfigError(f"The archive has {self.n_evals} evaluations; there is no "
                              f"evaluation {i!r}. Pass an index from 0 to {self.n_evals - 1}.")
        result: ResampleResult = self._rows[i]["resample_result"]
        return result

    def best(self, n: int = 1, batch: int | Sequence[int] | None = None) -> pd.DataFrame:
        """The best evaluations.

        Parameters
        ----------
        n : int
            With one measure, the ``n`` best rows (ties keep archive order). With
            several measures the Pareto front is returned and ``n`` is ignored.
        batch : int or sequence of int, optional
            Only consider these batches.

        Returns
        -------
        pandas.DataFrame
            Rows of :attr:`data`.
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ConfigError(f"n of best() must be an int >= 1. Got {n!r} instead.")
        data = self.data
        if batch is not None:
            wanted = [batch] if isinstance(batch, int | np.integer) else list(batch)
            data = data[data["batch_nr"].isin(wanted)]
        if data.empty:
            return data
        if len(self.measures) > 1:
            front = pareto_front(data[self.cols_y].to_numpy(dtype=float),
                                 [bool(m.minimize) for m in self.measures])
            return data.iloc[front]
        measure = self.measures[0]
        ordered = data.sort_values(measure.id, ascending=bool(measure.minimize),
                                   kind="stable", na_position="last")
        return ordered.head(int(n))

    def __len__(self) -> int:
        return self.n_evals

    def __repr__(self) -> str:
        shown = self.data.drop(columns=["x_domain", "resample_result", "timestamp"])
        return (f"<ArchiveTuning> with {self.n_evals} evaluations in {self.n_batch} batches\n"
                + shown.to_string(index=False))
