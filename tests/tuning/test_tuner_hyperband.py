"""Successive halving and hyperband over a ``budget``-tagged parameter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_regr, msr, rsmp
from mlr3py.errors import ConfigError
from mlr3py.learners import LearnerRegr
from mlr3py.params import p_dbl, p_fct, p_int, ps
from mlr3py.predictions import PredictionDataRegr
from mlr3py.testing import check_tuner
from mlr3py.tuning import hyperband_schedule, tnr, tune
from mlr3py.tuning._budget import select_best


@dataclass(frozen=True)
class _Constant:
    value: float


class LearnerRegrKnown(LearnerRegr):
    """Predicts ``x + 1 / iter`` for every row: on a target of 0 its error is that number."""

    def __init__(self) -> None:
        super().__init__("regr.known", param_set=ps(
            x=p_dbl(0, 1, default=0.5, tags="train"),
            iter=p_int(1, default=1, tags="train"),
            kind=p_fct(["a", "b"], default="a", tags="train"),
        ))

    def _train(self, task: Any) -> _Constant:
        values = self.param_set.get_values(tags="train")
        return _Constant(values.get("x", 0.5) + 1 / values.get("iter", 1))

    def _predict(self, task: Any) -> PredictionDataRegr:
        return PredictionDataRegr(response=np.full(task.nrow, self.model.value))


@pytest.fixture
def task() -> Any:
    return as_task_regr(pd.DataFrame({"f": np.arange(12.0), "y": np.zeros(12)}),
                        target="y", id="zeros")


def _run(tuner: Any, task: Any, upper: int, lower: int = 1, seed: int = 1,
         measures: Any = None, **space: Any) -> Any:
    search_space = ps(x=p_dbl(0, 1), iter=p_int(lower, upper, tags="budget"), **space)
    return tune(tuner, task=task, learner=LearnerRegrKnown(), resampling=rsmp("holdout"),
                measures=measures or msr("regr.mae"), search_space=search_space, seed=seed)


def _plan(archive: pd.DataFrame) -> list[tuple[int, int, int, int]]:
    """(bracket, stage, budget, configurations) of each stage in the archive."""
    return sorted((int(b), int(s), int(i), len(g))
                  for (b, s, i), g in archive.groupby(["bracket", "stage", "iter"]))


# -- the schedule ------------------------------------------------------------------------------

def test_schedule_eta2_matches_mlr3hyperband() -> None:
    # mlr3hyperband's documented run: eta = 2, r_min = 1, r_max = 8
    got = hyperband_schedule(1, 8, 2)
    expected = {3: ([8, 4, 2, 1], [1, 2, 4, 8]), 2: ([6, 3, 1], [2, 4, 8]),
                1: ([4, 2], [4, 8]), 0: ([4], [8])}
    assert sorted(got["bracket"].unique()) == [0, 1, 2, 3]
    for bracket, (n, budget) in expected.items():
        rows = got[got["bracket"] == bracket]
        assert rows["n"].tolist() == n
        assert rows["budget"].tolist() == budget
        assert rows["stage"].tolist() == list(range(len(n)))


def test_schedule_eta3_matches_the_paper() -> None:
    # Li et al. (2018), table 1: R = 81, eta = 3
    got = hyperband_schedule(1, 81, 3)
    expected = {4: [81, 27, 9, 3, 1], 3: [34, 11, 3, 1], 2: [15, 5, 1], 1: [8, 2], 0: [5]}
    for bracket, n in expected.items():
        rows = got[got["bracket"] == bracket]
        assert rows["n"].tolist() == n
        assert rows["budget"].tolist()[-1] == 81


def test_schedule_rounds_integer_budgets_like_r() -> None:
    # r_max = 7, eta = 2: s_max = 2, budgets 1.75, 3.5, 7 -> R's round: 2, 4, 7
    got = hyperband_schedule(1, 7, 2, integer_budget=True)
    assert got[got["bracket"] == 2]["budget"].tolist() == [2, 4, 7]


# -- hyperband ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("eta", "lower", "upper"), [(2, 1, 8), (2, 2, 8), (2, 1, 7), (3, 1, 9),
                                                     (2.5, 1, 8)])
def test_hyperband_follows_the_schedule(task: Any, eta: float, lower: int, upper: int) -> None:
    instance = _run(tnr("hyperband", eta=eta), task, upper, lower)
    archive = instance.archive.data
    schedule = hyperband_schedule(lower, upper, eta, integer_budget=True)
    want = sorted((int(r.bracket), int(r.stage), int(r.budget), int(r.n))
                  for r in schedule.itertuples())
    assert _plan(archive) == want
    assert (archive["repetition"] == 1).all()
    # stages of equal budget are one batch
    assert archive.groupby("batch_nr")["iter"].nunique().eq(1).all()


def test_hyperband_promotes_the_best(task: Any) -> None:
    instance = _run(tnr("hyperband", eta=2), task, 8)
    archive = instance.archive.data
    for bracket in archive["bracket"].unique():
        rows = archive[archive["bracket"] == bracket]
        for stage in range(1, int(rows["stage"].max()) + 1):
            before = rows[rows["stage"] == stage - 1].sort_values("regr.mae")
            after = rows[rows["stage"] == stage]
            assert sorted(after["x"]) == sorted(before["x"].iloc[: len(after)])
    # the best configuration has the full budget
    assert instance.result["iter"].iloc[0] == 8


def test_hyperband_same_seed_same_archive(task: Any) -> None:
    a = _run(tnr("hyperband"), task, 4, seed=3).archive.data
    b = _run(tnr("hyperband"), task, 4, seed=3).archive.data
    c = _run(tnr("hyperband"), task, 4, seed=4).archive.data
    assert a["x"].tolist() == b["x"].tolist()
    assert a["x"].tolist() != c["x"].tolist()


def test_hyperband_repetitions(task: Any) -> None:
    archive = _run(tnr("hyperband", repetitions=2), task, 4).archive.data
    assert sorted(archive["repetition"].unique()) == [1, 2]
    assert (archive["repetition"] == 2).sum() == (archive["repetition"] == 1).sum()


def test_hyperband_multi_crit(task: Any) -> None:
    instance = _run(tnr("hyperband"), task, 4, measures=[msr("regr.mae"), msr("regr.mse")])
    assert {"regr.mae", "regr.mse"} <= set(instance.archive.data.columns)
    assert len(instance.result) >= 1


# -- successive halving ------------------------------------------------------------------------

@pytest.mark.parametrize(("n", "eta", "lower", "upper", "stages"),
                         [(16, 2, 1, 16, [(16, 1), (8, 2), (4, 4), (2, 8), (1, 16)]),
                          (16, 2, 2, 8, [(16, 2), (8, 4), (4, 8)]),
                          (16, 2, 1, 7, [(16, 1), (8, 2), (4, 4)]),
                          (16, 2.5, 1, 8, [(16, 1), (6, 2), (2, 6)]),
                          (8, 2, 1, 64, [(8, 1), (4, 2), (2, 4), (1, 8)])])
def test_successive_halving_stages(task: Any, n: int, eta: float, lower: int, upper: int,
                                   stages: list[tuple[int, int]]) -> None:
    archive = _run(tnr("successive_halving", n=n, eta=eta), task, upper, lower).archive.data
    got = [(len(g), int(g["iter"].iloc[0])) for _, g in archive.groupby("stage")]
    assert got == stages
    assert archive["iter"].max() <= upper
    assert archive["batch_nr"].nunique() == len(stages)


def test_successive_halving_adjusts_minimum_budget(task: Any) -> None:
    # mlr3hyperband's test: n = 30, eta = 3, budget in [1, 30]
    adjusted = _run(tnr("successive_halving", n=30, eta=3, adjust_minimum_budget=True),
                    task, 30).archive.data
    plain = _run(tnr("successive_halving", n=30, eta=3), task, 30).archive.data
    assert adjusted["iter"].max() == 30
    assert plain["iter"].max() == 27


def test_successive_halving_promotes_the_best(task: Any) -> None:
    archive = _run(tnr("successive_halving", n=8, eta=2), task, 4).archive.data
    first = archive[archive["stage"] == 0].sort_values("regr.mae")
    second = archive[archive["stage"] == 1]
    assert sorted(second["x"]) == sorted(first["x"].iloc[:4])


# -- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["hyperband", "successive_halving"])
def test_budget_must_be_tagged_once(task: Any, key: str) -> None:
    untagged = ps(x=p_dbl(0, 1), iter=p_int(1, 8))
    with pytest.raises(ConfigError, match="exactly one parameter tagged 'budget'.*tags='budget'"):
        tune(tnr(key), task=task, learner=LearnerRegrKnown(), resampling=rsmp("holdout"),
             measures=msr("regr.mae"), search_space=untagged)
    twice = ps(x=p_dbl(0, 1, tags="budget"), iter=p_int(1, 8, tags="budget"))
    with pytest.raises(ConfigError, match="Got 'x', 'iter' instead"):
        tune(tnr(key), task=task, learner=LearnerRegrKnown(), resampling=rsmp("holdout"),
             measures=msr("regr.mae"), search_space=twice)
    factor = ps(x=p_dbl(0, 1), kind=p_fct(["a", "b"], tags="budget"))
    with pytest.raises(ConfigError, match="numeric budget parameter; 'kind' is a ParamFct"):
        tune(tnr(key), task=task, learner=LearnerRegrKnown(), resampling=rsmp("holdout"),
             measures=msr("regr.mae"), search_space=factor)
    logscale = ps(x=p_dbl(0, 1), iter=p_int(1, 8, tags="budget", logscale=True))
    with pytest.raises(ConfigError, match="'iter' .* cannot be on the log scale"):
        tune(tnr(key), task=task, learner=LearnerRegrKnown(), resampling=rsmp("holdout"),
             measures=msr("regr.mae"), search_space=logscale)


def test_eta_must_exceed_one() -> None:
    with pytest.raises(ConfigError, match="eta"):
        tnr("hyperband", eta=1)


# -- promotion with several measures -----------------------------------------------------------

def test_select_best_single_and_pareto() -> None:
    rows = pd.DataFrame({"a": [3.0, 1.0, 2.0, np.nan], "b": [1.0, 3.0, 2.0, 0.0]})
    assert select_best(rows, ["a"], [True], 2)["a"].tolist() == [1.0, 2.0]
    assert select_best(rows, ["a"], [False], 1)["a"].tolist() == [3.0]
    # the three scored rows form the first front; the row without a score comes last
    assert sorted(select_best(rows, ["a", "b"], [True, True], 3).index) == [0, 1, 2]
    assert select_best(rows, ["a", "b"], [True, True], 4).index[-1] == 3
    # two of the front of three: the extremes (infinite crowding distance)
    assert sorted(select_best(rows.iloc[:3], ["a", "b"], [True, True], 2).index) == [0, 1]


@pytest.mark.parametrize("key", ["hyperband", "successive_halving"])
def test_conformance(key: str) -> None:
    check_tuner(tnr(key))


def test_hyperband_on_the_trees_of_a_forest() -> None:
    from mlr3py import lrn, tsk
    from mlr3py.params import to_tune

    learner = lrn("classif.ranger", random_state=1,
                  n_estimators=to_tune(p_int(1, 4, tags="budget")), max_depth=to_tune(1, 5))
    instance = tune(tnr("hyperband", eta=2), task=tsk("penguins"), learner=learner,
                    resampling=rsmp("holdout"), measures=msr("classif.ce"), seed=1)
    archive = instance.archive.data
    assert _plan(archive.rename(columns={"n_estimators": "iter"})) == sorted(
        (int(r.bracket), int(r.stage), int(r.budget), int(r.n))
        for r in hyperband_schedule(1, 4, 2, integer_budget=True).itertuples())
    assert [xd["n_estimators"] for xd in archive["x_domain"]] == archive["n_estimators"].tolist()
    assert instance.result_learner_param_vals["n_estimators"] in (1, 2, 4)


@pytest.mark.parametrize("key", ["hyperband", "successive_halving"])
def test_custom_sampler(task: Any, key: str) -> None:
    from mlr3py.params import Sampler1DRfun

    # every configuration drawn from [0.9, 1]
    sampler = Sampler1DRfun(ps(x=p_dbl(0, 1)), lambda n, rng: 0.9 + 0.1 * rng.random(n))
    archive = _run(tnr(key, sampler=sampler), task, 4).archive.data
    assert (archive["x"] >= 0.9).all()
    again = _run(tnr(key, sampler=sampler), task, 4).archive.data
    assert archive["x"].tolist() == again["x"].tolist()


@pytest.mark.parametrize("key", ["hyperband", "successive_halving"])
def test_sampler_must_cover_the_parameters_but_the_budget(task: Any, key: str) -> None:
    from mlr3py.params import SamplerUnif

    wrong = SamplerUnif(ps(x=p_dbl(0, 1), iter=p_int(1, 4)))
    with pytest.raises(ConfigError, match=r"every parameter of the search space but the "
                                          r"budget 'iter'.*\['x'\].*\['iter', 'x'\]"):
        _run(tnr(key, sampler=wrong), task, 4)
    with pytest.raises(ConfigError, match="'sampler'.*Sampler"):
        tnr(key, sampler="uniform")


def test_extra_columns_may_not_clash_with_the_archive(task: Any) -> None:
    from mlr3py.tuning import ti

    instance = ti(task, LearnerRegrKnown(), rsmp("holdout"), msr("regr.mae"),
                  search_space=ps(x=p_dbl(0, 1)), term_evals=5)
    rows = instance.eval_batch([{"x": 0.2}, {"x": 0.4}],
                               extra=pd.DataFrame({"stage": [0, 1]}))
    assert rows["stage"].tolist() == [0, 1]
    assert instance.archive.data["stage"].tolist() == [0, 1]
    with pytest.raises(ConfigError, match=r"extra columns \[.batch_nr.\] of a batch clash"):
        instance.eval_batch([{"x": 0.3}], extra=pd.DataFrame({"batch_nr": [7]}))
    with pytest.raises(ConfigError, match="one row per configuration"):
        instance.eval_batch([{"x": 0.3}], extra=pd.DataFrame({"stage": [0, 1]}))
    # a batch without extras leaves them missing
    instance.eval_batch([{"x": 0.5}])
    assert instance.archive.data["stage"].isna().tolist() == [False, False, True]


@pytest.mark.parametrize("key", ["hyperband", "successive_halving"])
def test_endless_repetitions_need_a_terminator(task: Any, key: str) -> None:
    import math

    search_space = ps(x=p_dbl(0, 1), iter=p_int(1, 4, tags="budget"))
    with pytest.raises(ConfigError, match="can never fire"):
        tune(tnr(key, repetitions=math.inf), task=task, learner=LearnerRegrKnown(),
             resampling=rsmp("holdout"), measures=msr("regr.mae"), search_space=search_space)
    instance = tune(tnr(key, repetitions=math.inf), task=task, learner=LearnerRegrKnown(),
                    resampling=rsmp("holdout"), measures=msr("regr.mae"),
                    search_space=search_space, term_evals=40)
    archive = instance.archive.data
    assert archive["repetition"].max() >= 2
    assert "budget of 40" in instance.archive.stop_reason
    assert archive["batch_nr"].value_counts().sort_index().iloc[:-1].sum() < 40


@pytest.mark.parametrize("key", ["hyperband", "successive_halving"])
def test_a_second_optimize_samples_new_configurations(task: Any, key: str) -> None:
    tuner = tnr(key, eta=2)
    instance = _run(tuner, task, upper=4)
    first = instance.archive.data["x"].tolist()
    tuner.optimize(instance)
    second = instance.archive.data["x"].tolist()[len(first):]
    assert len(second) == len(first)
    assert not set(second) & set(first)
