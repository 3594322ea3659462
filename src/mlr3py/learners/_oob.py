"""The out-of-bag error of a random forest (mlr3learners' ``oob_error()`` of ranger).

With ``oob_score=True`` scikit-learn predicts every training row by the trees that
did not see it; training then also records the error of these predictions as
mlr3 reports it: the classification error for a classifier, the mean squared
error for a regressor (scikit-learn's own ``oob_score_`` is accuracy / R^2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.learners._sklearn import SklearnModel

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = ["OobErrorMixin", "OobModel"]


@dataclass
class OobModel(SklearnModel):
    """A fitted forest and its out-of-bag error (NaN without ``oob_score=True``)."""

    oob_error: float = float("nan")


def _oob_error(estimator: Any, task: TaskSupervised) -> float:
    """The classification error / mean squared error of the out-of-bag predictions
    (rows no tree left out are skipped)."""
    if task.task_type == "classif":
        scores = np.asarray(estimator.oob_decision_function_, dtype=float)
        seen = ~np.isnan(scores).any(axis=1)
        classes = np.asarray(estimator.classes_, dtype=np.int64)
        predicted = classes[np.argmax(np.nan_to_num(scores[seen]), axis=1)]
        truth = np.asarray(task.truth().codes, dtype=np.int64)[seen]
        return float(np.mean(predicted != truth)) if seen.any() else float("nan")
    predictions = np.asarray(estimator.oob_prediction_, dtype=float).reshape(-1)
    seen = ~np.isnan(predictions)
    truth = np.asarray(task.truth(), dtype=float)[seen]
    return float(np.mean((predictions[seen] - truth) ** 2)) if seen.any() else float("nan")


class OobErrorMixin:
    """``oob_error()`` and the training that records it, for the forest learners."""

    id: str
    model: Any

    def _train(self, task: TaskSupervised) -> SklearnModel:
        model: SklearnModel = super()._train(task)  # type: ignore[misc]
        estimator = model.estimator
        if getattr(estimator, "oob_score", False) is False:
            return model
        return OobModel(model.estimator, model.encoder, _oob_error(estimator, task))

    def _extract_oob_error(self) -> float | None:
        """The out-of-bag error of the model just trained (None without ``oob_score``)."""
        model = self.model
        return model.oob_error if isinstance(model, OobModel) else None

    def oob_error(self) -> float:
        """The out-of-bag error: classification error or mean squared error.

        Returns
        -------
        float

        Raises
        ------
        NotTrainedError
            If the learner has not been trained.
        ConfigError
            If it was trained without ``oob_score=True``.
        """
        state = getattr(self, "state", None)
        if state is not None and state.oob_error is not None:  # kept when the model is not
            return float(state.oob_error)
        model = self.model
        if model is None:
            raise NotTrainedError(
                f"Learner '{self.id}' has no model; call learner.train(task) before oob_error()."
            )
        if not isinstance(model, OobModel):
            raise ConfigError(
                f"Learner '{self.id}' was trained without out-of-bag predictions. Set "
                f"oob_score=True (e.g. lrn('{self.id}', oob_score=True)) and train again."
            )
        return model.oob_error
