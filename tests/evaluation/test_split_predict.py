"""Jobs that do not divide evenly among the workers: test sets predicted in parts."""

from __future__ import annotations

import itertools
from collections.abc import Callable
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
    msr,
    options,
    plan,
    resample,
    rsmp,
    tsk,
    tweak,
)
from mlr3py.errors import ConfigError, LearnerTrainError
from mlr3py.evaluation import _split_predict
from mlr3py.evaluation._job import Job
from mlr3py.evaluation._split_predict import run_split, split_layout
from mlr3py.evaluation._worker import settle


@pytest.fixture
def on_files(tmp_path: Path) -> Callable[[str], Any]:
    """The built-in task ``name`` with its data in a Parquet file (only such tasks split)."""
    pytest.importorskip("duckdb", reason="needs the sql extra (pip install 'mlr3py[sql]')")
    pytest.importorskip("pyarrow", reason="needs the sql extra (pip install 'mlr3py[sql]')")

    def make(name: str) -> Any:
        task = tsk(name)
        frame = task.data().reset_index(drop=True)
        for col in frame.columns:
            if isinstance(frame[col].dtype, pd.CategoricalDtype):
                frame[col] = frame[col].astype(object)
        path = tmp_path / f"{name}.parquet"
        frame.to_parquet(path)
        convert = as_task_classif if task.task_type == "classif" else as_task_regr
        return convert(as_parquet_backend(path), target=task.target_names[0], id=name)

    return make


def _jobs(learner: Any, repeats: int, task: Any) -> list[Job]:
    resampling = rsmp("subsampling", ratio=0.3, repeats=repeats).instantiate(task, seed=1)
    return [Job(task, learner, resampling, i, seed=i) for i in range(repeats)]


@pytest.fixture
def two_streaming_workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sequential plan, seen by the split as two workers that stream; the sizes of
    the parts predicted are recorded."""
    monkeypatch.setattr(_split_predict, "stream_workers", lambda: 2)
    sizes: list[int] = []
    step = _split_predict.predict_step

    def counted(learner: Any, task: Any, rows: Any) -> Any:
        sizes.append(len(rows))
        return step(learner, task, rows)

    monkeypatch.setattr(_split_predict, "predict_step", counted)
    return sizes


def test_layout_splits_jobs_that_do_not_divide_among_the_workers(
    two_streaming_workers: list[int], on_files: Callable[[str], Any],
) -> None:
    options.predict_split_rows = 5  # mtcars: 22 or 23 test rows per job
    tree = lrn("regr.rpart")
    task = on_files("mtcars")
    assert split_layout(_jobs(tree, 3, task)) == [2, 2, 4]  # the last one in smaller parts
    assert split_layout(_jobs(tree, 4, task)) is None  # 4 jobs divide among 2 workers
    assert split_layout(_jobs(tree, 1, task)) == [2]
    options.predict_split_rows = 8  # a part would have fewer rows
    assert split_layout(_jobs(tree, 3, task)) == [2, 2, 2]
    options.predict_split_rows = 12
    assert split_layout(_jobs(tree, 3, task)) is None
    options.predict_split_rows = None
    assert split_layout(_jobs(tree, 3, task)) is None
    options.predict_split_rows = 5
    assert split_layout(_jobs(tree, 3, tsk("mtcars"))) is None  # data in memory: whole


def test_layout_keeps_jobs_whole_for_other_learners_and_plans(
    two_streaming_workers: list[int], monkeypatch: pytest.MonkeyPatch,
    on_files: Callable[[str], Any],
) -> None:
    options.predict_split_rows = 5
    task = on_files("mtcars")
    assert not lrn("regr.featureless").rowwise_predict
    assert split_layout(_jobs(lrn("regr.featureless"), 3, task)) is None
    with_fallback = lrn("regr.rpart", fallback=lrn("regr.featureless"), encapsulation="try")
    assert split_layout(_jobs(with_fallback, 3, task)) is None
    monkeypatch.undo()  # the real plan levels
    for spec in ("sequential", tweak("threads", workers=2)):
        with plan(spec):
            assert split_layout(_jobs(lrn("regr.rpart"), 3, task)) is None


@pytest.mark.parametrize("value", [0, -5, 2.5, True, "100"])
def test_the_option_takes_an_int_or_none(value: Any) -> None:
    with pytest.raises(ConfigError, match=r"'predict_split_rows' must be an int >= 1 or None"):
        options.predict_split_rows = value
    options.predict_split_rows = None
    options.predict_split_rows = 1


@pytest.mark.parametrize("shuffled", [False, True])
def test_parts_put_together_equal_the_whole_prediction(
    two_streaming_workers: list[int], shuffled: bool,
    on_files: Callable[[str], Any],
) -> None:
    options.predict_split_rows = 4
    task = on_files("mtcars")
    resampling: Any = rsmp("subsampling", ratio=0.3, repeats=3)
    if shuffled:  # test sets whose row ids are not sorted
        rng = np.random.default_rng(5)
        ids = [rng.permutation(task.row_ids) for _ in range(3)]
        resampling = rsmp("custom").instantiate(
            task, train_sets=[i[:10] for i in ids], test_sets=[i[10:] for i in ids])
    learner = lrn("regr.rpart", max_depth=3)
    split = resample(task, learner, resampling, seed=3)
    parts = [np.diff(np.linspace(0, len(split.resampling.test_set(i)), n + 1).round())
             for i, n in enumerate([2, 2, 4])]
    assert sorted(two_streaming_workers) == sorted(np.concatenate(parts).astype(int).tolist())
    options.predict_split_rows = None
    whole = resample(task, learner, resampling, seed=3)
    assert len(two_streaming_workers) == 8  # the whole run predicted no parts
    for got, want in zip(split.predictions(), whole.predictions(), strict=True):
        np.testing.assert_array_equal(got.row_ids, want.row_ids)
        np.testing.assert_array_equal(got.response, want.response)
        np.testing.assert_array_equal(got.truth, want.truth)
    assert split.aggregate(msr("regr.mse")).equals(whole.aggregate(msr("regr.mse")))


def test_stored_models_are_the_trained_ones(
    two_streaming_workers: list[int], on_files: Callable[[str], Any],
) -> None:
    options.predict_split_rows = 4
    task = on_files("mtcars")
    rr = resample(task, lrn("regr.rpart", max_depth=3), rsmp("subsampling", ratio=0.3,
                  repeats=3), seed=4, store_models=True)
    assert len(two_streaming_workers) == 8
    for i, learner in enumerate(rr.learners):
        rows = rr.resampling.test_set(i)
        np.testing.assert_array_equal(learner.predict(task, rows).response,
                                      rr.predictions()[i].response)
        assert learner.model is not None and learner.state.predict_time >= 0


def test_a_training_that_raises_keeps_the_other_jobs(
    two_streaming_workers: list[int], on_files: Callable[[str], Any],
) -> None:
    options.predict_split_rows = 20
    task = on_files("penguins")
    failing = lrn("classif.debug", error_train=1)
    failing.rowwise_predict = True  # split like a tree: its training raises first
    jobs = _jobs(failing, 3, task)[:1] + _jobs(lrn("classif.rpart"), 3, task)[1:]
    layout = split_layout(jobs)
    assert layout == [2, 2, 4]
    outcomes = run_split(jobs, layout)
    assert type(outcomes[0]).__name__ == "JobRaised"
    with pytest.raises(LearnerTrainError) as info:
        settle(jobs, outcomes)
    finished = info.value.finished_jobs  # type: ignore[attr-defined]
    assert [r.iteration for r in finished] == [1, 2]
    assert len(two_streaming_workers) == 6  # the two other jobs, in 2 and 4 parts


@pytest.mark.subprocess
def test_processes_plan_predicts_in_parts_and_equals_sequential(
    on_files: Callable[[str], Any],
) -> None:
    options.predict_split_rows = 30
    task = on_files("spam")  # 4601 rows: 3,221 test rows per job, predicted in parts
    learner = lrn("classif.rpart", max_depth=4, predict_type="prob")
    resampling = rsmp("subsampling", ratio=0.3, repeats=3)
    want = resample(task, learner, resampling, seed=8)
    with plan(tweak("processes", workers=2)):
        assert split_layout(_jobs(learner, 3, task)) == [2, 2, 4]
        got = resample(task, learner, resampling, seed=8)
    for a, b in zip(got.predictions(), want.predictions(), strict=True):
        np.testing.assert_array_equal(a.row_ids, b.row_ids)
        np.testing.assert_array_equal(a.response, b.response)
        np.testing.assert_array_equal(a.prob, b.prob)
    assert got.score(msr("classif.auc")).equals(want.score(msr("classif.auc")))


@pytest.mark.subprocess
def test_a_part_lost_with_its_worker_fails_its_job_only(
    on_files: Callable[[str], Any],
) -> None:
    options.predict_split_rows = 20
    task = on_files("penguins")
    crashing = lrn("classif.debug", segfault_predict=1)
    crashing.rowwise_predict = True  # split like a tree: the worker of a part dies
    jobs = _jobs(lrn("classif.rpart"), 3, task)[:2] + _jobs(crashing, 3, task)[2:]
    with plan(tweak("processes", workers=2)):
        layout = split_layout(jobs)
        assert layout == [2, 2, 4]
        results = settle(jobs, run_split(jobs, layout))
    assert [r.iteration for r in results] == [0, 1, 2]
    assert [any(e.cls == "error" for e in r.log) for r in results] == [False, False, True]
    assert results[2].log[0].stage == "predict" and "died" in results[2].log[0].msg
    np.testing.assert_array_equal(results[0].prediction.row_ids, jobs[0].resampling.test_set(0))


def test_a_failed_training_under_encapsulation_predicts_missing_values_in_parts(
    two_streaming_workers: list[int],
    on_files: Callable[[str], Any],
) -> None:
    task = on_files("penguins")
    failing = lrn("classif.debug", error_train=1, encapsulation="try")
    failing.rowwise_predict = True
    options.predict_split_rows = 20
    split = resample(task, failing, rsmp("subsampling", repeats=3), seed=2)
    assert len(two_streaming_workers) == 8
    options.predict_split_rows = None
    whole = resample(task, failing, rsmp("subsampling", repeats=3), seed=2)
    for got, want in zip(split.predictions(), whole.predictions(), strict=True):
        np.testing.assert_array_equal(got.row_ids, want.row_ids)
        assert pd.isna(np.asarray(got.response, dtype=object)).all()
    assert split.errors.equals(whole.errors)
    assert len(split.errors) == 3


def test_parts_are_put_in_as_they_come_back(on_files: Callable[[str], Any]) -> None:
    task = on_files("mtcars")
    job = _jobs(lrn("regr.rpart", max_depth=3), 1, task)[0]
    trained = _split_predict.run_step(job)
    assert isinstance(trained, _split_predict.TrainedJob)
    test_ids = job.resampling.test_set(0)
    bounds = [0, 9, len(test_ids)]
    parts = [_split_predict.PredictPart(job, trained.learner, a, b)
             for a, b in itertools.pairwise(bounds)]
    predicted = [_split_predict.run_step(part) for part in parts]
    # the worker leaves the part's row ids out: the main process knows them
    assert [len(p.prediction.row_ids) for p in predicted] == [0, 0]
    assert [p.rows for p in predicted] == [9, len(test_ids) - 9]
    assembly = _split_predict._Assembly(job, trained, 2)
    assert assembly.add(predicted[0]) is None
    assert assembly.prediction is not None  # the first part is in before the second is back
    first = predicted[0].prediction.response
    np.testing.assert_array_equal(assembly.prediction.response[:9], first)
    result = assembly.add(predicted[1])
    assert type(result).__name__ == "JobResult"
    whole = trained.learner.predict(task, test_ids)
    np.testing.assert_array_equal(result.prediction.row_ids, whole.row_ids)
    np.testing.assert_array_equal(result.prediction.response, whole.response)

    failing = _split_predict._Assembly(job, trained, 3)
    raised = _split_predict.JobRaised.of(RuntimeError("part 2 raised"))
    assert failing.add(predicted[0]) is None and failing.add(raised) is None
    assert failing.prediction is None  # what was put in is dropped
    assert failing.add(predicted[1]) is raised  # the first failure is the job's outcome


def test_trainings_are_handed_out_before_parts(on_files: Callable[[str], Any]) -> None:
    # a part ahead of the last training would leave a worker waiting for its model
    jobs = _jobs(lrn("regr.rpart", max_depth=3), 3, on_files("mtcars"))
    source = _split_predict.SplitSource(jobs, [2, 2, 4])
    first = source.more(busy=False)
    assert first == [jobs[0]]
    source.done([_split_predict.run_step(jobs[0])])  # job 0's model is back
    handed = [source.more(busy=True) for _ in range(4)]
    assert handed[:2] == [[jobs[1]], [jobs[2]]]
    parts = [h[0] for h in handed[2:] if h]
    assert [(p.job.iteration, p.start > 0) for p in parts] == [(0, False), (0, True)]
    assert source.more(busy=True) is None  # nothing more until another model is back


def test_parts_of_whole_pages_are_stitched_not_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("duckdb", reason="needs the sql extra (pip install 'mlr3py[sql]')")
    rng = np.random.default_rng(3)
    # 588,000 test rows per job: each part's arrays over 1 MiB, so they come back in
    # pages of a result file (execution._result_files), and fill whole pages
    n = 600_000
    frame = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n)})
    frame["y"] = frame["x"] * 2 + rng.normal(size=n)
    frame.to_parquet(tmp_path / "big.parquet")
    task = as_task_regr(as_parquet_backend(tmp_path / "big.parquet"), target="y", id="big")
    learner = lrn("regr.rpart", max_depth=4)
    resampling = rsmp("subsampling", ratio=0.02, repeats=3)
    stitched: list[int] = []
    monkeypatch.setattr(_split_predict._Assembly, "_stitched", _recording(stitched))
    want = resample(task, learner, resampling, seed=4)
    options.predict_split_rows = 10_000
    with plan(tweak("processes", workers=2)):
        assert split_layout(_jobs(learner, 3, task)) == [2, 2, 4]
        got = resample(task, learner, resampling, seed=4)
    assert stitched == [len(p.row_ids) for p in want.predictions()]  # each job stitched
    for a, b in zip(got.predictions(), want.predictions(), strict=True):
        np.testing.assert_array_equal(a.row_ids, b.row_ids)
        np.testing.assert_array_equal(a.truth, b.truth)
        np.testing.assert_array_equal(a.response, b.response)
        assert not a.response.flags.owndata  # the parts' pages, not a copy
    assert got.aggregate().equals(want.aggregate())


def _recording(stitched: list[int]) -> Any:
    """``_Assembly._stitched`` recording the rows of each stitched prediction (-1: none)."""
    original = _split_predict._Assembly._stitched

    def wrapped(self: Any) -> Any:
        out = original(self)
        stitched.append(-1 if out is None else len(out.row_ids))
        return out

    return wrapped


def test_a_part_that_cannot_be_stitched_has_all_parts_copied(tmp_path: Path) -> None:
    pytest.importorskip("duckdb", reason="needs the sql extra (pip install 'mlr3py[sql]')")
    from mlr3py.execution._memmap import map_pages

    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"x": rng.normal(size=10_000)})
    frame["y"] = frame["x"] + rng.normal(size=len(frame))
    frame.to_parquet(tmp_path / "t.parquet")
    task = as_task_regr(as_parquet_backend(tmp_path / "t.parquet"), target="y")
    job = _jobs(lrn("regr.rpart", max_depth=3), 1, task)[0]
    trained = _split_predict.run_step(job)
    assert isinstance(trained, _split_predict.TrainedJob)
    test_ids = job.resampling.test_set(0)
    bounds = [0, _split_predict.ALIGN_ROWS, len(test_ids)]
    parts = [_split_predict.PredictPart(job, trained.learner, a, b)
             for a, b in itertools.pairwise(bounds)]

    def predicted(mapped: list[bool]) -> list[Any]:
        out = [_split_predict.run_step(part) for part in parts]
        for part, in_file in zip(out, mapped, strict=True):
            if in_file:  # as a result file brings them back: in mapped pages
                for name in ("_truth", "_response"):
                    values = getattr(part.prediction, name)
                    path = tmp_path / f"{name}.bin"
                    path.write_bytes(values.tobytes())
                    with open(path, "rb") as fh:
                        raw = map_pages(fh.fileno(), 0, values.nbytes)
                    path.unlink()  # a new file each time: one mapped stays as it is
                    setattr(part.prediction, name, raw.view(values.dtype))
        return out

    whole = trained.learner.predict(task, test_ids)
    for mapped, stitched in (([True, True], True), ([True, False], False),
                             ([False, True], False)):
        assembly = _split_predict._Assembly(job, trained, 2)
        first, second = predicted(mapped)
        assert assembly.add(first) is None
        result = assembly.add(second)
        np.testing.assert_array_equal(result.prediction.row_ids, whole.row_ids)
        np.testing.assert_array_equal(result.prediction.truth, whole.truth)
        np.testing.assert_array_equal(result.prediction.response, whole.response)
        assert result.prediction.response.flags.owndata is not stitched
