"""Performance measures and their registry ``mlr_measures``.

Keys follow mlr3: ``classif.ce``, ``classif.auc``, ``regr.mse``, ``time_train``, ...
Build one with ``msr("classif.ce")`` or ``mlr_measures.get("classif.fbeta", beta=2)``.
Extend by subclassing :class:`MeasureClassif` / :class:`MeasureRegr`, implementing
``_score()`` and registering with ``mlr_measures.add(key, cls)``.
"""

from mlr3py.measures.base import Measure, MeasureClassif, MeasureRegr
from mlr3py.measures.classif import CLASSIF_MEASURES, MeasureClassifSimple
from mlr3py.measures.regr import REGR_MEASURES, MeasureRegrRSQ, MeasureRegrSimple
from mlr3py.measures.timing import TIMING_MEASURES, MeasureElapsedTime
from mlr3py.registry import Dictionary

__all__ = [
    "Measure",
    "MeasureClassif",
    "MeasureClassifSimple",
    "MeasureElapsedTime",
    "MeasureRegr",
    "MeasureRegrRSQ",
    "MeasureRegrSimple",
    "mlr_measures",
]

mlr_measures: Dictionary[Measure] = Dictionary("mlr_measures", "Measure")
for _key, _constructor in {**CLASSIF_MEASURES, **REGR_MEASURES, **TIMING_MEASURES}.items():
    mlr_measures.add(_key, _constructor)
del _key, _constructor
