"""Generative classifiers, ``classif.naive_bayes``, ``classif.lda``, ``classif.qda``.

Each models the features within every class and classifies by Bayes' rule:

- ``classif.naive_bayes``: scikit-learn's ``GaussianNB`` (mlr3learners:
  e1071's ``naiveBayes``). Features are independent normals within a class.
  e1071 models a factor feature by its level frequencies; here factor
  features are one-hot encoded, and each 0/1 column is modelled as a normal
  (``var_smoothing`` keeps their variances positive). e1071's ``laplace``
  has no counterpart.
- ``classif.lda``: ``LinearDiscriminantAnalysis`` (MASS's ``lda``): normals
  with a common covariance matrix.
- ``classif.qda``: ``QuadraticDiscriminantAnalysis`` (MASS's ``qda``): one
  covariance matrix per class. A class with fewer training rows than
  features, or a feature constant within a class, gives a singular
  covariance; set ``reg_param`` (in [0, 1]) to shrink it towards the identity.

The class priors default to the training class frequencies (set ``priors``
otherwise). Ordered features become level indices. For naive Bayes a factor
feature is one-hot encoded; for the discriminant analyses it is coded as MASS
codes it (R's ``model.matrix`` without intercept, treatment contrasts): one
0/1 column per level but the first, since the full one-hot block sums to one
and so makes every covariance matrix singular.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.discriminant_analysis import (
    LinearDiscriminantAnalysis,
    QuadraticDiscriminantAnalysis,
)
from sklearn.naive_bayes import GaussianNB

from mlr3py.learners._sklearn import LearnerClassifSklearn

if TYPE_CHECKING:
    from mlr3py.learners._encode import FeatureEncoder
    from mlr3py.tasks import TaskSupervised

__all__ = ["LearnerClassifLDA", "LearnerClassifNaiveBayes", "LearnerClassifQDA"]


class LearnerClassifNaiveBayes(LearnerClassifSklearn):
    """Gaussian naive Bayes, ``classif.naive_bayes``: scikit-learn's ``GaussianNB``.

    Parameters: ``priors`` (class priors in ``task.class_names`` order, or
    None for the training frequencies), ``var_smoothing`` (default 1e-9: the
    share of the largest feature variance added to all variances).
    Properties: twoclass, multiclass, weights. Predict types: response, prob.
    """

    def __init__(self) -> None:
        super().__init__(GaussianNB(), "classif.naive_bayes", label="Naive Bayes")


def _treatment_columns(encoder: FeatureEncoder) -> np.ndarray:
    """Indices of the encoded columns but the first level column of each factor feature."""
    keep: list[int] = []
    start = 0
    for name in encoder.feature_names:
        is_factor = encoder.feature_types[name] == "factor"
        width = len(encoder.levels[name]) if is_factor else 1
        keep.extend(range(start + is_factor, start + width))
        start += width
    return np.asarray(keep, dtype=np.intp)


class _LearnerDiscriminant(LearnerClassifSklearn):
    """A discriminant analysis: factor features in treatment coding (see the module)."""

    def _fit_data(self, task: TaskSupervised) -> tuple[np.ndarray, FeatureEncoder, dict[str, Any]]:
        x, encoder, fit_kwargs = super()._fit_data(task)
        return x[:, _treatment_columns(encoder)], encoder, fit_kwargs

    def _predict_data(self, task: TaskSupervised) -> tuple[Any, np.ndarray]:
        estimator, x = super()._predict_data(task)
        return estimator, x[:, _treatment_columns(self.model.encoder)]


class LearnerClassifLDA(_LearnerDiscriminant):
    """Linear discriminant analysis, ``classif.lda``: ``LinearDiscriminantAnalysis``.

    Main parameters: ``solver`` ({"svd", "lsqr", "eigen"}, default "svd"),
    ``shrinkage`` (None, "auto" or a float in [0, 1]; not with "svd"),
    ``priors``, ``tol``, ``covariance_estimator``.
    Properties: twoclass, multiclass. Predict types: response, prob.
    """

    def __init__(self) -> None:
        super().__init__(
            LinearDiscriminantAnalysis(), "classif.lda", label="Linear Discriminant Analysis"
        )


class LearnerClassifQDA(_LearnerDiscriminant):
    """Quadratic discriminant analysis, ``classif.qda``: ``QuadraticDiscriminantAnalysis``.

    Main parameters: ``reg_param`` (default 0.0: shrinkage of the class
    covariances towards the identity), ``priors``, ``tol``.
    Properties: twoclass, multiclass. Predict types: response, prob.
    """

    def __init__(self) -> None:
        super().__init__(
            QuadraticDiscriminantAnalysis(), "classif.qda",
            label="Quadratic Discriminant Analysis",
        )
