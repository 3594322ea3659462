"""Learners: the :class:`Learner` interface, built-in learners and the ``mlr_learners`` registry.

Keys
----
``classif.featureless``, ``regr.featureless``, ``classif.debug``, ``regr.debug``,
``classif.rpart``, ``regr.rpart`` (decision trees), ``classif.ranger``,
``regr.ranger`` (random forests), ``classif.log_reg``, ``regr.lm``,
``classif.kknn``, ``regr.kknn`` (nearest neighbours). Any scikit-learn
estimator becomes a learner with :func:`as_learner`.
"""

from mlr3py.learners._base import FEATURE_TYPES, Learner, LearnerClassif, LearnerRegr
from mlr3py.learners._sklearn import (
    LearnerClassifSklearn,
    LearnerRegrSklearn,
    LearnerSklearn,
    SklearnModel,
    as_learner,
)
from mlr3py.learners._state import LearnerState, LogEntry
from mlr3py.learners.debug import DebugModel, LearnerClassifDebug, LearnerRegrDebug
from mlr3py.learners.featureless import LearnerClassifFeatureless, LearnerRegrFeatureless
from mlr3py.learners.sklearn_learners import (
    LearnerClassifKKNN,
    LearnerClassifLogReg,
    LearnerClassifRanger,
    LearnerClassifRpart,
    LearnerRegrKKNN,
    LearnerRegrLM,
    LearnerRegrRanger,
    LearnerRegrRpart,
)
from mlr3py.registry import Dictionary

__all__ = [
    "FEATURE_TYPES",
    "DebugModel",
    "Learner",
    "LearnerClassif",
    "LearnerClassifDebug",
    "LearnerClassifFeatureless",
    "LearnerClassifKKNN",
    "LearnerClassifLogReg",
    "LearnerClassifRanger",
    "LearnerClassifRpart",
    "LearnerClassifSklearn",
    "LearnerRegr",
    "LearnerRegrDebug",
    "LearnerRegrFeatureless",
    "LearnerRegrKKNN",
    "LearnerRegrLM",
    "LearnerRegrRanger",
    "LearnerRegrRpart",
    "LearnerRegrSklearn",
    "LearnerSklearn",
    "LearnerState",
    "LogEntry",
    "SklearnModel",
    "as_learner",
    "mlr_learners",
]

mlr_learners: Dictionary[Learner] = Dictionary("mlr_learners", "Learner")
"""The registry of learners: ``mlr_learners.get("classif.rpart", max_depth=3)``."""

for _key, _cls in {
    "classif.debug": LearnerClassifDebug,
    "classif.featureless": LearnerClassifFeatureless,
    "classif.kknn": LearnerClassifKKNN,
    "classif.log_reg": LearnerClassifLogReg,
    "classif.ranger": LearnerClassifRanger,
    "classif.rpart": LearnerClassifRpart,
    "regr.debug": LearnerRegrDebug,
    "regr.featureless": LearnerRegrFeatureless,
    "regr.kknn": LearnerRegrKKNN,
    "regr.lm": LearnerRegrLM,
    "regr.ranger": LearnerRegrRanger,
    "regr.rpart": LearnerRegrRpart,
}.items():
    mlr_learners.add(_key, _cls)
del _key, _cls
