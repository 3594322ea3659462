"""Random imputation: ``imputesample`` (observed values) and ``imputehist`` (a histogram).

Both replace a missing value by a random draw from what the training rows hold.
The draws are reproducible and do not depend on which other rows are imputed
with a row: training draws one seed from the job's random stream
(:func:`mlr3py._rng.job_random_state`, seeded per job by the job runner), and
the draw for a missing cell is a function of that seed, the column's name and
the row id (a counter-based generator, :func:`row_uniform`). So the same seed
gives the same imputed task under every plan, predicting a row twice gives the
same value, and a test row's value does not depend on the rows predicted with
it, while different rows get independent draws.

A feature without any training value gets 0 (numeric), a draw from its levels
(factor) or from ``True`` / ``False`` (logical).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlr3py._rng import job_random_state
from mlr3py.pipelines._preproc import PipeOpTaskPreproc
from mlr3py.tasks import Task

__all__ = [
    "Histogram",
    "PipeOpImputeHist",
    "PipeOpImputeSample",
    "RandomImputeState",
    "fill_positions",
    "row_uniform",
]

_MAX_SEED = 2**63 - 1
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a bijection of uint64 that scrambles every bit."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def row_uniform(seed: int, key: str, row_ids: np.ndarray) -> np.ndarray:
    """Uniform draws in [0, 1), one per row id, fixed by ``(seed, key, row id)``.

    SplitMix64 (Steele, Lea and Flood 2014) applied to the counter
    ``row id + stream``, where the stream mixes ``seed`` and ``key``. numpy's
    generators draw sequences, not a value per key, so this counter-based form is
    written out (vectorised, a few operations per row).

    Parameters
    ----------
    seed : int
        A non-negative seed (drawn once in training).
    key : str
        The stream's name (a column, and what is drawn for it).
    row_ids : numpy.ndarray
        Integer row ids.

    Returns
    -------
    numpy.ndarray
        float64 values in [0, 1).
    """
    with np.errstate(over="ignore"):
        stream = _mix(np.array([seed ^ zlib.crc32(key.encode())], dtype=np.uint64)
                      * _GOLDEN)
        z = _mix(np.asarray(row_ids).astype(np.uint64) * _GOLDEN + stream)
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


@dataclass(frozen=True)
class RandomImputeState:
    """What a random imputer learnt.

    Attributes
    ----------
    seed : int
        The seed of the draws (from the job's random stream at training).
    models : dict
        Feature name -> what to draw from (observed values, or histogram counts
        and breaks).
    """

    seed: int
    models: dict[str, Any]


def fill_positions(series: pd.Series, mask: np.ndarray, drawn: Any) -> pd.Series:
    """``series`` with the positions ``mask`` set to ``drawn``."""
    out = series.copy()
    if isinstance(out.dtype, pd.CategoricalDtype):
        new = [v for v in pd.unique(np.asarray(drawn, dtype=object))
               if v not in set(out.cat.categories)]
        if new:  # a training level the rows at hand do not have in their dtype
            out = out.cat.add_categories(new)
    if pd.api.types.is_integer_dtype(out.dtype) and not pd.api.types.is_extension_array_dtype(
            out.dtype):
        out = out.astype(np.float64)
    if out.dtype == object or pd.api.types.is_bool_dtype(out.dtype):
        out = out.astype(object)
        out.iloc[np.flatnonzero(mask)] = list(drawn)
        return out.infer_objects()
    out.iloc[np.flatnonzero(mask)] = drawn
    return out


class _PipeOpImputeRandom(PipeOpTaskPreproc):
    """Base: ``_model(series)`` learns per feature, ``_draw(model, u, series)`` imputes."""

    imputes = True

    def _fit(self, frame: pd.DataFrame, task: Task) -> RandomImputeState:
        seed = int(job_random_state().randint(0, _MAX_SEED, dtype=np.int64))
        return RandomImputeState(seed, {c: self._model(frame[c]) for c in frame.columns})

    def _transform(self, frame: pd.DataFrame, fitted: RandomImputeState) -> pd.DataFrame:
        rows = frame.index.to_numpy()
        out = {}
        for col in frame.columns:
            series = frame[col]
            mask = series.isna().to_numpy()
            if not mask.any():
                out[col] = series
                continue
            drawn = self._draw(fitted.models[col], fitted.seed, col, rows[mask], series)
            out[col] = fill_positions(series, mask, drawn)
        return pd.DataFrame(out, index=frame.index)

    def _model(self, series: pd.Series) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement _model(series).")

    def _draw(self, model: Any, seed: int, col: str, rows: np.ndarray,
              series: pd.Series) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement _draw().")


@dataclass(frozen=True)
class Histogram:
    """A feature's training distribution: ``counts`` per bin.

    ``breaks`` are the bins' edges (``len(counts) + 1`` numbers) of a histogram, or
    the values themselves (``len(counts)``) of a table of observed values.
    """

    counts: np.ndarray
    breaks: np.ndarray


def _bins(counts: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The bin each uniform ``u`` falls in, bins drawn with chance proportional to ``counts``."""
    cum = np.cumsum(counts) / counts.sum()
    return np.minimum(np.searchsorted(cum, u, side="right"), len(counts) - 1)


def _fallback(series: pd.Series) -> np.ndarray:
    """What a feature without training values is drawn from."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return np.asarray(series.cat.categories, dtype=object)
    if pd.api.types.is_bool_dtype(series.dtype) or series.dtype == object:
        return np.array([True, False], dtype=object)
    return np.array([0.0])


class PipeOpImputeSample(_PipeOpImputeRandom):
    """Impute by drawing from the observed training values (``po("imputesample")``).

    Each missing value is one of the feature's training values, drawn with the
    value's share of the training rows as its chance. Works on
    numeric, integer, logical and factor features. See the module notes on how
    the draws are seeded.
    """

    def __init__(self, id: str = "imputesample") -> None:  # noqa: A002
        super().__init__(id, feature_types=("numeric", "integer", "logical", "factor", "ordered"),
                         label="Impute by Sampling")

    def _model(self, series: pd.Series) -> Histogram:
        observed = series.dropna()
        if observed.empty:
            values = _fallback(series)
            return Histogram(np.ones(len(values)), values)
        table = observed.value_counts(sort=False)  # values in order of appearance
        return Histogram(table.to_numpy(dtype=np.float64), table.index.to_numpy())

    def _draw(self, model: Histogram, seed: int, col: str, rows: np.ndarray,
              series: pd.Series) -> Any:
        return model.breaks[_bins(model.counts, row_uniform(seed, f"{col}/sample", rows))]


class PipeOpImputeHist(_PipeOpImputeRandom):
    """Impute numeric features from their training histogram (``po("imputehist")``).

    A bin is drawn with chance proportional to its training count, then a value
    uniformly inside it (mlr3pipelines' ``PipeOpImputeHist``); integer features
    get the value rounded. The bins are numpy's Sturges rule (R's ``hist()``
    default rule, with equal-width rather than "pretty" breaks).
    """

    def __init__(self, id: str = "imputehist") -> None:  # noqa: A002
        super().__init__(id, feature_types=("numeric", "integer"), label="Impute by Histogram")

    def _model(self, series: pd.Series) -> Histogram:
        x = series.to_numpy(dtype=np.float64, na_value=np.nan)
        x = x[np.isfinite(x)]
        if not len(x):
            return Histogram(np.array([1]), np.array([0.0, 0.0]))
        counts, breaks = np.histogram(x, bins="sturges")
        return Histogram(counts, breaks)

    def _draw(self, model: Histogram, seed: int, col: str, rows: np.ndarray,
              series: pd.Series) -> Any:
        which = _bins(model.counts, row_uniform(seed, f"{col}/bin", rows))
        lo, hi = model.breaks[which], model.breaks[which + 1]
        value = lo + row_uniform(seed, f"{col}/value", rows) * (hi - lo)
        if pd.api.types.is_integer_dtype(series.dtype):
            value = np.round(value)
        return value
