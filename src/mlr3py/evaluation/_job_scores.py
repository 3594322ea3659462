"""Scores kept instead of predictions: ``resample(..., store_predictions=False)``.

A resample of a large task keeps one prediction per iteration, 24 bytes per test row
for a regression (row id, truth, response): three iterations that each test 98% of
10,000,000 rows keep 700 MB. Where only the scores are wanted (as scikit-learn's
``cross_validate(scoring=...)`` gives them), each job scores its predictions with the
run's measures where it runs and keeps the numbers; its predictions are dropped as soon
as they are scored, so the run holds at most the predictions of the jobs in flight.

The :class:`~mlr3py.evaluation.ResampleResult` of such a run scores and aggregates
with these measures (and with measures that need no prediction, such as
``time_train``); what needs the predictions themselves raises a :class:`ConfigError`
saying which measures were kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.evaluation._job_key import measure_text
from mlr3py.predictions import combine_predictions
from mlr3py.predictions._predict_sets import DEFAULT_PREDICT_SETS, PREDICT_SETS

if TYPE_CHECKING:
    from mlr3py.evaluation._job import Job, JobResult
    from mlr3py.learners import Learner
    from mlr3py.measures import Measure
    from mlr3py.predictions import Prediction

__all__ = ["aggregate_kept", "check_predicted_sets", "check_scored_measures", "kept_scores",
           "no_predictions_error", "score_job", "set_prediction"]


def check_predicted_sets(learner: Learner, sets: Sequence[str], who: str) -> None:
    """Raise a :class:`ConfigError` unless ``learner`` predicts all of ``sets``.

    Parameters
    ----------
    learner : Learner
        The experiment's learner (its ``predict_sets``).
    sets : sequence of str
        The predict sets wanted.
    who : str
        What wants them, for the message.
    """
    have = list(learner.predict_sets)
    missing = [s for s in sets if s not in have]
    if missing:
        wanted = sorted(set(have) | set(missing), key=PREDICT_SETS.index)
        raise ConfigError(
            f"{who} needs the {' and '.join(repr(s) for s in missing)} predictions, but "
            f"Learner '{learner.id}' predicted only {have} (its predict_sets). Set "
            f"learner.predict_sets = {wanted} before resample() or benchmark() (e.g. "
            f"lrn(..., predict_sets={wanted})), or score other predict_sets."
        )


def check_scored_measures(measures: Sequence[Measure], learner: Learner, task: Any) -> None:
    """Check, before a run, the measures its jobs score instead of keeping predictions
    (their ids are unique: :func:`~mlr3py.measures.resolve_measures` checked them), so
    that no job fails on them after its training.

    Raises
    ------
    ConfigError
        No measure; a measure scores a predict set the learner does not predict, needs
        task properties the task lacks, or aggregates with the predictions of all
        iterations (``average="micro"`` or ``"macro_weighted"``), which are not kept.
    InputError
        The task has measure weights that a measure cannot use.
    """
    if not measures:
        raise ConfigError(
            "store_predictions=False needs at least one measure to keep (measures=[...]); "
            "got none. Pass measures, or None for the task type's default."
        )
    for measure in measures:
        measure.check_task(task)
        sets = tuple(getattr(measure, "predict_sets", DEFAULT_PREDICT_SETS))
        check_predicted_sets(learner, sets, f"Measure '{measure.id}' (predict_sets="
                                            f"{list(sets)})")
        average = getattr(measure, "average", "macro")
        if average != "macro":
            raise ConfigError(
                f"Measure '{measure.id}' has average={average!r}: it aggregates with the "
                "predictions of all iterations (combined, or their sizes), which "
                "store_predictions=False does not keep. Use average='macro' "
                "(measure.average = 'macro') or keep the predictions."
            )


def set_prediction(test: Prediction | None, train: Prediction | None,
                   sets: Sequence[str]) -> Prediction | None:
    """The prediction of ``sets`` of one iteration (both sets combined), or None when
    one of them is missing (not predicted, or lost with its worker)."""
    parts = [train if s == "train" else test for s in sets]
    if any(p is None for p in parts):
        return None
    if len(parts) == 1:
        return parts[0]
    return combine_predictions([p for p in parts if p is not None])


def score_job(job: Job, learner: Learner, prediction: Prediction | None,
              train_prediction: Prediction | None,
              streamed: dict[str, float] | None = None) -> dict[str, float]:
    """Score one job's predictions with its measures (``job.measures``), where it ran.

    Parameters
    ----------
    job : Job
        The job (its task, resampling, iteration and measures).
    learner : Learner
        The trained learner, its model still in its state.
    prediction, train_prediction : Prediction or None
        The test and training set predictions.
    streamed : dict of str to float, optional
        The scores of the measures that scored the test set as it streamed
        (:mod:`mlr3py.evaluation._streamed_scores`).

    Returns
    -------
    dict of str to float
        Measure id -> score; NaN where a measure's predictions are missing (not
        predicted, or lost with a worker), or its model (the training failed).
    """
    measures = job.measures or ()
    props = set().union(*(set(getattr(m, "properties", ())) for m in measures))
    train_set = (job.resampling.train_set(job.iteration)
                 if "requires_train_set" in props else None)
    scores: dict[str, float] = {}
    trained = getattr(learner, "model", None) is not None
    for measure in measures:
        if streamed is not None and measure.id in streamed:
            scores[measure.id] = streamed[measure.id]
            continue
        sets = tuple(getattr(measure, "predict_sets", DEFAULT_PREDICT_SETS))
        scored = set_prediction(prediction, train_prediction, sets)
        if (scored is None and measure.task_type is not None) or (
                "requires_model" in measure.properties and not trained):
            scores[measure.id] = np.nan  # no prediction, or no model (training failed)
            continue
        scores[measure.id] = float(measure.score(
            scored, task=job.task, learner=learner, train_set=train_set
        ))
    return scores


def kept_scores(results: Sequence[JobResult], measure: Measure,
                kept: dict[str, Measure]) -> np.ndarray | None:
    """The scores of ``measure`` that the jobs of ``results`` kept, one per iteration.

    Parameters
    ----------
    results : sequence of JobResult
        The iterations of a run that kept scores instead of predictions.
    measure : Measure
        The measure asked for.
    kept : dict of str to Measure
        The run's measures by id.

    Returns
    -------
    numpy.ndarray or None
        The scores (NaN for an iteration whose worker died); None for a measure that
        needs no prediction (it is scored from the learner's state as usual).

    Raises
    ------
    ConfigError
        The measure needs the predictions and was not among the run's measures (or
        was, with other settings).
    """
    same = kept.get(measure.id)
    if same is not None and measure_text(same) == measure_text(measure):
        return np.array([np.nan if r.scores is None else r.scores.get(measure.id, np.nan)
                         for r in results], dtype=float)
    if getattr(measure, "task_type", None) is None:
        return None
    detail = ("was kept with other settings" if same is not None else "is not among them")
    raise ConfigError(
        f"This result kept the scores of measures {sorted(kept)} instead of the "
        f"predictions (store_predictions=False); Measure '{measure.id}' {detail}. "
        f"Pass it in resample(..., measures=[...]) or keep the predictions "
        f"(store_predictions=True)."
    )


def aggregate_kept(measures: Sequence[Measure], scores: np.ndarray,
                   task: Any) -> dict[str, float]:
    """Aggregate kept scores: each measure's aggregator over its per-iteration scores.

    Parameters
    ----------
    measures : sequence of Measure
        The measures, in the order of the columns of ``scores``.
    scores : numpy.ndarray
        The per-iteration scores, one row per iteration, one column per measure.
    task : Task
        The task the iterations share.

    Raises
    ------
    ConfigError
        A measure that does not average per iteration (``"micro"``,
        ``"macro_weighted"``): it needs the predictions.
    """
    values: dict[str, float] = {}
    for j, measure in enumerate(measures):
        average = getattr(measure, "average", "macro")
        if average != "macro":
            raise ConfigError(
                f"Measure '{measure.id}' has average={average!r}, which needs the "
                "predictions; this result kept only scores (store_predictions=False). "
                "Aggregate with average='macro'."
            )
        values[measure.id] = float(measure.aggregate([], scores=scores[:, j], task=task))
    return values


def no_predictions_error(learner_id: str, kept: dict[str, Any]) -> ConfigError:
    """The error of asking a result that kept scores for its predictions."""
    return ConfigError(
        f"The predictions of learner '{learner_id}' were not kept: the run scored them "
        f"with {sorted(kept)} and dropped them (store_predictions=False). Run resample() "
        "with store_predictions=True to keep them."
    )
