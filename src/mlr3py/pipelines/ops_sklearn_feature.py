"""Numeric feature transformations backed by scikit-learn, under mlr3pipelines' names
and parameters: ``yeojohnson`` and ``boxcox`` (``PowerTransformer``), ``quantilebin``
(``KBinsDiscretizer``), ``scalerange`` (``MinMaxScaler``), ``scalemaxabs``
(``MaxAbsScaler``), ``ica`` (``FastICA``) and ``kernelpca`` (``KernelPCA``).

Each learns from the training rows only and applies that to new rows. The
one-to-one transformations keep the feature names; ``ica`` and ``kernelpca`` give
new columns. ``po(transformer)`` wraps any other scikit-learn transformer
(:class:`~mlr3py.pipelines.PipeOpSklearn`).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.decomposition import FastICA, KernelPCA
from sklearn.preprocessing import KBinsDiscretizer, MaxAbsScaler, MinMaxScaler, PowerTransformer

from mlr3py._rng import job_random_state
from mlr3py.errors import ConfigError, InputError
from mlr3py.params import ParamSet, p_dbl, p_fct, p_int, p_lgl, ps
from mlr3py.pipelines._preproc import PipeOpTaskPreproc
from mlr3py.pipelines.ops_sklearn import _complete, _matrix
from mlr3py.tasks import Task

__all__ = ["PipeOpBoxCox", "PipeOpICA", "PipeOpKernelPCA", "PipeOpQuantileBin",
           "PipeOpScaleMaxAbs", "PipeOpScaleRange", "PipeOpYeoJohnson"]

_NUMERIC = ("numeric", "integer")


class _PipeOpSklearnFeature(PipeOpTaskPreproc):
    """A scikit-learn transformer on the numeric features: subclasses build it (``_make``)."""

    numeric_input = True
    #: Whether the transformer needs complete data (else missing values pass through).
    needs_complete: ClassVar[bool] = False
    #: The prefix of new column names (``PC`` -> ``PC1``, ``PC2``, ...); "" keeps the names.
    prefix: ClassVar[str] = ""

    def __init__(self, id: str, param_set: ParamSet, label: str) -> None:  # noqa: A002
        super().__init__(id, param_set, feature_types=_NUMERIC, packages=["scikit-learn"],
                         label=label)

    def _make(self, x: np.ndarray) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement _make().")

    def _x(self, frame: pd.DataFrame) -> np.ndarray:
        return _complete(self.id, frame) if self.needs_complete else _matrix(frame)

    def _fit(self, frame: pd.DataFrame, task: Task) -> Any:
        x = self._x(frame)
        model = self._make(x)
        try:
            model.fit(x)
        except ValueError as err:
            raise InputError(f"PipeOp '{self.id}' ({type(model).__name__}) cannot use the "
                             f"features {list(frame.columns)}: {err}") from err
        return model

    def _transform(self, frame: pd.DataFrame, fitted: Any) -> pd.DataFrame:
        try:
            out = np.asarray(fitted.transform(self._x(frame)), dtype=np.float64)
        except ValueError as err:
            raise InputError(f"PipeOp '{self.id}' ({type(fitted).__name__}) cannot transform "
                             f"the features {list(frame.columns)}: {err}") from err
        names = [f"{self.prefix}{i + 1}" for i in range(out.shape[1])] if self.prefix \
            else [str(c) for c in frame.columns]
        return pd.DataFrame(self._finish(out), index=frame.index, columns=names)

    def _finish(self, out: np.ndarray) -> Any:
        return out


class PipeOpYeoJohnson(_PipeOpSklearnFeature):
    """Yeo-Johnson transformation of numeric features (``po("yeojohnson")``).

    The power per feature is the maximum-likelihood one (scikit-learn's
    ``PowerTransformer(method="yeo-johnson")``); ``standardize`` (default True)
    then gives zero mean and unit variance. Missing values stay missing.
    """

    method = "yeo-johnson"

    def __init__(self, id: str = "yeojohnson") -> None:  # noqa: A002
        super().__init__(id, ps(standardize=p_lgl(init=True, tags="train")),
                         label="Yeo-Johnson Transformation")

    def _make(self, x: np.ndarray) -> Any:
        return PowerTransformer(method=self.method,
                                standardize=self.param_set.values.get("standardize", True))


class PipeOpBoxCox(PipeOpYeoJohnson):
    """Box-Cox transformation of strictly positive numeric features (``po("boxcox")``).

    As :class:`PipeOpYeoJohnson` with ``PowerTransformer(method="box-cox")``; a
    feature with a value <= 0 in training is an :class:`~mlr3py.errors.InputError`.
    """

    method = "box-cox"

    def __init__(self, id: str = "boxcox") -> None:  # noqa: A002
        super().__init__(id)
        self.label = "Box-Cox Transformation"

    def _fit(self, frame: pd.DataFrame, task: Task) -> Any:
        low = frame.min(skipna=True)
        bad = [str(c) for c in frame.columns if low[c] <= 0]
        if bad:
            raise InputError(f"PipeOp '{self.id}' needs strictly positive features, but {bad} "
                             "have values <= 0. Use po('yeojohnson') for them.")
        return super()._fit(frame, task)


class PipeOpQuantileBin(_PipeOpSklearnFeature):
    """Numeric features as their quantile bin 1, 2, ..., ``numsplits`` (``po("quantilebin")``).

    The bin edges are the training rows' quantiles (scikit-learn's
    ``KBinsDiscretizer(strategy="quantile")``); values outside the training range
    fall into the first or last bin. Needs complete features. The bins are
    integer features.
    """

    needs_complete = True

    def __init__(self, id: str = "quantilebin") -> None:  # noqa: A002
        super().__init__(id, ps(numsplits=p_int(2, init=2, tags="train")),
                         label="Split Numeric Features into Quantile Bins")

    def _make(self, x: np.ndarray) -> Any:
        return KBinsDiscretizer(n_bins=self.param_set.values.get("numsplits", 2),
                                encode="ordinal", strategy="quantile",
                                quantile_method="averaged_inverted_cdf")

    def _finish(self, out: np.ndarray) -> Any:
        return (out + 1).astype(np.int64)


class PipeOpScaleRange(_PipeOpSklearnFeature):
    """Linearly rescale numeric features to [``lower``, ``upper``] (``po("scalerange")``).

    The training rows' minimum goes to ``lower`` (default 0), their maximum to
    ``upper`` (default 1); scikit-learn's ``MinMaxScaler``. Missing values stay.
    """

    def __init__(self, id: str = "scalerange") -> None:  # noqa: A002
        super().__init__(id, ps(lower=p_dbl(init=0.0, tags="train"),
                                upper=p_dbl(init=1.0, tags="train")),
                         label="Linearly Transform Numeric Features to Match Given Boundaries")

    def _make(self, x: np.ndarray) -> Any:
        lower = float(self.param_set.values.get("lower", 0.0))
        upper = float(self.param_set.values.get("upper", 1.0))
        if not lower < upper:
            raise ConfigError(f"PipeOp '{self.id}' needs lower < upper. "
                              f"Got lower={lower}, upper={upper}.")
        return MinMaxScaler(feature_range=(lower, upper))


class PipeOpScaleMaxAbs(_PipeOpSklearnFeature):
    """Scale numeric features to a maximum absolute value of ``maxabs`` (``po("scalemaxabs")``).

    Each feature is divided by its largest absolute training value and multiplied
    by ``maxabs`` (default 1); scikit-learn's ``MaxAbsScaler``. Missing values stay.
    """

    def __init__(self, id: str = "scalemaxabs") -> None:  # noqa: A002
        super().__init__(id, ps(maxabs=p_dbl(0, init=1.0, tags="train")),
                         label="Scale Numeric Features with Respect to their Maximum Absolute")

    def _make(self, x: np.ndarray) -> Any:
        return MaxAbsScaler()

    def _finish(self, out: np.ndarray) -> Any:
        return out * float(self.param_set.values.get("maxabs", 1.0))


class PipeOpICA(_PipeOpSklearnFeature):
    """Independent components of the numeric features (``po("ica")``): columns ``IC1``, ...

    scikit-learn's ``FastICA`` with ``n_comp`` components (default: all),
    ``alg_typ`` (``"parallel"`` or ``"deflation"``), ``fun`` (``"logcosh"``, ``"exp"``,
    ``"cube"``) and ``maxit``; the starting point is drawn from the job's random
    stream. Needs complete features.
    """

    needs_complete = True
    prefix = "IC"

    def __init__(self, id: str = "ica") -> None:  # noqa: A002
        params = ps(n_comp=p_int(1, tags="train", special_vals=[None]),
                    alg_typ=p_fct(["parallel", "deflation"], init="parallel", tags="train"),
                    fun=p_fct(["logcosh", "exp", "cube"], init="logcosh", tags="train"),
                    maxit=p_int(1, init=200, tags="train"))
        super().__init__(id, params, label="Independent Component Analysis")

    def _make(self, x: np.ndarray) -> Any:
        v = self.param_set.values
        return FastICA(n_components=v.get("n_comp"), algorithm=v.get("alg_typ", "parallel"),
                       fun=v.get("fun", "logcosh"), max_iter=v.get("maxit", 200),
                       whiten="unit-variance",
                       random_state=int(job_random_state().randint(0, 2**31 - 1)))


class PipeOpKernelPCA(_PipeOpSklearnFeature):
    """Kernel principal components of the numeric features (``po("kernelpca")``): ``PC1``, ...

    scikit-learn's ``KernelPCA`` with ``kernel`` (default ``"rbf"``), ``gamma``,
    ``degree``, ``coef0`` and ``features`` components (default: all non-zero).
    Needs complete features.
    """

    needs_complete = True
    prefix = "PC"

    def __init__(self, id: str = "kernelpca") -> None:  # noqa: A002
        params = ps(kernel=p_fct(["linear", "poly", "rbf", "sigmoid", "cosine"], init="rbf",
                                 tags="train"),
                    gamma=p_dbl(0, tags="train", special_vals=[None]),
                    degree=p_int(1, init=3, tags="train"),
                    coef0=p_dbl(init=1.0, tags="train"),
                    features=p_int(1, tags="train", special_vals=[None]))
        super().__init__(id, params, label="Kernelized Principal Component Analysis")

    def _make(self, x: np.ndarray) -> Any:
        v = self.param_set.values
        return KernelPCA(n_components=v.get("features"), kernel=v.get("kernel", "rbf"),
                         gamma=v.get("gamma"), degree=v.get("degree", 3),
                         coef0=v.get("coef0", 1.0), eigen_solver="dense")
