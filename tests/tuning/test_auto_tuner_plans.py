"""Nested resampling under the plan levels: the same seed, the same results.

``plan(["processes", "sequential"])`` runs the outer resampling in worker processes,
``plan(["sequential", "processes"])`` the inner tuning batches; both levels can be
parallel. The outer scores and the inner archives must not depend on the plan.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd
import pytest

from mlr3py import lrn, msr, plan, resample, rsmp, tsk, tweak
from mlr3py.params import to_tune
from mlr3py.tuning import auto_tuner, extract_inner_tuning_archives, tnr

_COMPARED = ["iteration", "x", "classif.ce", "batch_nr", "errors"]


@dataclass
class Run:
    scores: pd.DataFrame
    archives: pd.DataFrame
    outer_pids: set[int]  # processes that refit the outer iterations' learners
    inner_pids: set[int]  # processes that trained the inner evaluations


def _nested() -> Run:
    # classif.debug draws its constant label from the job's random stream: any seeding
    # difference between plans shows in the scores; its models record their process
    learner = lrn("classif.debug", x=to_tune(0, 1))
    at = auto_tuner(tnr("random_search", batch_size=2), learner, rsmp("cv", folds=2),
                    msr("classif.ce"), term_evals=4, store_models=True)
    rr = resample(tsk("iris"), at, rsmp("cv", folds=3), store_models=True, seed=7)
    inner_pids = {
        inner.model.pid
        for tuned in rr.learners
        for inner_rr in tuned.archive.benchmark_result.resample_results
        for inner in inner_rr.learners
    }
    return Run(
        scores=rr.score(msr("classif.ce"))[["iteration", "classif.ce"]],
        archives=extract_inner_tuning_archives(rr)[_COMPARED],
        outer_pids={tuned.learner.model.pid for tuned in rr.learners},
        inner_pids=inner_pids,
    )


@pytest.mark.slow
@pytest.mark.subprocess
def test_same_seed_same_results_under_every_plan_level() -> None:
    main = os.getpid()
    with plan("sequential"):
        base = _nested()
    assert len(base.archives) == 3 * 4
    assert base.outer_pids == base.inner_pids == {main}
    cases = {
        "outer": [tweak("processes", workers=2), "sequential"],
        "inner": ["sequential", tweak("processes", workers=2)],
        "both": [tweak("processes", workers=2), tweak("processes", workers=2)],
    }
    for name, levels in cases.items():
        with plan(levels):
            run = _nested()
        pd.testing.assert_frame_equal(run.scores, base.scores, obj=f"outer scores ({name})")
        pd.testing.assert_frame_equal(run.archives, base.archives,
                                      obj=f"inner archives ({name})")
        assert (main in run.outer_pids) == (name == "inner"), (name, run.outer_pids)
        assert main not in run.inner_pids, (name, run.inner_pids)
        if name == "both":  # the inner workers are other processes than the outer ones
            assert not run.inner_pids & run.outer_pids
