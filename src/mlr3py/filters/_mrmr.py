"""Minimum redundancy maximum relevance (``mrmr``): greedy selection, threads over features.

Hand-written with numpy: mlr3filters calls praznik (R, C code), and the maintained
Python packages either pull in heavy dependencies for a few lines of algebra
(``mrmr-selection``: pandas per step, category_encoders, process pools) or need
GPUs. The variant is ``mrmr-selection``'s default (FCQ: F-statistic relevance,
Pearson-correlation redundancy, their quotient), so that the two can be compared;
``benchmarks/filter_mrmr.py`` does.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import numpy as np

from mlr3py.filters._filter import Filter, mlr_filters
from mlr3py.params import p_fct, p_int, ps
from mlr3py.reflections import TASK_TYPES
from mlr3py.tasks import TaskSupervised

__all__ = ["FLOOR", "FilterMRMR", "mrmr_order"]

_GRAM_MAX = 4096
"""Most features for which the full correlation matrix is computed (128 MiB)."""

FLOOR = 0.001
"""Smallest redundancy (absolute correlation) a pair of features gets, as in
``mrmr-selection``: a feature uncorrelated with the selected ones is not divided by 0."""


class FilterMRMR(Filter):
    """Minimum redundancy maximum relevance (``mrmr``; mlr3filters' ``FilterMRMR``).

    Features are selected one at a time. The first is the most relevant; each next
    one maximises ``relevance / redundancy`` among the features not selected yet,
    where relevance is the F-statistic of the feature against the target (scikit-
    learn's ``f_classif`` or ``f_regression``) and redundancy the mean (or max) of its
    absolute Pearson correlations with the features selected so far, at least
    :data:`FLOOR`. This is the FCQ scheme and the default of the ``mrmr-selection``
    package, whose selection it reproduces; mlr3filters' praznik uses mutual
    information instead, so the selected features differ from R's.

    Scores follow mlr3filters: the ``k`` selected features score ``1, ..., 0`` evenly
    spaced in the order they were selected (``k = nfeat`` when given to
    :meth:`~Filter.calculate`, otherwise all features with positive relevance);
    features not selected (relevance 0, e.g. constant ones, or beyond ``nfeat``) score
    NaN and come last.

    Hand-written with numpy (see the module docstring). Correlations are dot
    products of standardised columns: when ``k`` is at least half the ``p`` features
    (and ``p <= 4096``) the whole correlation matrix is one matrix product
    (``O(n p^2)``), otherwise each step computes the correlations with the last
    selected feature (``O(n p)`` per step).

    Parameters (``param_set``)
    --------------------------
    threads : int, default 1
        Threads computing the relevance and the correlations, each over its own
        block of features (numpy releases the GIL). BLAS is limited to one
        thread meanwhile (process-wide, through threadpoolctl), so ``threads`` is the
        number of cores used. The result does not depend on it. Tagged ``"threads"``:
        :func:`~mlr3py.execution.set_threads` sets it.
    denominator : {"mean", "max"}, default "mean"
        How redundancies with the selected features are combined.

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.filters import flt
    >>> f = flt("mrmr", threads=2).calculate(tsk("sonar"), nfeat=3)
    >>> f.scores.iloc[:3].tolist()
    [1.0, 0.5, 0.0]
    """

    def __init__(self) -> None:
        super().__init__(
            "mrmr",
            task_types=TASK_TYPES,
            feature_types=("integer", "numeric", "logical"),
            param_set=ps(
                threads=p_int(1, default=1, init=1, tags="threads"),
                denominator=p_fct(["mean", "max"], default="mean", tags="train"),
            ),
            packages=("numpy", "scikit-learn", "threadpoolctl"),
            label="Minimum Redundancy Maximal Relevancy",
        )

    def _calculate(self, task: TaskSupervised, nfeat: int) -> np.ndarray:
        values = self._values()
        x = task.data_matrix()
        y = task.truth()
        target = np.asarray(y.codes if task.task_type == "classif" else y)
        order = mrmr_order(x, target, task.task_type, nfeat, threads=values["threads"],
                           denominator=values["denominator"])
        scores = np.full(x.shape[1], np.nan)
        scores[order] = np.linspace(1.0, 0.0, len(order)) if len(order) > 1 else 1.0
        return scores


_controller: Any = None


def _blas_one_thread() -> Any:
    """A context limiting BLAS to one thread (the thread pools are looked up once)."""
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


@contextmanager
def _blocks(p: int, threads: int) -> Iterator[Callable[[Callable[[slice], np.ndarray]],
                                                       np.ndarray]]:
    """Yield ``run(fn)``: ``fn`` over contiguous blocks of ``range(p)``, in ``threads``
    threads, concatenated along the first axis; BLAS limited to one thread meanwhile."""
    n_blocks = max(1, min(threads, p))
    bounds = np.linspace(0, p, n_blocks + 1).astype(int)
    slices = [slice(int(a), int(b)) for a, b in itertools.pairwise(bounds)]
    with _blas_one_thread():
        if n_blocks == 1:
            yield lambda fn: fn(slices[0])
            return
        with ThreadPoolExecutor(max_workers=n_blocks, thread_name_prefix="mrmr") as pool:
            yield lambda fn: np.concatenate(list(pool.map(fn, slices)))


def _relevance(x: np.ndarray, y: np.ndarray, task_type: str, sl: slice) -> np.ndarray:
    from sklearn.feature_selection import f_classif, f_regression

    with warnings.catch_warnings():
        # constant features: scikit-learn warns and returns NaN; they score 0 here
        warnings.simplefilter("ignore")
        stat = (f_classif if task_type == "classif" else f_regression)(x[:, sl], y)[0]
    return np.nan_to_num(np.asarray(stat, dtype=float), nan=0.0)


def mrmr_order(
    x: np.ndarray,
    y: np.ndarray,
    task_type: str,
    k: int,
    *,
    threads: int = 1,
    denominator: str = "mean",
) -> list[int]:
    """Column indices of ``x`` in the order mRMR (FCQ) selects them, at most ``k``.

    Parameters
    ----------
    x : numpy.ndarray
        Features, shape ``(n, p)``, float, no missing values.
    y : numpy.ndarray
        Class codes (``task_type="classif"``) or the numeric target.
    task_type : {"classif", "regr"}
        Chooses ``f_classif`` or ``f_regression`` for the relevance.
    k : int
        Largest number of features selected; features of relevance 0 are never
        selected.
    threads : int
        Threads over blocks of features.
    denominator : {"mean", "max"}
        Combination of the redundancies with the selected features.

    Returns
    -------
    list of int
    """
    p = x.shape[1]
    with _blocks(p, threads) as run:
        relevance = run(lambda sl: _relevance(x, y, task_type, sl))
        available = np.isfinite(relevance) & (relevance > 0)
        k = min(k, int(available.sum()))
        if k == 0:
            return []
        centred = x - x.mean(axis=0)
        norms = np.sqrt(np.einsum("ij,ij->j", centred, centred))
        with np.errstate(invalid="ignore", divide="ignore"):
            # rows: standardised features, so that a dot product is a Pearson correlation
            zt = np.ascontiguousarray((centred / np.where(norms > 0, norms, np.inf)).T)
        del centred
        # all correlations at once (one matrix product per block of rows) when that is
        # no more work than k matrix-vector products, else those of the last feature
        gram = run(lambda sl: zt[sl] @ zt.T) if p <= 2 * k and p <= _GRAM_MAX else None
        redundancy = np.zeros(p)
        selected: list[int] = []
        for step in range(k):
            if step == 0:
                score = relevance.copy()
            else:
                last = selected[-1]
                if gram is not None:
                    corr = gram[last]
                else:
                    corr = run(lambda sl, v=zt[last]: zt[sl] @ v)  # type: ignore[misc]
                corr = np.clip(np.abs(np.nan_to_num(corr, nan=0.0)), FLOOR, None)
                if denominator == "mean":
                    redundancy += corr
                    den = redundancy / step
                else:
                    np.maximum(redundancy, corr, out=redundancy)
                    den = redundancy
                # mrmr-selection: a feature fully redundant with the selected ones scores 0
                den = np.where(den >= 1.0 - 1e-12, np.inf, den)
                score = relevance / den
            score[~available] = -np.inf
            best = int(np.argmax(score))
            selected.append(best)
            available[best] = False
    return selected


mlr_filters.add("mrmr", FilterMRMR)
