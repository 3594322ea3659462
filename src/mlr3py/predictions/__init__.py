"""Predictions of learners: :class:`PredictionClassif` and :class:`PredictionRegr`.

A prediction holds the row ids, the true target values and the predicted values
per predict type; it can be scored with measures, filtered and combined.
"""

from mlr3py.predictions.base import Prediction, combine_predictions
from mlr3py.predictions.classif import PredictionClassif
from mlr3py.predictions.regr import PredictionRegr

__all__ = ["Prediction", "PredictionClassif", "PredictionRegr", "combine_predictions"]
