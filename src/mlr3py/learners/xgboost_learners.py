"""Gradient boosting, ``classif.xgboost`` and ``regr.xgboost``: xgboost's scikit-learn API.

Needs the ``xgboost`` extra (``pip install mlr3py[xgboost]``, the CPU build
``xgboost-cpu``). The learners wrap ``XGBClassifier`` / ``XGBRegressor``;
parameter names are those of xgboost's scikit-learn API (``n_estimators`` for
mlr3learners' ``nrounds``, ``learning_rate`` for ``eta``, ``reg_lambda`` /
``reg_alpha`` for ``lambda`` / ``alpha``; see
:mod:`mlr3py.learners._xgboost_params` for the table). As in mlr3learners,
``n_jobs`` (``nthread``) is 1 and ``verbosity`` 0 unless set.

Features are encoded as for the scikit-learn learners (factors one-hot, ordered
features as level indices); missing values are passed on as NaN, which
xgboost handles (property ``"missings"``). Class labels are encoded 0..K-1 over
the classes present in the training rows; probabilities come back with one
column per class of the task (zero for classes absent from training). Learner
weights become xgboost's ``sample_weight``; ``importance()`` gives the
``importance_type`` importance (default "gain"), summed over one-hot columns.

Internal validation and early stopping (mlr3's ``validate`` and
``early_stopping_rounds``): set the parameter ``validate`` to a ratio (that
share of the training rows, drawn at random, is held out and not trained on)
or to ``"test"`` (in :func:`~mlr3py.resample` / :func:`~mlr3py.benchmark`,
the test rows of the current iteration) or ``"predefined"`` (the task in
``internal_valid_task``, as a graph learner gives it after
:func:`~mlr3py.pipelines.set_validate`), and ``early_stopping_rounds`` to
stop boosting when the validation score (``eval_metric``, by default xgboost's
log loss / RMSE) has not improved for that many rounds. Predictions then use
the best round. After training, :attr:`internal_valid_scores` holds the
validation scores and :attr:`internal_tuned_values` the number of rounds
early stopping chose (``{"n_estimators": best round + 1}``), both kept in the
learner's state (properties ``"validation"`` and ``"internal_tuning"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from xgboost import XGBClassifier, XGBRegressor

from mlr3py.errors import ConfigError
from mlr3py.learners._features import task_weights
from mlr3py.learners._labels import classes_from_codes
from mlr3py.learners._sklearn import (
    LearnerClassifSklearn,
    LearnerRegrSklearn,
    LearnerSklearn,
    SklearnModel,
)
from mlr3py.learners._validation import missing_valid_task_error, split_validation
from mlr3py.learners._xgboost_params import xgboost_param_set
from mlr3py.predictions import PredictionDataClassif

if TYPE_CHECKING:
    from sklearn.base import BaseEstimator

    from mlr3py.learners._encode import FeatureEncoder
    from mlr3py.tasks import Task, TaskSupervised

__all__ = ["LearnerClassifXgboost", "LearnerRegrXgboost", "XgboostModel"]


_PACKAGES = ("scikit-learn", "xgboost")


@dataclass
class XgboostModel(SklearnModel):
    """A fitted xgboost estimator, its feature encoding and its validation results.

    Attributes
    ----------
    classes : numpy.ndarray or None
        For classification: the task's class codes the estimator's labels
        0..K-1 stand for.
    valid_scores : dict
        Validation metric -> score (at the best round with early stopping);
        empty without validation.
    best_n_estimators : int or None
        The number of rounds early stopping chose.
    """

    classes: np.ndarray | None = None
    valid_scores: dict[str, float] = field(default_factory=dict)
    best_n_estimators: int | None = None


class _XgboostValidation(LearnerSklearn):
    """Validation split, fitting with an eval set and its results (shared by both learners)."""

    internal_tuning_param = "n_estimators"

    def internal_tuning_problem(self) -> str | None:
        """Internal tuning of ``n_estimators`` needs ``validate`` and ``early_stopping_rounds``."""
        if self.validate is None:
            return "set 'validate' to 'test' or a ratio such as 0.2 (the validation data)"
        if self.param_set.values.get("early_stopping_rounds") is None:
            return "set 'early_stopping_rounds' (e.g. 10) so that early stopping picks the rounds"
        return None

    def internal_tuning_off(self) -> dict[str, Any]:
        """No validation and no early stopping."""
        return {"validate": None, "early_stopping_rounds": None}

    def _init_validation(self) -> None:
        #: The validation rows for ``validate="test"`` (set by the job runner) or
        #: ``"predefined"`` (set by a graph learner or the user).
        self.internal_valid_task: Task | None = None

    @property
    def validate(self) -> Any:
        """The ``validate`` parameter value (``None``, a ratio, ``"test"`` or ``"predefined"``)."""
        return self.param_set.values.get("validate")

    def _extract_internal_valid_scores(self) -> dict[str, float] | None:
        """Validation metric -> score of the model just trained (None without validation)."""
        model = self.model
        return dict(model.valid_scores) if isinstance(model, XgboostModel) and (
            model.valid_scores) else None

    def _extract_internal_tuned_values(self) -> dict[str, int] | None:
        """``{"n_estimators": rounds}`` as chosen by early stopping, or None."""
        model = self.model
        if isinstance(model, XgboostModel) and model.best_n_estimators is not None:
            return {"n_estimators": model.best_n_estimators}
        return None

    def _split(self, task: TaskSupervised) -> tuple[TaskSupervised, TaskSupervised | None]:
        """The training task and the validation task (None without validation)."""
        ratio = self.validate
        owner = f"Learner '{self.id}'"
        if ratio is None:
            rounds = self.param_set.values.get("early_stopping_rounds")
            if rounds is not None:
                raise ConfigError(
                    f"Early stopping of {owner} ('early_stopping_rounds' = {rounds}) needs a "
                    f"validation set: set 'validate' to a ratio (e.g. 0.2) or to 'test'."
                )
            return task, None
        if ratio in ("test", "predefined"):
            if self.internal_valid_task is None:
                raise missing_valid_task_error(owner, ratio)
            return task, self.internal_valid_task  # type: ignore[return-value]
        return split_validation(task, float(ratio), owner)

    def _fit(
        self, task: TaskSupervised, labels: Any, classes: np.ndarray | None = None
    ) -> XgboostModel:
        """Fit on ``task`` (split off the validation rows first); ``labels`` maps a task to y.

        ``labels(task)`` returns the targets and a mask of the rows to keep
        (validation rows of a class unseen in training are left out).
        """
        train_task, valid_task = self._split(task)
        x, encoder, fit_kwargs = self._fit_data(train_task)
        y, _ = labels(train_task)
        estimator = self._make_estimator()
        if valid_task is not None:
            fit_kwargs.update(self._eval_set(valid_task, encoder, labels))
        estimator.fit(x, y, verbose=False, **fit_kwargs)
        return _model(estimator, encoder, classes, valid=valid_task is not None)

    def _eval_set(
        self, valid_task: TaskSupervised, encoder: FeatureEncoder, labels: Any
    ) -> dict[str, Any]:
        x_valid = encoder.encode(valid_task)
        y_valid, keep = labels(valid_task)
        out: dict[str, Any] = {"eval_set": [(x_valid[keep], y_valid)]}
        weights = task_weights(valid_task) if "weights" in self.properties else None
        if weights is not None:
            out["sample_weight_eval_set"] = [weights[keep]]
        return out


def _model(
    estimator: BaseEstimator, encoder: FeatureEncoder, classes: np.ndarray | None, valid: bool
) -> XgboostModel:
    model = XgboostModel(estimator, encoder, classes)
    if not valid:
        return model
    stopped = estimator.get_params().get("early_stopping_rounds") is not None
    best = int(estimator.best_iteration) if stopped else None
    for metric, values in estimator.evals_result().get("validation_0", {}).items():
        model.valid_scores[metric] = float(values[best if best is not None else -1])
    model.best_n_estimators = None if best is None else best + 1
    return model


class LearnerClassifXgboost(_XgboostValidation, LearnerClassifSklearn):
    """Gradient boosted trees, ``classif.xgboost``: xgboost's ``XGBClassifier``.

    Main parameters: ``n_estimators`` (nrounds, default 100), ``learning_rate``
    (eta, default 0.3), ``max_depth`` (default 6), ``subsample``,
    ``colsample_bytree``, ``reg_lambda``, ``reg_alpha``, ``min_child_weight``,
    ``gamma``, ``early_stopping_rounds``, ``eval_metric``, ``validate``,
    ``n_jobs`` (default 1), ``random_state``.
    Properties: twoclass, multiclass, missings, weights, importance, validation,
    internal_tuning.
    Predict types: response, prob.
    """

    def __init__(self) -> None:
        estimator = XGBClassifier()
        super().__init__(
            estimator, "classif.xgboost",
            param_set=xgboost_param_set(estimator.get_params(deep=False)),
            packages=_PACKAGES, label="Extreme Gradient Boosting",
        )
        self._init_validation()
        self.properties |= {"validation", "internal_tuning"}

    def _train(self, task: TaskSupervised) -> XgboostModel:
        seen = np.unique(np.asarray(task.truth().codes, dtype=np.int64))

        def labels(t: TaskSupervised) -> tuple[np.ndarray, np.ndarray]:
            codes = np.asarray(t.truth().codes, dtype=np.int64)
            keep = np.isin(codes, seen)
            return np.searchsorted(seen, codes[keep]), keep

        return self._fit(task, labels, classes=seen)

    def _predict(self, task: TaskSupervised) -> PredictionDataClassif:
        estimator, x = self._predict_data(task)
        model: XgboostModel = self.model
        state = self.state
        assert state is not None and state.class_names is not None  # predicting: trained
        assert model.classes is not None  # a classification model
        classes = model.classes
        prob = np.zeros((x.shape[0], len(state.class_names)))
        if len(classes) == 1:  # one class in training: xgboost fitted a constant
            prob[:, classes[0]] = 1.0
        else:
            prob[:, classes] = estimator.predict_proba(x)
        codes = classes[np.argmax(prob[:, classes], axis=1)]
        return PredictionDataClassif(
            response=classes_from_codes(codes, state.class_names),
            prob=prob if self.predict_type == "prob" else None,
        )


class LearnerRegrXgboost(_XgboostValidation, LearnerRegrSklearn):
    """Gradient boosted trees, ``regr.xgboost``: xgboost's ``XGBRegressor``.

    Main parameters as for ``classif.xgboost`` (``objective`` default
    "reg:squarederror"). Properties: missings, weights, importance, validation,
    internal_tuning.
    Predict type: response.
    """

    def __init__(self) -> None:
        estimator = XGBRegressor()
        super().__init__(
            estimator, "regr.xgboost",
            param_set=xgboost_param_set(estimator.get_params(deep=False)),
            packages=_PACKAGES, label="Extreme Gradient Boosting",
        )
        self._init_validation()
        self.properties |= {"validation", "internal_tuning"}

    def _train(self, task: TaskSupervised) -> XgboostModel:
        def labels(t: TaskSupervised) -> tuple[np.ndarray, np.ndarray]:
            y = np.asarray(t.truth(), dtype=np.float64)
            return y, np.ones(len(y), dtype=bool)

        return self._fit(task, labels)
