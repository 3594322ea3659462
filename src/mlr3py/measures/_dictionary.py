"""The registry of measures, ``mlr_measures``, filled with the built-in measures."""

from __future__ import annotations

from mlr3py.measures.base import Measure
from mlr3py.measures.classif import CLASSIF_MEASURES
from mlr3py.measures.costs import COSTS_MEASURES
from mlr3py.measures.debug import DEBUG_MEASURES
from mlr3py.measures.learner import LEARNER_MEASURES
from mlr3py.measures.regr import REGR_MEASURES
from mlr3py.measures.timing import TIMING_MEASURES
from mlr3py.registry import Dictionary

__all__ = ["mlr_measures"]

mlr_measures: Dictionary[Measure] = Dictionary("mlr_measures", "Measure")
"""The registry of measures: ``mlr_measures.get("classif.fbeta", beta=2)``."""

_BUILTIN = {
    **CLASSIF_MEASURES, **COSTS_MEASURES, **REGR_MEASURES, **TIMING_MEASURES,
    **LEARNER_MEASURES, **DEBUG_MEASURES,
}
for _key, _constructor in _BUILTIN.items():
    mlr_measures.add(_key, _constructor)
del _key, _constructor
