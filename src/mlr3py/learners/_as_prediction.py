"""Prediction data of a learner's ``_predict`` hook as a :class:`~mlr3py.predictions.Prediction`.

The bodies of ``LearnerClassif._as_prediction`` and ``LearnerRegr._as_prediction``:
the rows and the truth come from the task, labels and probabilities are put in the
task's class order (the trained learner's when the classes differ), and only the
columns of its predict type are kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from mlr3py.learners._labels import as_categorical, as_prob, classes_from_codes
from mlr3py.predictions import (
    PredictionClassif,
    PredictionData,
    PredictionDataClassif,
    PredictionDataRegr,
    PredictionRegr,
)

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.tasks import TaskSupervised

__all__ = ["as_prediction_classif", "as_prediction_regr"]


def as_prediction_classif(
    learner: Learner, task: TaskSupervised, pdata: PredictionData, has_truth: bool
) -> PredictionClassif:
    """A classification prediction of ``pdata`` (from ``learner._predict(task)``).

    Parameters
    ----------
    learner : Learner
        The trained learner; its state gives the class names, its
        ``predict_type`` whether probabilities are kept.
    task : TaskSupervised
        The predicted task.
    pdata : PredictionDataClassif
        What the learner's ``_predict`` returned.
    has_truth : bool
        Whether the task's target holds the truth (else the truth is missing).

    Returns
    -------
    PredictionClassif
    """
    assert isinstance(pdata, PredictionDataClassif)
    state = learner.state
    assert state is not None and state.class_names is not None
    trained = state.class_names
    # the predicted task's class order wins (mlr3: the levels of its truth), so a
    # positive class switched after training is the prediction's positive class too
    task_classes = list(getattr(task, "class_names", None) or ())
    same_classes = task_classes != trained and sorted(task_classes) == sorted(trained)
    class_names = task_classes if same_classes else trained
    row_ids, truth = _rows_and_truth(task, pdata, has_truth)
    if not has_truth:
        truth = classes_from_codes(np.full(len(row_ids), -1), class_names)
    elif list(truth.categories) != class_names and set(truth.categories) <= set(class_names):
        truth = truth.set_categories(class_names)
    response = pdata.response
    prob = pdata.prob if learner.predict_type == "prob" else None
    if response is not None:
        response = as_categorical(response, class_names)
    if prob is not None:
        prob = as_prob(prob, trained)
        if class_names is not trained:
            prob = np.asarray(prob)[:, [trained.index(c) for c in class_names]]
    return PredictionClassif(
        row_ids=row_ids, truth=truth, response=response, prob=prob, class_names=class_names
    )


def as_prediction_regr(
    learner: Learner, task: TaskSupervised, pdata: PredictionData, has_truth: bool
) -> PredictionRegr:
    """A regression prediction of ``pdata`` (from ``learner._predict(task)``).

    Parameters
    ----------
    learner : Learner
        The trained learner; its ``predict_type`` says whether ``se`` is kept.
    task : TaskSupervised
        The predicted task.
    pdata : PredictionDataRegr
        What the learner's ``_predict`` returned.
    has_truth : bool
        Whether the task's target holds the truth (else the truth is missing).

    Returns
    -------
    PredictionRegr
    """
    assert isinstance(pdata, PredictionDataRegr)
    row_ids, truth = _rows_and_truth(task, pdata, has_truth)
    if not has_truth:
        truth = np.full(len(row_ids), np.nan)
    se = pdata.se if learner.predict_type == "se" else None
    return PredictionRegr(row_ids=row_ids, truth=truth, response=pdata.response, se=se)


def _rows_and_truth(
    task: TaskSupervised, pdata: PredictionData, has_truth: bool
) -> tuple[np.ndarray, Any]:
    """The predicted row ids and their truth (``None`` when ``has_truth`` is False)."""
    rows = pdata.row_ids
    if rows is None:
        return task.row_ids, task.truth() if has_truth else None
    return rows, task.truth(rows) if has_truth else None
