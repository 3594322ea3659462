"""Any scikit-learn estimator as a learner: :class:`LearnerSklearn` and :func:`as_learner`.

The learner keeps an unfitted prototype estimator. Training clones it, sets the
parameter values (``param_set`` tag ``"train"``), encodes the features (see
:mod:`mlr3py.learners._encode`) and fits. Classification targets are passed as
integer class codes in ``task.class_names`` order; probabilities come back with
one column per class of the training task (zero for classes absent from the
training rows).

If the estimator has a ``random_state`` parameter that the user did not set,
training draws one from numpy's global generator, so seeding numpy (as the job
runner does) makes training reproducible.
"""

# Random draws use numpy's legacy generator on purpose, through job_random_state(): the job
# runner seeds it (the global one, or the worker thread's own) from the job's seed.

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone, is_classifier, is_regressor
from sklearn.tree import BaseDecisionTree

from mlr3py._rng import job_random_state
from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.learners._base import Learner, LearnerClassif, LearnerRegr
from mlr3py.learners._checks import check_missings
from mlr3py.learners._encode import FeatureEncoder
from mlr3py.learners._features import feature_info, task_weights
from mlr3py.learners._labels import classes_from_codes
from mlr3py.learners._sklearn_checks import check_fit_matrix, check_predict_matrix
from mlr3py.learners._sklearn_params import derive_param_set
from mlr3py.learners._sklearn_selected import used_columns
from mlr3py.params import ParamSet
from mlr3py.predictions import PredictionDataClassif, PredictionDataRegr
from mlr3py.reflections import PREDICT_TYPES

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = [
    "LearnerClassifSklearn",
    "LearnerRegrSklearn",
    "LearnerSklearn",
    "SklearnModel",
    "as_learner",
]

_SKLEARN_FEATURE_TYPES = ("logical", "integer", "numeric", "factor", "ordered")
_RANDOM_STATE_MAX = 2**31 - 1


@dataclass
class SklearnModel:
    """A fitted estimator together with the encoding of its input features.

    Attributes
    ----------
    estimator : sklearn.base.BaseEstimator
        The fitted estimator.
    encoder : FeatureEncoder
        How task features were turned into the estimator's input matrix.
    """

    estimator: Any
    encoder: FeatureEncoder


class LearnerSklearn(Learner):
    """Base of learners wrapping a scikit-learn estimator.

    Use :class:`LearnerClassifSklearn` / :class:`LearnerRegrSklearn` (or
    :func:`as_learner`), which fix the task type.

    Parameters
    ----------
    estimator : sklearn.base.BaseEstimator
        An unfitted prototype; it is cloned for every training.
    id : str, optional
        Defaults to ``"<task_type>.<EstimatorClassName>"``.
    param_set : ParamSet, optional
        Defaults to one derived from the estimator's parameter constraints.
    properties, feature_types, predict_types : optional
        Default to what the estimator supports (missing values, probabilities,
        sample weights, feature importances).
    packages : sequence of str
        Python packages needed; ``("scikit-learn",)`` by default.
    label : str, optional
        Defaults to the estimator's class name.
    """

    #: A scikit-learn estimator predicts each row from the fitted model and that row alone.
    rowwise_predict = True

    def __init__(
        self,
        estimator: BaseEstimator,
        id: str | None = None,  # noqa: A002 - mlr3's name
        *,
        param_set: ParamSet | None = None,
        properties: Iterable[str] | None = None,
        feature_types: Iterable[str] | None = None,
        predict_types: Sequence[str] | None = None,
        packages: Sequence[str] = ("scikit-learn",),
        label: str | None = None,
    ) -> None:
        if not isinstance(estimator, BaseEstimator):
            raise ConfigError(
                f"LearnerSklearn needs a scikit-learn estimator (a BaseEstimator). "
                f"Got {type(estimator).__name__} instead."
            )
        self._estimator = estimator
        # constructor arguments of the prototype; training builds a fresh estimator from them
        self._base_params = estimator.get_params(deep=False)
        name = type(estimator).__name__
        super().__init__(
            id if id is not None else f"{self.task_type}.{name}",
            param_set=param_set if param_set is not None else derive_param_set(estimator),
            predict_types=predict_types or _predict_types(estimator, self.task_type),
            feature_types=feature_types if feature_types is not None else _SKLEARN_FEATURE_TYPES,
            properties=properties if properties is not None else _properties(
                estimator, self.task_type
            ),
            packages=packages,
            label=label if label is not None else name,
        )

    @property
    def estimator(self) -> BaseEstimator:
        """The unfitted prototype estimator (parameter values live in ``param_set``)."""
        return self._estimator

    def _make_estimator(self) -> BaseEstimator:
        """A new unfitted estimator with the current parameter values.

        Equivalent to ``clone(prototype).set_params(**values)``, but builds the
        estimator directly (cloning only parameters that are estimators), which
        matters when many small models are fitted.
        """
        values = self.param_set.get_values(tags="train")
        if "random_state" in self.param_set.params and "random_state" not in values:
            values["random_state"] = int(job_random_state().randint(0, _RANDOM_STATE_MAX))
        params = {**self._base_params, **values}
        for key, value in params.items():
            if hasattr(value, "get_params") and not isinstance(value, type):
                params[key] = clone(value)
        return type(self._estimator)(**params)

    def _fit_data(self, task: TaskSupervised) -> tuple[np.ndarray, FeatureEncoder, dict[str, Any]]:
        """Encoded features, encoder and fit keyword arguments (the sample weights)."""
        info = feature_info(task)
        encoder = FeatureEncoder(list(info.names), info.types, info.levels)
        x = encoder.encode(task)
        check_fit_matrix(self, task, x, encoder)
        fit_kwargs: dict[str, Any] = {}
        if "weights" in self.properties:
            weights = task_weights(task)
            if weights is not None:
                fit_kwargs["sample_weight"] = weights
        return x, encoder, fit_kwargs

    def _predict_data(self, task: TaskSupervised) -> tuple[Any, np.ndarray]:
        model: SklearnModel = self.model
        # inside the learner's predict step, so encapsulation and fallback apply
        state = self.state
        assert state is not None  # predicting: trained
        check_missings(self, task, state.feature_names)
        x = model.encoder.encode(task)
        check_predict_matrix(self, task, x, model.encoder)
        return model.estimator, x

    def importance(self) -> pd.Series:
        """Feature importances of the fitted estimator, summed over one-hot columns.

        Returns
        -------
        pandas.Series
            One value per training feature, sorted decreasingly.

        Raises
        ------
        NotTrainedError
            If the learner has not been trained.
        ConfigError
            If the estimator has no ``feature_importances_``.
        """
        model: SklearnModel | None = self.model
        if model is None:
            raise NotTrainedError(
                f"Learner '{self.id}' has no model; call learner.train(task) before importance()."
            )
        values = getattr(model.estimator, "feature_importances_", None)
        if values is None:
            raise ConfigError(
                f"Learner '{self.id}' ({type(model.estimator).__name__}) has no feature "
                f"importances. Use a learner with property 'importance'."
            )
        imp = pd.Series(np.asarray(values, dtype=float), index=model.encoder.output_features)
        imp = imp.groupby(level=0, sort=False).sum()
        return imp.sort_values(ascending=False, kind="stable")


    def selected_features(self) -> list[str]:
        """The features the fitted model uses (mlr3's ``selected_features()``).

        A tree's split features (for tree ensembles, those of any tree); a linear
        model's features with a non-zero coefficient. In the task's feature order.

        Returns
        -------
        list of str

        Raises
        ------
        NotTrainedError
            If the learner has not been trained.
        ConfigError
            If the estimator is neither a tree, a tree ensemble nor a linear model.
        """
        model: SklearnModel | None = self.model
        if model is None:
            raise NotTrainedError(
                f"Learner '{self.id}' has no model; call learner.train(task) before "
                "selected_features()."
            )
        used = used_columns(model.estimator)
        if used is None:
            raise ConfigError(
                f"Learner '{self.id}' ({type(model.estimator).__name__}) cannot tell which "
                "features it selected. Use a learner with property 'selected_features' "
                "(e.g. lrn('classif.rpart'))."
            )
        columns = model.encoder.output_features
        chosen = {columns[j] for j in used}
        return [f for f in model.encoder.feature_names if f in chosen]


class LearnerClassifSklearn(LearnerSklearn, LearnerClassif):
    """A scikit-learn classifier as a classification learner."""

    def _train(self, task: TaskSupervised) -> SklearnModel:
        x, encoder, fit_kwargs = self._fit_data(task)
        y = np.asarray(task.truth().codes, dtype=np.int64)
        estimator = self._make_estimator()
        estimator.fit(x, y, **fit_kwargs)
        return SklearnModel(estimator, encoder)

    def _predict(self, task: TaskSupervised) -> PredictionDataClassif:
        estimator, x = self._predict_data(task)
        state = self.state
        assert state is not None and state.class_names is not None  # predicting: trained
        class_names = state.class_names
        codes = np.asarray(estimator.predict(x), dtype=np.int64)
        prob = None
        if self.predict_type == "prob":
            p = estimator.predict_proba(x)
            prob = np.zeros((x.shape[0], len(class_names)))
            prob[:, np.asarray(estimator.classes_, dtype=np.int64)] = p
        return PredictionDataClassif(response=classes_from_codes(codes, class_names), prob=prob)


class LearnerRegrSklearn(LearnerSklearn, LearnerRegr):
    """A scikit-learn regressor as a regression learner."""

    def _train(self, task: TaskSupervised) -> SklearnModel:
        x, encoder, fit_kwargs = self._fit_data(task)
        y = task.truth()
        estimator = self._make_estimator()
        estimator.fit(x, y, **fit_kwargs)
        return SklearnModel(estimator, encoder)

    def _predict(self, task: TaskSupervised) -> PredictionDataRegr:
        estimator, x = self._predict_data(task)
        if self.predict_type == "se":
            response, se = estimator.predict(x, return_std=True)
            return PredictionDataRegr(response=response, se=se)
        return PredictionDataRegr(response=estimator.predict(x))


def _predict_types(estimator: BaseEstimator, task_type: str) -> tuple[str, ...]:
    if task_type == "classif":
        return PREDICT_TYPES["classif"] if hasattr(estimator, "predict_proba") else ("response",)
    try:
        accepts_std = "return_std" in inspect.signature(estimator.predict).parameters
    except (TypeError, ValueError):
        accepts_std = False
    return PREDICT_TYPES["regr"] if accepts_std else ("response",)


def _properties(estimator: BaseEstimator, task_type: str) -> set[str]:
    props: set[str] = set()
    if task_type == "classif":
        props |= {"twoclass", "multiclass"}
    try:
        allow_nan = bool(estimator.__sklearn_tags__().input_tags.allow_nan)
    except AttributeError:
        allow_nan = False
    if allow_nan:
        props.add("missings")
    try:
        if "sample_weight" in inspect.signature(estimator.fit).parameters:
            props.add("weights")
    except (TypeError, ValueError):
        pass
    if hasattr(type(estimator), "feature_importances_"):
        props.add("importance")
    if isinstance(estimator, BaseDecisionTree):
        props.add("selected_features")
    return props


def as_learner(estimator: Any, id: str | None = None) -> Learner:  # noqa: A002
    """Convert a scikit-learn estimator (or a learner) into a :class:`Learner`.

    Parameters
    ----------
    estimator : sklearn estimator or Learner
        A classifier (``is_classifier``) becomes a :class:`LearnerClassifSklearn`
        with id ``"classif.<ClassName>"``, a regressor a :class:`LearnerRegrSklearn`
        with id ``"regr.<ClassName>"``; a Learner is returned as is.
    id : str, optional
        Overrides the id.

    Returns
    -------
    Learner
        Parameter set derived from the estimator's constraints; predict type
        ``prob`` when it has ``predict_proba`` (``se`` when its ``predict``
        takes ``return_std``).

    Examples
    --------
    >>> from sklearn.ensemble import GradientBoostingClassifier
    >>> learner = as_learner(GradientBoostingClassifier(n_estimators=50))
    >>> learner.id
    'classif.GradientBoostingClassifier'
    """
    if isinstance(estimator, Learner):
        if id is not None:
            estimator.id = id
        return estimator
    if not isinstance(estimator, BaseEstimator):
        raise ConfigError(
            f"as_learner() needs a scikit-learn estimator (a BaseEstimator) or a Learner. "
            f"Got {type(estimator).__name__} instead."
        )
    if is_classifier(estimator):
        return LearnerClassifSklearn(estimator, id)
    if is_regressor(estimator):
        return LearnerRegrSklearn(estimator, id)
    raise ConfigError(
        f"as_learner() needs a scikit-learn classifier or regressor (or a Learner). "
        f"Got {type(estimator).__name__}, which is neither."
    )
