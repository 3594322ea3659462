"""tune_nested(): nested resampling in one call, as mlr3tuning's."""

from __future__ import annotations

import pytest

import mlr3py
from mlr3py import lrn, msr, resample, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.params import to_tune
from mlr3py.tuning import (
    AutoTuner,
    auto_tuner,
    extract_inner_tuning_archives,
    extract_inner_tuning_results,
    tnr,
    tune_nested,
)


def _learner():
    return lrn("classif.rpart", random_state=0, max_depth=to_tune(1, 8))


def test_tune_nested_is_the_auto_tuner_resampled() -> None:
    task = tsk("penguins")
    rr = tune_nested(tnr("random_search", batch_size=2), task, _learner(),
                     inner_resampling=rsmp("holdout"), outer_resampling=rsmp("cv", folds=3),
                     measure=msr("classif.ce"), term_evals=4, seed=7)
    assert rr.resampling.id == "cv" and rr.iters == 3
    assert all(isinstance(learner, AutoTuner) for learner in rr.learners)
    inner = extract_inner_tuning_results(rr)
    assert len(inner) == 3 and inner["max_depth"].between(1, 8).all()
    archives = extract_inner_tuning_archives(rr, exclude_columns=())
    assert len(archives) == 12  # 4 evaluations per outer iteration
    assert archives["resample_result"].notna().all()  # store_benchmark_result=True
    # the same as building the AutoTuner and resampling it by hand, same seed
    at = auto_tuner(tnr("random_search", batch_size=2), _learner(), rsmp("holdout"),
                    "classif.ce", term_evals=4, store_benchmark_result=True)
    by_hand = resample(task, at, rsmp("cv", folds=3), store_models=True, seed=7)
    assert by_hand.score(msr("classif.ce"))["classif.ce"].tolist() == \
        rr.score(msr("classif.ce"))["classif.ce"].tolist()
    assert mlr3py.tune_nested is tune_nested


def test_tune_nested_without_a_budget_for_random_search_says_what_to_give() -> None:
    with pytest.raises(ConfigError, match="term_evals|terminator"):
        tune_nested(tnr("random_search"), tsk("penguins"), _learner(), rsmp("holdout"),
                    rsmp("cv", folds=2), "classif.ce", seed=1)


def test_a_resampling_of_another_type_is_named_by_its_argument():
    learner = lrn("classif.rpart", ccp_alpha=to_tune(1e-4, 0.1, logscale=True))
    for inner, outer, name in ((rsmp("holdout"), "cv", "outer_resampling"),
                               ("holdout", rsmp("cv", folds=2), "inner_resampling")):
        with pytest.raises(ConfigError, match=f"'{name}' argument of tune_nested.. must be "
                                              "a Resampling"):
            tune_nested(tnr("random_search"), tsk("penguins"), learner, inner, outer,
                        "classif.ce", term_evals=2)
    with pytest.raises(ConfigError, match="'tuner' argument of tune_nested.. must be a Tuner"):
        tune_nested("random_search", tsk("penguins"), learner, rsmp("holdout"),  # type: ignore[arg-type]
                    rsmp("cv", folds=2), "classif.ce", term_evals=2)
