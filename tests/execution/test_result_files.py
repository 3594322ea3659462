"""A unit's large result arrays come back from a worker process through a file.

``ship`` (in the worker) keeps buffers of at least the threshold out of the pickle
and writes them to one file; ``ShippedResults.receive`` (in the parent) maps each
of them copy-on-write and removes the file. Results plain pickle cannot
handle travel as they are.
"""

from __future__ import annotations

import glob
import os
import pickle

import numpy as np
import pandas as pd
import pytest

from mlr3py.evaluation import resample
from mlr3py.execution import plan
from mlr3py.execution._memmap import shared_folder
from mlr3py.execution._result_files import RESULT_PREFIX, ShippedResults, ship
from mlr3py.predictions import PredictionRegr
from mlr3py.sugar import lrn, rsmp
from mlr3py.tasks import as_task_regr


def _result_files() -> set[str]:
    return set(glob.glob(os.path.join(shared_folder(), f"{RESULT_PREFIX}*")))


def test_large_buffers_travel_in_a_file_that_receive_removes() -> None:
    big = np.arange(300_000, dtype=np.float64)  # 2.4 MB: out of band
    small = np.arange(10, dtype=np.int64)  # in band
    frame = pd.DataFrame({"a": np.linspace(0, 1, 200_000), "b": np.ones(200_000)})
    results = [{"big": big, "small": small}, frame, "text"]
    shipped = ship(results, threshold=1 << 20)
    assert isinstance(shipped, ShippedResults) and shipped.path is not None
    assert len(shipped.sizes) == 2  # the array and the frame's float block
    assert len(shipped.data) < 10_000  # the pickle itself stays small
    assert os.path.exists(shipped.path)
    # what travels through the pipe is the small record
    back = pickle.loads(pickle.dumps(shipped)).receive()
    assert not os.path.exists(shipped.path)
    np.testing.assert_array_equal(back[0]["big"], big)
    np.testing.assert_array_equal(back[0]["small"], small)
    pd.testing.assert_frame_equal(back[1], frame)
    assert back[2] == "text"
    back[0]["big"][0] = -1.0  # an array of its own, writable
    assert big[0] == 0.0


def test_small_results_travel_as_a_pickle_without_a_file() -> None:
    shipped = ship([np.arange(5), {"x": 1}], threshold=1 << 20)
    assert isinstance(shipped, ShippedResults) and shipped.path is None
    out = shipped.receive()
    assert out[1] == {"x": 1} and out[0].tolist() == [0, 1, 2, 3, 4]


def test_results_plain_pickle_cannot_handle_travel_as_they_are() -> None:
    results = [lambda x: x, np.zeros(1_000_000)]
    assert ship(results, threshold=1 << 20) is results


@pytest.mark.subprocess
def test_a_resample_under_processes_gets_its_large_predictions_through_files(
        monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[tuple[int, ...]] = []
    original = ShippedResults.receive

    def counting(self: ShippedResults) -> object:
        if self.path is not None:
            received.append(self.sizes)
        return original(self)

    monkeypatch.setattr(ShippedResults, "receive", counting)
    n = 400_000  # the test sets' predictions: 2.4 MB per array and job
    rng = np.random.default_rng(3)
    x = rng.normal(size=n)
    task = as_task_regr(pd.DataFrame({"x": x, "y": 2 * x + rng.normal(size=n)}), target="y")
    learner = lrn("regr.rpart", max_depth=3)
    resampling = rsmp("holdout", ratio=0.05)
    sequential = resample(task, learner, resampling, seed=5)
    before = _result_files()
    with plan("processes", workers=2):
        parallel = resample(task, learner, resampling, seed=5)
    expected, got = sequential.predictions()[0], parallel.predictions()[0]
    assert isinstance(expected, PredictionRegr) and isinstance(got, PredictionRegr)
    assert len(got.row_ids) == n - round(0.05 * n)
    np.testing.assert_array_equal(got.row_ids, expected.row_ids)
    np.testing.assert_array_equal(got.response, expected.response)
    np.testing.assert_array_equal(got.truth, expected.truth)
    # the job's prediction came through a file: its row ids, truth and response
    assert len(received) == 1 and all(size >= 8 * len(got.row_ids) for size in received[0][:3])
    assert _result_files() <= before  # received and removed


def _mapped_ranges() -> set[str]:
    with open("/proc/self/maps") as fh:
        return {line.split()[0] for line in fh if RESULT_PREFIX in line}


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs /proc")
def test_received_buffers_map_the_file_without_holding_a_descriptor() -> None:
    fds = len(os.listdir("/proc/self/fd"))
    big = np.arange(400_000, dtype=np.float64)
    kept = [ship([big + k, np.ones(300_000)], threshold=1 << 20).receive() for k in range(30)]
    assert len(os.listdir("/proc/self/fd")) == fds  # 60 mappings, no open file
    assert len(_mapped_ranges()) == 60  # each buffer mapped on its own
    for k, (values, ones) in enumerate(kept):
        np.testing.assert_array_equal(values, big + k)
        assert ones.sum() == 300_000
    values = kept[0][0]
    values[:] = -1.0  # copy-on-write: writable, this process's own pages
    assert values.sum() == -400_000
    del kept[:15], values, ones
    assert len(_mapped_ranges()) == 30  # the pages go with the arrays viewing them
    kept.clear()
    assert not _mapped_ranges()


def test_a_file_shorter_than_its_buffers_is_an_error_not_a_fault() -> None:
    shipped = ship([np.arange(300_000, dtype=np.float64)], threshold=1 << 20)
    assert shipped.path is not None
    os.truncate(shipped.path, 1 << 20)
    with pytest.raises(EOFError, match="ended early"):
        shipped.receive()
    assert not os.path.exists(shipped.path)
