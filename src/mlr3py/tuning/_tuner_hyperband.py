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
from typing import TYPE_CHECKING

import pandas as pd

from mlr3py.params import ps
from mlr3py.tuning._budget import n_stages, select_best
from mlr3py.tuning._budget_tuner import (
    BUDGET_PARAM_CLASSES,
    BUDGET_PROPERTIES,
    BudgetTuner,
    budget_params,
)
from mlr3py.tuning._tuner import mlr_tuners

if TYPE_CHECKING:
    from mlr3py.tuning._instance import TuningInstance

__all__ = ["TunerHyperband"]


class TunerHyperband(BudgetTuner):
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

    def __init__(self) -> None:
        super().__init__(
            id="hyperband",
            param_set=ps(**budget_params()),
            param_classes=BUDGET_PARAM_CLASSES,
            properties=BUDGET_PROPERTIES,
            label="Hyperband",
        )

    def _optimize(self, instance: TuningInstance) -> None:
        run = self._budget_run(instance)
        eta, r_min = run.eta, run.r_min
        r = run.r_max / r_min
        s_max = n_stages(r_min, run.r_max, eta)
        total = (s_max + 1) * r
        n = [math.ceil((total / r) * eta**s / (s + 1)) for s in range(s_max + 1)]
        x_ids = run.sampling.x_ids
        repetition = 1
        while repetition <= run.repetitions:
            scored: pd.DataFrame | None = None
            for s in range(s_max, -1, -1):
                r_s = run.budget_value(r_min * r * eta ** (-s))
                parts = [run.sampling.sample(n[s]).assign(stage=0, bracket=s)]
                if scored is not None:
                    for i in range(s_max, s, -1):
                        n_i = math.floor(n[i] * eta ** (-(i - s)))
                        bracket = scored[scored["bracket"] == i]
                        best = select_best(bracket, run.measure_ids, run.minimize, n_i)
                        parts.append(best[[*x_ids, "stage", "bracket"]]
                                     .assign(stage=lambda d: d["stage"] + 1))
                xs = pd.concat(parts, ignore_index=True)
                xs = xs.assign(**{run.budget_id: r_s, "repetition": repetition})
                xs = xs[[*x_ids, run.budget_id, "stage", "bracket", "repetition"]]
                scored = run.sampling.evaluate(xs)
            repetition += 1


mlr_tuners.add("hyperband", TunerHyperband)
