"""Every built-in tuner and terminator passes the conformance suite; broken ones fail it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from mlr3py.testing import (
    ConformanceError,
    check_terminator,
    check_tuner,
    tuner_checks,
    tuner_search_space,
)
from mlr3py.tuning import Terminator, Tuner, mlr_terminators, mlr_tuners, tnr, trm


def _design_points() -> Tuner:
    space = tuner_search_space(tnr("design_points"))
    design = pd.DataFrame({"x": [0.1, 0.5, 0.9, 0.3, 0.7], "iter": [1, 2, 3, 1, 2],
                           "predict_missing_type": ["na", "omit", "na", "omit", "na"],
                           "save_tasks": [False, True, False, True, False]})
    return tnr("design_points", design=design[space.ids()], batch_size=2)


# Tuners that need settings before they can run.
TUNERS: dict[str, Any] = {
    "design_points": _design_points,
    "grid_search": lambda: tnr("grid_search", resolution=2, batch_size=3),
}

TERMINATORS: dict[str, Any] = {
    "clock_time": lambda: trm("clock_time", stop_time=dt.datetime.now() + dt.timedelta(hours=1)),
    "combo": lambda: trm("combo", terminators=[trm("evals", n_evals=2), trm("none")]),
}


# Tuners whose construction needs an optional package (the core install runs without the
# tune extra; the tuner refuses to be built without it, saying how to install it).
TUNER_PACKAGES: dict[str, str] = {"optuna": "optuna"}


@pytest.mark.parametrize("key", mlr_tuners.keys())
def test_builtin_tuner_conforms(key: str) -> None:
    if key in TUNER_PACKAGES:
        pytest.importorskip(TUNER_PACKAGES[key])
    make = TUNERS.get(key, lambda: tnr(key))
    tuner = make()
    assert set(tuner.packages) <= set(TUNER_PACKAGES.values()), "list the package above"
    check_tuner(tuner)


@pytest.mark.parametrize("key", mlr_terminators.keys())
def test_builtin_terminator_conforms(key: str) -> None:
    make = TERMINATORS.get(key, lambda: trm(key))
    check_terminator(make())


class _ProposesOutside(Tuner):
    """Evaluates a point, then ignores the terminator and keeps going past the search space."""

    def __init__(self) -> None:
        super().__init__("outside", param_classes=("ParamDbl",))

    def _optimize(self, instance: Any) -> None:
        instance.archive.add_rows([{**row, "x": 5.0} for row in
                                   instance.eval_batch([{"x": 0.5}]).to_dict("records")])


class _BestIsWorst(Tuner):
    def __init__(self) -> None:
        super().__init__("worst", param_classes=("ParamDbl",), properties=("single-crit",))

    def _optimize(self, instance: Any) -> None:
        instance.eval_batch([{"x": 0.1}, {"x": 0.2}, {"x": 0.3}, {"x": 0.4}])

    def _assign_result(self, instance: Any) -> None:
        worst = instance.archive.data.sort_values("classif.ce").tail(1)
        instance.assign_result(worst[["x"]], worst[["classif.ce"]])


def test_broken_tuners_fail_the_suite() -> None:
    with pytest.raises(ConformanceError, match="is outside the space"):
        check_tuner(_ProposesOutside())
    with pytest.raises(ConformanceError, match=r"Tuner 'worst'.*check_tuner_optimize"):
        check_tuner(_BestIsWorst(), exclude=("multi_crit",))
    names = [name for name, _ in tuner_checks(tnr("random_search"))]
    assert names == ["check_tuner_metadata", "check_tuner_optimize", "check_tuner_replicable",
                     "check_tuner_multi_crit"]


class _ReturnsNone(Terminator):
    def __init__(self) -> None:
        super().__init__("returns_none")

    def is_terminated(self, archive: Any) -> bool:
        return None  # type: ignore[return-value]


def test_broken_terminator_fails_the_suite() -> None:
    with pytest.raises(ConformanceError, match="returns_none.*bool"):
        check_terminator(_ReturnsNone())
