"""Leave-one-out and insample resampling (mlr3's ``loo`` and ``insample``)."""

from __future__ import annotations

import numpy as np

from mlr3py.errors import ConfigError
from mlr3py.resamplings._base import Resampling

__all__ = ["ResamplingInsample", "ResamplingLOO"]


class _IdsResampling(Resampling):
    """Strategies whose instance is just the vector of ids, without randomness."""

    def _sample(self, ids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return np.asarray(ids)

    def _combine(self, instances: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(instances)


class ResamplingLOO(_IdsResampling):
    """Leave-one-out: each row is the test set of one iteration.

    With a group role this is leave-one-group-out: each group is the test set
    of one iteration. The number of iterations is known only after
    instantiation (``iters`` is ``None`` before). The instance is the vector
    of ids; iteration ``i`` tests on ``instance[i]``.
    """

    def __init__(self) -> None:
        super().__init__(id="loo", label="Leave-One-Out")

    def _iters(self) -> int | None:
        return None if self._instance is None else len(self._instance)

    def _check_units(self, n: int, unit: str) -> None:
        if n < 2:
            raise ConfigError(
                f"Resampling '{self.id}' needs at least 2 {unit} to leave one out; the task "
                f"has {n}. Use a task with more {unit}."
            )

    def _get_train(self, i: int) -> np.ndarray:
        return np.delete(self._instance, i)

    def _get_test(self, i: int) -> np.ndarray:
        return self._instance[i : i + 1].copy()


class ResamplingInsample(_IdsResampling):
    """Insample: train and test on all rows (one iteration).

    Useful to measure the training error, never as an estimate of the
    generalisation error.
    """

    def __init__(self) -> None:
        super().__init__(id="insample", label="Insample Resampling")

    def _iters(self) -> int:
        return 1

    def _get_train(self, i: int) -> np.ndarray:
        return self._instance.copy()

    def _get_test(self, i: int) -> np.ndarray:
        return self._instance.copy()
