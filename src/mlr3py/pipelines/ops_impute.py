"""Imputation: ``imputemean``, ``imputemedian``, ``imputemode``, ``imputeconstant``,
``imputeoor`` and the indicator columns of ``missind``.

The values are learnt from the training rows and used for every later row. An
integer feature stays integer (``int64``) after imputation, whether its missing
values come in training or only at prediction (mean and median are rounded). A
factor level that appears only at prediction time is kept as it is (these
operators replace missing values only).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data import column_type
from mlr3py.params import p_dbl, p_fct, p_lgl, p_uty, ps
from mlr3py.pipelines._preproc import PipeOpTaskPreproc
from mlr3py.tasks import Task

__all__ = ["PipeOpImputeConstant", "PipeOpImputeMean", "PipeOpImputeMedian",
           "PipeOpImputeMode", "PipeOpImputeOOR", "PipeOpMissInd"]

_NUMERIC = ("numeric", "integer")
_FACTOR = ("factor", "ordered")
_MISSING_LEVEL = ".MISSING"


def _fits_int(series: pd.Series, value: Any) -> bool:
    """Whether ``series`` is an integer column and ``value`` a whole number to fill it with."""
    if not pd.api.types.is_integer_dtype(series.dtype) or isinstance(value, (bool, np.bool_)):
        return False
    return isinstance(value, (int, float, np.integer, np.floating)) and bool(
        np.isfinite(value) and float(value).is_integer())


def _as_int64(series: pd.Series) -> pd.Series:
    """An integer column without missing values as numpy ``int64`` (a nullable ``Int64``
    one too), so that an imputed integer feature has one dtype whether or not it had
    missing values."""
    return series if series.dtype == np.int64 or series.isna().any() \
        else series.astype(np.int64)


def _fill(frame: pd.DataFrame, values: dict[str, Any]) -> pd.DataFrame:
    """``frame`` with the missing values of each column replaced by ``values[col]``."""
    out = {}
    for col in frame.columns:
        series = frame[col]
        value = values.get(col)
        if value is not None and isinstance(series.dtype, pd.CategoricalDtype) \
                and value not in series.cat.categories:
            # the level exists from training on, so a learner after it knows it
            series = series.cat.add_categories([value])
        if value is None or not series.isna().any():
            out[col] = _as_int64(series) if value is not None and _fits_int(series, value) \
                else series
            continue
        if _fits_int(series, value):
            # an integer feature stays integer (int64), in training as at prediction
            out[col] = _as_int64(series.astype("Int64").fillna(int(value)))
            continue
        if pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
            series = series.astype(object)
        out[col] = series.fillna(value).infer_objects() if series.dtype == object \
            else series.fillna(value)
    return pd.DataFrame(out, index=frame.index)


class _PipeOpImpute(PipeOpTaskPreproc):
    """Base: ``_values(frame) -> column -> value``; columns without missing values are untouched."""

    imputes = True

    def _fit(self, frame: pd.DataFrame, task: Task) -> dict[str, Any]:
        return self._values(frame)

    def _values(self, frame: pd.DataFrame) -> dict[str, Any]:
        raise NotImplementedError(f"{type(self).__name__} must implement _values(frame).")

    def _transform(self, frame: pd.DataFrame, fitted: dict[str, Any]) -> pd.DataFrame:
        return _fill(frame, fitted)


def _numeric_stat(frame: pd.DataFrame, stat: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in frame.columns:
        values = frame[col].to_numpy(dtype=np.float64, na_value=np.nan)
        values = values[~np.isnan(values)]
        value = float(np.mean(values) if stat == "mean" else np.median(values)) \
            if len(values) else 0.0
        if pd.api.types.is_integer_dtype(frame[col].dtype):
            value = float(np.round(value))  # an integer feature stays whole
        out[col] = value
    return out


class PipeOpImputeMean(_PipeOpImpute):
    """Replace missing numeric values by the training mean (``po("imputemean")``).

    A feature without any training value gets 0.
    """

    def __init__(self, id: str = "imputemean") -> None:  # noqa: A002
        super().__init__(id, feature_types=_NUMERIC, label="Impute Numerics by their Mean")

    def _values(self, frame: pd.DataFrame) -> dict[str, Any]:
        return _numeric_stat(frame, "mean")


class PipeOpImputeMedian(_PipeOpImpute):
    """Replace missing numeric values by the training median (``po("imputemedian")``)."""

    def __init__(self, id: str = "imputemedian") -> None:  # noqa: A002
        super().__init__(id, feature_types=_NUMERIC, label="Impute Numerics by their Median")

    def _values(self, frame: pd.DataFrame) -> dict[str, Any]:
        return _numeric_stat(frame, "median")


class PipeOpImputeMode(_PipeOpImpute):
    """Replace missing values by the most frequent training value (``po("imputemode")``).

    Ties go to the value that comes first in sorted order.
    """

    def __init__(self, id: str = "imputemode") -> None:  # noqa: A002
        super().__init__(id, feature_types=(*_NUMERIC, *_FACTOR, "logical", "character"),
                         label="Impute by the Mode")

    def _values(self, frame: pd.DataFrame) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for col in frame.columns:
            mode = frame[col].mode(dropna=True)
            out[col] = mode.iloc[0] if len(mode) else None
        return out


class PipeOpImputeConstant(_PipeOpImpute):
    """Replace missing values by the parameter ``constant`` (``po("imputeconstant", constant=0)``).

    A constant that is not a level of a factor becomes a new level. A text
    constant (the default ``".MISSING"``) fills factor features, a number numeric
    ones; the other features are left as they are.
    """

    def __init__(self, id: str = "imputeconstant") -> None:  # noqa: A002
        super().__init__(id, ps(constant=p_uty(init=_MISSING_LEVEL, tags=("train", "required"))),
                         label="Impute by a Constant")

    def _values(self, frame: pd.DataFrame) -> dict[str, Any]:
        constant = self.param_set.values["constant"]
        text = isinstance(constant, str)
        out: dict[str, Any] = {}
        for col in frame.columns:
            dtype = frame[col].dtype
            textual = isinstance(dtype, pd.CategoricalDtype) or column_type(dtype) == "character"
            # a text constant fills factors, a number numeric columns; others are left as they are
            out[col] = constant if textual == text else None
        return out


class PipeOpImputeOOR(_PipeOpImpute):
    """Out-of-range imputation (``po("imputeoor")``), for tree learners.

    Numeric features get ``min - multiplier * (max - min)`` (or ``max + ...`` with
    ``min=False``), factors the new level ``".MISSING"``.
    """

    def __init__(self, id: str = "imputeoor") -> None:  # noqa: A002
        super().__init__(id, ps(min=p_lgl(init=True, tags="train"),
                                multiplier=p_dbl(0, init=1.0, tags="train")),
                         feature_types=(*_NUMERIC, *_FACTOR, "character"),
                         label="Out of Range Imputation")

    def _values(self, frame: pd.DataFrame) -> dict[str, Any]:
        values = self.param_set.values
        mult = values.get("multiplier", 1.0)
        out: dict[str, Any] = {}
        for col in frame.columns:
            series = frame[col]
            if isinstance(series.dtype, pd.CategoricalDtype) or series.dtype == object:
                out[col] = _MISSING_LEVEL
                continue
            x = series.to_numpy(dtype=np.float64, na_value=np.nan)
            x = x[~np.isnan(x)]
            lo, hi = (float(x.min()), float(x.max())) if len(x) else (0.0, 0.0)
            spread = max(hi - lo, 1.0) * mult
            value = lo - spread if values.get("min", True) else hi + spread
            out[col] = float(np.floor(value) if values.get("min", True) else np.ceil(value)) \
                if pd.api.types.is_integer_dtype(series.dtype) else value
        return out


class PipeOpMissInd(PipeOpTaskPreproc):
    """Indicator columns ``missing_<feature>`` for missing values (``po("missind")``).

    The features themselves stay. Parameter ``which``: ``"missing_train"`` (only
    features with missing values in training, default) or ``"all"``; ``type``:
    ``"factor"`` (levels ``"present"`` / ``"missing"``, default), ``"integer"``,
    ``"logical"`` or ``"numeric"``.
    """

    def __init__(self, id: str = "missind") -> None:  # noqa: A002
        super().__init__(id, ps(which=p_fct(["missing_train", "all"], init="missing_train",
                                            tags="train"),
                                type=p_fct(["factor", "integer", "logical", "numeric"],
                                           init="factor", tags="train")),
                         label="Add Missing Indicator Columns")

    def _train_task(self, task: Task) -> Task:
        cols = self.affected(task)
        if self.param_set.values.get("which") != "all" and cols:
            counts = task.missings(cols)
            cols = [c for c in cols if counts[c] > 0]
        self.state = {"cols": cols}
        return self._add(task, cols)

    def _predict_task(self, task: Task) -> Task:
        return self._add(task, self.state["cols"])

    def _add(self, task: Task, cols: list[str]) -> Task:
        if not cols:
            return task
        isna = task.data(cols=cols).isna()
        kind = self.param_set.values.get("type", "factor")
        out = {}
        for col in cols:
            flag = isna[col].to_numpy()
            if kind == "factor":
                out[f"missing_{col}"] = pd.Categorical(
                    np.where(flag, "missing", "present"), categories=["missing", "present"])
            elif kind == "logical":
                out[f"missing_{col}"] = flag
            else:
                out[f"missing_{col}"] = flag.astype(np.int64 if kind == "integer" else np.float64)
        frame = pd.DataFrame(out, index=isna.index)
        frame = frame[~frame.index.duplicated()]
        return task.cbind(frame)
