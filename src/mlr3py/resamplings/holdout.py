"""Holdout: one split into a training and a test set (mlr3's ``holdout``)."""

from __future__ import annotations

import numpy as np

from mlr3py.params import p_dbl, ps
from mlr3py.resamplings._counts import CountInstance, _CountResampling

__all__ = ["ResamplingHoldout"]


class ResamplingHoldout(_CountResampling):
    """Split the rows once: ``round(ratio * n)`` rows for training, the rest for testing.

    Parameters (in ``param_set``)
    -----------------------------
    ratio : float in [0, 1], default 2/3
        Share of the rows (per stratum; or of the groups) used for training.

    Examples
    --------
    >>> from mlr3py.resamplings import mlr_resamplings
    >>> holdout = mlr_resamplings.get("holdout", ratio=0.8)
    >>> holdout.iters
    1
    """

    def __init__(self) -> None:
        super().__init__(
            id="holdout",
            param_set=ps(ratio=p_dbl(0, 1, tags=("required",), init=2 / 3)),
            label="Holdout",
        )

    def _iters(self) -> int:
        return 1

    def _sample(self, ids: np.ndarray | range, rng: np.random.Generator) -> CountInstance:
        return self._draw_without_replacement(ids, rng, repeats=1)

    def _check_instance(self, instance: CountInstance, n: int, unit: str) -> None:
        self._check_ratio_split(instance, n, unit)
