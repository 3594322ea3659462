"""BenchmarkResult: a collection of ResampleResults (mlr3's ``BenchmarkResult``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from mlr3py.errors import ConfigError, InputError
from mlr3py.evaluation._benchmark_objects import (
    condition_table,
    distinct_objects,
    learner_hash,
    resampling_hash,
)
from mlr3py.evaluation._resample_result import ResampleResult
from mlr3py.measures import MeasuresArg
from mlr3py.registry import did_you_mean

__all__ = ["BenchmarkResult", "as_benchmark_result"]

_ID_COLUMNS = ["nr", "task_id", "learner_id", "resampling_id"]


class BenchmarkResult:
    """The results of a benchmark: one ResampleResult per experiment.

    Experiments are numbered ``nr`` = 0, 1, ... in order. Combine results with
    ``bmr1 + bmr2`` (a new object) or ``bmr1.combine(bmr2)`` (in place).

    Parameters
    ----------
    resample_results : iterable of ResampleResult, optional
        The experiments' results, in order.
    """

    def __init__(self, resample_results: Iterable[ResampleResult] = ()) -> None:
        self._rrs: list[ResampleResult] = []
        for rr in resample_results:
            self._add(rr)

    def _add(self, rr: Any) -> None:
        if not isinstance(rr, ResampleResult):
            raise ConfigError(
                "A BenchmarkResult holds ResampleResult objects. "
                f"Got {type(rr).__name__} instead."
            )
        if all(rr.uhash != held.uhash for held in self._rrs):
            self._rrs.append(rr)

    # ---- views --------------------------------------------------------------------------
    @property
    def resample_results(self) -> list[ResampleResult]:
        """The ResampleResults, in ``nr`` order (a new list)."""
        return list(self._rrs)

    @property
    def n_resample_results(self) -> int:
        """Number of experiments."""
        return len(self._rrs)

    def resample_result(self, i: int) -> ResampleResult:
        """The ResampleResult of experiment ``nr == i`` (0-based)."""
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(self._rrs):
            raise InputError(
                f"There is no resample result nr {i!r}; this BenchmarkResult holds nr "
                f"0 to {len(self._rrs) - 1}."
            )
        return self._rrs[i]

    @property
    def task_ids(self) -> list[str]:
        """Distinct task ids, in order of appearance."""
        return list(dict.fromkeys(rr.task.id for rr in self._rrs))

    @property
    def learner_ids(self) -> list[str]:
        """Distinct learner ids, in order of appearance."""
        return list(dict.fromkeys(rr.learner.id for rr in self._rrs))

    @property
    def resampling_ids(self) -> list[str]:
        """Distinct resampling ids, in order of appearance."""
        return list(dict.fromkeys(rr.resampling.id for rr in self._rrs))

    @property
    def task_type(self) -> str | None:
        """The task type of the experiments (None when empty)."""
        return self._rrs[0].task.task_type if self._rrs else None

    @property
    def uhashes(self) -> list[str]:
        """The unique ids of the ResampleResults, in ``nr`` order."""
        return [rr.uhash for rr in self._rrs]

    @property
    def tasks(self) -> pd.DataFrame:
        """The distinct tasks: columns task_hash, task_id, task (the Task)."""
        return distinct_objects(self._rrs, "task", lambda task: task.hash)

    @property
    def learners(self) -> pd.DataFrame:
        """The distinct learners (untrained, as configured): columns learner_hash,
        learner_id, learner (the Learner). The trained ones are in
        ``bmr.resample_result(i).learners`` (with ``store_models=True``)."""
        return distinct_objects(self._rrs, "learner", learner_hash)

    @property
    def resamplings(self) -> pd.DataFrame:
        """The distinct (instantiated) resamplings: columns resampling_hash,
        resampling_id, resampling (the Resampling)."""
        return distinct_objects(self._rrs, "resampling", resampling_hash)

    @property
    def warnings(self) -> pd.DataFrame:
        """Warnings logged in any experiment: columns nr, task_id, learner_id,
        resampling_id, iteration, msg."""
        return condition_table(self._rrs, "warning")

    @property
    def errors(self) -> pd.DataFrame:
        """Errors logged in any experiment: columns nr, task_id, learner_id,
        resampling_id, iteration, msg."""
        return condition_table(self._rrs, "error")

    def _ids(self, nr: int, rr: ResampleResult) -> dict[str, Any]:
        return {
            "nr": nr,
            "task_id": rr.task.id,
            "learner_id": rr.learner.id,
            "resampling_id": rr.resampling.id,
        }

    # ---- scores -------------------------------------------------------------------------
    def score(self, measures: MeasuresArg = None, conditions: bool = False) -> pd.DataFrame:
        """Score every iteration of every experiment.

        Parameters
        ----------
        measures : Measure, str, list of those, or None
            None uses each task type's default measure (classif.ce / regr.mse).
        conditions : bool
            Add the columns warnings and errors (each iteration's logged messages,
            see :meth:`ResampleResult.score`).

        Returns
        -------
        pandas.DataFrame
            Columns nr, task_id, learner_id, resampling_id, iteration and one per
            measure id (NaN where a measure does not apply to a row's task type).
        """
        measures = _materialise(measures)
        tables = []
        for nr, rr in enumerate(self._rrs):
            table = rr.score(measures, conditions=conditions)
            table.insert(0, "nr", nr)
            tables.append(table)
        if not tables:
            return pd.DataFrame(columns=[*_ID_COLUMNS, "iteration"])
        return pd.concat(tables, ignore_index=True)

    def aggregate(self, measures: MeasuresArg = None, conditions: bool = False) -> pd.DataFrame:
        """Aggregate each experiment over its iterations.

        Parameters
        ----------
        measures : Measure, str, list of those, or None
            None uses each task type's default measure (classif.ce / regr.mse).
        conditions : bool
            Add the columns warnings and errors (number of logged conditions).

        Returns
        -------
        pandas.DataFrame
            Columns nr, task_id, learner_id, resampling_id, iters, [warnings, errors],
            resample_result (each row's :class:`ResampleResult`, e.g.
            ``table["resample_result"][0]``; printed as one line) and one per measure id.
        """
        measures = _materialise(measures)
        rows = []
        for nr, rr in enumerate(self._rrs):
            row = self._ids(nr, rr)
            row["iters"] = rr.iters
            if conditions:
                row["warnings"] = len(rr.warnings)
                row["errors"] = len(rr.errors)
            row.update({str(k): v for k, v in rr.aggregate(measures).items()})
            rows.append(row)
        columns = [*_ID_COLUMNS, "iters"] + (["warnings", "errors"] if conditions else [])
        table = pd.DataFrame(rows, columns=_union_columns(columns, rows))
        # mlr3's way back from a row to its experiment: the ResampleResult itself
        table.insert(len(columns), "resample_result", pd.Series(self._rrs, dtype=object))
        for col in ("nr", "iters", "warnings", "errors"):
            if col in table.columns:
                table[col] = table[col].astype("int64")
        return table

    # ---- editing ------------------------------------------------------------------------
    def clone(self, deep: bool = True) -> BenchmarkResult:
        """A copy to filter or combine without touching this result (mlr3's ``$clone()``).

        Parameters
        ----------
        deep : bool
            True (the default): the ResampleResults are copied too (see
            :meth:`ResampleResult.clone`). False: a new collection of the same
            ResampleResults.

        Returns
        -------
        BenchmarkResult
        """
        return BenchmarkResult(rr.clone() if deep else rr for rr in self._rrs)

    def filter(
        self,
        task_ids: str | Iterable[str] | None = None,
        learner_ids: str | Iterable[str] | None = None,
        resampling_ids: str | Iterable[str] | None = None,
    ) -> BenchmarkResult:
        """Keep only experiments matching all given ids, in place; ``nr`` is renumbered.

        Parameters
        ----------
        task_ids, learner_ids, resampling_ids : str, iterable of str, or None
            None keeps all values of that field.

        Returns
        -------
        BenchmarkResult
            ``self``.
        """
        keep_task = _id_set(task_ids, self.task_ids, "task")
        keep_learner = _id_set(learner_ids, self.learner_ids, "learner")
        keep_resampling = _id_set(resampling_ids, self.resampling_ids, "resampling")
        self._rrs = [
            rr
            for rr in self._rrs
            if (keep_task is None or rr.task.id in keep_task)
            and (keep_learner is None or rr.learner.id in keep_learner)
            and (keep_resampling is None or rr.resampling.id in keep_resampling)
        ]
        return self

    def combine(self, other: BenchmarkResult | ResampleResult) -> BenchmarkResult:
        """Append another result's experiments, in place (duplicates are skipped).

        Parameters
        ----------
        other : BenchmarkResult or ResampleResult

        Returns
        -------
        BenchmarkResult
            ``self``.
        """
        if isinstance(other, BenchmarkResult):
            for rr in other._rrs:
                self._add(rr)
        elif isinstance(other, ResampleResult):
            self._add(other)
        else:
            raise ConfigError(
                "Only a BenchmarkResult or a ResampleResult can be combined with a "
                f"BenchmarkResult. Got {type(other).__name__} instead."
            )
        return self

    def __add__(self, other: BenchmarkResult | ResampleResult) -> BenchmarkResult:
        if not isinstance(other, BenchmarkResult | ResampleResult):
            return NotImplemented
        return BenchmarkResult(self._rrs).combine(other)

    def __radd__(self, other: ResampleResult) -> BenchmarkResult:
        if not isinstance(other, ResampleResult):
            return NotImplemented
        return BenchmarkResult([other]).combine(self)

    # ---- printing -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._rrs)

    def __repr__(self) -> str:
        n_iters = sum(rr.iters for rr in self._rrs)
        head = (
            f"<BenchmarkResult> of {n_iters} rows with {len(self._rrs)} resampling runs"
        )
        if not self._rrs:
            return head
        rows = []
        for nr, rr in enumerate(self._rrs):
            row = self._ids(nr, rr)
            warnings, errors = rr.condition_counts()
            row.update(iters=rr.iters, warnings=sum(warnings), errors=sum(errors))
            rows.append(row)
        return head + "\n" + pd.DataFrame(rows).to_string(index=False)


ResampleResult._combine = BenchmarkResult  # rr1 + rr2


def as_benchmark_result(x: ResampleResult | BenchmarkResult) -> BenchmarkResult:
    """Convert a ResampleResult to a BenchmarkResult of one experiment (mlr3's
    ``as_benchmark_result()``); a BenchmarkResult is returned as is.

    Parameters
    ----------
    x : ResampleResult or BenchmarkResult

    Returns
    -------
    BenchmarkResult

    Examples
    --------
    >>> bmr = as_benchmark_result(resample(tsk("penguins"), lrn("classif.rpart"), rsmp("cv")))
    >>> bmr.combine(other_rr)  # then add more experiments
    """
    if isinstance(x, BenchmarkResult):
        return x
    if isinstance(x, ResampleResult):
        return BenchmarkResult([x])
    raise ConfigError(
        "as_benchmark_result() converts a ResampleResult (from resample()) or a "
        f"BenchmarkResult. Got {type(x).__name__} instead."
    )


def _materialise(measures: MeasuresArg) -> MeasuresArg:
    """Turn a one-shot iterable of measures into a list so every experiment sees it."""
    if measures is None or isinstance(measures, str) or not isinstance(measures, Iterable):
        return measures
    return list(measures)


def _union_columns(first: list[str], rows: list[dict[str, Any]]) -> list[str]:
    columns = dict.fromkeys(first)
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def _id_set(ids: str | Iterable[str] | None, known: list[str], what: str) -> set[str] | None:
    if ids is None:
        return None
    wanted = [ids] if isinstance(ids, str) else list(ids)
    for value in wanted:
        if value not in known:
            raise InputError(
                f"The {what} id '{value}' is not in this BenchmarkResult."
                + did_you_mean(str(value), known)
                + f" Known {what} ids: {', '.join(known)}."
            )
    return set(wanted)
