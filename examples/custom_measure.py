"""A custom measure, as in section 10.5 of the mlr3 book ("Extending mlr3").

``MeasureRegrThresholdAcc`` ("threshold accuracy") is the share of
predictions whose absolute error is below a threshold (1 by default): a
regression measure to maximise, with range [0, 1]. It subclasses
``MeasureRegr``, implements ``_score()``, is registered in ``mlr_measures``
under ``regr.thresh_acc`` and is then built with ``msr("regr.thresh_acc")``.

Run with ``python examples/custom_measure.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlr3py.measures import MeasureRegr, mlr_measures
from mlr3py.params import p_dbl, ps


class MeasureRegrThresholdAcc(MeasureRegr):
    """Share of observations with ``|truth - response| < threshold``."""

    def __init__(self) -> None:
        super().__init__(
            "regr.thresh_acc",
            param_set=ps(threshold=p_dbl(0, None, default=1.0)),
            predict_type="response",
            minimize=False,
            range=(0.0, 1.0),
            label="Threshold Accuracy",
        )

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        threshold = self.param_set.get_values().get("threshold", 1.0)
        errors = prediction.truth - prediction.response
        return float(np.mean(np.abs(errors) < threshold))


mlr_measures.add("regr.thresh_acc", MeasureRegrThresholdAcc)


def main() -> float:
    """Train a regression tree on mtcars and score it with the new measure."""
    from mlr3py import lrn, msr, tsk

    task = tsk("mtcars")
    prediction = lrn("regr.rpart").train(task).predict(task)
    measure = msr("regr.thresh_acc")
    print(measure)
    scores = prediction.score([measure, msr("regr.mse")])
    print(scores)
    return float(scores["regr.thresh_acc"])


if __name__ == "__main__":
    main()
