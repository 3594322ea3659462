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
from typing import TYPE_CHECKING

import pandas as pd

from mlr3py.params import p_int, p_lgl, ps
from mlr3py.tuning._budget import floor_log, n_stages, select_best
from mlr3py.tuning._budget_tuner import (
    BUDGET_PARAM_CLASSES,
    BUDGET_PROPERTIES,
    BudgetTuner,
    budget_params,
)
from mlr3py.tuning._tuner import mlr_tuners

if TYPE_CHECKING:
    from mlr3py.tuning._instance import TuningInstance

__all__ = ["TunerSuccessiveHalving"]


class TunerSuccessiveHalving(BudgetTuner):
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

    def __init__(self) -> None:
        super().__init__(
            id="successive_halving",
            param_set=ps(
                n=p_int(1, default=16, init=16, tags="required"),
                **budget_params(),
                adjust_minimum_budget=p_lgl(default=False, init=False),
            ),
            param_classes=BUDGET_PARAM_CLASSES,
            properties=BUDGET_PROPERTIES,
            label="Successive Halving",
        )

    def _optimize(self, instance: TuningInstance) -> None:
        run = self._budget_run(instance)
        n = int(self._values().get("n", 16))
        eta, r_min = run.eta, run.r_min
        # fewer stages when n is too small to leave one configuration for the last
        s_max = min(n_stages(r_min, run.r_max, eta), floor_log(n, eta))
        if self._values().get("adjust_minimum_budget", False):
            r_min = run.r_max * eta ** (-s_max)
        repetition = 1
        while repetition <= run.repetitions:
            scored: pd.DataFrame | None = None
            for i in range(s_max + 1):
                n_i = math.floor(n * eta ** (-i))
                r_i = run.budget_value(r_min * eta**i)
                if scored is None:
                    xs = run.sampling.sample(n_i)
                else:
                    xs = select_best(scored, run.measure_ids, run.minimize,
                                     n_i)[run.sampling.x_ids]
                xs = xs.reset_index(drop=True).assign(**{run.budget_id: r_i, "stage": i,
                                                         "repetition": repetition})
                scored = run.sampling.evaluate(xs)
            repetition += 1


mlr_tuners.add("successive_halving", TunerSuccessiveHalving)
