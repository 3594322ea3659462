"""Score functions behind the built-in measures (definitions of mlr3measures).

Classification functions take integer codes (``-1`` never reaches them: callers
return NaN for missing values first); the positive class of binary measures is
code ``0`` (the first class name). Undefined values are ``NaN``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.stats import kendalltau, spearmanr
from sklearn.metrics import roc_auc_score

TOL = math.sqrt(np.finfo(float).eps)


def div(num: float, den: float) -> float:
    """``num / den``, or NaN when ``|den| < TOL`` (mlr3measures' ``div``)."""
    return math.nan if abs(den) < TOL else float(num) / float(den)


def binary_counts(truth: np.ndarray, response: np.ndarray) -> tuple[int, int, int, int]:
    """``(tp, fp, tn, fn)`` with class code 0 as the positive class."""
    pos_r = response == 0
    pos_t = truth == 0
    tp = int(np.count_nonzero(pos_r & pos_t))
    fp = int(np.count_nonzero(pos_r & ~pos_t))
    fn = int(np.count_nonzero(~pos_r & pos_t))
    tn = int(truth.size - tp - fp - fn)
    return tp, fp, tn, fn


def confusion_matrix(truth: np.ndarray, response: np.ndarray, k: int) -> np.ndarray:
    """``k x k`` counts, rows = response, columns = truth."""
    flat = response.astype(np.int64) * k + truth
    return np.bincount(flat, minlength=k * k).reshape(k, k).astype(float)


# -- response based -------------------------------------------------------------------
# count_nonzero / size rather than np.mean: the same value, without np.mean's Python
# overhead, which dominates on the small test sets of many-iteration benchmarks
def ce(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    return np.count_nonzero(truth != response) / truth.size if truth.size else math.nan


def acc(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    return np.count_nonzero(truth == response) / truth.size if truth.size else math.nan


def bacc(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    recalls = [np.mean(response[truth == c] == c) for c in range(k) if np.any(truth == c)]
    return float(np.mean(recalls))


def mcc(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    m = confusion_matrix(truth, response, k)
    n = m.sum()
    correct = np.trace(m)
    pk = m.sum(axis=1)
    tk = m.sum(axis=0)
    nomin = correct * n - float(np.sum(pk * tk))
    denom = math.sqrt((n**2 - float(np.sum(pk**2))) * (n**2 - float(np.sum(tk**2))))
    return nomin if denom == 0 else nomin / denom


def ppv(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    tp, fp, _, _ = binary_counts(truth, response)
    return div(tp, tp + fp)


def tpr(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    tp, _, _, fn = binary_counts(truth, response)
    return div(tp, tp + fn)


def tnr(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    _, fp, tn, _ = binary_counts(truth, response)
    return div(tn, tn + fp)


def fpr(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    _, fp, tn, _ = binary_counts(truth, response)
    return div(fp, fp + tn)


def fnr(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    tp, _, _, fn = binary_counts(truth, response)
    return div(fn, fn + tp)


def npv(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    _, _, tn, fn = binary_counts(truth, response)
    return div(tn, tn + fn)


def dor(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    """Diagnostic odds ratio ``(tp * tn) / (fp * fn)``."""
    tp, fp, tn, fn = binary_counts(truth, response)
    return div(tp * tn, fp * fn)


def fdr(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    """False discovery rate ``fp / (tp + fp)``."""
    tp, fp, _, _ = binary_counts(truth, response)
    return div(fp, tp + fp)


def fomr(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    """False omission rate ``fn / (tn + fn)``."""
    _, _, tn, fn = binary_counts(truth, response)
    return div(fn, tn + fn)


def fbeta(truth: np.ndarray, response: np.ndarray, k: int, beta: float = 1.0) -> float:
    tp, fp, _, fn = binary_counts(truth, response)
    if tp == 0 or tp + fp == 0 or tp + fn == 0:
        return math.nan
    p = tp / (tp + fp)
    r = tp / (tp + fn)
    return (1 + beta**2) * p * r / (beta**2 * p + r)


def tp(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    return float(binary_counts(truth, response)[0])


def fp(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    return float(binary_counts(truth, response)[1])


def tn(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    return float(binary_counts(truth, response)[2])


def fn(truth: np.ndarray, response: np.ndarray, k: int) -> float:
    return float(binary_counts(truth, response)[3])


# -- probability based ----------------------------------------------------------------
def auc(truth: np.ndarray, prob: np.ndarray) -> float:
    pos = truth == 0
    if pos.all() or not pos.any():
        return math.nan
    return float(roc_auc_score(pos, prob[:, 0]))


def prauc(truth: np.ndarray, prob: np.ndarray) -> float:
    """Area under the precision-recall curve: PRROC's ``auc.integral``.

    Interpolates between the points of the PR curve (one per distinct score)
    as Davis & Goadrich do, and integrates that curve exactly.
    """
    pos = (truth == 0).astype(float)
    n_pos = pos.sum()
    if n_pos == 0 or n_pos == pos.size:
        return math.nan
    scores = prob[:, 0]
    order = np.argsort(-scores, kind="stable")
    scores = scores[order]
    cum_pos = np.cumsum(pos[order])
    cum_neg = np.cumsum(1.0 - pos[order])
    last = np.append(scores[:-1] != scores[1:], True)  # last row of each tie block
    tp_, fp_ = cum_pos[last], cum_neg[last]
    tp_prev = np.concatenate([[0.0], tp_[:-1]])
    fp_prev = np.concatenate([[0.0], fp_[:-1]])
    flat = tp_ == tp_prev
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(flat, 1.0, (fp_ - fp_prev) / (tp_ - tp_prev))
        a = 1.0 + h
        b = np.where(flat, 0.0, (fp_prev - h * tp_prev) / n_pos)
        step = tp_ / n_pos - tp_prev / n_pos
        v = (step - b / a * (np.log(a * tp_ / n_pos + b) - np.log(a * tp_prev / n_pos + b))) / a
    v = np.where(b == 0, step / a, v)
    return float(np.sum(v))


def logloss(truth: np.ndarray, prob: np.ndarray, eps: float = 1e-15) -> float:
    p = prob[np.arange(truth.size), truth]
    p = np.clip(p, eps, 1.0 - eps)
    return float(-np.mean(np.log(p)))


def bbrier(truth: np.ndarray, prob: np.ndarray) -> float:
    return float(np.mean(((truth == 0).astype(float) - prob[:, 0]) ** 2))


def mbrier(truth: np.ndarray, prob: np.ndarray) -> float:
    onehot = np.zeros_like(prob)
    onehot[np.arange(truth.size), truth] = 1.0
    return float(np.mean(np.sum((onehot - prob) ** 2, axis=1)))


# -- regression -------------------------------------------------------------------------
#: Errors are summed in blocks of this many rows: the temporaries of a test set of
#: 10,000,000 rows would be 80 MB each, a block's are 512 KiB.
ERROR_BLOCK = 1 << 16


def _summed_errors(truth: np.ndarray, response: np.ndarray,
                   transform: Callable[[np.ndarray], np.ndarray]) -> float:
    """``sum(transform(truth - response))``, block by block (``transform`` may work in
    place on the block's differences)."""
    total = 0.0
    for start in range(0, len(truth), ERROR_BLOCK):
        stop = start + ERROR_BLOCK
        total += float(np.sum(transform(truth[start:stop] - response[start:stop])))
    return total


def _squared(d: np.ndarray) -> np.ndarray:
    return np.square(d, out=d)


def _absolute(d: np.ndarray) -> np.ndarray:
    return np.abs(d, out=d)


def mse(truth: np.ndarray, response: np.ndarray) -> float:
    if len(truth) == 0:
        return math.nan
    return _summed_errors(truth, response, _squared) / len(truth)


def rmse(truth: np.ndarray, response: np.ndarray) -> float:
    return math.sqrt(mse(truth, response))


def sse(truth: np.ndarray, response: np.ndarray) -> float:
    return _summed_errors(truth, response, _squared)


def mae(truth: np.ndarray, response: np.ndarray) -> float:
    if len(truth) == 0:
        return math.nan
    return _summed_errors(truth, response, _absolute) / len(truth)


def medae(truth: np.ndarray, response: np.ndarray) -> float:
    return float(np.median(np.abs(truth - response)))


def maxae(truth: np.ndarray, response: np.ndarray) -> float:
    return float(np.max(np.abs(truth - response)))


def mape(truth: np.ndarray, response: np.ndarray) -> float:
    if np.any(np.abs(truth) < TOL):
        return math.nan
    return float(np.mean(np.abs((truth - response) / truth)))


def msle(truth: np.ndarray, response: np.ndarray) -> float:
    # mlr3measures: undefined if any value is <= -1 (log1p would be -Inf or NaN)
    if min(truth.min(), response.min()) <= -1:
        return math.nan
    return float(np.mean((np.log1p(truth) - np.log1p(response)) ** 2))


def rmsle(truth: np.ndarray, response: np.ndarray) -> float:
    return math.sqrt(msle(truth, response))


def medse(truth: np.ndarray, response: np.ndarray) -> float:
    return float(np.median((truth - response) ** 2))


def sae(truth: np.ndarray, response: np.ndarray) -> float:
    return float(np.sum(np.abs(truth - response)))


def smape(truth: np.ndarray, response: np.ndarray) -> float:
    """``2 * mean(|t - r| / (|t| + |r|))``; NaN when some ``|t| + |r|`` is (near) 0."""
    return float(np.mean(smape_loss(truth, response)))


def smape_loss(truth: np.ndarray, response: np.ndarray) -> np.ndarray:
    """``2 |t - r| / (|t| + |r|)`` per observation, NaN where the denominator is (near) 0."""
    denom = np.abs(truth) + np.abs(response)
    small = denom < TOL
    return np.where(small, np.nan, 2.0 * np.abs(truth - response) / np.where(small, 1.0, denom))


def pbias(truth: np.ndarray, response: np.ndarray) -> float:
    """Percent bias ``mean((r - t) / |t|)``; NaN when some truth is (near) 0."""
    if np.any(np.abs(truth) < TOL):
        return math.nan
    return float(np.mean((response - truth) / np.abs(truth)))


def rae(truth: np.ndarray, response: np.ndarray) -> float:
    """Relative absolute error: ``sum|t - r| / sum|t - mean(t)|``."""
    return div(sae(truth, response), float(np.sum(np.abs(truth - np.mean(truth)))))


def rse(truth: np.ndarray, response: np.ndarray) -> float:
    """Relative squared error ``SSE / SST``; NaN when the truth's variance is (near) 0."""
    if truth.size < 2 or float(np.var(truth, ddof=1)) < TOL:
        return math.nan
    return sse(truth, response) / float(np.sum((truth - np.mean(truth)) ** 2))


def rrse(truth: np.ndarray, response: np.ndarray) -> float:
    """Root relative squared error, ``sqrt(rse)``."""
    return math.sqrt(rse(truth, response))


def pinball(truth: np.ndarray, response: np.ndarray, alpha: float = 0.5) -> float:
    """Mean pinball (quantile) loss of ``response`` as the ``alpha`` quantile."""
    return float(np.mean(pinball_loss(truth, response, alpha)))


def pinball_loss(truth: np.ndarray, response: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """Per-observation pinball loss: ``alpha * d`` for ``d = t - r >= 0``, else ``(alpha - 1) * d``.

    ``alpha`` in [0, 1] is the quantile ``response`` estimates.
    """
    diff = truth - response
    return np.where(diff >= 0, alpha * diff, (alpha - 1.0) * diff)


def _rank_correlation(method: Callable[..., Any], truth: np.ndarray, response: np.ndarray) -> float:
    # R's cor() is NA for fewer than two values or a constant vector; scipy warns and gives nan
    if truth.size < 2 or np.ptp(truth) == 0 or np.ptp(response) == 0:
        return math.nan
    return float(method(truth, response)[0])


def srho(truth: np.ndarray, response: np.ndarray) -> float:
    """Spearman's rank correlation (``scipy.stats.spearmanr``)."""
    return _rank_correlation(spearmanr, truth, response)


def ktau(truth: np.ndarray, response: np.ndarray) -> float:
    """Kendall's tau-b, as R's ``cor(method = "kendall")`` (``scipy.stats.kendalltau``)."""
    return _rank_correlation(kendalltau, truth, response)


def bias(truth: np.ndarray, response: np.ndarray) -> float:
    return float(np.mean(response - truth))


def rsq(truth: np.ndarray, response: np.ndarray, mean: float | None = None) -> float:
    """``1 - SSE / SST``; SST around ``mean`` (default: the mean of ``truth``)."""
    center = float(np.mean(truth)) if mean is None else mean
    sst = float(np.sum((truth - center) ** 2))
    if truth.size < 2 or sst / (truth.size - 1) < TOL:
        return math.nan
    return 1.0 - sse(truth, response) / sst
