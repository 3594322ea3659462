"""What the budget tuners (successive halving, hyperband) share: their parameters, their
checks and the settings of one run (:class:`BudgetRun`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlr3py.params import Domain, p_dbl, p_int, p_uty
from mlr3py.tuning._budget import budget_domain
from mlr3py.tuning._budget_sampling import BudgetSampling, is_sampler
from mlr3py.tuning._tuner import Tuner

if TYPE_CHECKING:
    from mlr3py.tuning._instance import TuningInstance
    from mlr3py.tuning._terminator import Terminator

__all__ = ["BudgetRun", "BudgetTuner", "budget_params"]

#: the parameter classes a budget tuner searches
BUDGET_PARAM_CLASSES = ("ParamLgl", "ParamInt", "ParamDbl", "ParamFct")
#: the properties of the budget tuners
BUDGET_PROPERTIES = ("dependencies", "single-crit", "multi-crit")


def budget_params() -> dict[str, Domain]:
    """The parameters every budget tuner has: ``eta``, ``sampler`` and ``repetitions``."""
    return {
        "eta": p_dbl(1.0001, default=2, init=2, tags="required"),
        "sampler": p_uty(custom_check=is_sampler, default=None, special_vals=[None]),
        "repetitions": p_int(1, default=1, init=1, special_vals=[math.inf]),
    }


@dataclass(frozen=True)
class BudgetRun:
    """The settings of one run of a budget tuner on an instance.

    Attributes
    ----------
    eta : float
        Budget factor between stages.
    repetitions : float
        How often to run (``math.inf``: until the terminator fires).
    budget : Domain
        The parameter tagged ``budget``.
    r_min, r_max : float
        Its bounds.
    sampling : BudgetSampling
        Draws and evaluates configurations.
    measure_ids : list of str
    minimize : list of bool
        Per measure, whether lower is better.
    """

    eta: float
    repetitions: float
    budget: Domain
    r_min: float
    r_max: float
    sampling: BudgetSampling
    measure_ids: list[str]
    minimize: list[bool]

    @property
    def budget_id(self) -> str:
        """The id of the budget parameter."""
        return str(self.budget.id)

    def budget_value(self, r: float) -> Any:
        """``r`` as a value of the budget parameter (rounded for an integer one)."""
        return round(r) if self.budget.cls == "ParamInt" else r


class BudgetTuner(Tuner):
    """A tuner over the parameter tagged ``budget``; with finite ``repetitions`` it ends by
    itself, otherwise a terminator is needed."""

    #: the search space needs a parameter tagged "budget"
    needs_budget = True

    def check_terminator(self, terminator: Terminator) -> None:
        """Check as every tuner does; with finite ``repetitions`` no terminator is needed."""
        self.ends_by_itself = math.isfinite(self._values().get("repetitions", 1))
        super().check_terminator(terminator)

    def _check_instance(self, instance: TuningInstance) -> None:
        budget_domain(instance.search_space, f"Tuner '{self.id}'")

    def _budget_run(self, instance: TuningInstance) -> BudgetRun:
        values = self._values()
        context = f"Tuner '{self.id}'"
        domain = budget_domain(instance.search_space, context)
        return BudgetRun(
            eta=float(values.get("eta", 2)),
            repetitions=float(values.get("repetitions", 1)),
            budget=domain,
            r_min=float(domain.lower),  # type: ignore[arg-type]
            r_max=float(domain.upper),  # type: ignore[arg-type]
            sampling=BudgetSampling(instance, str(domain.id), values.get("sampler"), context),
            measure_ids=[m.id for m in instance.measures],
            minimize=[bool(m.minimize) for m in instance.measures],
        )
