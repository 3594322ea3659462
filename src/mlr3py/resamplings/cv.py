"""Cross-validation and repeated cross-validation (mlr3's ``cv`` and ``repeated_cv``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.params import p_int, ps
from mlr3py.resamplings._base import Resampling

__all__ = ["ResamplingCV", "ResamplingRepeatedCV"]


def _fold_ids(n: int, folds: int, start: int, rng: np.random.Generator) -> np.ndarray:
    """Fold numbers 0..folds-1 for ``n`` ids, as balanced as possible, in random order.

    ``start`` shifts the cycle so that, over several strata, the extra ids of
    one stratum go to other folds than those of the previous strata.
    """
    return rng.permutation((np.arange(n, dtype=np.int64) + start) % folds)


class _FoldResampling(Resampling):
    """Shared checks of the fold-based strategies."""

    def _check_units(self, n: int, unit: str) -> None:
        folds = int(self._value("folds"))
        if folds > n:
            raise ConfigError(
                f"Resampling '{self.id}' cannot split {n} {unit} into folds={folds} folds: "
                f"every fold needs at least one. Set folds to at most {n}."
            )

    def _combine(self, instances: list[pd.DataFrame]) -> pd.DataFrame:
        return pd.concat(instances, ignore_index=True)

    def _sample(self, ids: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
        return self._sample_from(ids, rng, start=0)

    def _sample_strata(self, parts: list[np.ndarray], rng: np.random.Generator) -> pd.DataFrame:
        instances = []
        start = 0
        for ids in parts:
            instances.append(self._sample_from(ids, rng, start=start))
            start += len(ids)
        return self._combine(instances)

    def _sample_from(self, ids: np.ndarray, rng: np.random.Generator, start: int) -> pd.DataFrame:
        raise NotImplementedError(f"{type(self).__name__} must implement _sample_from().")


class ResamplingCV(_FoldResampling):
    """``folds``-fold cross-validation.

    Every row (or group) is in exactly one test set. With a stratum role, each
    stratum is spread over the folds on its own, so every fold keeps the
    strata's proportions (up to one row per stratum) and fold sizes differ by
    at most one.

    Parameters (in ``param_set``)
    -----------------------------
    folds : int >= 2, default 10
        Number of folds (= iterations).

    Notes
    -----
    The instance is a DataFrame with columns ``row_id`` and ``fold``
    (0-based; fold ``i`` is the test set of iteration ``i``).
    """

    def __init__(self) -> None:
        super().__init__(
            id="cv",
            param_set=ps(folds=p_int(2, tags=("required",), init=10)),
            label="Cross-Validation",
        )

    def _iters(self) -> int:
        return int(self._value("folds"))

    def _sample_from(self, ids: np.ndarray, rng: np.random.Generator, start: int) -> pd.DataFrame:
        fold = _fold_ids(len(ids), self._iters(), start, rng)
        return pd.DataFrame({"row_id": ids, "fold": fold})

    def _get_train(self, i: int) -> np.ndarray:
        return self._instance["row_id"].to_numpy()[self._instance["fold"].to_numpy() != i]

    def _get_test(self, i: int) -> np.ndarray:
        return self._instance["row_id"].to_numpy()[self._instance["fold"].to_numpy() == i]


class ResamplingRepeatedCV(_FoldResampling):
    """Cross-validation repeated ``repeats`` times with new folds each time.

    Iteration ``i`` is fold ``i % folds`` of repetition ``i // folds``; see
    :meth:`folds` and :meth:`repeats`.

    Parameters (in ``param_set``)
    -----------------------------
    folds : int >= 2, default 10
        Number of folds per repetition.
    repeats : int >= 1, default 10
        Number of repetitions.

    Notes
    -----
    The instance is a DataFrame with columns ``row_id``, ``rep`` and ``fold``
    (both 0-based).
    """

    def __init__(self) -> None:
        super().__init__(
            id="repeated_cv",
            param_set=ps(
                folds=p_int(2, tags=("required",), init=10),
                repeats=p_int(1, tags=("required",), init=10),
            ),
            label="Repeated Cross-Validation",
        )

    def _iters(self) -> int:
        return int(self._value("folds")) * int(self._value("repeats"))

    def folds(self, iters: int | np.ndarray) -> int | np.ndarray:
        """The fold (0-based) that iteration(s) ``iters`` test on."""
        return self._split_iters(iters)[1]

    def repeats(self, iters: int | np.ndarray) -> int | np.ndarray:
        """The repetition (0-based) that iteration(s) ``iters`` belong to."""
        return self._split_iters(iters)[0]

    def _split_iters(self, iters: int | np.ndarray) -> tuple[int | np.ndarray, int | np.ndarray]:
        arr = np.asarray(iters)
        total = self._iters()
        if arr.dtype.kind not in "iu" or (arr < 0).any() or (arr >= total).any():
            raise ConfigError(
                f"Iterations {iters!r} are out of range for Resampling '{self.id}' with "
                f"iters={total}. Use ints from 0 to {total - 1}."
            )
        rep, fold = np.divmod(arr, int(self._value("folds")))
        if arr.ndim == 0:
            return int(rep), int(fold)
        return rep, fold

    def _sample_from(self, ids: np.ndarray, rng: np.random.Generator, start: int) -> pd.DataFrame:
        folds = int(self._value("folds"))
        repeats = int(self._value("repeats"))
        n = len(ids)
        fold = np.concatenate([_fold_ids(n, folds, start, rng) for _ in range(repeats)])
        return pd.DataFrame(
            {
                "row_id": np.tile(ids, repeats),
                "rep": np.repeat(np.arange(repeats, dtype=np.int64), n),
                "fold": fold,
            }
        )

    def _mask(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        rep, fold = divmod(i, int(self._value("folds")))
        inst = self._instance
        in_rep = inst["rep"].to_numpy() == rep
        return in_rep, inst["fold"].to_numpy() == fold

    def _get_train(self, i: int) -> np.ndarray:
        in_rep, in_fold = self._mask(i)
        return self._instance["row_id"].to_numpy()[in_rep & ~in_fold]

    def _get_test(self, i: int) -> np.ndarray:
        in_rep, in_fold = self._mask(i)
        return self._instance["row_id"].to_numpy()[in_rep & in_fold]
