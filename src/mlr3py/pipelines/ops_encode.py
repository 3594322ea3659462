"""Factor handling: ``encode`` (one-hot, treatment, Helmert, polynomial, sum, ordinal),
``encodeimpact``, ``fixfactors``.

New levels at prediction time (levels the training rows never had):

- ``encode``: a row of zeros (one-hot and treatment: no dummy set; Helmert,
  polynomial and sum contrasts: the mean of the levels' rows, since each of
  their columns sums to zero), ordinal a missing value;
- ``encodeimpact``: a missing value (or 0 with ``impute_zero=True``);
- ``fixfactors``: a missing value (the level is dropped), so that a learner
  after it never sees a level it was not trained with.

Missing values stay missing (one-hot rows of NaN). A task without factor
features passes through unchanged. The encoding is written here rather than
with scikit-learn's ``OneHotEncoder`` because it keeps mlr3's column names
(``<feature>.<level>``) and missing values as missing rows, which the
encoder's NaN category does not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py.params import p_dbl, p_fct, p_lgl, ps
from mlr3py.pipelines._contrasts import CONTRASTS
from mlr3py.pipelines._preproc import PipeOpTaskPreproc
from mlr3py.tasks import Task

__all__ = ["PipeOpEncode", "PipeOpEncodeImpact", "PipeOpFixFactors"]

_FACTOR = ("factor", "ordered")


def _levels(series: pd.Series) -> list[Any]:
    """The levels of the training values (categories in use, or sorted distinct values)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return list(series.cat.remove_unused_categories().cat.categories)
    return sorted(series.dropna().unique(), key=str)


def _codes(series: pd.Series, levels: list[Any]) -> np.ndarray:
    """Level codes; -1 for a missing value, -2 for a level not among ``levels``."""
    values = series.astype(object) if isinstance(series.dtype, pd.CategoricalDtype) else series
    codes = pd.Index(levels, dtype=object).get_indexer(values).astype(np.int64)
    return np.where(series.isna().to_numpy(), -1, np.where(codes < 0, -2, codes))


class PipeOpEncode(PipeOpTaskPreproc):
    """Encode factor features as numbers (``po("encode", method="one-hot")``).

    ``method`` (mlr3pipelines' ``PipeOpEncode``, R's contrast functions):

    - ``"one-hot"`` (default): one column per level, ``<feature>.<level>``;
    - ``"treatment"``: one column per level but the first, the reference level
      (``contr.treatment``), ``<feature>.<level>``;
    - ``"helmert"``: Helmert contrasts (``contr.helmert``: each level against the
      mean of the levels before it), ``<feature>.1`` ... ``<feature>.<k-1>``;
    - ``"poly"``: orthogonal polynomial contrasts in the level order
      (``contr.poly``: linear, quadratic, ...), named as Helmert's;
    - ``"sum"``: sum-to-zero contrasts (``contr.sum``: the last level is -1 in
      every column), named as Helmert's;
    - ``"ordinal"``: the level's position, 1-based, one column.

    The levels are those of the training rows, in the factor's level order.
    A feature with one level gets no columns (except ``"one-hot"`` and
    ``"ordinal"``).
    """

    def __init__(self, id: str = "encode") -> None:  # noqa: A002
        super().__init__(id, ps(method=p_fct([*CONTRASTS, "ordinal"], init="one-hot",
                                             tags="train")),
                         feature_types=_FACTOR, label="Factor Encoding")

    def _fit(self, frame: pd.DataFrame, task: Task) -> dict[str, Any]:
        return {"method": self.param_set.values.get("method", "one-hot"),
                "levels": {c: _levels(frame[c]) for c in frame.columns}}

    def _transform(self, frame: pd.DataFrame, fitted: dict[str, Any]) -> pd.DataFrame:
        method = fitted["method"]
        parts: dict[str, np.ndarray] = {}
        for col, levels in fitted["levels"].items():
            codes = _codes(frame[col], levels)
            if method == "ordinal":
                parts[col] = np.where(codes >= 0, codes + 1.0, np.nan)
                continue
            contrast, by_level = CONTRASTS[method]
            matrix = contrast(len(levels))
            # a new level (-2) gets a row of zeros, a missing value (-1) a row of NaN
            rows = np.vstack([matrix, np.zeros((1, matrix.shape[1])),
                              np.full((1, matrix.shape[1]), np.nan)])
            n = len(levels)
            values = rows[np.where(codes >= 0, codes, np.where(codes == -2, n, n + 1))]
            offset = n - matrix.shape[1]  # treatment drops the first level
            for j in range(matrix.shape[1]):
                name = levels[j + offset] if by_level else j + 1
                parts[f"{col}.{name}"] = np.ascontiguousarray(values[:, j])
        return pd.DataFrame(parts, index=frame.index)


class PipeOpEncodeImpact(PipeOpTaskPreproc):
    """Impact encoding of factor features (``po("encodeimpact")``).

    Regression: each level becomes the mean target of its training rows minus the
    overall mean (one column, same name). Classification: one column per class,
    ``<feature>.<class>``, holding the level's log-odds of the class minus the
    overall log-odds; ``smoothing`` (default 1e-4) keeps them finite.
    """

    def __init__(self, id: str = "encodeimpact") -> None:  # noqa: A002
        super().__init__(id, ps(smoothing=p_dbl(0, init=1e-4, tags="train"),
                                impute_zero=p_lgl(init=False, tags="train")),
                         feature_types=_FACTOR, label="Impact Encoding")

    def _fit(self, frame: pd.DataFrame, task: Task) -> dict[str, Any]:
        smoothing = self.param_set.values.get("smoothing", 1e-4)
        rows = frame.index.to_numpy()
        impacts: dict[str, dict[str, np.ndarray]] = {}
        truth = task.truth(rows)  # type: ignore[attr-defined]
        for col in frame.columns:
            levels = _levels(frame[col])
            codes = _codes(frame[col], levels)
            if task.task_type == "classif":
                y = np.asarray(pd.Categorical(truth).codes)
                classes = list(task.class_names)  # type: ignore[attr-defined]
                table: dict[str, np.ndarray] = {}
                for k, cls in enumerate(classes):
                    hit = (y == k).astype(float)
                    p_all = np.clip(hit.mean(), smoothing, 1 - smoothing)
                    vals = []
                    for i in range(len(levels)):
                        p = hit[codes == i].mean() if (codes == i).any() else p_all
                        p = np.clip(p, smoothing, 1 - smoothing)
                        vals.append(np.log(p / (1 - p)) - np.log(p_all / (1 - p_all)))
                    table[str(cls)] = np.asarray(vals)
                impacts[col] = {"levels": np.asarray(levels, dtype=object), **table}
            else:
                y = np.asarray(truth, dtype=float)
                mean = y.mean()
                vals = [y[codes == i].mean() - mean if (codes == i).any() else 0.0
                        for i in range(len(levels))]
                impacts[col] = {"levels": np.asarray(levels, dtype=object),
                                "": np.asarray(vals)}
        return {"impacts": impacts, "impute_zero": self.param_set.values.get("impute_zero", False)}

    def _transform(self, frame: pd.DataFrame, fitted: dict[str, Any]) -> pd.DataFrame:
        parts: dict[str, np.ndarray] = {}
        fill = 0.0 if fitted["impute_zero"] else np.nan
        for col, table in fitted["impacts"].items():
            levels = list(table["levels"])
            codes = _codes(frame[col], levels)
            for key, vals in table.items():
                if key == "levels":
                    continue
                out = np.where(codes >= 0, vals[np.maximum(codes, 0)] if len(vals) else fill,
                               fill)
                out[codes == -1] = np.nan
                parts[f"{col}.{key}" if key else col] = out.astype(np.float64)
        return pd.DataFrame(parts, index=frame.index)


class PipeOpFixFactors(PipeOpTaskPreproc):
    """Keep the factor levels of training at prediction time (``po("fixfactors")``).

    Levels unseen in training become missing values; ``droplevels`` (default
    True) first drops levels without training rows.
    """

    def __init__(self, id: str = "fixfactors") -> None:  # noqa: A002
        super().__init__(id, ps(droplevels=p_lgl(init=True, tags="train")),
                         feature_types=_FACTOR, label="Fix Factor Levels")

    def _fit(self, frame: pd.DataFrame, task: Task) -> dict[str, pd.CategoricalDtype]:
        drop = self.param_set.values.get("droplevels", True)
        out = {}
        for col in frame.columns:
            dtype = frame[col].dtype
            assert isinstance(dtype, pd.CategoricalDtype)
            levels = _levels(frame[col]) if drop else list(dtype.categories)
            out[col] = pd.CategoricalDtype(levels, ordered=dtype.ordered)
        return out

    def _transform(self, frame: pd.DataFrame,
                   fitted: dict[str, pd.CategoricalDtype]) -> pd.DataFrame:
        out = {}
        for col, dtype in fitted.items():
            values = frame[col].astype(object)
            out[col] = values.where(values.isin(list(dtype.categories))).astype(dtype)
        return pd.DataFrame(out, index=frame.index)
