"""Cost-sensitive classification: mlr3's ``classif.costs`` (``MeasureClassifCosts``)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.measures._simple import param_values
from mlr3py.measures._weighted import weighted_mean
from mlr3py.measures.base import MeasureClassif
from mlr3py.params import p_lgl, ps
from mlr3py.predictions import PredictionClassif

__all__ = ["COSTS_MEASURES", "MeasureClassifCosts"]

_ID = "classif.costs"


def _labels(values: Any) -> list[str]:
    return [str(v) for v in values]


def _check_costs(costs: Any) -> pd.DataFrame:
    """The cost matrix as floats with str labels, or a ConfigError saying what is wrong."""
    what = f"The costs of Measure '{_ID}'"
    shape = ("a pandas DataFrame with one row per predicted class and one column per true "
             "class, labelled by the class names")
    if not isinstance(costs, pd.DataFrame):
        raise ConfigError(f"{what} must be {shape}. Got {type(costs).__name__} instead.")
    rows, cols = _labels(costs.index), _labels(costs.columns)
    for name, labels in (("row", rows), ("column", cols)):
        dup = sorted({x for x in labels if labels.count(x) > 1})
        if dup:
            raise ConfigError(f"{what} must have unique {name} labels. Got {dup} twice.")
    if set(rows) != set(cols):
        raise ConfigError(
            f"{what} must have the same classes as row and column labels. Rows only: "
            f"{sorted(set(rows) - set(cols))}; columns only: {sorted(set(cols) - set(rows))}."
        )
    try:
        values = costs.to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{what} must be numeric. Got dtypes {list(costs.dtypes)}.") from exc
    if not np.isfinite(values).all():
        raise ConfigError(f"{what} must be finite numbers, without missing values.")
    return pd.DataFrame(values, index=rows, columns=cols)


class MeasureClassifCosts(MeasureClassif):
    """Costs of the predictions under a cost matrix (key ``classif.costs``).

    Parameters
    ----------
    costs : pandas.DataFrame, optional
        Cost of predicting the row's class when the column's class is true; row and
        column labels are the task's class names (any order). Also settable as
        ``measure.costs = df`` or ``msr("classif.costs", costs=df)``.

    Notes
    -----
    Parameter ``normalize`` (default ``True``): the mean cost per observation;
    with ``False`` the total cost. The range follows the costs: from 0 when no
    cost is negative, up to 0 when none is positive. With measure weights the
    (normalized) sum is weighted. NaN for an empty prediction or a missing truth
    or response. Without a cost matrix every error costs 1 (the classification
    error, with a warning).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlr3py import msr
    >>> costs = pd.DataFrame([[0, 5], [1, 0]], index=["bad", "good"], columns=["bad", "good"])
    >>> measure = msr("classif.costs", costs=costs)
    """

    def __init__(self, costs: pd.DataFrame | None = None) -> None:
        super().__init__(
            _ID,
            param_set=ps(normalize=p_lgl(default=True)),
            minimize=True,
            range=(-math.inf, math.inf),
            properties={"weights", "na_score"},
            label="Cost-sensitive Classification",
        )
        self._costs: pd.DataFrame | None = None
        if costs is not None:
            self.costs = costs

    @property
    def costs(self) -> pd.DataFrame | None:
        """The cost matrix: rows are predicted classes, columns true classes."""
        return None if self._costs is None else self._costs.copy()

    @costs.setter
    def costs(self, value: pd.DataFrame) -> None:
        self._costs = _check_costs(value)
        values = self._costs.to_numpy()
        self.range = (0.0 if values.min() >= 0 else -math.inf,
                      0.0 if values.max() <= 0 else math.inf)

    def _cost_matrix(self, class_names: list[str]) -> np.ndarray:
        """The costs ordered as ``class_names`` (rows: response, columns: truth)."""
        if self._costs is None:
            warnings.warn(
                f"Measure '{self.id}' has no cost matrix; every misclassification costs 1 "
                "(the classification error). Set measure.costs = <DataFrame>.",
                stacklevel=4,
            )
            return 1.0 - np.eye(len(class_names))
        labels = list(self._costs.columns)
        if set(labels) != set(class_names):
            raise ConfigError(
                f"The cost matrix of Measure '{self.id}' is labelled {labels}, but the "
                f"prediction's classes are {class_names}: classes without costs: "
                f"{[c for c in class_names if c not in labels]}; labels that are no class: "
                f"{[c for c in labels if c not in class_names]}. Give one row and one column "
                "per class of the task."
            )
        return self._costs.loc[class_names, class_names].to_numpy()

    def _observation_costs(self, prediction: Any) -> np.ndarray | None:
        assert isinstance(prediction, PredictionClassif)
        matrix = self._cost_matrix(prediction.class_names)
        truth, response = prediction.truth_codes, prediction.response_codes
        if truth.size == 0 or (truth < 0).any() or (response < 0).any():
            return None
        return matrix[response, truth]

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        values = self._observation_costs(prediction)
        if values is None:
            return math.nan
        if param_values(self.param_set)["normalize"]:
            return float(np.mean(values))
        return float(np.sum(values))

    def _score_weighted(self, prediction: Any, weights: Any) -> float:
        """Weighted mean (``normalize``) or weighted sum of the observations' costs."""
        values = self._observation_costs(prediction)
        if values is None:
            return math.nan
        if param_values(self.param_set)["normalize"]:
            return weighted_mean(values, weights, self.id)
        return float(np.sum(np.asarray(weights, dtype=float) * values))


#: key -> constructor, for ``mlr_measures``.
COSTS_MEASURES: dict[str, Any] = {_ID: MeasureClassifCosts}
