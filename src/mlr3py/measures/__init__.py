"""Performance measures and their registry ``mlr_measures``.

Keys follow mlr3: ``classif.ce``, ``classif.auc``, ``regr.mse``, ``time_train``,
``selected_features``, ``oob_error``, ``internal_valid_score``, ``debug_classif``, ...
Build one with ``msr("classif.ce")`` or ``mlr_measures.get("classif.fbeta", beta=2)``.
Extend by subclassing :class:`MeasureClassif` / :class:`MeasureRegr`, implementing
``_score()`` and registering with ``mlr_measures.add(key, cls)``.

Measure arguments (a measure, a key, a list of those, or None for the default) are
resolved in one place, :func:`resolve_measures`; importing this package registers
:func:`score_prediction` as the scorer of :meth:`mlr3py.predictions.Prediction.score`.
"""

from mlr3py.measures._dictionary import mlr_measures
from mlr3py.measures._resolve import (
    MeasuresArg,
    as_measures,
    check_measure_task_type,
    resolve_measures,
    score_prediction,
)
from mlr3py.measures.base import Measure, MeasureClassif, MeasureRegr
from mlr3py.measures.classif import MeasureClassifSimple
from mlr3py.measures.costs import MeasureClassifCosts
from mlr3py.measures.debug import MeasureDebugClassif
from mlr3py.measures.learner import (
    MeasureInternalValidScore,
    MeasureOOBError,
    MeasureSelectedFeatures,
)
from mlr3py.measures.regr import MeasureRegrRSQ, MeasureRegrSimple
from mlr3py.measures.timing import MeasureElapsedTime
from mlr3py.predictions._scorer import register_scorer

__all__ = [
    "Measure",
    "MeasureClassif",
    "MeasureClassifCosts",
    "MeasureClassifSimple",
    "MeasureDebugClassif",
    "MeasureElapsedTime",
    "MeasureInternalValidScore",
    "MeasureOOBError",
    "MeasureRegr",
    "MeasureRegrRSQ",
    "MeasureRegrSimple",
    "MeasureSelectedFeatures",
    "MeasuresArg",
    "as_measures",
    "check_measure_task_type",
    "mlr_measures",
    "resolve_measures",
    "score_prediction",
]

register_scorer(score_prediction)
