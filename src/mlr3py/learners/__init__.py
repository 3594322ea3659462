"""Learners: the :class:`Learner` interface, built-in learners and the ``mlr_learners`` registry.

Keys
----
``classif.featureless``, ``regr.featureless``, ``classif.debug``, ``regr.debug``,
``classif.rpart``, ``regr.rpart`` (decision trees), ``classif.ranger``,
``regr.ranger`` (random forests), ``classif.log_reg``, ``regr.lm``,
``classif.kknn``, ``regr.kknn`` (nearest neighbours), ``classif.svm``, ``regr.svm``
(support vector machines), ``classif.glmnet``, ``regr.glmnet``, ``classif.cv_glmnet``,
``regr.cv_glmnet`` (elastic nets), ``classif.naive_bayes``, ``classif.lda``,
``classif.qda``; with the ``xgboost`` extra, ``classif.xgboost``, ``regr.xgboost``
(:mod:`mlr3py.learners.xgboost_learners`); with the ``torch`` extra,
``classif.mlp``, ``classif.tab_resnet``, ``classif.ft_transformer``,
``classif.tabnet``, ``classif.module`` and their ``regr.`` twins
(:mod:`mlr3py.torch`, imported on first use). Any
scikit-learn estimator becomes a learner with :func:`as_learner`.
"""

import importlib
import importlib.util
from collections.abc import Callable

from mlr3py.learners._base import FEATURE_TYPES, Learner, LearnerClassif, LearnerRegr
from mlr3py.learners._coerce import coerce_learner, register_learner_conversion
from mlr3py.learners._fallback import fallback_for_failure
from mlr3py.learners._model_queries import ModelQueries
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
from mlr3py.learners.sklearn_bayes import (
    LearnerClassifLDA,
    LearnerClassifNaiveBayes,
    LearnerClassifQDA,
)
from mlr3py.learners.sklearn_kernels import LearnerClassifSVM, LearnerRegrSVM
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
from mlr3py.learners.sklearn_linear import (
    LearnerClassifCVGlmnet,
    LearnerClassifGlmnet,
    LearnerRegrCVGlmnet,
    LearnerRegrGlmnet,
)
from mlr3py.registry import Dictionary

__all__ = [
    "FEATURE_TYPES",
    "DebugModel",
    "Learner",
    "LearnerClassif",
    "LearnerClassifCVGlmnet",
    "LearnerClassifDebug",
    "LearnerClassifFeatureless",
    "LearnerClassifGlmnet",
    "LearnerClassifKKNN",
    "LearnerClassifLDA",
    "LearnerClassifLogReg",
    "LearnerClassifNaiveBayes",
    "LearnerClassifQDA",
    "LearnerClassifRanger",
    "LearnerClassifRpart",
    "LearnerClassifSVM",
    "LearnerClassifSklearn",
    "LearnerRegr",
    "LearnerRegrCVGlmnet",
    "LearnerRegrDebug",
    "LearnerRegrFeatureless",
    "LearnerRegrGlmnet",
    "LearnerRegrKKNN",
    "LearnerRegrLM",
    "LearnerRegrRanger",
    "LearnerRegrRpart",
    "LearnerRegrSVM",
    "LearnerRegrSklearn",
    "LearnerSklearn",
    "LearnerState",
    "LogEntry",
    "ModelQueries",
    "SklearnModel",
    "as_learner",
    "coerce_learner",
    "fallback_for_failure",
    "mlr_learners",
    "register_learner_conversion",
]

mlr_learners: Dictionary[Learner] = Dictionary("mlr_learners", "Learner")
"""The registry of learners: ``mlr_learners.get("classif.rpart", max_depth=3)``."""

for _key, _cls in {
    "classif.cv_glmnet": LearnerClassifCVGlmnet,
    "classif.debug": LearnerClassifDebug,
    "classif.featureless": LearnerClassifFeatureless,
    "classif.glmnet": LearnerClassifGlmnet,
    "classif.kknn": LearnerClassifKKNN,
    "classif.lda": LearnerClassifLDA,
    "classif.log_reg": LearnerClassifLogReg,
    "classif.naive_bayes": LearnerClassifNaiveBayes,
    "classif.qda": LearnerClassifQDA,
    "classif.ranger": LearnerClassifRanger,
    "classif.rpart": LearnerClassifRpart,
    "classif.svm": LearnerClassifSVM,
    "regr.cv_glmnet": LearnerRegrCVGlmnet,
    "regr.debug": LearnerRegrDebug,
    "regr.featureless": LearnerRegrFeatureless,
    "regr.glmnet": LearnerRegrGlmnet,
    "regr.kknn": LearnerRegrKKNN,
    "regr.lm": LearnerRegrLM,
    "regr.ranger": LearnerRegrRanger,
    "regr.rpart": LearnerRegrRpart,
    "regr.svm": LearnerRegrSVM,
}.items():
    mlr_learners.add(_key, _cls)
del _key, _cls


# optional learners: registered only where their dependency is installed, imported on
# first use; key -> (dependency, extra, class path under mlr3py)
_OPTIONAL_LEARNERS = {
    **{
        key: ("torch", "torch", f"torch.{path}")
        for key, path in {
            "classif.mlp": "mlp.LearnerClassifMLP",
            "regr.mlp": "mlp.LearnerRegrMLP",
            "classif.tab_resnet": "tab_resnet.LearnerClassifTabResNet",
            "regr.tab_resnet": "tab_resnet.LearnerRegrTabResNet",
            "classif.ft_transformer": "ft_transformer.LearnerClassifFTTransformer",
            "regr.ft_transformer": "ft_transformer.LearnerRegrFTTransformer",
            "classif.tabnet": "tabnet.LearnerClassifTabNet",
            "regr.tabnet": "tabnet.LearnerRegrTabNet",
            "classif.module": "module.LearnerClassifModule",
            "regr.module": "module.LearnerRegrModule",
        }.items()
    },
    "classif.xgboost": ("xgboost", "xgboost", "learners.xgboost_learners.LearnerClassifXgboost"),
    "regr.xgboost": ("xgboost", "xgboost", "learners.xgboost_learners.LearnerRegrXgboost"),
}


def _lazy_learner(path: str) -> Callable[[], Learner]:
    module, name = path.rsplit(".", 1)

    def construct() -> Learner:
        return getattr(importlib.import_module(f"mlr3py.{module}"), name)()

    return construct


for _key, (_dependency, _extra, _path) in _OPTIONAL_LEARNERS.items():
    if importlib.util.find_spec(_dependency) is not None:
        mlr_learners.add(_key, _lazy_learner(_path))
    else:
        mlr_learners.add_unavailable(
            _key,
            f"Learner '{_key}' needs the optional dependency {_dependency}, which is not "
            f"installed. Install it with `pip install mlr3py[{_extra}]`.",
        )
del _key, _dependency, _extra, _path
