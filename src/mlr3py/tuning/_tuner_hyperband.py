"""Hyperband over a ``budget``-tagged parameter (mlr3hyperband's ``hyperband``).

Hyperband runs successive halving in ``s_max + 1`` brackets that trade the
number of configurations against their starting budget: bracket ``s`` starts
``ceil((s_max + 1) * eta^s / (s + 1))`` configurations on the budget
``r_max * eta^-s`` and promotes the best ``1 / eta`` per stage. With
``eta = 2``, ``r_min = 1`` and ``r_max = 8``:

====  ========  ========  ========  ========
 i    s = 3     s = 2     s = 1     s = 0
====  ========  ========  ========  ========
 0    8 x 1     6 x 2     4 x 4     4 x 8
 1    4 x 2     3 x 4     2 x 8
 2    2 x 4     1 x 8
 3    1 x 8
====  ========  ========  ========  ========

(``n_i x r_i``: configurations x budget). As in mlr3hyperband, stages with
the same budget are one batch: the batch for bracket ``s`` holds its new
configurations and the promoted ones of the brackets started before. The
archive records ``bracket`` (counting down to 0), ``stage`` (from 0) and
``repetition`` (from 1); :func:`hyperband_schedule` gives the whole plan.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from mlr3py.params import p_dbl, p_int, p_uty, ps
from mlr3py.tuning._budget import budget_domain, n_stages, select_best
from mlr3py.tuning._budget_sampling import BudgetSampling, is_sampler
from mlr3py.tuning._tuner import Tuner, mlr_tuners

if TYPE_CHECKING:
    from mlr3py.tuning._instance import TuningInstance

__all__ = ["TunerHyperband"]


class TunerHyperband(Tuner):
    """Hyperband: successive halving in brackets of different starting budgets.

    Parameters (``tnr("hyperband", eta=3)``)
    ----------------------------------------
    eta : float > 1, default 2
        Budget factor between stages; the best ``1 / eta`` are promoted.
    sampler : Sampler, optional
        Draws the base stage's configurations of the parameters other than the
        budget (default: uniform random).
    repetitions : int or inf, default 1
        How often to run all brackets (the terminator may stop earlier).
    """

    #: the search space needs a parameter tagged "budget"
    needs_budget = True

    def __init__(self) -> None:
        param_set = ps(
            eta=p_dbl(1.0001, default=2, init=2, tags="required"),
            sampler=p_uty(custom_check=is_sampler, default=None, special_vals=[None]),
            repetitions=p_int(1, default=1, init=1, special_vals=[math.inf]),
        )
        super().__init__(
            id="hyperband",
            param_set=param_set,
            param_classes=("ParamLgl", "ParamInt", "ParamDbl", "ParamFct"),
            properties=("dependencies", "single-crit", "multi-crit"),
            label="Hyperband",
        )

    def check_instance(self, instance: TuningInstance) -> None:
        """Check as every tuner does; with finite ``repetitions`` no terminator is needed."""
        self.ends_by_itself = math.isfinite(self._values().get("repetitions", 1))
        super().check_instance(instance)

    def _check_instance(self, instance: TuningInstance) -> None:
        budget_domain(instance.search_space, f"Tuner '{self.id}'")

    def _optimize(self, instance: TuningInstance) -> None:
        values = self._values()
        eta = float(values.get("eta", 2))
        repetitions = values.get("repetitions", 1)
        context = f"Tuner '{self.id}'"
        domain = budget_domain(instance.search_space, context)
        budget_id = str(domain.id)
        r_min, r_max = float(domain.lower), float(domain.upper)  # type: ignore[arg-type]
        r = r_max / r_min
        s_max = n_stages(r_min, r_max, eta)
        total = (s_max + 1) * r
        n = [math.ceil((total / r) * eta**s / (s + 1)) for s in range(s_max + 1)]
        sampling = BudgetSampling(instance, budget_id, values.get("sampler"), context)
        measure_ids = [m.id for m in instance.measures]
        minimize = [bool(m.minimize) for m in instance.measures]

        repetition = 1
        while repetition <= repetitions:
            scored: pd.DataFrame | None = None
            for s in range(s_max, -1, -1):
                r_s: Any = r_min * r * eta ** (-s)
                if domain.cls == "ParamInt":
                    r_s = round(r_s)
                parts = [sampling.sample(n[s]).assign(stage=0, bracket=s)]
                if scored is not None:
                    for i in range(s_max, s, -1):
                        n_i = math.floor(n[i] * eta ** (-(i - s)))
                        bracket = scored[scored["bracket"] == i]
                        best = select_best(bracket, measure_ids, minimize, n_i)
                        parts.append(best[[*sampling.x_ids, "stage", "bracket"]]
                                     .assign(stage=lambda d: d["stage"] + 1))
                xs = pd.concat(parts, ignore_index=True)
                xs = xs.assign(**{budget_id: r_s, "repetition": repetition})
                xs = xs[[*sampling.x_ids, budget_id, "stage", "bracket", "repetition"]]
                scored = sampling.evaluate(xs)
            repetition += 1


mlr_tuners.add("hyperband", TunerHyperband)
