"""Nested resampling in one call: mlr3tuning's ``tune_nested()``.

An :class:`~mlr3py.tuning.AutoTuner` tunes on each outer training set with the inner
resampling and refits its best configuration there; :func:`~mlr3py.evaluation.resample`
scores it on the outer test set. The outer scores estimate the performance of the
whole procedure (tuning included), the inner results say what each outer iteration
chose (:func:`~mlr3py.tuning.extract_inner_tuning_results`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample
from mlr3py.resamplings import Resampling
from mlr3py.tuning._auto_tuner import auto_tuner
from mlr3py.tuning._tuner import Tuner

if TYPE_CHECKING:
    from mlr3py.evaluation import ResampleResult
    from mlr3py.measures import Measure
    from mlr3py.params import ParamSet
    from mlr3py.tasks import Task
    from mlr3py.tuning._terminator import Terminator

__all__ = ["tune_nested"]


def tune_nested(
    tuner: Tuner,
    task: Task,
    learner: Any,
    inner_resampling: Resampling,
    outer_resampling: Resampling,
    measure: Measure | str | None = None,
    term_evals: int | None = None,
    term_time: float | None = None,
    terminator: Terminator | None = None,
    search_space: ParamSet | None = None,
    store_tuning_instance: bool = True,
    store_benchmark_result: bool = True,
    store_models: bool = False,
    seed: int | None = None,
    callbacks: Any = None,
) -> ResampleResult:
    """Nested resampling of a tuned learner (mlr3tuning's ``tune_nested()``).

    Parameters
    ----------
    tuner : Tuner
        The optimisation algorithm, e.g. ``tnr("random_search", batch_size=2)``.
    task : Task
        The task.
    learner : Learner
        The learner to tune (with ``to_tune()`` tokens unless ``search_space`` is
        given), or anything :func:`~mlr3py.learners.coerce_learner` converts (a graph).
    inner_resampling : Resampling
        The resampling each outer training set is tuned with, e.g. ``rsmp("holdout")``.
    outer_resampling : Resampling
        The resampling the tuned learner is scored with, e.g. ``rsmp("cv", folds=3)``.
    measure : Measure or str, optional
        The measure to optimise; the task type's default when omitted.
    term_evals, term_time, terminator
        When the inner tuning stops, as in :func:`~mlr3py.tuning.auto_tuner`.
    search_space : ParamSet, optional
        An explicit search space.
    store_tuning_instance : bool
        Keep each outer iteration's tuning instance (for
        :func:`~mlr3py.tuning.extract_inner_tuning_results`). Default True.
    store_benchmark_result : bool
        Keep the inner resample results in the instances' archives. Default True.
    store_models : bool
        Keep the inner models as well. Default False.
    seed : int, optional
        The seed of the outer resampling (each tuning's seed derives from it).
    callbacks : CallbackBatchTuning or list of those, optional
        Tuning callbacks, copied for each outer iteration's tuning.

    Returns
    -------
    ResampleResult
        The outer resampling of the :class:`~mlr3py.tuning.AutoTuner`, its models kept
        (each holds its tuning instance).

    Examples
    --------
    >>> from mlr3py import lrn, msr, rsmp, tsk
    >>> from mlr3py.params import to_tune
    >>> from mlr3py.tuning import extract_inner_tuning_results, tnr, tune_nested
    >>> rr = tune_nested(tnr("random_search", batch_size=2), tsk("penguins"),
    ...                  lrn("classif.rpart", ccp_alpha=to_tune(1e-4, 0.1, logscale=True)),
    ...                  inner_resampling=rsmp("holdout"),
    ...                  outer_resampling=rsmp("cv", folds=2),
    ...                  measure=msr("classif.ce"), term_evals=2, seed=1)
    >>> len(extract_inner_tuning_results(rr))
    2
    """
    for name, value, kind, example in (
            ("tuner", tuner, Tuner, "tnr('random_search')"),
            ("inner_resampling", inner_resampling, Resampling, "rsmp('holdout')"),
            ("outer_resampling", outer_resampling, Resampling, "rsmp('cv', folds=3)")):
        if not isinstance(value, kind):
            raise ConfigError(
                f"The '{name}' argument of tune_nested() must be a {kind.__name__} (e.g. "
                f"{example}). Got {value!r:.80} (of type {type(value).__name__}) instead.")
    at = auto_tuner(
        tuner, learner, inner_resampling, measure=measure, term_evals=term_evals,
        term_time=term_time, terminator=terminator, search_space=search_space,
        store_tuning_instance=store_tuning_instance,
        store_benchmark_result=store_benchmark_result, store_models=store_models,
        callbacks=callbacks,
    )
    return resample(task, at, outer_resampling, store_models=True, seed=seed)
