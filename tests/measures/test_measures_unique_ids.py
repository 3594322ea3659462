"""Measures passed together need unique ids (mlr3's assert_measures), at every entry point."""

from __future__ import annotations

import pytest

from mlr3py import benchmark, benchmark_grid, lrn, msr, resample, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.measures import as_measures, resolve_measures


@pytest.fixture(scope="module")
def rr():
    return resample(tsk("sonar"), lrn("classif.rpart"), rsmp("cv", folds=3), seed=1)


@pytest.fixture(scope="module")
def bmr():
    design = benchmark_grid(tsk("sonar"), lrn("classif.rpart"), rsmp("cv", folds=3), seed=1)
    return benchmark(design, seed=1)


DUPLICATES = [
    lambda: [msr("classif.fbeta"), msr("classif.fbeta", beta=2)],
    lambda: [msr("classif.ce"), msr("classif.ce", average="micro")],
    lambda: ["classif.ce", "classif.ce"],
]


@pytest.mark.parametrize("make", DUPLICATES)
@pytest.mark.parametrize(
    "entry",
    ["rr.aggregate", "rr.score", "prediction.score", "bmr.aggregate", "bmr.score"],
)
def test_duplicated_ids_raise_at_every_entry_point(rr, bmr, make, entry) -> None:
    measures = make()
    call = {
        "rr.aggregate": lambda: rr.aggregate(measures),
        "rr.score": lambda: rr.score(measures),
        "prediction.score": lambda: rr.prediction().score(measures),
        "bmr.aggregate": lambda: bmr.aggregate(measures),
        "bmr.score": lambda: bmr.score(measures),
    }[entry]
    with pytest.raises(ConfigError, match="unique ids") as info:
        call()
    message = str(info.value)
    dup = measures[0] if isinstance(measures[0], str) else measures[0].id
    assert f"'{dup}'" in message
    assert "id=" in message


def test_resolvers_raise_and_name_every_duplicate() -> None:
    measures = [msr("classif.ce"), msr("classif.acc"), msr("classif.ce"), msr("classif.acc")]
    with pytest.raises(ConfigError, match="'classif.ce', 'classif.acc'"):
        as_measures(measures)
    with pytest.raises(ConfigError, match="unique ids"):
        resolve_measures(measures, "classif", "Task 'x'")


def test_another_id_via_msr_or_field_scores_both(rr) -> None:
    f1 = msr("classif.fbeta")
    f2 = msr("classif.fbeta", beta=2, id="classif.f2")
    assert f2.id == "classif.f2"
    ce_micro = msr("classif.ce", average="micro")
    ce_micro.id = "classif.ce.micro"

    agg = rr.aggregate([f1, f2, msr("classif.ce"), ce_micro])
    assert list(agg.index) == ["classif.fbeta", "classif.f2", "classif.ce", "classif.ce.micro"]
    assert agg["classif.fbeta"] == pytest.approx(rr.aggregate(f1).iloc[0])
    assert agg["classif.f2"] == pytest.approx(rr.aggregate(msr("classif.fbeta", beta=2)).iloc[0])
    assert agg["classif.fbeta"] != pytest.approx(agg["classif.f2"])
    assert agg["classif.ce.micro"] == pytest.approx(
        rr.aggregate(msr("classif.ce", average="micro")).iloc[0])

    scores = rr.score([f1, f2])
    assert {"classif.fbeta", "classif.f2"} <= set(scores.columns)
    pred_scores = rr.prediction().score([f1, f2])
    assert list(pred_scores.index) == ["classif.fbeta", "classif.f2"]


def test_same_measure_object_twice_raises(rr) -> None:
    ce = msr("classif.ce")
    with pytest.raises(ConfigError, match="unique ids"):
        rr.aggregate([ce, ce])
