"""Tuning with optuna's samplers through ask-and-tell."""

from __future__ import annotations

import builtins
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_regr, msr, rsmp
from mlr3py.errors import ConfigError
from mlr3py.learners import LearnerRegr
from mlr3py.params import p_dbl, p_fct, p_int, p_lgl, p_uty, ps
from mlr3py.predictions import PredictionDataRegr
from mlr3py.testing import check_tuner
from mlr3py.tuning import tnr, tune
from mlr3py.tuning._optuna_space import OptunaSpace

optuna = pytest.importorskip("optuna")


@dataclass(frozen=True)
class _Constant:
    value: float


class LearnerRegrQuadratic(LearnerRegr):
    """Predicts ``(x - 0.3)^2 + (k - 3)^2 / 10 + flag + b + c`` (b only when kind == 'b')."""

    def __init__(self) -> None:
        super().__init__("regr.quadratic", param_set=ps(
            x=p_dbl(-1, 1, default=0, tags="train"),
            k=p_int(1, 100, default=1, tags="train"),
            kind=p_fct(["a", "b"], default="a", tags="train"),
            b=p_dbl(0, 1, default=0, tags="train", depends=("kind", "b")),
            flag=p_lgl(default=False, tags="train"),
            c=p_dbl(1e-6, 1, tags="train"),
        ))

    def _train(self, task: Any) -> _Constant:
        v = self.param_set.get_values(tags="train")
        value = ((v.get("x", 0) - 0.3) ** 2 + (v.get("k", 1) - 3) ** 2 / 10
                 + float(v.get("flag", False)) + v.get("b", 0.0) + v.get("c", 0.0))
        # parameters left unset count as 0
        return _Constant(value)

    def _predict(self, task: Any) -> PredictionDataRegr:
        return PredictionDataRegr(response=np.full(task.nrow, self.model.value))


@pytest.fixture
def task() -> Any:
    # the target is 0, so the absolute error is the prediction
    return as_task_regr(pd.DataFrame({"f": np.arange(10.0), "y": np.zeros(10)}),
                        target="y", id="zeros")


def _tune(tuner: Any, task: Any, evals: int = 12, seed: int = 1, **kwargs: Any) -> Any:
    kwargs.setdefault("search_space", ps(x=p_dbl(-1, 1), k=p_int(1, 10)))
    kwargs.setdefault("measures", msr("regr.mae"))
    return tune(tuner, task=task, learner=LearnerRegrQuadratic(), resampling=rsmp("holdout"),
                term_evals=evals, seed=seed, **kwargs)


def test_tpe_scores_are_the_known_function(task: Any) -> None:
    instance = _tune(tnr("optuna", sampler="tpe"), task, evals=15)
    archive = instance.archive.data
    assert len(archive) == 15
    expected = (archive["x"] - 0.3) ** 2 + (archive["k"] - 3) ** 2 / 10
    assert np.allclose(archive["regr.mae"].astype(float), expected, atol=1e-8)
    assert instance.result["regr.mae"].iloc[0] == archive["regr.mae"].min()


@pytest.mark.parametrize("sampler", ["tpe", "random", "qmc", "cmaes", "gp"])
def test_same_seed_same_proposals(task: Any, sampler: str) -> None:
    if sampler == "cmaes":
        pytest.importorskip("cmaes")
    evals = 12 if sampler != "gp" else 6
    a = _tune(tnr("optuna", sampler=sampler), task, evals=evals, seed=5).archive.data
    b = _tune(tnr("optuna", sampler=sampler), task, evals=evals, seed=5).archive.data
    c = _tune(tnr("optuna", sampler=sampler), task, evals=evals, seed=6).archive.data
    assert a["x"].tolist() == b["x"].tolist()
    assert a["k"].tolist() == b["k"].tolist()
    assert a["x"].tolist() != c["x"].tolist()


def test_sampler_instance_proposes_what_study_optimize_proposes(task: Any) -> None:
    instance = _tune(tnr("optuna", sampler=optuna.samplers.TPESampler(seed=3,
                                                                      n_startup_trials=4)),
                     task, evals=10)
    archive = instance.archive.data

    def objective(trial: Any) -> float:
        x, k = trial.suggest_float("x", -1, 1), trial.suggest_int("k", 1, 10)
        return (x - 0.3) ** 2 + (k - 3) ** 2 / 10 + 1e-3

    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=3, n_startup_trials=4))
    study.optimize(objective, n_trials=10)
    assert archive["x"].tolist() == [t.params["x"] for t in study.trials]
    assert archive["k"].tolist() == [t.params["k"] for t in study.trials]


def test_tuner_keeps_its_sampler_instance_unchanged(task: Any) -> None:
    tuner = tnr("optuna", sampler=optuna.samplers.RandomSampler(seed=2))
    first = _tune(tuner, task, evals=5).archive.data["x"].tolist()
    second = _tune(tuner, task, evals=5).archive.data["x"].tolist()
    assert first == second
    assert len(tuner.study.trials) == 5


def test_batch_size_asks_several_trials_per_batch(task: Any) -> None:
    instance = _tune(tnr("optuna", sampler="random", batch_size=4), task, evals=8)
    archive = instance.archive.data
    assert len(archive) == 8
    assert archive.groupby("batch_nr").size().tolist() == [4, 4]


def test_logscale_and_dependencies(task: Any) -> None:
    search_space = ps(c=p_dbl(1e-6, 1, logscale=True), k=p_int(1, 100, logscale=True),
                      kind=p_fct(["a", "b"]), b=p_dbl(0, 1, depends=("kind", "b")),
                      flag=p_lgl())
    tuner = tnr("optuna", sampler="tpe")
    archive = _tune(tuner, task, evals=16, search_space=search_space).archive.data
    # inactive parameters are not suggested
    assert archive.loc[archive["kind"] == "a", "b"].isna().all()
    assert archive.loc[archive["kind"] == "b", "b"].notna().all()
    trials = tuner.study.trials
    for (_, row), trial in zip(archive.iterrows(), trials, strict=True):
        params = trial.params
        assert ("b" in params) == (row["kind"] == "b")
        # logscale parameters reach optuna on their own scale, as log distributions
        assert math.isclose(row["x_domain"]["c"], params["c"], rel_tol=1e-9)
        assert row["x_domain"]["k"] == params["k"]
        assert 1e-6 <= params["c"] <= 1 and 1 <= params["k"] <= 100
        assert trial.distributions["c"].log and trial.distributions["k"].log


def test_multi_objective() -> None:
    # a target of 0 and 1: R^2 is defined
    task = as_task_regr(pd.DataFrame({"f": np.arange(12.0), "y": np.tile([0.0, 1.0], 6)}),
                        target="y", id="zero_one")
    tuner = tnr("optuna", sampler="tpe")
    instance = _tune(tuner, task, evals=10, measures=[msr("regr.mae"), msr("regr.rsq")])
    assert [d.name for d in tuner.study.directions] == ["MINIMIZE", "MAXIMIZE"]
    assert len(tuner.study.trials) == 10
    assert len(instance.result) >= 1


def test_cmaes_refuses_several_measures_before_evaluating() -> None:
    task = as_task_regr(pd.DataFrame({"f": np.arange(12.0), "y": np.tile([0.0, 1.0], 6)}),
                        target="y", id="zero_one")
    with pytest.raises(ConfigError, match="CMA-ES .* 'regr.mae', 'regr.rsq'"):
        _tune(tnr("optuna", sampler="cmaes"), task, evals=4,
              measures=[msr("regr.mae"), msr("regr.rsq")])


def test_optuna_log_level_is_restored(task: Any) -> None:
    before = optuna.logging.get_verbosity()
    _tune(tnr("optuna"), task, evals=2)
    assert optuna.logging.get_verbosity() == before


def test_bad_sampler_name() -> None:
    with pytest.raises(ConfigError, match="'sampler'.*'tpe'.*Got 'tpee'"):
        tnr("optuna", sampler="tpee")


def test_unbounded_parameter(task: Any) -> None:
    with pytest.raises(ConfigError, match="'k'.*unbounded"):
        # a trafo into the learner's range, so that the space fits the learner itself
        _tune(tnr("optuna"), task,
              search_space=ps(x=p_dbl(-1, 1), k=p_int(1, trafo=lambda v: min(v, 100))))


def test_untyped_parameter_is_refused(task: Any) -> None:
    with pytest.raises(ConfigError, match="ParamUty"):
        OptunaSpace(ps(u=p_uty()))


def test_without_optuna_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_optuna(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "optuna" or name.startswith("optuna."):
            raise ImportError("No module named 'optuna'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_optuna)
    with pytest.raises(ConfigError, match=r"pip install mlr3py\[tune\]"):
        tnr("optuna")


def test_conformance() -> None:
    check_tuner(tnr("optuna", sampler="random"))


@pytest.mark.parametrize("sampler", ["random", "tpe"])
def test_a_second_optimize_continues_the_study(task: Any, sampler: str) -> None:
    tuner = tnr("optuna", sampler=sampler, batch_size=2)
    instance = _tune(tuner, task, evals=4)
    instance.terminator.param_set.set_values(n_evals=8)
    tuner.optimize(instance)
    archive = instance.archive.data
    points = list(zip(archive["x"], archive["k"], strict=True))
    assert len(points) == 8 and len(set(points)) == 8
    assert tuner.study is not None
    told = tuner.study.trials[:4]
    assert [t.params["x"] for t in told] == archive["x"].tolist()[:4]
    assert [t.value for t in told] == pytest.approx(archive["regr.mae"].tolist()[:4])


def test_the_archive_is_told_with_the_suggested_distributions(task: Any) -> None:
    space = ps(x=p_dbl(1e-3, 1, logscale=True), k=p_int(1, 10, logscale=True),
               kind=p_fct(["a", "b"]), b=p_dbl(0, 1, depends=("kind", "b")), flag=p_lgl())
    tuner = tnr("optuna", sampler="tpe")
    instance = _tune(tuner, task, evals=6, search_space=space)
    instance.terminator.param_set.set_values(n_evals=9)
    tuner.optimize(instance)
    assert tuner.study is not None
    trials = tuner.study.trials
    asked = trials[6:]
    for told, row in zip(trials[:6], instance.archive.data.head(6).itertuples(), strict=True):
        assert told.params["x"] == pytest.approx(math.exp(row.x))
        assert ("b" in told.params) == (row.kind == "b")
        assert told.distributions["x"] == asked[0].distributions["x"]
        assert told.distributions["k"] == asked[0].distributions["k"]


def _continued(tuner: Any, task: Any, first: int, total: int) -> pd.DataFrame:
    instance = _tune(tuner, task, evals=first)
    instance.terminator.param_set.set_values(n_evals=total)
    tuner.optimize(instance)
    return instance.archive.data


@pytest.mark.parametrize("sampler", ["tpe", "user-tpe"])
def test_optimizing_in_two_calls_proposes_what_one_call_proposes(task: Any,
                                                                 sampler: str) -> None:
    def make() -> Any:
        if sampler == "tpe":
            return tnr("optuna", sampler="tpe")
        return tnr("optuna", sampler=optuna.samplers.TPESampler(seed=1, n_startup_trials=4))

    one = _tune(make(), task, evals=12).archive.data
    two = _continued(make(), task, 6, 12)
    assert two["x"].tolist() == one["x"].tolist()
    assert two["k"].tolist() == one["k"].tolist()


def test_a_sampler_instance_continues_with_new_points(task: Any) -> None:
    archive = _continued(tnr("optuna", sampler=optuna.samplers.RandomSampler(seed=1)),
                         task, 5, 10)
    assert len(set(archive["x"])) == 10


def test_another_tuner_continues_a_sampler_instance_with_new_points(task: Any) -> None:
    sampler = optuna.samplers.RandomSampler(seed=1)
    instance = _tune(tnr("optuna", sampler=sampler), task, evals=5)
    instance.terminator.param_set.set_values(n_evals=10)
    tuner = tnr("optuna", sampler=sampler)
    tuner.optimize(instance)
    assert len(set(instance.archive.data["x"])) == 10
    assert tuner.study is not None and len(tuner.study.trials) == 10  # the archive was told


def test_a_cloned_or_pickled_tuner_starts_a_new_study(task: Any) -> None:
    import pickle

    tuner = tnr("optuna", sampler="random")
    instance = _tune(tuner, task, evals=3)
    restored = pickle.loads(pickle.dumps(tuner))
    clone = tuner.clone()
    instance.terminator.param_set.set_values(n_evals=6)
    clone.optimize(instance)
    assert clone.study is not tuner.study
    assert restored.study is not None and len(restored.study.trials) == 3
