"""``imputesample``, ``imputehist`` and ``imputelearner``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.pipelines.conftest import mixed_frame

from mlr3py import as_task_classif, as_task_regr, lrn, resample, rsmp
from mlr3py.errors import ConfigError, InputError
from mlr3py.pipelines import as_learner, po, selector_grep
from mlr3py.pipelines.ops_impute_random import row_uniform
from mlr3py.testing import check_pipeop


def _frame(n: int = 200, seed: int = 4) -> pd.DataFrame:
    frame = mixed_frame(n=n, seed=seed)
    frame["k"] = frame["k"].astype("Int64")
    frame["flag"] = frame["flag"].astype("boolean")
    rng = np.random.default_rng(seed)
    for col in ("x", "z", "k", "f", "flag"):
        frame.loc[rng.choice(n, size=n // 10, replace=False), col] = pd.NA
    return frame


@pytest.fixture
def task():  # type: ignore[no-untyped-def]
    return as_task_classif(_frame(), target="y", positive="pos")


def test_row_uniform_is_keyed_and_uniform() -> None:
    rows = np.arange(100_000)
    u = row_uniform(7, "x/sample", rows)
    assert u.min() >= 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.01 and abs(np.var(u) - 1 / 12) < 0.002
    counts = np.bincount((u * 10).astype(int), minlength=10)
    assert counts.min() > 9_500  # 10,000 expected per decile
    # a row's draw depends on (seed, key, row id) only
    assert np.array_equal(row_uniform(7, "x/sample", rows[::-1])[::-1], u)
    assert np.array_equal(row_uniform(7, "x/sample", rows[500:600]), u[500:600])
    assert not np.allclose(row_uniform(8, "x/sample", rows[:50]), u[:50])
    assert not np.allclose(row_uniform(7, "z/sample", rows[:50]), u[:50])
    assert abs(np.corrcoef(u, row_uniform(7, "z/sample", rows))[0, 1]) < 0.02


@pytest.mark.parametrize("key", ["imputesample", "imputehist", "imputelearner"])
def test_random_and_learner_imputers_conform(key: str, task) -> None:  # type: ignore[no-untyped-def]
    check_pipeop(po(key), task)


def test_imputesample_draws_observed_values_in_their_shares(task) -> None:  # type: ignore[no-untyped-def]
    op = po("imputesample")
    (out,) = op.train([task])
    assert out.missings().sum() == 0
    before, after = task.data(), out.data()
    for col in ("x", "z", "k", "f", "flag"):
        missing = before[col].isna().to_numpy()
        observed = set(before[col].dropna().tolist())
        assert set(after[col][missing].tolist()) <= observed, col
        assert after[col][~missing].tolist() == before[col][~missing].tolist()
    assert out.feature_types.set_index("id").loc["f", "type"] == "factor"
    # shares: many missing rows drawn from a three-to-one feature
    n = 4000
    big = pd.DataFrame({"g": pd.Categorical(np.where(np.arange(n) % 4 == 0, "one", "three")),
                        "y": np.where(np.arange(n) % 2 == 0, "u", "v")})
    train = as_task_classif(big, target="y")
    newdata = as_task_classif(pd.DataFrame({"g": pd.Categorical([None] * n, categories=["one",
                                                                                   "three"]),
                                            "y": big["y"]}), target="y")
    sampler = po("imputesample")
    sampler.train([train])
    (pred,) = sampler.predict([newdata])
    share = (pred.data(cols="g")["g"] == "one").mean()
    assert 0.22 < share < 0.28


def test_imputehist_draws_inside_the_training_range(task) -> None:  # type: ignore[no-untyped-def]
    op = po("imputehist")
    (out,) = op.train([task])
    before, after = task.data(), out.data()
    for col in ("x", "z", "k"):
        known = before[col].dropna().astype(float)
        missing = before[col].isna().to_numpy()
        drawn = after[col][missing].astype(float)
        assert drawn.notna().all() and drawn.between(known.min(), known.max()).all(), col
    k = after["k"][before["k"].isna().to_numpy()].astype(float)
    assert np.array_equal(k, np.round(k))  # an integer feature stays whole
    assert out.missings(["f"])["f"] == before["f"].isna().sum()  # factors untouched
    # a distribution: a histogram's draws follow the training mass
    rng = np.random.default_rng(0)
    n = 6000
    x = np.concatenate([rng.normal(0, 1, n), rng.normal(10, 1, n // 3)])
    train = as_task_regr(pd.DataFrame({"x": x, "y": rng.normal(size=len(x))}), target="y")
    test = as_task_regr(pd.DataFrame({"x": np.full(n, np.nan), "y": np.zeros(n)}), target="y")
    hist = po("imputehist")
    hist.train([train])
    (pred,) = hist.predict([test])
    drawn = pred.data(cols="x")["x"].to_numpy()
    assert 0.21 < (drawn > 5).mean() < 0.29  # a quarter of the mass is near 10


def test_random_imputation_repeats_with_the_seed(task) -> None:  # type: ignore[no-untyped-def]
    def run(seed: int) -> pd.DataFrame:
        np.random.seed(seed)  # noqa: NPY002 - the job runner seeds numpy's stream per job
        (out,) = po("imputesample").train([task])
        return out.data()

    pd.testing.assert_frame_equal(run(1), run(1))
    assert not run(1).equals(run(2))


@pytest.mark.slow
def test_imputation_inside_resample_repeats_under_the_seed(task) -> None:  # type: ignore[no-untyped-def]
    learner = as_learner(po("imputehist") >> po("imputesample") >> lrn("classif.log_reg"))
    a = resample(task, learner, rsmp("cv", folds=3), seed=5).aggregate()
    b = resample(task, learner, rsmp("cv", folds=3), seed=5).aggregate()
    assert a.equals(b)


def test_imputelearner_imputes_the_learners_predictions() -> None:
    rng = np.random.default_rng(1)
    n = 80
    x = rng.normal(size=n)
    frame = pd.DataFrame({"x": x, "z": 2 * x + 1, "w": rng.normal(size=n),
                          "y": rng.normal(size=n)})
    missing = rng.choice(n, size=10, replace=False)
    frame.loc[missing, "z"] = np.nan
    task = as_task_regr(frame, target="y")
    op = po("imputelearner", lrn("regr.lm"), context_columns=selector_grep("^x$"))
    (out,) = op.train([task])
    z = out.data(cols="z")["z"].to_numpy()
    assert np.allclose(z[missing], 2 * x[missing] + 1)  # exact: z is linear in x
    assert set(op.state.models) == {"x", "z", "w"}
    assert op.state.context["z"] == ["x"]
    new = as_task_regr(pd.DataFrame({"x": [3.0, -1.0], "z": [np.nan, 0.5], "w": [0.0, 0.0],
                                     "y": [0.0, 0.0]}), target="y")
    (pred,) = op.predict([new])
    assert np.allclose(pred.data(cols="z")["z"], [7.0, 0.5])


def test_imputelearner_classif_imputes_factors_and_logicals(task) -> None:  # type: ignore[no-untyped-def]
    op = po("imputelearner", lrn("classif.rpart", random_state=0))
    (out,) = op.train([task])
    assert out.missings(["f", "flag"]).sum() == 0
    assert out.missings(["x", "z", "k"]).sum() == task.missings(["x", "z", "k"]).sum()
    f = out.data(cols="f")["f"]
    assert isinstance(f.dtype, pd.CategoricalDtype) and set(f) <= {"a", "b", "c"}
    assert set(out.data(cols="flag")["flag"]) <= {True, False}
    # the imputed factor values are the tree's predictions from the other features
    frame = task.data()
    known = frame["f"].notna()
    ctx = ["x", "z", "k", "flag"]
    tree = lrn("classif.rpart", random_state=0)
    tree.train(as_task_classif(frame.loc[known, [*ctx, "f"]].reset_index(drop=True)
                               .assign(f=lambda d: d["f"].astype(str)), target="f"))
    expected = tree.predict_newdata(frame.loc[~known, ctx].reset_index(drop=True)).response
    assert list(f[~known.to_numpy()].astype(str)) == [str(v) for v in expected]


def test_imputelearner_bad_input(task) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="needs a Learner"):
        po("imputelearner", 42)
    with pytest.raises(InputError, match="impute feature 'x'.*context_columns"):
        po("imputelearner", lrn("regr.lm")).train([task])
    assert po("imputelearner", max_depth=2).param_set.values["max_depth"] == 2


def test_all_missing_feature_gets_a_fallback() -> None:
    frame = pd.DataFrame({"a": [np.nan] * 6, "b": np.arange(6.0),
                          "y": ["u", "v"] * 3})
    task = as_task_classif(frame, target="y")
    for key in ("imputesample", "imputehist", "imputelearner"):
        (out,) = po(key).train([task])
        assert out.data(cols="a")["a"].tolist() == [0.0] * 6, key
