"""Successive halving over a ``budget``-tagged parameter (mlr3hyperband's ``successive_halving``).

Stage 0 samples ``n`` configurations with the smallest budget ``r_min`` (the
lower bound of the budget parameter); each further stage keeps the best
``1 / eta`` of the previous stage and multiplies their budget by ``eta``, until
the budget would exceed ``r_max`` (the upper bound) or fewer than one
configuration would be left. Each stage is one batch; the archive records the
``stage`` and ``repetition`` of every evaluation.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from mlr3py.params import p_dbl, p_int, p_lgl, p_uty, ps
from mlr3py.tuning._budget import budget_domain, floor_log, n_stages, select_best
from mlr3py.tuning._budget_sampling import BudgetSampling, is_sampler
from mlr3py.tuning._tuner import Tuner, mlr_tuners

if TYPE_CHECKING:
    from mlr3py.tuning._instance import TuningInstance

__all__ = ["TunerSuccessiveHalving"]


class TunerSuccessiveHalving(Tuner):
    """Successive halving: many configurations on a small budget, the best on larger ones.

    Parameters (``tnr("successive_halving", n=16, eta=2)``)
    -------------------------------------------------------
    n : int, default 16
        Configurations in the first stage.
    eta : float > 1, default 2
        Budget factor between stages; the best ``1 / eta`` are promoted.
    sampler : Sampler, optional
        Draws the first stage's configurations of the parameters other than the
        budget (default: uniform random).
    repetitions : int or inf, default 1
        How often to run the whole schedule (the terminator may stop earlier).
    adjust_minimum_budget : bool, default False
        Raise ``r_min`` so that the last stage uses exactly ``r_max``.

    Examples
    --------
    >>> from mlr3py import lrn, tsk, rsmp, msr, p_int
    >>> from mlr3py.params import to_tune
    >>> from mlr3py.tuning import tnr, tune
    >>> learner = lrn("classif.ranger", n_estimators=to_tune(p_int(1, 16, tags="budget")),
    ...               max_depth=to_tune(1, 10))
    >>> instance = tune(tnr("successive_halving", n=8), tsk("sonar"), learner,
    ...                 rsmp("holdout"), msr("classif.ce"))  # doctest: +SKIP
    """

    #: the search space needs a parameter tagged "budget"
    needs_budget = True

    def __init__(self) -> None:
        param_set = ps(
            n=p_int(1, default=16, init=16, tags="required"),
            eta=p_dbl(1.0001, default=2, init=2, tags="required"),
            sampler=p_uty(custom_check=is_sampler, default=None, special_vals=[None]),
            repetitions=p_int(1, default=1, init=1, special_vals=[math.inf]),
            adjust_minimum_budget=p_lgl(default=False, init=False),
        )
        super().__init__(
            id="successive_halving",
            param_set=param_set,
            param_classes=("ParamLgl", "ParamInt", "ParamDbl", "ParamFct"),
            properties=("dependencies", "single-crit", "multi-crit"),
            label="Successive Halving",
        )

    def check_instance(self, instance: TuningInstance) -> None:
        """Check as every tuner does; with finite ``repetitions`` no terminator is needed."""
        self.ends_by_itself = math.isfinite(self._values().get("repetitions", 1))
        super().check_instance(instance)

    def _check_instance(self, instance: TuningInstance) -> None:
        budget_domain(instance.search_space, f"Tuner '{self.id}'")

    def _optimize(self, instance: TuningInstance) -> None:
        values = self._values()
        n = int(values.get("n", 16))
        eta = float(values.get("eta", 2))
        repetitions = values.get("repetitions", 1)
        context = f"Tuner '{self.id}'"
        domain = budget_domain(instance.search_space, context)
        budget_id = str(domain.id)
        r_min, r_max = float(domain.lower), float(domain.upper)  # type: ignore[arg-type]
        # fewer stages when n is too small to leave one configuration for the last
        s_max = min(n_stages(r_min, r_max, eta), floor_log(n, eta))
        if values.get("adjust_minimum_budget", False):
            r_min = r_max * eta ** (-s_max)
        sampling = BudgetSampling(instance, budget_id, values.get("sampler"), context)
        measure_ids = [m.id for m in instance.measures]
        minimize = [bool(m.minimize) for m in instance.measures]

        repetition = 1
        while repetition <= repetitions:
            scored: pd.DataFrame | None = None
            for i in range(s_max + 1):
                n_i = math.floor(n * eta ** (-i))
                r_i: Any = r_min * eta**i
                if domain.cls == "ParamInt":
                    r_i = round(r_i)
                if scored is None:
                    xs = sampling.sample(n_i)
                else:
                    xs = select_best(scored, measure_ids, minimize, n_i)[sampling.x_ids]
                xs = xs.reset_index(drop=True).assign(**{budget_id: r_i, "stage": i,
                                                         "repetition": repetition})
                scored = sampling.evaluate(xs)
            repetition += 1


mlr_tuners.add("successive_halving", TunerSuccessiveHalving)
