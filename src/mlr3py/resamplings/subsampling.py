"""Subsampling and bootstrap: repeated random training sets.

mlr3's ``subsampling`` and ``bootstrap``.
"""

from __future__ import annotations

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.params import p_dbl, p_int, ps
from mlr3py.resamplings._counts import CountInstance, _CountResampling, kept_ids
from mlr3py.resamplings._split_inputs import _round_size

__all__ = ["ResamplingBootstrap", "ResamplingSubsampling"]


class ResamplingSubsampling(_CountResampling):
    """Repeated holdout: ``repeats`` independent draws of ``round(ratio * n)`` rows for training.

    Parameters (in ``param_set``)
    -----------------------------
    ratio : float in [0, 1], default 2/3
        Share of the rows (per stratum; or of the groups) used for training.
    repeats : int >= 1, default 30
        Number of iterations.
    """

    def __init__(self) -> None:
        super().__init__(
            id="subsampling",
            param_set=ps(
                ratio=p_dbl(0, 1, tags=("required",), init=2 / 3),
                repeats=p_int(1, tags=("required",), init=30),
            ),
            label="Subsampling",
        )

    def _iters(self) -> int:
        return int(self._value("repeats"))

    def _sample(self, ids: np.ndarray | range, rng: np.random.Generator) -> CountInstance:
        return self._draw_without_replacement(ids, rng, repeats=self._iters())

    def _check_instance(self, instance: CountInstance, n: int, unit: str) -> None:
        self._check_ratio_split(instance, n, unit)


class ResamplingBootstrap(_CountResampling):
    """Bootstrap: draw ``round(ratio * n)`` rows with replacement; test on the rows not drawn.

    Training sets contain duplicated row ids (``duplicated_ids`` is True); the
    test set of an iteration holds the out-of-bag rows.

    Parameters (in ``param_set``)
    -----------------------------
    ratio : float in [0, 1], default 1
        Size of each training set relative to the number of rows (per stratum;
        or of the groups).
    repeats : int >= 1, default 30
        Number of iterations.
    """

    def __init__(self) -> None:
        super().__init__(
            id="bootstrap",
            param_set=ps(
                ratio=p_dbl(0, 1, tags=("required",), init=1.0),
                repeats=p_int(1, tags=("required",), init=30),
            ),
            label="Bootstrap",
            duplicated_ids=True,
        )

    def _iters(self) -> int:
        return int(self._value("repeats"))

    def _sample(self, ids: np.ndarray | range, rng: np.random.Generator) -> CountInstance:
        n = len(ids)
        n_train = _round_size(n, self._value("ratio"))
        repeats = self._iters()
        # a byte per id and iteration while no id is drawn more than 255 times (an id
        # is drawn about ln(n) / ln(ln(n)) times at most: 10 M ids, 80 MB per
        # iteration as int64)
        counts = np.empty((n, repeats), dtype=np.uint8, order="F")
        for r in range(repeats):
            column = np.bincount(rng.integers(0, n, size=n_train), minlength=n)
            if counts.dtype == np.uint8 and len(column) and int(column.max()) > 255:
                counts = np.asfortranarray(counts.astype(np.int64))
            counts[:, r] = column
        return CountInstance(row_ids=kept_ids(ids), counts=counts)

    def _check_instance(self, instance: CountInstance, n: int, unit: str) -> None:
        if (instance.counts.sum(axis=0) < 1).any():
            ratio = self._value("ratio")
            raise ConfigError(
                f"Resampling '{self.id}' with ratio={ratio:.4g} on {n} {unit} draws an empty "
                f"training set. Increase the ratio so that at least one of the {unit} is drawn."
            )
