"""Filters that train a learner: ``importance``, ``permutation`` and ``performance``.

Each takes any learner of mlr3py (the filter's task type and feature types are the
learner's). ``importance`` reads ``learner.importance()`` after training;
``permutation`` measures how much the performance drops when a feature's values are
shuffled in the test rows; ``performance`` resamples the learner on each feature
alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py._rng import job_random_state
from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample
from mlr3py.filters._filter import Filter, mlr_filters
from mlr3py.learners import Learner, mlr_learners
from mlr3py.measures import Measure, resolve_measures
from mlr3py.params import ParamSet, p_int, p_lgl, ps
from mlr3py.reflections import FEATURE_TYPES
from mlr3py.resamplings import Resampling, mlr_resamplings
from mlr3py.tasks import TaskSupervised

__all__ = ["FilterImportance", "FilterPerformance", "FilterPermutation"]


def _checked_learner(learner: Any, filter_id: str, needs: str | None) -> Learner:
    """A clone of ``learner``, which must be a Learner with the property ``needs``."""
    if not isinstance(learner, Learner):
        raise ConfigError(
            f"The learner of Filter '{filter_id}' must be a Learner (e.g. "
            f"lrn('classif.rpart')). Got {type(learner).__name__} instead."
        )
    if needs is not None and needs not in learner.properties:
        raise ConfigError(
            f"The learner of Filter '{filter_id}' must have the property '{needs}'; "
            f"Learner '{learner.id}' has {sorted(learner.properties)}. Use e.g. "
            f"lrn('classif.rpart')."
        )
    return learner.clone()


def _learner_feature_types(learner: Learner) -> tuple[str, ...]:
    return tuple(t for t in FEATURE_TYPES if t in learner.feature_types)


class _LearnerFilter(Filter):
    """A filter built on a learner: the settable ``learner`` decides the task type,
    feature types and the ``"missings"`` property."""

    _needs: str | None = None
    """The learner property the filter needs."""
    _learner: Learner

    @property
    def learner(self) -> Learner:
        """The learner behind the scores (a clone of the one given)."""
        return self._learner

    @learner.setter
    def learner(self, value: Learner) -> None:
        chosen = _checked_learner(value, self.id, self._needs)
        self._learner = chosen
        self.task_types = (chosen.task_type,)
        self.feature_types = _learner_feature_types(chosen)
        self._adopt(chosen)

    def _adopt(self, learner: Learner) -> None:
        """Take over what else depends on a new learner (packages, parameters)."""
        self.packages = tuple(learner.packages)

    def _get_properties(self) -> tuple[str, ...]:
        return ("missings",) if "missings" in self._learner.properties else ()

    def _task_type_advice(self, task_type: str) -> str:
        return (f"Its learner '{self._learner.id}' is a {self._learner.task_type} learner: "
                f"give it a {task_type} learner, e.g. flt('{self.id}', "
                f"learner=lrn('{task_type}.rpart')).")


class _LearnerParamsFilter(_LearnerFilter):
    """A learner filter whose parameters are its learner's (``classif.rpart`` by
    default)."""

    def __init__(self, id: str, learner: Learner | None, label: str) -> None:  # noqa: A002
        chosen = _checked_learner(
            learner if learner is not None else mlr_learners.get("classif.rpart"),
            id, self._needs,
        )
        super().__init__(
            id,
            task_types=(chosen.task_type,),
            feature_types=_learner_feature_types(chosen),
            param_set=chosen.param_set,
            packages=tuple(chosen.packages),
            label=label,
        )
        self._learner = chosen

    def _adopt(self, learner: Learner) -> None:
        self.packages = tuple(learner.packages)
        self.param_set = learner.param_set
        self.param_set.context = f"Filter '{self.id}'"


class FilterImportance(_LearnerParamsFilter):
    """Feature importance of a learner (``importance``; mlr3filters' ``FilterImportance``).

    Trains a clone of the learner on the task and returns its ``importance()``;
    features the learner gives no importance score 0. The filter's parameters are
    the learner's (``flt("importance", learner=lrn("classif.ranger"),
    n_estimators=50)``), so a ``threads``-tagged learner parameter is set by
    :func:`~mlr3py.execution.set_threads`.

    Parameters
    ----------
    learner : Learner, optional
        A learner with the property ``"importance"``; ``classif.rpart`` by default
        (mlr3filters uses ``classif.featureless``, whose importances are all 0).
        Settable: ``flt("importance", learner=lrn("regr.ranger"))``.

    Examples
    --------
    >>> from mlr3py import lrn, tsk
    >>> from mlr3py.filters import flt
    >>> f = flt("importance", learner=lrn("classif.rpart", random_state=1))
    >>> f.calculate(tsk("sonar")).scores.index[0]
    'V11'
    """

    _needs = "importance"

    def __init__(self, learner: Learner | None = None) -> None:
        super().__init__("importance", learner, "Importance Score")

    def _calculate(self, task: TaskSupervised, nfeat: int) -> Any:
        learner = self._learner.clone()
        learner.train(task)
        importance = learner.importance()  # type: ignore[attr-defined]
        return importance.reindex(task.feature_names).fillna(0.0)


class _ResampledFilter(_LearnerFilter):
    """A filter that resamples a learner and scores with a measure: the settable fields
    ``learner``, ``resampling`` and ``measure``, shared by ``permutation`` and
    ``performance``."""

    def __init__(
        self,
        id: str,  # noqa: A002 - mlr3's name
        learner: Learner | None,
        resampling: Resampling | None,
        measure: Measure | str | None,
        param_set: ParamSet,
        label: str,
    ) -> None:
        super().__init__(id, task_types=("classif",), feature_types=("numeric",),
                         param_set=param_set, label=label)
        self._learner = mlr_learners.get("classif.rpart")
        self._resampling = resampling if resampling is not None else mlr_resamplings.get(
            "holdout")
        self._measure: Measure | None = None
        self.learner = learner if learner is not None else self._learner
        self.resampling = self._resampling
        self.measure = measure  # type: ignore[assignment]

    def _adopt(self, learner: Learner) -> None:
        measure = getattr(self, "_measure", None)
        self.packages = tuple(dict.fromkeys([*learner.packages, *(
            measure.packages if measure is not None else ())]))

    @property
    def resampling(self) -> Resampling:
        """The resampling, instantiated anew on each task."""
        return self._resampling

    @resampling.setter
    def resampling(self, value: Resampling) -> None:
        if not isinstance(value, Resampling):
            raise ConfigError(
                f"The resampling of Filter '{self.id}' must be a Resampling (e.g. "
                f"rsmp('cv', folds=3)). Got {type(value).__name__} instead."
            )
        self._resampling = value.clone()

    @property
    def measure(self) -> Measure:
        """The measure scoring the predictions."""
        if self._measure is None:
            return resolve_measures(None, self._learner.task_type, f"Filter '{self.id}'")[0]
        return self._measure

    @measure.setter
    def measure(self, value: Measure | str | None) -> None:
        if value is None:
            self._measure = None
            return
        self._measure = resolve_measures(value, self._learner.task_type,
                                         f"Filter '{self.id}'")[0].clone()

    def _instance(self, task: TaskSupervised) -> Resampling:
        """The resampling as given when it was instantiated on ``task``'s rows, otherwise
        a clone instantiated on ``task``."""
        if self._resampling.matches_task(task):
            return self._resampling
        return self._resampling.clone().instantiate(task)


class FilterPermutation(_ResampledFilter):
    """Permutation importance of each feature (``permutation``; mlr3filters'
    ``FilterPermutation``).

    For each iteration of the resampling, a clone of the learner is trained on the
    training rows and scored on the test rows; then, ``nmc`` times per feature, the
    feature's values are shuffled among the test rows and the learner scored again.
    The score of a feature is the mean drop in performance (the baseline minus the
    shuffled performance, negated for measures to minimise), so higher means more
    important.

    Hand-written, because scikit-learn's ``permutation_importance`` needs a
    scikit-learn estimator and a scorer while this works with any mlr3py learner and
    measure. How it differs from mlr3filters: there the learner is trained again on
    each shuffled task (``nmc`` resamplings per feature); here it is trained once per
    resampling iteration and only the test rows are shuffled (Breiman's permutation
    importance, as scikit-learn's), which is far cheaper and measures how much the
    trained model relies on the feature.

    Shuffles draw from numpy's global generator, so the scores are reproducible
    under ``np.random.seed()`` (as in :func:`~mlr3py.resample`).

    Parameters
    ----------
    learner : Learner, optional
        ``classif.rpart`` by default. Settable.
    resampling : Resampling, optional
        ``holdout`` by default; instantiated on the task at each calculation unless
        it was instantiated on the task's rows already. Settable.
    measure : Measure or str, optional
        The task type's default measure (``classif.ce``, ``regr.mse``) by default.
        Settable.

    Parameters (``param_set``)
    --------------------------
    nmc : int, default 50
        Shuffles per feature and resampling iteration.
    standardize : bool, default False
        Divide the scores by the largest one (when it is positive).

    Examples
    --------
    >>> import numpy as np
    >>> from mlr3py import lrn, tsk
    >>> from mlr3py.filters import flt
    >>> np.random.seed(1)
    >>> f = flt("permutation", learner=lrn("regr.rpart"), nmc=2)
    >>> f.calculate(tsk("mtcars")).scores.index[0] in tsk("mtcars").feature_names
    True
    """

    def __init__(
        self,
        learner: Learner | None = None,
        resampling: Resampling | None = None,
        measure: Measure | str | None = None,
    ) -> None:
        super().__init__(
            "permutation", learner, resampling, measure,
            param_set=ps(nmc=p_int(1, default=50, tags="train"),
                         standardize=p_lgl(default=False, tags="train")),
            label="Permutation Score",
        )

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        values = self._values()
        nmc = int(values["nmc"])
        measure = self.measure
        resampling = self._instance(task)
        features = task.feature_names
        rng = np.random.default_rng(job_random_state().randint(0, 2**31 - 1))
        drops = np.zeros(len(features))
        iters = int(resampling.iters or 0)
        for i in range(iters):
            train_ids, test_ids = resampling.train_set(i), resampling.test_set(i)
            learner = self._learner.clone()
            learner.train(task, train_ids)
            test = task.data(rows=test_ids)

            def perf(frame: Any, learner: Learner = learner, train_ids: Any = train_ids) -> float:
                prediction = learner.predict_newdata(frame)
                return float(prediction.score(measure, task=task, learner=learner,
                                              train_set=train_ids).iloc[0])

            baseline = perf(test)
            for j, name in enumerate(features):
                column = test[name].array  # keeps the dtype (categories of factors)
                shuffled = [
                    perf(test.assign(**{name: pd.Series(column.take(rng.permutation(len(column))),
                                                        index=test.index)}))
                    for _ in range(nmc)
                ]
                drops[j] += baseline - float(np.mean(shuffled))
        delta = drops / max(iters, 1)
        if bool(measure.minimize):
            delta = 0.0 - delta
        if values["standardize"] and np.max(delta) > 0:
            delta = delta / np.max(delta)
        return delta


mlr_filters.add("importance", FilterImportance)
class FilterPerformance(_ResampledFilter):
    """Resampled performance of the learner on each feature alone (``performance``;
    mlr3filters' ``FilterPerformance``).

    For each feature, the learner is resampled (:func:`~mlr3py.resample`) on the task
    restricted to that feature and the measure aggregated over the iterations; for a
    measure to minimise the score is the negated value, so higher is always better.
    The resampling is instantiated once per calculation (unless it was instantiated
    on the task's rows already), so that every feature is scored on the same splits.
    Resampling seeds are drawn from numpy's global generator, so the scores are
    reproducible under ``np.random.seed()``.

    Parameters
    ----------
    learner : Learner, optional
        ``classif.rpart`` by default (mlr3filters: ``classif.featureless``, whose
        scores do not depend on the feature). Settable.
    resampling : Resampling, optional
        ``holdout`` by default. Settable.
    measure : Measure or str, optional
        The task type's default measure (``classif.ce``, ``regr.mse``) by default.
        Settable.

    Examples
    --------
    >>> import numpy as np
    >>> from mlr3py import lrn, rsmp, tsk
    >>> from mlr3py.filters import flt
    >>> np.random.seed(1)
    >>> f = flt("performance", learner=lrn("regr.rpart"), resampling=rsmp("cv", folds=3))
    >>> f.calculate(tsk("mtcars")).scores.index[0] in ("wt", "cyl", "disp", "hp")
    True
    """

    def __init__(
        self,
        learner: Learner | None = None,
        resampling: Resampling | None = None,
        measure: Measure | str | None = None,
    ) -> None:
        super().__init__("performance", learner, resampling, measure, param_set=ps(),
                         label="Predictive Performance")

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        measure = self.measure
        seed = int(job_random_state().randint(0, 2**31 - 1))
        resampling = self._instance(task)
        out = np.empty(len(task.feature_names))
        for j, name in enumerate(task.feature_names):
            alone = task.clone().select([name])
            rr = resample(alone, self._learner, resampling, seed=seed + j)
            out[j] = float(rr.aggregate([measure]).iloc[0])
        return 0.0 - out if bool(measure.minimize) else out


mlr_filters.add("permutation", FilterPermutation)
mlr_filters.add("performance", FilterPerformance)
