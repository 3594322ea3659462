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

``classif.svm`` with predict type ``"prob"`` trains with ``probability=True``
(Platt scaling on an internal 5-fold cross-validation, with a ``random_state``
drawn from numpy's global generator unless set), as mlr3learners sets e1071's
``probability = TRUE``. The response still comes from the decision function,
so it equals that of predict type ``"response"``; the probabilities may, for
a few rows, favour the other class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sklearn.svm import SVC, SVR

from mlr3py.errors import LearnerPredictError
from mlr3py.learners._sklearn import LearnerClassifSklearn, LearnerRegrSklearn

if TYPE_CHECKING:
    from sklearn.base import BaseEstimator

    from mlr3py.predictions import PredictionDataClassif
    from mlr3py.tasks import TaskSupervised

__all__ = ["LearnerClassifSVM", "LearnerRegrSVM"]


class LearnerClassifSVM(LearnerClassifSklearn):
    """Support vector classification, ``classif.svm``: scikit-learn's ``SVC``.

    Main parameters: ``C`` (cost, default 1.0), ``kernel`` ({"rbf", "linear",
    "poly", "sigmoid", "precomputed"}, default "rbf"), ``gamma`` ("scale",
    "auto" or a float >= 0), ``degree``, ``coef0``, ``class_weight``,
    ``shrinking``, ``tol``, ``max_iter``, ``random_state``. ``probability`` is
    set to True when the predict type is ``"prob"``.
    Properties: twoclass, multiclass, weights. Predict types: response, prob.

    Examples
    --------
    >>> from mlr3py import lrn
    >>> from mlr3py.params import to_tune
    >>> learner = lrn("classif.svm", C=to_tune(1e-1, 1e5, logscale=True), kernel="rbf")
    """

    def __init__(self) -> None:
        super().__init__(SVC(), "classif.svm", label="Support Vector Machine")

    def _make_estimator(self) -> BaseEstimator:
        estimator = super()._make_estimator()
        if self.predict_type == "prob":
            estimator.set_params(probability=True)
        return estimator

    def _predict(self, task: TaskSupervised) -> PredictionDataClassif:
        if self.predict_type == "prob" and not self.model.estimator.probability:
            raise LearnerPredictError(
                f"Learner '{self.id}' was trained with predict type 'response', so its SVC "
                f"has no probability model. Set learner.predict_type = 'prob' before training "
                f"(or set probability=True) to predict probabilities."
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
