"""The AutoTuner: a learner that tunes itself on its training data (mlr3tuning's ``AutoTuner``).

:func:`auto_tuner` wraps a learner whose parameter values hold
:func:`~mlr3py.params.to_tune` tokens (or a learner and an explicit search space)
together with a tuner, an inner resampling, a measure and a terminator. Training
the wrapper

1. builds a :class:`~mlr3py.tuning.TuningInstance` on the training rows, with the
   inner resampling, and lets the tuner optimise it;
2. sets the best configuration on a clone of the wrapped learner and trains it on
   all training rows (the *refit*; the wrapped learner's timeout does not apply);
3. keeps both in ``state.model`` (an :class:`AutoTunerModel`).

Predicting uses the refit learner. Because the wrapper is itself a learner,
``resample(task, at, rsmp("cv", folds=5))`` is nested resampling: every outer
training set is tuned on its own, with the inner resampling. The inner tuning
runs its batches through the plan level below the one running the outer jobs
(``plan(["processes", "sequential"])`` parallelises the outer loop,
``plan(["sequential", "processes"])`` the inner batches).

Random numbers: the inner tuning draws its root seed from the job's random stream
(numpy's generator that ``resample()`` seeds for each iteration), so the same
outer seed gives the same inner archives under every plan.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlr3py._rng import make_root_seed
from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.evaluation._job_key import learner_text
from mlr3py.evaluation._resample import check_learner, check_resampling
from mlr3py.learners import (
    Learner,
    LearnerClassif,
    LearnerRegr,
    LearnerState,
    ModelQueries,
    coerce_learner,
)
from mlr3py.measures import Measure
from mlr3py.params import ParamSet, ps
from mlr3py.predictions import (
    PredictionData,
)
from mlr3py.resamplings import Resampling
from mlr3py.tuning._archive import ArchiveTuning
from mlr3py.tuning._auto_tuner_checks import (
    check_flags,
    check_inner_resampling,
    check_search_space,
    check_terminator,
    check_tuner,
    resolve_measure,
    wrapped_task_type,
)
from mlr3py.tuning._callbacks import check_callbacks
from mlr3py.tuning._instance import TuningInstance
from mlr3py.tuning._terminator import Terminator
from mlr3py.tuning._tune import make_terminator
from mlr3py.tuning._tuner import Tuner

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = ["AutoTuner", "AutoTunerClassif", "AutoTunerModel", "AutoTunerRegr", "auto_tuner"]


@dataclass
class AutoTunerModel:
    """What a trained :class:`AutoTuner` keeps as its model.

    Attributes
    ----------
    learner : Learner
        The wrapped learner with the best configuration, trained on all training rows.
    tuning_instance : TuningInstance or None
        The tuning instance with its archive and result (None unless
        ``store_tuning_instance``).
    """

    learner: Learner
    tuning_instance: TuningInstance | None = None


class AutoTuner(ModelQueries, Learner):
    """A learner that tunes the wrapped learner on its training data, then refits it.

    Build one with :func:`auto_tuner`. ``AutoTuner(...)`` takes the same arguments
    (``terminator=None`` meaning ``trm("none")``) and returns an :class:`AutoTunerClassif` or an
    :class:`AutoTunerRegr`, after the wrapped learner's task type. The id is the
    wrapped learner's with ``".tuned"`` appended; predict types, properties, feature
    types and packages are the wrapped learner's. The AutoTuner's own parameter set
    is empty: set the wrapped learner's values through :attr:`learner` before
    training.

    Parameters
    ----------
    tuner : Tuner
        The optimisation algorithm, e.g. ``tnr("random_search")``.
    learner : Learner
        The learner to tune (cloned). Its parameter values hold ``to_tune()`` tokens
        unless ``search_space`` is given.
    resampling : Resampling
        The inner resampling (cloned); un-instantiated, it is instantiated on each
        training set. An instantiated one must use training rows only.
    measure : Measure or str, optional
        The measure to optimise; the task type's default when omitted.
    terminator : Terminator, optional
        When tuning stops; None: ``trm("none")``, which only a tuner that ends by
        itself (grid search, design points, hyperband) accepts.
    search_space : ParamSet, optional
        The search space, when the learner holds no ``to_tune()`` tokens.
    store_tuning_instance : bool
        Keep the tuning instance (archive, result) in the model. Default True.
    store_benchmark_result : bool
        Keep every inner ResampleResult in the archive. Default False.
    store_models : bool
        Keep the inner models in those ResampleResults (implies
        ``store_benchmark_result``). Default False.
    id : str, optional
        The id; default ``learner.id + ".tuned"``.
    callbacks : CallbackBatchTuning or list of those, optional
        Tuning callbacks; each training tunes with fresh copies (so no state leaks
        between trainings). They travel to worker processes with the AutoTuner.

    Attributes
    ----------
    tuner : Tuner
    resampling : Resampling
    measure : Measure
    terminator : Terminator
    search_space : ParamSet or None
        As given (None: built from the learner's ``to_tune()`` tokens).
    store_tuning_instance, store_benchmark_result, store_models : bool
    """

    _kind = "Learner"

    tuner: Tuner
    resampling: Resampling
    measure: Measure
    terminator: Terminator
    search_space: ParamSet | None
    store_tuning_instance: bool
    store_benchmark_result: bool
    store_models: bool

    def __new__(cls, *args: Any, **kwargs: Any) -> AutoTuner:
        if cls is AutoTuner:  # dispatch on the wrapped learner's task type
            learner = kwargs.get("learner", args[1] if len(args) > 1 else None)
            cls = AutoTunerRegr if wrapped_task_type(learner) == "regr" else AutoTunerClassif
        return super().__new__(cls)

    def __init__(
        self,
        tuner: Tuner,
        learner: Learner,
        resampling: Resampling,
        measure: Measure | str | None = None,
        terminator: Terminator | None = None,
        search_space: ParamSet | None = None,
        store_tuning_instance: bool = True,
        store_benchmark_result: bool = False,
        store_models: bool = False,
        id: str | None = None,  # noqa: A002 - mlr3's name
        callbacks: Any = None,
    ) -> None:
        check_tuner(tuner)
        learner = check_learner(learner)
        if learner.task_type != self.task_type:
            raise ConfigError(
                f"{type(self).__name__} wraps '{self.task_type}' learners. Got Learner "
                f"'{learner.id}' of task type '{learner.task_type}' instead; use auto_tuner()."
            )
        check_resampling(resampling)
        checked_terminator = check_terminator(terminator)
        tuner.check_terminator(checked_terminator)
        learner = learner.clone()
        if learner.state is not None:
            learner.reset()
        check_search_space(learner, search_space)
        check_flags(store_tuning_instance=store_tuning_instance,
                    store_benchmark_result=store_benchmark_result, store_models=store_models)
        checked_measure = resolve_measure(measure, learner)
        super().__init__(
            id if id is not None else f"{learner.id}.tuned",
            param_set=ps(),
            predict_types=learner.predict_types,
            feature_types=learner.feature_types,
            properties=learner.properties,
            packages=learner.packages,
            label=f"{learner.label or learner.id}, tuned" if learner.label else "",
        )
        self._predict_type = learner.predict_type
        self._learner = learner
        self.tuner = tuner.clone()
        self.resampling = resampling.clone()
        self.measure = checked_measure
        self.terminator = copy.deepcopy(checked_terminator)
        self.search_space = search_space
        self.store_benchmark_result = store_benchmark_result or store_models
        self.store_tuning_instance = store_tuning_instance or self.store_benchmark_result
        self.store_models = store_models
        self.callbacks = check_callbacks(callbacks)

    def _design(self) -> Any:
        """The wrapped learner (its values and tokens) and how it is tuned: search
        space, tuner, terminator, measure, inner resampling, what is kept."""
        def configured(obj: Any) -> tuple[str, str, dict[str, Any]]:
            # class, id and values: not the object, which keeps state (an optuna study)
            return (type(obj).__qualname__, obj.id, dict(obj.param_set.values))

        design: dict[str, Any] = {
            "learner": learner_text(self._learner), "search_space": self.search_space,
            "tuner": configured(self.tuner), "terminator": configured(self.terminator),
            "measure": configured(self.measure), "resampling": self.resampling,
            "store": (self.store_tuning_instance, self.store_benchmark_result,
                      self.store_models)}
        if self.callbacks:
            design["callbacks"] = [(type(cb).__qualname__, cb.id, cb.active_stages)
                                   for cb in self.callbacks]
        return design

    # -- fields ---------------------------------------------------------------------
    @property
    def predict_type(self) -> str:
        """The predict type (settable): that of :attr:`learner`, the refit learner once
        trained, else the wrapped one, so that ``at.learner.predict_type = "prob"`` is
        the AutoTuner's predict type too, as in mlr3tuning; setting it here sets both."""
        learner = self.__dict__.get("_learner")
        if learner is None:  # while the base class is built
            return self._predict_type
        return self.learner.predict_type

    @predict_type.setter
    def predict_type(self, value: str) -> None:
        if value not in self.predict_types:
            raise ConfigError(
                f"The predict type of Learner '{self.id}' must be one of "
                f"{', '.join(repr(p) for p in self.predict_types)}. Got {value!r} instead."
            )
        self._learner.predict_type = value
        model = self.model
        if isinstance(model, AutoTunerModel):
            model.learner.predict_type = value
        self._predict_type = value

    @property
    def learner(self) -> Learner:
        """The refit learner once trained; before, the wrapped learner (with its tokens)."""
        model = self.model
        if isinstance(model, AutoTunerModel):
            return model.learner
        return self._learner

    @property
    def tuning_instance(self) -> TuningInstance:
        """The tuning instance of the last training (archive and result)."""
        model = self._trained_model("tuning_instance")
        if model.tuning_instance is None:
            raise ConfigError(
                f"Learner '{self.id}' did not keep its tuning instance. Build it with "
                "auto_tuner(..., store_tuning_instance=True) to keep it."
            )
        return model.tuning_instance

    @property
    def tuning_result(self) -> Any:
        """The tuning result: the best configuration, its score and the learner's values."""
        return self.tuning_instance.result

    @property
    def archive(self) -> ArchiveTuning:
        """The archive of the last tuning (every evaluated configuration)."""
        return self.tuning_instance.archive

    def _trained_model(self, what: str) -> AutoTunerModel:
        model = self.model
        if not isinstance(model, AutoTunerModel):
            raise NotTrainedError(
                f"Learner '{self.id}' has no {what} yet: it is tuned when trained. Call "
                "at.train(task) first (or resample() with store_models=True and read the "
                "learners of the result)."
            )
        return model

    def _queried_learner(self, query: str) -> Learner:
        """The refit learner (``importance()``, ``selected_features()``, ``oob_error()``)."""
        return self._trained_model(query.replace("_", " ")).learner

    def _missing_property(self, prop: str) -> ConfigError:
        return ConfigError(
            f"Learner '{self.id}' cannot compute {prop}: the wrapped learner "
            f"'{self._learner.id}' has no '{prop}' property."
        )

    # -- internal results (mlr3tuning's AutoTuner: the final model's) --------------
    def _final_state(self) -> LearnerState | None:
        """The state of the final model (None while untrained)."""
        model = self.model
        return model.learner.state if isinstance(model, AutoTunerModel) else None

    def _extract_internal_valid_scores(self) -> dict[str, float] | None:
        """The validation scores of the final model."""
        state = self._final_state()
        return None if state is None else state.internal_valid_scores

    def _extract_internal_tuned_values(self) -> dict[str, Any] | None:
        """The internally tuned values of the final model."""
        state = self._final_state()
        return None if state is None else state.internal_tuned_values

    def _extract_oob_error(self) -> float | None:
        """The out-of-bag error of the final model."""
        state = self._final_state()
        return None if state is None else state.oob_error

    # -- train / predict ------------------------------------------------------------
    def _instance(self, task: TaskSupervised) -> TuningInstance:
        check_inner_resampling(self.resampling, task)
        return TuningInstance(
            task,
            self._learner,
            self.resampling,
            self.measure,
            copy.deepcopy(self.terminator),
            search_space=self.search_space,
            store_models=self.store_models,
            seed=make_root_seed(None),  # from the job's stream: the same under every plan
            callbacks=copy.deepcopy(self.callbacks),
            store_benchmark_result=self.store_benchmark_result,
        )

    def _train(self, task: TaskSupervised) -> AutoTunerModel:
        instance = self._instance(task)
        self.tuner.clone().optimize(instance)
        learner = self._learner.clone()
        learner.param_set.values = instance.result_learner_param_vals
        learner.timeout = math.inf  # the refit on all rows has no time limit
        learner.train(task)
        return AutoTunerModel(
            learner=learner,
            tuning_instance=instance if self.store_tuning_instance else None,
        )

    def _predict(self, task: TaskSupervised) -> PredictionData:
        learner = self._trained_model("model").learner
        return learner.predict(task).as_prediction_data()

    # -- housekeeping ----------------------------------------------------------------
    def _dict_row(self) -> dict[str, Any]:
        row = super()._dict_row()
        row["learner"] = self._learner.id
        return row

    def __repr__(self) -> str:
        space = self.search_space
        if space is None:
            space = self._learner.param_set.search_space()
        ids = ", ".join(space.ids()) or "-"
        return "\n".join(
            [
                super().__repr__(),
                f"* Tuner: {self.tuner.id}",
                f"* Terminator: {getattr(self.terminator, 'id', type(self.terminator).__name__)}",
                f"* Search Space: {ids}",
            ]
        )


class AutoTunerClassif(AutoTuner, LearnerClassif):
    """An :class:`AutoTuner` wrapping a classification learner."""


class AutoTunerRegr(AutoTuner, LearnerRegr):
    """An :class:`AutoTuner` wrapping a regression learner."""


def auto_tuner(
    tuner: Tuner,
    learner: Learner,
    resampling: Resampling,
    measure: Measure | str | None = None,
    term_evals: int | None = None,
    term_time: float | None = None,
    terminator: Terminator | None = None,
    search_space: ParamSet | None = None,
    store_tuning_instance: bool = True,
    store_benchmark_result: bool = False,
    store_models: bool = False,
    id: str | None = None,  # noqa: A002 - mlr3's name
    callbacks: Any = None,
) -> AutoTuner:
    """Build an :class:`AutoTuner` (mlr3tuning's ``auto_tuner()``).

    Parameters
    ----------
    tuner : Tuner
        The optimisation algorithm, e.g. ``tnr("random_search", batch_size=2)``.
    learner : Learner
        The learner to tune; its values hold ``to_tune()`` tokens unless
        ``search_space`` is given.
    resampling : Resampling
        The inner resampling, e.g. ``rsmp("holdout")``.
    measure : Measure or str, optional
        The measure to optimise; the task type's default when omitted.
    term_evals : int, optional
        Stop after this many evaluations (``trm("evals", n_evals=term_evals)``).
    term_time : float, optional
        Stop after this many seconds (``trm("run_time", secs=term_time)``).
    terminator : Terminator, optional
        Any terminator, instead of ``term_evals`` / ``term_time``. With none of the
        three, ``trm("none")``: enough for a tuner that ends by itself (grid search,
        design points, hyperband), refused for one that does not (random search).
    search_space : ParamSet, optional
        An explicit search space (the learner then holds no tokens).
    store_tuning_instance : bool
        Keep the tuning instance in the model (needed by
        :func:`extract_inner_tuning_results`). Default True.
    store_benchmark_result : bool
        Keep every inner ResampleResult in the archive. Default False.
    store_models : bool
        Keep the inner models too (implies ``store_benchmark_result``). Default False.
    id : str, optional
        The id; default ``learner.id + ".tuned"``.
    callbacks : CallbackBatchTuning or list of those, optional
        Tuning callbacks, e.g. ``clbk("mlr3tuning.one_se_rule")``.

    Returns
    -------
    AutoTuner
        An :class:`AutoTunerClassif` or :class:`AutoTunerRegr`.

    Examples
    --------
    >>> learner = lrn("classif.rpart", min_samples_split=to_tune(2, 128))
    >>> at = auto_tuner(tnr("random_search"), learner, rsmp("holdout"), "classif.ce",
    ...                 term_evals=4)
    >>> rr = resample(tsk("penguins"), at, rsmp("cv", folds=3), store_models=True, seed=1)
    >>> extract_inner_tuning_results(rr)
    """
    term = make_terminator(term_evals, term_time, terminator)  # none given: trm("none")
    return AutoTuner(
        tuner,
        coerce_learner(learner),
        resampling,
        measure=measure,
        terminator=term,
        search_space=search_space,
        store_tuning_instance=store_tuning_instance,
        store_benchmark_result=store_benchmark_result,
        store_models=store_models,
        id=id,
        callbacks=callbacks,
    )
