"""Regression measures (mlr3's ``regr.*`` keys, definitions of mlr3measures)."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.measures import _functions as f
from mlr3py.measures._chunked import MeanLoss
from mlr3py.measures._simple import MeasureSpec, lookup_spec, param_values
from mlr3py.measures._weighted import WEIGHTED_REGR
from mlr3py.measures.base import MeasureRegr
from mlr3py.params import ParamSet, p_dbl, p_lgl, ps
from mlr3py.predictions import PredictionRegr

__all__ = ["REGR_SPECS", "MeasureRegrRSQ", "MeasureRegrSimple"]

_INF = math.inf
_POS = (0.0, _INF)
_REAL = (-_INF, _INF)


def _pinball_params() -> ParamSet:
    return ps(alpha=p_dbl(0, 1, default=0.5))


#: name -> spec of every table-driven regression measure.
REGR_SPECS: dict[str, MeasureSpec] = {
    "mse": MeasureSpec(f.mse, "Mean Squared Error", _POS, True),
    "rmse": MeasureSpec(f.rmse, "Root Mean Squared Error", _POS, True),
    "sse": MeasureSpec(f.sse, "Sum of Squared Errors", _POS, True),
    "mae": MeasureSpec(f.mae, "Mean Absolute Error", _POS, True),
    "medae": MeasureSpec(f.medae, "Median Absolute Error", _POS, True),
    "maxae": MeasureSpec(f.maxae, "Max Absolute Error", _POS, True),
    "mape": MeasureSpec(f.mape, "Mean Absolute Percent Error", _POS, True, na_score=True),
    "msle": MeasureSpec(f.msle, "Mean Squared Log Error", _POS, True, na_score=True),
    "rmsle": MeasureSpec(f.rmsle, "Root Mean Squared Log Error", _POS, True, na_score=True),
    "bias": MeasureSpec(f.bias, "Bias", _REAL, None),
    "medse": MeasureSpec(f.medse, "Median Squared Error", _POS, True),
    "sae": MeasureSpec(f.sae, "Sum of Absolute Errors", _POS, True),
    "smape": MeasureSpec(
        f.smape, "Symmetric Mean Absolute Percent Error", (0.0, 2.0), True, na_score=True
    ),
    "pbias": MeasureSpec(f.pbias, "Percent Bias", _REAL, None, na_score=True),
    "pinball": MeasureSpec(
        f.pinball, "Average Pinball Loss", _REAL, True, param_set=_pinball_params
    ),
    "srho": MeasureSpec(f.srho, "Spearman's rho", (-1.0, 1.0), False, na_score=True),
    "ktau": MeasureSpec(f.ktau, "Kendall's tau", (-1.0, 1.0), False, na_score=True),
    # deprecated in mlr3measures, kept for scripts that use them
    "rae": MeasureSpec(f.rae, "Relative Absolute Error", _POS, True, na_score=True),
    "rse": MeasureSpec(f.rse, "Relative Squared Error", _POS, True, na_score=True),
    "rrse": MeasureSpec(f.rrse, "Root Relative Squared Error", _POS, True, na_score=True),
}


def _valid(prediction: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Truth and response, or ``None`` when empty or anything is missing."""
    assert isinstance(prediction, PredictionRegr)
    truth, response = prediction.truth, prediction.response
    if truth.size == 0 or np.isnan(truth).any() or np.isnan(response).any():
        return None
    return truth, response


class MeasureRegrSimple(MeasureRegr):
    """A regression measure defined by a row of :data:`REGR_SPECS`.

    Parameters
    ----------
    name : str
        The measure's name without prefix, e.g. ``"mse"``; its id is ``"regr.mse"``.

    Notes
    -----
    The score is NaN when the prediction is empty or has missing values.
    """

    def __init__(self, name: str) -> None:
        spec = lookup_spec(REGR_SPECS, name, "regression")
        self.spec = spec
        super().__init__(
            f"regr.{name}",
            param_set=spec.param_set() if spec.param_set else None,
            predict_type=spec.predict_type,
            minimize=spec.minimize,
            range=spec.range,
            properties=({"na_score"} if spec.na_score else set())
            | ({"weights"} if name in WEIGHTED_REGR else set()),
            label=spec.label,
        )

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        data = _valid(prediction)
        if data is None:
            return math.nan
        return self.spec.fun(*data, **param_values(self.param_set))

    @property
    def mean_loss(self) -> MeanLoss | None:
        """Per-row losses of the measures with property ``weights`` (mse, rmse, mae, ...)."""
        return MeanLoss.of_table(self._losses, self.id.removeprefix("regr."), WEIGHTED_REGR)

    def _losses(self, prediction: Any) -> np.ndarray | None:
        data = _valid(prediction)
        if data is None:
            return None
        name = self.id.removeprefix("regr.")
        if name in ("msle", "rmsle") and min(data[0].min(), data[1].min()) <= -1:
            return None  # undefined, as f.msle says
        loss = WEIGHTED_REGR[name][0]
        return np.asarray(loss(*data, **param_values(self.param_set)), dtype=float)


class MeasureRegrRSQ(MeasureRegr):
    """R squared, ``1 - SSE / SST`` (key ``regr.rsq``).

    Parameter ``pred_set_mean`` (default ``True``): centre SST on the mean of the
    predicted set's truth; with ``False`` on the mean of the training set's target,
    which needs ``task`` and ``train_set``. NaN for (near) constant truth.
    """

    def __init__(self) -> None:
        super().__init__(
            "regr.rsq",
            param_set=ps(pred_set_mean=p_lgl(default=True)),
            minimize=False,
            range=(-_INF, 1.0),
            properties={"na_score"},
            label="R Squared",
        )

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        data = _valid(prediction)
        if data is None:
            return math.nan
        if param_values(self.param_set).get("pred_set_mean", True):
            return f.rsq(*data)
        if task is None or train_set is None:
            raise ConfigError(
                "Measure 'regr.rsq' with pred_set_mean=False requires the task and the "
                "train set; pass task=... and train_set=... to score()."
            )
        train_truth = np.asarray(task.truth(np.asarray(train_set)), dtype=float)
        return f.rsq(*data, mean=float(np.mean(train_truth)))


#: key -> constructor, for ``mlr_measures``.
REGR_MEASURES: dict[str, Any] = {
    **{f"regr.{name}": partial(MeasureRegrSimple, name) for name in REGR_SPECS},
    "regr.rsq": MeasureRegrRSQ,
}
