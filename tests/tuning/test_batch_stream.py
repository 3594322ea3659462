"""Batches streamed to the workers: the next batch queued while one runs, the same archive."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from mlr3py import lrn, plan, rsmp, tsk, tweak
from mlr3py.errors import ConfigError
from mlr3py.evaluation._stream import StreamDesign
from mlr3py.execution._engine import shutdown_workers
from mlr3py.params import p_int, ps, to_tune
from mlr3py.tuning import ti, tnr, trm, tune
from mlr3py.tuning._batch_stream import BatchSource

pytestmark = [pytest.mark.subprocess, pytest.mark.slow]


class Asked(list[tuple[bool, bool]]):
    designs: list[StreamDesign]

    def __init__(self) -> None:
        super().__init__()
        self.designs = []


@pytest.fixture(scope="module")
def workers() -> Iterator[None]:
    yield
    shutdown_workers()


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, bool]]:
    """(busy, given) for each time a tuning instance's source was asked for a batch; the
    designs given are in ``asked.designs``."""
    calls = Asked()
    more = BatchSource.more

    def recorded(self: BatchSource, busy: bool) -> Any:
        design = more(self, busy)
        calls.append((busy, design is not None))
        if design is not None:
            calls.designs.append(design)
        return design

    monkeypatch.setattr(BatchSource, "more", recorded)
    return calls


def _search(terminator: Any, seed: int = 3) -> Any:
    learner = lrn("classif.rpart", max_depth=to_tune(1, 8), min_samples_split=to_tune(2, 30))
    return tune(tnr("random_search", batch_size=4), tsk("penguins"), learner,
                rsmp("cv", folds=3), "classif.ce", terminator=terminator, seed=seed)


def test_batches_are_queued_while_one_runs_and_the_archive_is_the_sequential_one(
        workers: None, asked: list[tuple[bool, bool]]) -> None:
    sequential = _search(trm("evals", n_evals=16))
    assert all(not busy for busy, _ in asked)
    asked.clear()
    asked.designs.clear()
    with plan(tweak("processes", workers=2)):
        streamed = _search(trm("evals", n_evals=16))
    # batches 2 to 4 were drawn while the one before them ran; none beyond the budget
    assert asked.count((True, True)) == 3
    assert sum(given for _, given in asked) == 4
    assert [d.last for d in asked.designs] == [False, False, False, True]  # split to end even
    cols = ["max_depth", "min_samples_split", "classif.ce", "batch_nr"]
    pd.testing.assert_frame_equal(sequential.archive.data[cols], streamed.archive.data[cols])
    assert streamed.archive.stop_reason == sequential.archive.stop_reason


def test_a_terminator_that_cannot_tell_keeps_each_batch_waiting_for_the_archive(
        workers: None, asked: list[tuple[bool, bool]]) -> None:
    terminator = trm("combo", terminators=[trm("evals", n_evals=12), trm("run_time", secs=600)])
    with plan(tweak("processes", workers=2)):
        instance = _search(terminator)
    assert instance.archive.n_evals == 12
    # run_time cannot know how long the running batch takes: nothing is drawn early
    assert (True, False) in asked and (True, True) not in asked
    asked.clear()
    terminator = trm("combo", terminators=[trm("evals", n_evals=12),
                                           trm("perf_reached", level=0.0)])
    with plan(tweak("processes", workers=2)):
        instance = _search(terminator)
    # perf_reached cannot know the running batch's scores: nothing is drawn early
    assert instance.archive.n_evals == 12
    assert (True, False) in asked and (True, True) not in asked


def test_an_error_in_a_later_batch_comes_after_the_earlier_batches_are_archived(
        workers: None) -> None:
    space = ps(max_depth=p_int(1, 4))
    space.trafo = lambda x, param_set: {"max_depth": -1} if x["max_depth"] == 3 else x
    tuner = tnr("design_points", design=pd.DataFrame({"max_depth": [1, 2, 3, 4]}),
                batch_size=1)
    instance = ti(tsk("penguins"), lrn("classif.rpart"), rsmp("cv", folds=3), "classif.ce",
                  search_space=space, seed=1)
    with plan(tweak("processes", workers=2)):
        with pytest.raises(ConfigError, match=r"batch 3.*max_depth=3"):
            tuner.optimize(instance)
    assert list(instance.archive.data["max_depth"]) == [1, 2]
    assert list(instance.archive.data["batch_nr"]) == [1, 2]
