"""Support vector machines, ``classif.svm`` and ``regr.svm``: scikit-learn's ``SVC`` / ``SVR``.

mlr3learners wraps e1071's ``svm()`` (libsvm); scikit-learn's ``SVC`` and
``SVR`` wrap the same library. Parameter names are scikit-learn's:

==================  ==========================  ================================
e1071 / mlr3        scikit-learn                note
==================  ==========================  ================================
``cost``            ``C`` (default 1.0)         tune on log scale
``gamma``           ``gamma`` (default "scale")  e1071: ``1 / n_features``;
                                                ``"scale"``: ``1 / (n_features * X.var())``
``kernel="radial"`` ``kernel="rbf"`` (default)  "linear", "poly", "sigmoid" alike
``degree``          ``degree`` (default 3)
``coef0``           ``coef0`` (default 0.0)
``epsilon``         ``epsilon`` (``regr.svm``)
``tolerance``       ``tol``
``cachesize``       ``cache_size``
==================  ==========================  ================================

Unlike e1071 (``scale = TRUE``), features are not scaled: put ``po("scale")``
in front of the learner for scaled inputs. Factor features are one-hot
encoded, as for the other scikit-learn learners.

``classif.svm`` with predict type ``"prob"`` calibrates the SVM's decision
values into probabilities by Platt scaling, as e1071's ``probability = TRUE``
(which mlr3learners sets for predict type ``"prob"``): scikit-learn's
``CalibratedClassifierCV(SVC(...), method="sigmoid", ensemble=False)`` fits a
sigmoid to decision values predicted by an internal 5-fold cross-validation
(stratified, not shuffled) and the SVC on all training rows. (``SVC``'s own
``probability=True`` does the same and is deprecated since scikit-learn 1.9,
so it is not a parameter here.) The response is then the class of largest
probability, which for a few rows near the decision boundary may differ from
the SVC's own (predict type ``"response"``). The fitted model's ``estimator``
is then the ``CalibratedClassifierCV``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import SVC, SVR

from mlr3py.errors import LearnerPredictError
from mlr3py.learners._sklearn import LearnerClassifSklearn, LearnerRegrSklearn
from mlr3py.learners._sklearn_params import derive_param_set
from mlr3py.reflections import PREDICT_TYPES

if TYPE_CHECKING:
    from sklearn.base import BaseEstimator

    from mlr3py.predictions import PredictionDataClassif
    from mlr3py.tasks import TaskSupervised

#: Folds of the cross-validation that Platt scaling fits the sigmoid on (libsvm's 5).
_CALIBRATION_FOLDS = 5

__all__ = ["LearnerClassifSVM", "LearnerRegrSVM"]


class LearnerClassifSVM(LearnerClassifSklearn):
    """Support vector classification, ``classif.svm``: scikit-learn's ``SVC``.

    Main parameters: ``C`` (cost, default 1.0), ``kernel`` ({"rbf", "linear",
    "poly", "sigmoid", "precomputed"}, default "rbf"), ``gamma`` ("scale",
    "auto" or a float >= 0), ``degree``, ``coef0``, ``class_weight``,
    ``shrinking``, ``tol``, ``max_iter``, ``random_state``.
    Properties: twoclass, multiclass, weights. Predict types: response, prob
    (Platt scaling, see the module docstring).

    Examples
    --------
    >>> from mlr3py import lrn
    >>> from mlr3py.params import to_tune
    >>> learner = lrn("classif.svm", C=to_tune(1e-1, 1e5, logscale=True), kernel="rbf")
    """

    def __init__(self) -> None:
        estimator = SVC()
        params = derive_param_set(estimator)
        super().__init__(
            estimator, "classif.svm",
            param_set=params.subset([p for p in params.ids() if p != "probability"]),
            predict_types=PREDICT_TYPES["classif"],
            label="Support Vector Machine",
        )

    def _make_estimator(self) -> BaseEstimator:
        svc = super()._make_estimator()
        if self.predict_type == "prob":
            return CalibratedClassifierCV(
                svc, method="sigmoid", cv=_CALIBRATION_FOLDS, ensemble=False
            )
        return svc

    def _predict(self, task: TaskSupervised) -> PredictionDataClassif:
        if self.predict_type == "prob" and not isinstance(
            self.model.estimator, CalibratedClassifierCV
        ):
            raise LearnerPredictError(
                f"Learner '{self.id}' was trained with predict type 'response', so it has no "
                f"probability model. Set learner.predict_type = 'prob' before training to "
                f"predict probabilities."
            )
        return super()._predict(task)


class LearnerRegrSVM(LearnerRegrSklearn):
    """Support vector regression, ``regr.svm``: scikit-learn's ``SVR``.

    Main parameters: ``C`` (cost, default 1.0), ``epsilon`` (default 0.1),
    ``kernel`` (default "rbf"), ``gamma``, ``degree``, ``coef0``,
    ``shrinking``, ``tol``, ``max_iter``.
    Properties: weights. Predict type: response.
    """

    def __init__(self) -> None:
        super().__init__(SVR(), "regr.svm", label="Support Vector Machine")
