"""Filters that score each feature on its own: ``variance``, ``anova``,
``kruskal_test``, ``correlation``, ``auc``.

Each is a thin layer over numpy, scipy or scikit-learn; none is hand-written
beyond choosing the statistic mlr3filters reports.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from mlr3py.filters._filter import Filter, mlr_filters
from mlr3py.params import p_fct, p_lgl, ps
from mlr3py.reflections import TASK_TYPES
from mlr3py.tasks import TaskSupervised

__all__ = ["FilterAUC", "FilterAnova", "FilterCorrelation", "FilterKruskalTest", "FilterVariance"]

_NUMERIC = ("integer", "numeric")


class FilterVariance(Filter):
    """Variance of each numeric feature (``variance``; mlr3filters' ``FilterVariance``).

    The sample variance (denominator ``n - 1``, as R's ``var()``), computed with
    numpy. Features of one value score 0; a feature with fewer than two values
    scores NaN (last).

    Parameters (``param_set``)
    --------------------------
    na_rm : bool, default True
        Ignore missing values (property ``"missings"``); with ``False`` a task with
        missing values in a numeric feature is refused.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> flt("variance").calculate(tsk("mtcars")).scores.index[:2].tolist()
    ['disp', 'hp']
    """

    def __init__(self) -> None:
        super().__init__(
            "variance",
            task_types=TASK_TYPES,
            feature_types=_NUMERIC,
            param_set=ps(na_rm=p_lgl(default=True, tags="train")),
            packages=("numpy",),
            label="Variance",
        )

    def _get_properties(self) -> tuple[str, ...]:
        return ("missings",) if self._values()["na_rm"] else ()

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        x = task.data_matrix()
        if self._values()["na_rm"]:
            n = np.sum(~np.isnan(x), axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.nansum(x, axis=0) / n
                out: np.ndarray = np.nansum((x - mean) ** 2, axis=0) / (n - 1)
            out[n < 2] = np.nan
            return out
        if x.shape[0] < 2:
            return np.full(x.shape[1], np.nan)
        return np.asarray(np.var(x, axis=0, ddof=1), dtype=float)


class FilterAnova(Filter):
    """ANOVA F-test of each numeric feature against the classes (``anova``).

    The score is ``-log10(p)`` of the one-way ANOVA F-test, as in mlr3filters'
    ``FilterAnova``: scikit-learn's ``f_classif`` gives the F statistics and scipy's
    F distribution (``scipy.stats.f.logsf``) the p-values on the log scale, so that
    very small p-values keep distinct, finite scores. A constant feature scores NaN.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> flt("anova").calculate(tsk("sonar")).scores.index[0]
    'V11'
    """

    def __init__(self) -> None:
        super().__init__(
            "anova",
            task_types=("classif",),
            feature_types=_NUMERIC,
            packages=("scikit-learn", "scipy"),
            label="ANOVA F-Test",
        )

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        from scipy.stats import f as f_dist
        from sklearn.feature_selection import f_classif

        x = task.data_matrix()
        codes = np.asarray(task.truth().codes)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # constant features: NaN, scored NaN here
            stat, _ = f_classif(x, codes)
        n_classes = len(np.unique(codes))
        df_between, df_within = n_classes - 1, len(codes) - n_classes
        if df_between < 1 or df_within < 1:
            return np.full(x.shape[1], np.nan)
        return np.asarray(-f_dist.logsf(stat, df_between, df_within) / math.log(10), dtype=float)


class FilterKruskalTest(Filter):
    """Kruskal-Wallis rank sum test of each numeric feature against the classes
    (``kruskal_test``; mlr3filters' ``FilterKruskalTest``).

    The score is ``-log10(p)`` of the test, as in mlr3filters: scipy's
    ``scipy.stats.kruskal`` gives the H statistic (corrected for ties, as R's
    ``kruskal.test``), and the chi-squared distribution with ``k - 1`` degrees of
    freedom (``scipy.stats.chi2.logsf``) the p-value on the log scale; a p-value too
    small for a float (below about 1e-300) scores inf, as R's ``-log10(0)``. Rows with
    a missing value are left
    out feature by feature (R's ``na.omit``); a constant feature, or one left with a
    single class, scores NaN.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> flt("kruskal_test").calculate(tsk("sonar")).scores.index[0]
    'V11'
    """

    def __init__(self) -> None:
        super().__init__(
            "kruskal_test",
            task_types=("classif",),
            feature_types=_NUMERIC,
            properties=("missings",),
            packages=("scipy",),
            label="Kruskal-Wallis Test",
        )

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        from scipy.stats import chi2, kruskal

        x = task.data_matrix()
        codes = np.asarray(task.truth().codes)
        out = np.full(x.shape[1], np.nan)
        for j in range(x.shape[1]):
            keep = ~np.isnan(x[:, j]) & (codes >= 0)
            groups = [x[keep & (codes == k), j] for k in np.unique(codes[keep])]
            if len(groups) < 2 or np.ptp(x[keep, j]) == 0:
                continue  # one class or one value: no test (R gives NaN)
            statistic = float(kruskal(*groups).statistic)
            out[j] = -float(chi2.logsf(statistic, len(groups) - 1)) / math.log(10)
        return out


class FilterCorrelation(Filter):
    """Absolute correlation of each numeric feature with a numeric target
    (``correlation``; mlr3filters' ``FilterCorrelation``).

    Pearson's r (``scipy.stats.pearsonr``), Spearman's rho (Pearson's r of the
    ranks, ``scipy.stats.rankdata``) or Kendall's tau (``scipy.stats.kendalltau``).
    Rows with a missing value are left out feature by feature (R's
    ``use = "pairwise.complete.obs"``). A constant feature scores NaN.

    Parameters (``param_set``)
    --------------------------
    method : {"pearson", "spearman", "kendall"}, default "pearson"

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> flt("correlation").calculate(tsk("mtcars")).scores.index[0]
    'wt'
    """

    def __init__(self) -> None:
        super().__init__(
            "correlation",
            task_types=("regr",),
            feature_types=_NUMERIC,
            param_set=ps(method=p_fct(["pearson", "spearman", "kendall"], default="pearson",
                                      tags="train")),
            properties=("missings",),
            packages=("scipy",),
            label="Correlation",
        )

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        from scipy import stats

        method = self._values()["method"]
        x, y = task.data_matrix(), np.asarray(task.truth(), dtype=np.float64)
        out = np.full(x.shape[1], np.nan)
        for j in range(x.shape[1]):
            keep = ~np.isnan(x[:, j])
            xj, yj = x[keep, j], y[keep]
            if len(xj) < 2 or np.ptp(xj) == 0 or np.ptp(yj) == 0:
                continue
            if method == "kendall":
                out[j] = stats.kendalltau(xj, yj).statistic
                continue
            if method == "spearman":
                xj, yj = stats.rankdata(xj), stats.rankdata(yj)
            out[j] = stats.pearsonr(xj, yj).statistic
        return np.abs(out)


class FilterAUC(Filter):
    """Area under the ROC curve of each numeric feature as a score for the positive
    class (``auc``; mlr3filters' ``FilterAUC``).

    scikit-learn's ``roc_auc_score`` per feature; the score is ``|auc - 0.5|`` as in
    mlr3filters, so a feature that separates the classes scores high whichever
    direction it points. Rows with a missing value are left out feature by feature;
    a feature left with one class scores 0.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> flt("auc").calculate(tsk("sonar")).scores.index[0]
    'V11'
    """

    def __init__(self) -> None:
        super().__init__(
            "auc",
            task_types=("classif",),
            feature_types=_NUMERIC,
            properties=("missings",),
            task_properties=("twoclass",),
            packages=("scikit-learn",),
            label="Area Under the ROC Curve Score",
        )

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        from sklearn.metrics import roc_auc_score

        positive = getattr(task, "positive", None)
        truth = np.asarray(task.truth()) == positive
        x = task.data_matrix()
        out = np.zeros(x.shape[1])
        for j in range(x.shape[1]):
            keep = ~np.isnan(x[:, j])
            yj = truth[keep]
            if yj.all() or not yj.any():
                continue  # one class left: AUC 0.5
            out[j] = abs(float(roc_auc_score(yj, x[keep, j])) - 0.5)
        return out


mlr_filters.add("variance", FilterVariance)
mlr_filters.add("anova", FilterAnova)
mlr_filters.add("kruskal_test", FilterKruskalTest)
mlr_filters.add("correlation", FilterCorrelation)
mlr_filters.add("auc", FilterAUC)
