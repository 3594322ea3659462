"""The same seed gives identical predictions and scores under every plan, chunk size and order.

Exact equality (not approximate) for a random forest (``classif.ranger``) and the
debug learner, whose random label and probabilities come from the job's seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mlr3py.evaluation import benchmark, benchmark_grid
from mlr3py.execution import plan, tweak
from mlr3py.options import options
from mlr3py.sugar import lrn, msrs, rsmp, tsk

MEASURES = ("classif.ce", "classif.logloss", "classif.auc")


def _design() -> Any:
    ranger = lrn("classif.ranger", n_estimators=15, predict_type="prob")
    debug = lrn("classif.debug", predict_type="prob")
    return benchmark_grid(tsk("sonar"), [ranger, debug], rsmp("cv", folds=4), seed=11)


def _fingerprint(bmr: Any) -> list[Any]:
    out = []
    for rr in bmr.resample_results:
        for p in rr.predictions():
            out.append((p.row_ids.tolist(), p.response.astype(str).tolist(),
                        np.asarray(p.prob).tolist()))
    scores = bmr.score(msrs(list(MEASURES)))
    out.append(scores[list(MEASURES)].to_numpy().tolist())
    return out


@pytest.fixture(scope="module")
def reference() -> list[Any]:
    saved = options.exec_random, options.exec_chunk_size
    options.exec_random, options.exec_chunk_size = False, 1
    try:
        return _fingerprint(benchmark(_design(), seed=2024))
    finally:  # a module fixture runs outside the per-test restore of the options
        options.exec_random, options.exec_chunk_size = saved


PLANS = {
    "sequential": lambda client: tweak("sequential"),
    "threads": lambda client: tweak("threads", workers=2),
    "processes1": lambda client: tweak("processes", workers=1),
    "processes2": lambda client: tweak("processes", workers=2),
    "processes4": lambda client: tweak("processes", workers=4),
    "multicore": lambda client: tweak("multicore", workers=2),
    "dask": lambda client: tweak("dask", client=client),
}


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.subprocess
@pytest.mark.parametrize(("chunk_size", "exec_random"),
                         [(1, True), (3, False), (3, True), (None, True)])
@pytest.mark.parametrize("name", list(PLANS))
def test_same_seed_same_results(
    name: str, chunk_size: int | None, exec_random: bool, reference: list[Any], request: Any
) -> None:
    client = request.getfixturevalue("dask_client") if name == "dask" else None
    options.exec_chunk_size, options.exec_random = chunk_size, exec_random
    with plan(PLANS[name](client)):
        got = _fingerprint(benchmark(_design(), seed=2024))
    assert got == reference


@pytest.mark.dask
@pytest.mark.subprocess
def test_dask_by_scheduler_address(dask_client: Any, reference: list[Any]) -> None:
    with plan("cluster", address=dask_client.scheduler.address):
        assert _fingerprint(benchmark(_design(), seed=2024)) == reference


def test_other_seed_other_results(reference: list[Any]) -> None:
    with plan("threads", workers=2):
        assert _fingerprint(benchmark(_design(), seed=2025)) != reference


def test_caller_random_stream_is_untouched() -> None:
    np.random.seed(1)  # noqa: NPY002
    expected = np.random.random_sample(3)  # noqa: NPY002
    np.random.seed(1)  # noqa: NPY002
    with plan("threads", workers=2):
        benchmark(_design(), seed=3)
    assert np.random.random_sample(3).tolist() == expected.tolist()  # noqa: NPY002
