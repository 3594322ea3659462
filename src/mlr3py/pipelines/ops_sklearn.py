"""Numeric transformations: ``scale``, ``center``, ``pca`` and any scikit-learn transformer.

All of them learn from the training rows only (means, deviations, components)
and apply that to new rows. Missing values stay missing in ``scale`` and
``center`` (their statistics ignore them); ``pca`` and wrapped transformers need
complete data (impute first) unless the transformer accepts NaN.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.utils.extmath import svd_flip

from mlr3py.errors import InputError
from mlr3py.learners._sklearn_params import derive_param_set
from mlr3py.params import p_int, p_lgl, ps
from mlr3py.pipelines._preproc import PipeOpTaskPreproc
from mlr3py.tasks import Task

__all__ = ["PipeOpPCA", "PipeOpScale", "PipeOpSklearn", "is_sklearn_transformer"]

_NUMERIC = ("numeric", "integer")


def is_sklearn_transformer(obj: Any) -> bool:
    """Whether ``obj`` is an (unfitted) scikit-learn transformer."""
    return isinstance(obj, BaseEstimator) and hasattr(obj, "transform") and hasattr(obj, "fit")


def _matrix(frame: pd.DataFrame) -> np.ndarray:
    return frame.to_numpy(dtype=np.float64, na_value=np.nan)


class PipeOpScale(PipeOpTaskPreproc):
    """Centre and scale numeric features (``po("scale")``).

    Parameters ``center`` (subtract the mean, default True), ``scale`` (divide by
    the standard deviation, default True) and ``robust`` (median and median
    absolute deviation, scaled by 1.4826 as R's ``mad()``, instead; default False).
    The mean and standard deviation are scikit-learn's ``StandardScaler``'s: the
    deviation divides by n, where R's ``scale()`` divides by n - 1, so that a
    pipeline gives exactly scikit-learn's results. A feature without spread is
    divided by 1; missing values stay missing. ``po("center")`` is ``scale`` with
    ``scale=False``.
    """

    matrix_hooks = True

    def __init__(self, id: str = "scale") -> None:  # noqa: A002
        params = ps(center=p_lgl(init=True, tags="train"), scale=p_lgl(init=True, tags="train"),
                    robust=p_lgl(init=False, tags="train"))
        super().__init__(id, params, feature_types=_NUMERIC, packages=["scikit-learn"],
                         label="Center and Scale Numeric Features")

    def _fit_matrix(self, x: np.ndarray, task: Task) -> tuple[np.ndarray, np.ndarray]:
        values = self.param_set.values
        center, scale = values.get("center", True), values.get("scale", True)
        n = x.shape[1]
        if not values.get("robust", False):
            if not len(x):
                return np.zeros(n), np.ones(n)
            model = StandardScaler(with_mean=center, with_std=scale).fit(x)
            mean = model.mean_ if center else np.zeros(n)
            sd = model.scale_ if scale else np.ones(n)
            return np.nan_to_num(np.asarray(mean, dtype=float)), np.asarray(sd, dtype=float)
        median = np.nanmedian(x, axis=0) if len(x) else np.zeros(n)
        mad = np.nanmedian(np.abs(x - median), axis=0) * 1.4826 if len(x) else np.ones(n)
        mad = np.where(np.isfinite(mad) & (mad > 0), mad, 1.0)
        return (np.nan_to_num(median) if center else np.zeros(n)), (mad if scale else np.ones(n))

    def _transform_matrix(self, x: np.ndarray, fitted: tuple[np.ndarray, np.ndarray],
                          cols: list[str]) -> tuple[np.ndarray, list[str]]:
        center, scale = fitted
        x -= center  # x is this operator's own copy
        x /= scale
        return x, list(cols)


class PipeOpPCA(PipeOpTaskPreproc):
    """Principal components of the numeric features (``po("pca")``): columns ``PC1``, ``PC2``, ...

    Parameters ``center`` (default True), ``scale`` (divide by the standard
    deviation first, default False) and ``rank`` (number of components, default
    all). Uses scikit-learn's ``PCA``; when not centring, the singular value
    decomposition of the uncentred matrix (numpy), which gives all ``min(n, p)``
    components as R's ``prcomp(center = FALSE)``.
    """

    numeric_input = True

    def __init__(self, id: str = "pca") -> None:  # noqa: A002
        params = ps(center=p_lgl(init=True, tags="train"), scale=p_lgl(init=False, tags="train"),
                    rank=p_int(1, tags="train", special_vals=[None]))
        super().__init__(id, params, feature_types=_NUMERIC, packages=["scikit-learn"],
                         label="Principal Component Analysis")

    def _fit(self, frame: pd.DataFrame, task: Task) -> Any:
        x = _complete(self.id, frame)
        values = self.param_set.values
        sd = np.nanstd(x, axis=0, ddof=1) if values.get("scale") else np.ones(x.shape[1])
        sd = np.where(np.isfinite(sd) & (sd > 0), sd, 1.0)
        rank = values.get("rank")
        k = min(x.shape) if rank is None else min(rank, *x.shape)
        if values.get("center", True):
            model: Any = PCA(n_components=k, svd_solver="full").fit(x / sd)
        else:
            model = _uncentered_rotation(x / sd, k)
        return sd, model

    def _transform(self, frame: pd.DataFrame, fitted: Any) -> pd.DataFrame:
        sd, model = fitted
        x = _complete(self.id, frame) / sd
        out = x @ model if isinstance(model, np.ndarray) else model.transform(x)
        return pd.DataFrame(out, index=frame.index,
                            columns=[f"PC{i + 1}" for i in range(out.shape[1])])


def _uncentered_rotation(x: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` right singular vectors of ``x`` (columns): prcomp(center = FALSE)'s
    rotation, all ``min(n, p)`` components when ``k`` asks for them. Signs are made
    deterministic as scikit-learn's PCA does (``svd_flip``)."""
    if not len(x):
        return np.eye(x.shape[1])[:, :k]
    u, _, vt = np.linalg.svd(x, full_matrices=False)
    u, vt = svd_flip(u, vt, u_based_decision=False)
    return np.ascontiguousarray(vt[:k].T)


def _complete(op_id: str, frame: pd.DataFrame) -> np.ndarray:
    """The features as a float matrix; an :class:`InputError` if any value is missing."""
    x = _matrix(frame)
    if np.isnan(x).any():
        missing = [str(c) for c, bad in zip(frame.columns, np.isnan(x).any(axis=0),
                                            strict=True) if bad]
        raise InputError(
            f"PipeOp '{op_id}' needs complete features, but {missing} have missing values. "
            f"Impute them first, e.g. po('imputemedian') >> po('{op_id}')."
        )
    return x


class PipeOpSklearn(PipeOpTaskPreproc):
    """Any scikit-learn transformer on the numeric features (``po(StandardScaler())``).

    The parameters are the transformer's (derived from its constraints, as for
    learners). Output columns are named by ``get_feature_names_out`` when the
    transformer has it, else ``<id>.1``, ``<id>.2``, ...
    """

    numeric_input = True

    def __init__(self, estimator: BaseEstimator | None = None,
                 id: str | None = None) -> None:  # noqa: A002
        if estimator is None:  # a placeholder, so that the registry can list the operator
            from sklearn.preprocessing import StandardScaler

            estimator = StandardScaler()
        if not is_sklearn_transformer(estimator):
            raise TypeError(f"po() needs a scikit-learn transformer (with fit and transform). "
                            f"Got {type(estimator).__name__}.")
        self.estimator = clone(estimator)
        self._base_params = estimator.get_params(deep=False)
        super().__init__(id if id is not None else type(estimator).__name__.lower(),
                         derive_param_set(estimator), feature_types=_NUMERIC,
                         packages=["scikit-learn"], label=type(estimator).__name__)

    def _fit(self, frame: pd.DataFrame, task: Task) -> Any:
        values = {k: v for k, v in self.param_set.values.items() if k != "affect_columns"}
        model = clone(self.estimator).set_params(**values)
        try:
            model.fit(_matrix(frame))
        except ValueError as err:
            raise self._input_error(frame, err) from err
        return model

    def _input_error(self, frame: pd.DataFrame, err: Exception) -> InputError:
        missing = [str(c) for c in frame.columns if frame[c].isna().any()]
        hint = (f" Features {missing} have missing values: impute them first "
                f"(po('imputemedian') >> po({self.id!r}))." if missing else "")
        return InputError(f"PipeOp '{self.id}' ({type(self.estimator).__name__}) cannot use "
                          f"these features: {err}{hint}")

    def _transform(self, frame: pd.DataFrame, fitted: Any) -> pd.DataFrame:
        try:
            out = fitted.transform(_matrix(frame))
        except ValueError as err:
            raise self._input_error(frame, err) from err
        if hasattr(out, "toarray"):
            out = out.toarray()
        out = np.asarray(out, dtype=np.float64)
        names: list[str]
        try:
            names = [str(n) for n in fitted.get_feature_names_out(list(frame.columns))]
        except (AttributeError, ValueError, TypeError):
            names = []
        if len(names) != out.shape[1]:
            names = [f"{self.id}.{i + 1}" for i in range(out.shape[1])]
        return pd.DataFrame(out, index=frame.index, columns=names)
