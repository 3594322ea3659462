"""All-missing predictions (a step that could not predict).

:func:`missing_prediction_data` builds the predicted values (missing responses, NaN
probabilities or standard errors); :func:`missing_prediction` a whole prediction of
a task's rows with their truth.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from mlr3py.errors import InputError
from mlr3py.predictions._data import PredictionData, PredictionDataClassif, PredictionDataRegr
from mlr3py.predictions.base import Prediction
from mlr3py.predictions.classif import PredictionClassif
from mlr3py.predictions.regr import PredictionRegr
from mlr3py.reflections import PREDICT_TYPES
from mlr3py.tasks import TaskClassif

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = ["missing_prediction", "missing_prediction_data"]


def _check_predict_type(task_type: str, predict_type: str) -> None:
    allowed = PREDICT_TYPES.get(task_type)
    if allowed is None:
        raise InputError(
            f"A missing prediction needs a task type among {list(PREDICT_TYPES)}. "
            f"Got {task_type!r} instead."
        )
    if predict_type not in allowed:
        raise InputError(
            f"The predict type of a '{task_type}' prediction must be one of {list(allowed)}. "
            f"Got {predict_type!r} instead."
        )


def missing_prediction_data(
    task_type: str,
    n: int,
    predict_type: str = "response",
    class_names: Sequence[str] = (),
    row_ids: Iterable[int] | None = None,
) -> PredictionData:
    """Prediction data for ``n`` rows with every prediction missing.

    Parameters
    ----------
    task_type : str
        ``"classif"`` or ``"regr"``.
    n : int
        The number of rows.
    predict_type : str
        ``"response"``, or the task type's other predict type (``"prob"``: NaN
        probabilities; ``"se"``: NaN standard errors).
    class_names : sequence of str
        The classes (classification).
    row_ids : iterable of int, optional
        The rows, when the data should name them.
    """
    _check_predict_type(task_type, predict_type)
    rows = None if row_ids is None else np.asarray(list(row_ids), dtype=np.int64)
    if task_type == "classif":
        names = [str(c) for c in class_names]
        response = pd.Categorical.from_codes(np.full(n, -1), dtype=pd.CategoricalDtype(names))
        prob = np.full((n, len(names)), np.nan) if predict_type == "prob" else None
        return PredictionDataClassif(response=response, prob=prob, row_ids=rows)
    se = np.full(n, np.nan) if predict_type == "se" else None
    return PredictionDataRegr(response=np.full(n, np.nan), se=se, row_ids=rows)


def missing_prediction(
    task: TaskSupervised, row_ids: Iterable[int] | None = None, predict_type: str = "response"
) -> Prediction:
    """A prediction of ``task``'s rows with their truth and every prediction missing.

    Parameters
    ----------
    task : TaskClassif or TaskRegr
        A classification or regression task (the truth comes from it).
    row_ids : iterable of int, optional
        The rows; all active rows of ``task`` when omitted.
    predict_type : str
        ``"response"``, or the task type's other predict type (``"prob"``: NaN
        probabilities; ``"se"``: NaN standard errors).

    Returns
    -------
    Prediction
        A :class:`PredictionClassif` or :class:`PredictionRegr` whose scores are NaN.
    """
    rows = np.asarray(task.row_ids if row_ids is None else list(row_ids), dtype=np.int64)
    if isinstance(task, TaskClassif):
        class_names = [str(c) for c in task.class_names]
        data = missing_prediction_data("classif", len(rows), predict_type, class_names)
        assert isinstance(data, PredictionDataClassif)
        return PredictionClassif(
            row_ids=rows, truth=task.truth(rows), response=data.response, prob=data.prob,
            class_names=class_names,
        )
    data = missing_prediction_data(task.task_type, len(rows), predict_type)
    assert isinstance(data, PredictionDataRegr)
    return PredictionRegr(row_ids=rows, truth=task.truth(rows), response=data.response, se=data.se)
