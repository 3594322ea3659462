"""ResampleResult: the outcome of resample() (mlr3's ``ResampleResult``)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError, InputError
from mlr3py.evaluation._iteration_log import condition_counts, log_table, messages
from mlr3py.evaluation._job_scores import (
    aggregate_kept,
    check_predicted_sets,
    kept_scores,
    no_predictions_error,
    set_prediction,
)
from mlr3py.measures import MeasuresArg, resolve_measures
from mlr3py.predictions import combine_predictions
from mlr3py.predictions._predict_sets import DEFAULT_PREDICT_SETS, check_predict_sets

if TYPE_CHECKING:
    from mlr3py.evaluation._job import JobResult
    from mlr3py.learners import Learner
    from mlr3py.measures import Measure
    from mlr3py.predictions import Prediction
    from mlr3py.resamplings import Resampling
    from mlr3py.tasks import Task

__all__ = ["ResampleResult"]


class ResampleResult:
    """The predictions, learner states and logs of one resampled experiment.

    Built by :func:`~mlr3py.evaluation.resample` and :func:`~mlr3py.evaluation.benchmark`;
    not meant to be constructed by hand.

    Parameters
    ----------
    task : Task
        The task (a clone of the one passed to resample()).
    learner : Learner
        The untrained learner (a clone; its settings are those of the run).
    resampling : Resampling
        The instantiated resampling.
    results : list of JobResult
        One result per iteration, in iteration order.
    store_models : bool
        Whether the job results keep the trained learners.
    kept_measures : sequence of Measure, optional
        The measures whose scores the job results keep instead of their predictions
        (``resample(..., store_predictions=False)``); None: they keep the predictions.

    Attributes
    ----------
    task, learner, resampling : Task, Learner, Resampling
        As given.
    uhash : str
        A unique id of this result (used to drop duplicates when combining).
    """

    def __init__(
        self,
        task: Task,
        learner: Learner,
        resampling: Resampling,
        results: list[JobResult],
        store_models: bool = False,
        kept_measures: Sequence[Measure] | None = None,
    ) -> None:
        self.task = task
        self.learner = learner
        self.resampling = resampling
        self.store_models = store_models
        self._kept = None if kept_measures is None else {m.id: m for m in kept_measures}
        self.uhash = uuid.uuid4().hex
        self._results = list(results)

    # ---- basic views --------------------------------------------------------------------
    @property
    def iters(self) -> int:
        """Number of iterations held (after any filter)."""
        return len(self._results)

    @property
    def iterations(self) -> list[int]:
        """The 0-based resampling iterations held, in order."""
        return [r.iteration for r in self._results]

    @property
    def job_results(self) -> list[JobResult]:
        """The job results, one per iteration (a new list)."""
        return list(self._results)

    def predictions(self, predict_sets: str | Sequence[str] = "test") -> list[Prediction]:
        """The predictions, one per iteration.

        Parameters
        ----------
        predict_sets : str or list of str
            ``"test"`` (the default): the test-set predictions; ``"train"``: the
            training-set predictions (the learner needs ``predict_sets`` with
            ``"train"``); both: per iteration the two combined.

        Raises
        ------
        ConfigError
            If the learner did not predict a requested set, or the run kept scores
            instead of predictions (``store_predictions=False``).
        """
        sets = check_predict_sets(predict_sets, "ResampleResult.predictions()")
        if self._kept is not None:
            raise no_predictions_error(self.learner.id, self._kept)
        if sets == DEFAULT_PREDICT_SETS and "test" in self.learner.predict_sets:
            return [r.prediction for r in self._results if r.prediction is not None]
        self._check_sets(sets, f"ResampleResult.predictions({predict_sets!r})")
        out = []
        for result in self._results:
            prediction = set_prediction(result.prediction, result.train_prediction, sets)
            if prediction is not None:  # None: a train prediction lost with its worker
                out.append(prediction)
        return out

    def prediction(self, predict_sets: str | Sequence[str] = "test") -> Prediction:
        """All iterations' predictions of ``predict_sets`` combined into one prediction
        (see :meth:`predictions`)."""
        if not self._results:
            raise InputError("This ResampleResult holds no iterations; nothing to combine.")
        return combine_predictions(self.predictions(predict_sets))

    def _check_sets(self, sets: tuple[str, ...], who: str) -> None:
        """Raise a :class:`ConfigError` unless the learner predicted all of ``sets``."""
        check_predicted_sets(self.learner, sets, who)

    @property
    def kept_measures(self) -> list[Measure] | None:
        """The measures whose scores the run kept instead of its predictions
        (``store_predictions=False``); None where it kept the predictions."""
        return None if self._kept is None else list(self._kept.values())

    @property
    def learners(self) -> list[Learner | None]:
        """The trained learners, one per iteration (needs ``store_models=True``).

        ``None`` for an iteration whose worker died.
        """
        if not self.store_models:
            raise ConfigError(
                f"The learners of this ResampleResult (learner '{self.learner.id}') were not "
                "stored. Run resample() or benchmark() with store_models=True to keep them."
            )
        return [r.learner for r in self._results]

    @property
    def errors(self) -> pd.DataFrame:
        """Errors logged by the learner: DataFrame with columns iteration, msg."""
        return log_table(self._results, "error")

    @property
    def warnings(self) -> pd.DataFrame:
        """Warnings logged by the learner: DataFrame with columns iteration, msg."""
        return log_table(self._results, "warning")

    # ---- scores -------------------------------------------------------------------------
    def _measures(self, measures: MeasuresArg) -> list[Measure]:
        return resolve_measures(measures, self.task.task_type, f"Task '{self.task.id}'")

    def _iteration_learner(self, result: JobResult) -> Learner:
        if result.learner is not None:
            return result.learner
        learner = self.learner.clone()
        learner.state = result.state
        return learner

    def _needs(self, measures: list[Measure]) -> tuple[bool, bool]:
        props = set().union(*(set(getattr(m, "properties", ())) for m in measures))
        needs_learner = bool({"requires_learner", "requires_model"} & props)
        return needs_learner, "requires_train_set" in props

    def _measure_sets(self, measures: list[Measure]) -> list[tuple[str, ...]]:
        """Each measure's predict sets, checked against the learner's."""
        out = []
        for measure in measures:
            sets = tuple(getattr(measure, "predict_sets", DEFAULT_PREDICT_SETS))
            if sets != DEFAULT_PREDICT_SETS or "test" not in self.learner.predict_sets:
                self._check_sets(sets, f"Measure '{measure.id}' (predict_sets={list(sets)})")
            out.append(sets)
        return out

    def _score_matrix(self, measures: list[Measure]) -> np.ndarray:
        if self._kept is not None:
            return self._kept_matrix(measures)
        needs_learner, needs_train_set = self._needs(measures)
        measure_sets = self._measure_sets(measures)
        values = np.empty((len(self._results), len(measures)), dtype=float)
        for i, result in enumerate(self._results):
            learner = self._iteration_learner(result) if needs_learner else None
            train_set = (
                self.resampling.train_set(result.iteration) if needs_train_set else None
            )
            for j, measure in enumerate(measures):
                sets = measure_sets[j]
                prediction = (
                    result.prediction if sets == DEFAULT_PREDICT_SETS
                    else set_prediction(result.prediction, result.train_prediction, sets)
                )
                values[i, j] = np.nan if prediction is None else measure.score(
                    prediction, task=self.task, learner=learner, train_set=train_set
                )
        return values

    def _kept_matrix(self, measures: list[Measure]) -> np.ndarray:
        """The scores of a run that kept them instead of predictions: those it kept, and
        those of measures that need no prediction (scored from the learners' states)."""
        assert self._kept is not None
        values = np.empty((len(self._results), len(measures)), dtype=float)
        for j, measure in enumerate(measures):
            column = kept_scores(self._results, measure, self._kept)
            if column is None:
                needs_learner, needs_train_set = self._needs([measure])
                column = np.array([measure.score(
                    None, task=self.task,
                    learner=self._iteration_learner(r) if needs_learner else None,
                    train_set=self.resampling.train_set(r.iteration) if needs_train_set
                    else None) for r in self._results], dtype=float)
            values[:, j] = column
        return values

    def score(self, measures: MeasuresArg = None, conditions: bool = False) -> pd.DataFrame:
        """Score every iteration.

        Parameters
        ----------
        measures : Measure, str, list of those, or None
            None uses the task type's default (classif.ce / regr.mse).
        conditions : bool
            Add the columns warnings and errors: each iteration's logged messages, a
            list of str (mlr3's ``score(conditions = TRUE)``).

        Returns
        -------
        pandas.DataFrame
            One row per iteration: task_id, learner_id, resampling_id, iteration,
            [warnings, errors] and one column per measure id.
        """
        measures = self._measures(measures)
        values = self._score_matrix(measures)
        n = len(self._results)
        table = pd.DataFrame(
            {
                "task_id": [self.task.id] * n,
                "learner_id": [self.learner.id] * n,
                "resampling_id": [self.resampling.id] * n,
                "iteration": np.asarray(self.iterations, dtype="int64"),
            }
        )
        if conditions:
            for column, cls in (("warnings", "warning"), ("errors", "error")):
                table[column] = pd.Series(
                    [messages(r, cls) for r in self._results], dtype=object
                )
        for j, measure in enumerate(measures):
            table[measure.id] = values[:, j]
        return table

    def aggregate(self, measures: MeasuresArg = None) -> pd.Series:
        """Aggregate the scores over iterations with each measure's own rule.

        Macro measures average the per-iteration scores; micro measures score the
        combined prediction.

        Parameters
        ----------
        measures : Measure, str, list of those, or None
            None uses the task type's default (classif.ce / regr.mse).

        Returns
        -------
        pandas.Series
            One float per measure id.
        """
        return pd.Series(self.aggregate_values(measures), dtype=float)

    def aggregate_values(self, measures: MeasuresArg = None) -> dict[str, float]:
        """:meth:`aggregate` as a plain dict, measure id -> score.

        For callers that aggregate many results one by one (a tuning archive, one row
        per configuration): building the Series costs more than the scoring.
        """
        measures = self._measures(measures)
        if self._kept is not None:
            return aggregate_kept(measures, self._score_matrix(measures), self.task)
        measure_sets = dict(zip(map(id, measures), self._measure_sets(measures), strict=True))
        by_sets: dict[tuple[str, ...], list[Prediction]] = {}
        macro = [m for m in measures if getattr(m, "average", "macro") != "micro"]
        scores = self._score_matrix(macro) if macro and self._results else None
        macro_index = {id(m): k for k, m in enumerate(macro)}
        values: dict[str, float] = {}
        for measure in measures:
            sets = measure_sets[id(measure)]
            if sets not in by_sets:
                by_sets[sets] = self.predictions(sets)
            predictions = by_sets[sets]
            if id(measure) in macro_index:
                column: Any = scores[:, macro_index[id(measure)]] if scores is not None else []
                values[measure.id] = float(
                    measure.aggregate(predictions, scores=column, task=self.task)
                )
                continue
            needs_learner, needs_train_set = self._needs([measure])
            learners = (
                [self._iteration_learner(r) for r in self._results] if needs_learner else None
            )
            train_sets = (
                [self.resampling.train_set(r.iteration) for r in self._results]
                if needs_train_set
                else None
            )
            values[measure.id] = float(
                measure.aggregate(
                    predictions, task=self.task, learners=learners, train_sets=train_sets
                )
            )
        return values

    # ---- editing ------------------------------------------------------------------------
    def clone(self) -> ResampleResult:
        """A copy to :meth:`filter` without touching this result (mlr3's ``$clone()``).

        The copy holds its own list of iterations, so filtering one leaves the
        other whole; both share the task, learner, resampling and the iterations'
        predictions and stored models. It keeps the :attr:`uhash` (the same
        experiment).

        Returns
        -------
        ResampleResult
        """
        other = copy.copy(self)
        other._results = list(self._results)
        return other

    def filter(self, iters: int | Iterable[int]) -> ResampleResult:
        """Keep only the given (0-based) iterations, in place.

        Parameters
        ----------
        iters : int or iterable of int
            Iterations to keep.

        Returns
        -------
        ResampleResult
            ``self``.
        """
        wanted = [iters] if isinstance(iters, int | np.integer) else list(iters)
        held = set(self.iterations)
        unknown = [i for i in wanted if i not in held]
        if unknown:
            raise InputError(
                f"Iterations {unknown} are not in this ResampleResult. "
                f"Available iterations: {sorted(held)}."
            )
        keep = set(wanted)
        self._results = [r for r in self._results if r.iteration in keep]
        return self

    # ---- printing -----------------------------------------------------------------------
    def condition_counts(self) -> tuple[list[int], list[int]]:
        """The number of warnings and of errors logged in each iteration (two lists in
        iteration order), counted without building the :attr:`warnings` /
        :attr:`errors` tables."""
        return condition_counts(self._results)

    def __len__(self) -> int:
        return self.iters

    # set by mlr3py.evaluation._benchmark_result (which imports this module): builds a
    # BenchmarkResult of ResampleResults, so that ``rr1 + rr2`` needs no import back
    _combine: ClassVar[Callable[[list[ResampleResult]], Any] | None] = None

    def __add__(self, other: Any) -> Any:
        """``rr1 + rr2`` (mlr3's ``c(rr1, rr2)``): a BenchmarkResult of both."""
        combine = type(self)._combine
        if isinstance(other, ResampleResult) and combine is not None:
            return combine([self, other])
        return NotImplemented

    def __str__(self) -> str:
        """One line (a cell of ``BenchmarkResult.aggregate()``); ``repr()`` has the table."""
        return (f"<ResampleResult> {self.learner.id} on {self.task.id}, "
                f"{self.iters} x {self.resampling.id}")

    def __repr__(self) -> str:
        warnings, errors = self.condition_counts()
        table = pd.DataFrame(
            {
                "task_id": self.task.id,
                "learner_id": self.learner.id,
                "resampling_id": self.resampling.id,
                "iteration": self.iterations,
                "warnings": warnings,
                "errors": errors,
            }
        )
        head = f"<ResampleResult> with {self.iters} resampling iterations"
        if not self._results:
            return head
        return head + "\n" + table.to_string(index=False)

