"""ArchiveTuning: every evaluated configuration of a tuning run (mlr3tuning's archive)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.evaluation import BenchmarkResult, ResampleResult
from mlr3py.learners import Learner
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
        # one frame per batch; ``data`` concatenates them once and caches the result
        self._chunks: list[pd.DataFrame] = []
        self._pending: list[dict[str, Any]] = []  # rows added without a frame, in order
        self._data: pd.DataFrame | None = None
        self._n_batch = 0
        #: further columns some tuners record (``stage``, ``bracket``, ...), in order
        self.cols_extra: list[str] = []

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
            self._flush()
            if not self._chunks:
                self._data = self._frame([])
            else:
                frame = pd.concat(self._chunks, ignore_index=True) if len(self._chunks) > 1 \
                    else self._chunks[0].reset_index(drop=True)
                self._data = frame.reindex(columns=self._columns())
                self._chunks = [self._data]
        return self._data

    def _columns(self) -> list[str]:
        return [*self.cols_x, *self.cols_y, *self.cols_extra, *ARCHIVE_COLUMNS]

    def _frame(self, rows: list[dict[str, Any]]) -> pd.DataFrame:
        """Rows as a frame, built column by column with the archive's dtypes (measures
        float, counts int64, records object; the configuration's dtypes inferred)."""
        floats, ints = set(self.cols_y), {"batch_nr", "warnings", "errors"}
        columns: dict[str, Any] = {}
        for key in self._columns():
            values = [row.get(key, np.nan) for row in rows]
            if key in floats:
                columns[key] = np.asarray(values, dtype=float)
            elif key in ints:
                columns[key] = np.asarray(values, dtype=np.int64)
            elif key in ("x_domain", "resample_result"):
                records = np.empty(len(values), dtype=object)
                records[:] = values
                columns[key] = records
            elif _none_among_strings(values):
                # a None level stays None (pandas would make the column strings, the
                # None a NaN)
                columns[key] = pd.Series(values, dtype=object)
            else:
                columns[key] = values
        return pd.DataFrame(columns)

    def check_extra(self, extra: pd.DataFrame | None, n: int) -> list[dict[str, Any]]:
        """The rows of ``extra`` as dicts (``n`` empty ones for None), after checking that
        it has ``n`` rows and no column the archive already has; new columns are added to
        :attr:`cols_extra`."""
        if extra is None:
            return [{} for _ in range(n)]
        if not isinstance(extra, pd.DataFrame) or len(extra) != n:
            raise ConfigError(f"The extra columns of a batch must be a DataFrame with one row "
                              f"per configuration ({n}). Got {extra!r:.80} instead.")
        taken = {*self.cols_x, *self.cols_y, *ARCHIVE_COLUMNS}
        clash = [c for c in extra.columns if c in taken]
        if clash:
            raise ConfigError(f"The extra columns {clash} of a batch clash with archive "
                              "columns; rename them.")
        self.cols_extra.extend(str(c) for c in extra.columns if c not in self.cols_extra)
        return [{str(k): v for k, v in row.items()} for row in extra.to_dict("records")]

    def add_rows(self, rows: list[dict[str, Any]]) -> pd.DataFrame:
        """Append the evaluated rows of one batch (used by :class:`TuningInstance`).

        Returns
        -------
        pandas.DataFrame
            The new rows as archive rows (index from 0); the earlier rows are not rebuilt.
        """
        self._append(rows)
        self._flush()
        new = self._frame(rows)
        self._chunks.append(new)
        return new

    def append_rows(self, rows: list[dict[str, Any]]) -> None:
        """As :meth:`add_rows`, without a frame of the new rows: they wait as they are until
        :attr:`data` is read, and the rows of many batches become one frame then (a search
        of one configuration per batch built a frame per configuration)."""
        self._append(rows)
        self._pending.extend(rows)

    def _append(self, rows: list[dict[str, Any]]) -> None:
        self._rows.extend(rows)
        self._data = None
        self._n_batch = max([self._n_batch, *(int(r["batch_nr"]) for r in rows)])

    def _flush(self) -> None:
        """The rows waiting without a frame become one chunk."""
        if self._pending:
            self._chunks.append(self._frame(self._pending))
            self._pending = []

    def clear_resample_results(self) -> None:
        """Forget the ResampleResults of all evaluations (their predictions and models);
        the scores, counts and configurations stay. A tuning instance with
        ``store_benchmark_result=False`` (an AutoTuner's default) keeps none in the first
        place."""
        for row in self._rows:
            row["resample_result"] = None
        for chunk in self._chunks:
            chunk["resample_result"] = None
        self._data = None

    @property
    def n_evals(self) -> int:
        """Number of evaluated configurations."""
        return len(self._rows)

    @property
    def n_batch(self) -> int:
        """Number of evaluated batches."""
        return self._n_batch

    @property
    def benchmark_result(self) -> BenchmarkResult:
        """All resample results, in evaluation order, as one BenchmarkResult."""
        results = [r["resample_result"] for r in self._rows]
        if any(r is None for r in results):
            raise ConfigError("The ResampleResults of this archive were not kept. Tune with "
                              "store_benchmark_result=True (AutoTuner) to keep them.")
        return BenchmarkResult(results)

    def resample_result(self, i: int) -> ResampleResult:
        """The ResampleResult of the ``i``-th (0-based) evaluation."""
        if isinstance(i, bool) or not isinstance(i, int | np.integer) \
                or not 0 <= i < self.n_evals:
            raise ConfigError(f"The archive has {self.n_evals} evaluations; there is no "
                              f"evaluation {i!r}. Pass an index from 0 to {self.n_evals - 1}.")
        i = int(i)
        result: ResampleResult | None = self._rows[i]["resample_result"]
        if result is None:
            raise ConfigError(f"The ResampleResult of evaluation {i} was not kept. Tune with "
                              "store_benchmark_result=True (AutoTuner) to keep them.")
        return result

    def learners(self, i: int) -> list[Learner]:
        """The learners of the ``i``-th (0-based) evaluation, one per resampling iteration
        (mlr3tuning's ``archive$learners(i)``).

        Each has the evaluation's parameter values and its iteration's state (log, train
        time); the trained model is there only when the run stored models
        (``tune(..., store_models=True)``), else the state's ``model`` is None.

        Raises
        ------
        ConfigError
            If there is no evaluation ``i`` or its ResampleResult was not kept.
        """
        result = self.resample_result(i)
        learners: list[Learner] = []
        for job in result.job_results:
            if job.learner is not None:
                learners.append(job.learner)
            else:
                learner = result.learner.clone()
                learner.state = job.state
                learners.append(learner)
        return learners

    def learner_param_vals(self, i: int) -> dict[str, Any]:
        """The parameter values the learner had in the ``i``-th (0-based) evaluation: the
        configuration's transformed values (``x_domain``) over the learner's other values
        (mlr3tuning's ``archive$learner_param_vals(i)``).

        Raises
        ------
        ConfigError
            If there is no evaluation ``i`` or its ResampleResult was not kept.
        """
        return self.resample_result(i).learner.param_set.get_values()

    def best(self, n: int = 1, batch: int | Sequence[int] | None = None, *,
             n_select: int | None = None) -> pd.DataFrame:
        """The best evaluations (bbotk's ``archive$best()``).

        Parameters
        ----------
        n : int
            With one measure, the ``n`` best rows (ties keep archive order). With
            several measures the Pareto front is returned and ``n`` is ignored.
        batch : int or sequence of int, optional
            Only consider these batches.
        n_select : int, optional
            bbotk's name for ``n``; give one of the two.

        Returns
        -------
        pandas.DataFrame
            Rows of :attr:`data`.
        """
        if n_select is not None:
            if n != 1 and n != n_select:
                raise ConfigError(f"best() got n={n!r} and n_select={n_select!r}; n_select is "
                                  "another name for n, pass only one of them.")
            n = n_select
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ConfigError(f"n (n_select) of best() must be an int >= 1. Got {n!r} instead.")
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

    def as_data_frame(self, unnest: str | Sequence[str] | None = "x_domain") -> pd.DataFrame:
        """The archive as a table, with dict columns unnested (mlr3tuning's
        ``as.data.table(archive)``).

        Parameters
        ----------
        unnest : str or sequence of str or None
            Columns holding dicts (default ``"x_domain"``, the transformed values handed to
            the learner) to spread into one column per key, ``<column>_<key>`` (e.g.
            ``x_domain_ccp_alpha``), in the place of the dict column. A key missing from a
            row (an inactive parameter) gives NaN there. None keeps :attr:`data`'s columns.

        Returns
        -------
        pandas.DataFrame
            A new frame (:attr:`data` is not changed). ``pd.DataFrame(archive)`` is not
            supported: use this or :attr:`data`.
        """
        names = [] if unnest is None else [unnest] if isinstance(unnest, str) else list(unnest)
        data = self.data.copy()
        for name in names:
            if name not in data.columns:
                raise ConfigError(f"The archive has no column {name!r} to unnest. Its columns "
                                  f"are {list(data.columns)}.")
            records = [value if isinstance(value, dict) else {} for value in data[name]]
            keys = list(dict.fromkeys(key for record in records for key in record))
            wide = pd.DataFrame.from_records(records, columns=keys, index=data.index)
            wide.columns = [f"{name}_{key}" for key in keys]
            at = list(data.columns).index(name)
            data = pd.concat([data.iloc[:, :at], wide, data.iloc[:, at + 1:]], axis=1)
        return data

    def __len__(self) -> int:
        return self.n_evals

    def __repr__(self) -> str:
        shown = self.data.drop(columns=["x_domain", "resample_result", "timestamp"])
        return (f"<ArchiveTuning> with {self.n_evals} evaluations in {self.n_batch} batches\n"
                + shown.to_string(index=False))


def _none_among_strings(values: list[Any]) -> bool:
    """Whether ``values`` are strings and at least one None."""
    has_none = False
    for value in values:
        if value is None:
            has_none = True
        elif not isinstance(value, str):
            return False
    return has_none and len(values) > 1
