"""store_predictions=False on files: the test set scored as it streams, never held whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py import (
    as_parquet_backend,
    as_task_classif,
    as_task_regr,
    lrn,
    options,
    resample,
    rsmp,
)
from mlr3py.errors import BackendConnectionError
from mlr3py.evaluation import _streamed_scores

pytest.importorskip("duckdb", reason="needs the sql extra (pip install 'mlr3py[sql]')")

REGR = ["regr.rmse", "regr.mae", "regr.bias"]


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Slices of 700 test ids, chunks of 150 rows; records the rows of each chunk."""
    monkeypatch.setattr(_streamed_scores, "SLICE_ROWS", 700)
    options.predict_chunk_size = 150
    seen: list[int] = []
    original = _streamed_scores.predict_chunks

    def spy(learner: Any, task: Any, row_ids: Any, sink: Any) -> float:
        add = sink.add

        def counted(part: Any) -> None:
            seen.append(len(part.row_ids))
            add(part)

        sink.add = counted
        try:
            return original(learner, task, row_ids, sink)
        finally:
            del sink.add

    monkeypatch.setattr(_streamed_scores, "predict_chunks", spy)
    return seen


def _frame(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    frame = pd.DataFrame(x, columns=["a", "b", "c", "d"])
    frame["y"] = x @ np.array([1.0, -2.0, 0.5, 0.0]) + rng.normal(size=n)
    frame["w"] = rng.uniform(0.5, 2.0, size=n)
    frame["cls"] = np.where(frame["y"] + rng.normal(size=n) > 0, "up", "down")
    return frame


def _regr_tasks(tmp_path: Path, weights: bool = False) -> tuple[Any, Any]:
    frame = _frame().drop(columns="cls")
    path = tmp_path / "regr.parquet"
    frame.to_parquet(path)
    on_files = as_task_regr(as_parquet_backend(path), target="y", id="t")
    in_memory = as_task_regr(frame, target="y", id="t")
    for task in (on_files, in_memory):
        task.col_roles["feature"] = ["a", "b", "c", "d"]
        if weights:
            task.col_roles["weights_measure"] = ["w"]
    return on_files, in_memory


def _scores(rr: Any, measures: list[str]) -> np.ndarray:
    return rr.score(measures)[measures].to_numpy(dtype=float)


@pytest.mark.parametrize("resampling", [
    rsmp("subsampling", ratio=0.2, repeats=2), rsmp("bootstrap", repeats=2),
    rsmp("cv", folds=3), rsmp("holdout", ratio=0.1),
], ids=lambda r: r.id)
def test_streamed_scores_equal_those_of_the_kept_predictions(
    tmp_path: Path, small_parts: list[int], resampling: Any,
) -> None:
    on_files, in_memory = _regr_tasks(tmp_path)
    learner = lrn("regr.rpart", max_depth=5)
    want = resample(in_memory, learner, resampling, seed=3)
    got = resample(on_files, learner, resampling, seed=3, store_predictions=False, measures=REGR)
    np.testing.assert_allclose(_scores(got, REGR), _scores(want, REGR), rtol=1e-10)
    assert small_parts and max(small_parts) <= 150  # chunk by chunk
    tested = sum(len(want.resampling.test_set(i)) for i in range(want.resampling.iters))
    assert sum(small_parts) == tested  # every test row once, in one pass
    assert (got.score("time_predict")["time_predict"] > 0).all()


def test_measure_weights_and_repeated_test_ids_stream_too(
    tmp_path: Path, small_parts: list[int],
) -> None:
    on_files, in_memory = _regr_tasks(tmp_path, weights=True)
    custom = rsmp("custom")
    test = np.concatenate([np.arange(1000, 3000), np.arange(1000, 1400)])  # 400 ids twice
    custom.instantiate(in_memory, train_sets=[np.arange(1000)], test_sets=[test])
    learner = lrn("regr.rpart", max_depth=5)
    want = resample(in_memory, learner, custom, seed=3)
    got = resample(on_files, learner, custom, seed=3, store_predictions=False, measures=REGR)
    np.testing.assert_allclose(_scores(got, REGR), _scores(want, REGR), rtol=1e-10)
    assert sum(small_parts) == 2000  # each distinct id predicted once


def test_classification_with_probabilities_streams(tmp_path: Path, small_parts: list[int]) -> None:
    frame = _frame().drop(columns=["y", "w"])
    path = tmp_path / "classif.parquet"
    frame.to_parquet(path)
    measures = ["classif.ce", "classif.logloss", "classif.bbrier"]
    learner = lrn("classif.rpart", predict_type="prob", max_depth=4)
    resampling = rsmp("subsampling", ratio=0.3, repeats=2)
    want = resample(as_task_classif(frame, target="cls"), learner, resampling, seed=5)
    got = resample(as_task_classif(as_parquet_backend(path), target="cls"), learner,
                   resampling, seed=5, store_predictions=False, measures=measures)
    np.testing.assert_allclose(_scores(got, measures), _scores(want, measures), rtol=1e-10)
    assert small_parts


def test_a_measure_of_the_whole_prediction_predicts_it_whole(
    tmp_path: Path, small_parts: list[int],
) -> None:
    on_files, in_memory = _regr_tasks(tmp_path)
    measures = ["regr.rmse", "regr.medae"]  # a median needs every row at once
    learner = lrn("regr.rpart", max_depth=5)
    resampling = rsmp("subsampling", ratio=0.2, repeats=2)
    want = resample(in_memory, learner, resampling, seed=3)
    got = resample(on_files, learner, resampling, seed=3, store_predictions=False,
                   measures=measures)
    np.testing.assert_allclose(_scores(got, measures), _scores(want, measures), rtol=1e-10)
    assert not small_parts


def test_a_stream_that_fails_is_read_again_chunk_by_chunk(
    tmp_path: Path, small_parts: list[int], monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_files, in_memory = _regr_tasks(tmp_path)
    backend_type = type(on_files.backend)
    original = backend_type.stream_frames
    failed: list[bool] = []

    def flaky(self: Any, rows: Any, cols: Any, chunk_rows: int, consume: Any) -> None:
        def once(frame: pd.DataFrame) -> None:
            consume(frame)
            if not failed:  # after the first chunk was taken
                failed.append(True)
                raise BackendConnectionError("the connection went away")

        original(self, rows, cols, chunk_rows, once)

    monkeypatch.setattr(backend_type, "stream_frames", flaky)
    learner = lrn("regr.rpart", max_depth=5)
    resampling = rsmp("subsampling", ratio=0.2, repeats=1)
    want = resample(in_memory, learner, resampling, seed=3)
    got = resample(on_files, learner, resampling, seed=3, store_predictions=False, measures=REGR)
    assert failed
    np.testing.assert_allclose(_scores(got, REGR), _scores(want, REGR), rtol=1e-10)
    assert sum(small_parts) == 2400 + 150  # the first chunk twice: taken, then dropped


def test_a_failed_training_scores_nan_or_the_fallbacks_scores(
    tmp_path: Path, small_parts: list[int],
) -> None:
    on_files, in_memory = _regr_tasks(tmp_path)
    failing = lrn("regr.debug", error_train=1.0)
    rr = resample(on_files, failing, rsmp("holdout"), seed=1, store_predictions=False,
                  measures=REGR, encapsulate="try")
    assert np.isnan(_scores(rr, REGR)).all()
    assert len(rr.errors) == 1
    failing.encapsulate("try", lrn("regr.featureless"))
    want = resample(in_memory, failing, rsmp("holdout"), seed=1)
    got = resample(on_files, failing, rsmp("holdout"), seed=1, store_predictions=False,
                   measures=REGR)
    np.testing.assert_allclose(_scores(got, REGR), _scores(want, REGR), rtol=1e-10)
    assert not np.isnan(_scores(got, REGR)).any() and small_parts


@pytest.mark.slow
@pytest.mark.subprocess
def test_parts_on_workers_send_back_sums_not_predictions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mlr3py import plan, tweak
    from mlr3py.evaluation import _split_predict

    on_files, in_memory = _regr_tasks(tmp_path)
    brought: list[bool] = []
    put = _split_predict._Assembly._put

    def spy(self: Any, part: Any) -> None:
        brought.append(part.sums is not None and part.prediction is None)
        put(self, part)

    monkeypatch.setattr(_split_predict._Assembly, "_put", spy)
    learner = lrn("regr.rpart", max_depth=5)
    resampling = rsmp("subsampling", ratio=0.2, repeats=3)
    want = resample(in_memory, learner, resampling, seed=8)
    options.predict_split_rows = 100  # three jobs on two workers: test sets in parts
    with plan(tweak("processes", workers=2)):
        got = resample(on_files, learner, resampling, seed=8, store_predictions=False,
                       measures=REGR)
    assert len(brought) >= 6 and all(brought)
    np.testing.assert_allclose(_scores(got, REGR), _scores(want, REGR), rtol=1e-10)
    assert (got.score("time_predict")["time_predict"] > 0).all()


def test_a_measure_without_task_type_that_reads_the_prediction_keeps_it_whole(
    tmp_path: Path, small_parts: list[int],
) -> None:
    frame = _frame().drop(columns=["y", "w"])
    path = tmp_path / "classif.parquet"
    frame.to_parquet(path)
    measures = ["classif.ce", "debug_classif"]  # debug_classif: no task type, a prediction
    learner = lrn("classif.rpart", max_depth=4)
    want = resample(as_task_classif(frame, target="cls"), learner, rsmp("holdout"), seed=5)
    got = resample(as_task_classif(as_parquet_backend(path), target="cls"), learner,
                   rsmp("holdout"), seed=5, store_predictions=False, measures=measures)
    np.testing.assert_allclose(_scores(got, measures), _scores(want, measures))
    assert not small_parts
