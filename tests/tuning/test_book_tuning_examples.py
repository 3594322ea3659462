"""The book's tuning runs (examples/book_10_1_3_*, book_10_1_4_*, book_tuning_exercise_3)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.subprocess
def test_10_1_3_random_search_on_four_workers_stops_after_24_evaluations(capsys) -> None:
    instance = _load("book_10_1_3_tuning_parallel").main()
    assert instance.archive.n_evals == 24
    assert instance.archive.n_batch == 2
    assert list(instance.archive.data["batch_nr"].value_counts().sort_index()) == [12, 12]
    assert capsys.readouterr().out.splitlines()[0] == "24"


@pytest.mark.slow
@pytest.mark.subprocess
def test_10_1_4_nested_resampling_under_each_plan_of_the_book() -> None:
    module = _load("book_10_1_4_nested_parallel")
    assert list(module.PLANS) == ["sequential", "outer loop in parallel",
                                  "inner loop in parallel", "both loops in parallel"]
    results = module.main()  # asserts that every plan gives the sequential results
    assert set(results) == set(module.PLANS)
    assert len(results["sequential"]) == 5


@pytest.mark.slow
def test_exercise_3_errors_in_the_archive_and_better_scores_with_more_errors() -> None:
    first, second = _load("book_tuning_exercise_3").main()
    for instance, (lower, upper) in ((first, (0, 1)), (second, (0.3, 0.7))):
        data = instance.archive.data
        assert instance.archive.n_evals == 50
        assert data["error_train"].between(lower, upper).all()
        # the errors column counts the failed trainings (out of 10 folds) of each evaluation
        assert data["errors"].between(0, 10).all() and data["errors"].sum() > 0
        assert data["error_train"].corr(data["errors"]) > 0.5
        # the fallback tree beats the debug learner: more errors, better accuracy
        assert data["error_train"].corr(data["classif.acc"]) > 0.3
        best = instance.result_learner_param_vals["error_train"]
        assert lower <= best <= upper
    assert (first.archive.data["errors"] == 0).any()  # error_train near 0 fails rarely
