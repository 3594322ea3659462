"""Sampling and evaluating the stages of the budget tuners (successive halving, hyperband)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.params import Sampler, generate_design_random

if TYPE_CHECKING:
    from mlr3py.tuning._instance import TuningInstance

__all__ = ["BudgetSampling", "is_sampler"]


def is_sampler(value: Any) -> bool | str:
    """Custom check of the ``sampler`` parameter: a :class:`~mlr3py.params.Sampler` or None."""
    if value is None or isinstance(value, Sampler):
        return True
    return "a Sampler such as SamplerUnif(param_set) (or None)"


class BudgetSampling:
    """Draw configurations of every parameter but the budget, and evaluate stages.

    Parameters
    ----------
    instance : TuningInstance
        The instance being tuned.
    budget_id : str
        The id of the budget parameter.
    sampler : Sampler or None
        Draws the parameters other than the budget; None samples them uniformly.
    context : str
        How error messages name the tuner.
    """

    def __init__(self, instance: TuningInstance, budget_id: str, sampler: Any,
                 context: str) -> None:
        self.instance = instance
        search_space = instance.search_space
        #: the search-space parameters the sampler draws (all but the budget)
        self.x_ids = [pid for pid in search_space.ids() if pid != budget_id]
        self._space = search_space.subset(self.x_ids)
        if sampler is not None:
            got = list(sampler.param_set.ids())
            if sorted(got) != sorted(self.x_ids):
                raise ConfigError(
                    f"The sampler of {context} must sample every parameter of the search space "
                    f"but the budget '{budget_id}', i.e. the set {sorted(self.x_ids)}. "
                    f"Got the set {sorted(got)} instead."
                )
        self._sampler = sampler
        self._rng = instance.tuner_rng()

    def sample(self, n: int) -> pd.DataFrame:
        """``n`` configurations of the non-budget parameters (one row each)."""
        if n <= 0:
            return pd.DataFrame(columns=self.x_ids)
        if not self.x_ids:
            return pd.DataFrame(index=range(n))
        if self._sampler is not None:
            design = self._sampler.sample(n, seed=self._rng)
        else:
            design = generate_design_random(self._space, n, seed=self._rng)
        return design.data[self.x_ids].reset_index(drop=True)

    def evaluate(self, xs: pd.DataFrame) -> pd.DataFrame:
        """Evaluate one batch; return ``xs`` with the measure columns added.

        The columns of ``xs`` that are not search-space parameters (``stage``,
        ``bracket``, ``repetition``) go into the archive as extra columns.
        """
        xs = xs.reset_index(drop=True)
        space_ids = self.instance.search_space.ids()
        extra = xs[[c for c in xs.columns if c not in space_ids]]
        rows = self.instance.eval_batch(xs[space_ids], extra=extra)
        scored = xs.copy()
        for m in self.instance.measures:
            scored[m.id] = rows[m.id].to_numpy()
        return scored
