"""Bad input to the store: a file as path, another design, a newer format, two runs at
once, a stale lock, a full disk, a run killed during a write."""

from __future__ import annotations

import errno
import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from _store_helpers import counting_design, score_table, trainings

import mlr3py
from mlr3py.errors import StoreError
from mlr3py.evaluation import benchmark, resample
from mlr3py.sugar import lrn, rsmp, tsk

HERE = Path(__file__).resolve().parent


def test_a_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_text("x")
    with pytest.raises(StoreError, match="file.txt' is a file, not a directory"):
        resample(tsk("penguins"), lrn("classif.featureless"), rsmp("holdout"), store=path)
    with pytest.raises(StoreError, match="is a file"):
        mlr3py.open_store(path)


def test_a_directory_of_other_files_or_none_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not empty and holds no result store"):
        resample(tsk("penguins"), lrn("classif.featureless"), rsmp("holdout"),
                 store=tmp_path / "d")
    with pytest.raises(StoreError, match="There is no result store at"):
        mlr3py.open_store(tmp_path / "missing")
    with pytest.raises(StoreError, match="There is no result store at"):
        mlr3py.resume(tmp_path / "missing")
    with pytest.raises(mlr3py.errors.ConfigError, match="must be a directory path"):
        resample(tsk("penguins"), lrn("classif.featureless"), rsmp("holdout"), store=3)


def test_a_store_of_another_design_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "s"
    benchmark(counting_design(tmp_path / "c", 0.0, 2), seed=1, store=store)
    other = counting_design(tmp_path / "c", 0.0, 2)
    other.loc[1, "learner"].param_set.values["x"] = 0.5
    with pytest.raises(StoreError, match="holds another design than this benchmark run"):
        benchmark(other, seed=1, store=store)
    with pytest.raises(StoreError, match="holds another design"):
        benchmark(counting_design(tmp_path / "c", 0.0, 2), seed=2, store=store)
    with pytest.raises(StoreError, match="holds a benchmark run; this is a resample run"):
        resample(tsk("penguins"), lrn("classif.featureless"), rsmp("holdout"), store=store)
    assert not (store / "lock").exists()  # a refused run gives the lock back


def test_an_auto_tuner_or_graph_of_another_design_is_refused(tmp_path: Path) -> None:
    # an AutoTuner's own parameter set is empty and a graph's values do not show its
    # structure: the store keys their jobs by what they wrap too (Learner._design)
    from mlr3py.params import to_tune
    from mlr3py.pipelines import po
    from mlr3py.tuning import auto_tuner, tnr

    def tuned(lower: int, upper: int, evals: int = 2) -> mlr3py.learners.Learner:
        return auto_tuner(tnr("random_search"),
                          lrn("classif.rpart", max_depth=to_tune(lower, upper)),
                          rsmp("holdout"), "classif.ce", term_evals=evals)

    store = tmp_path / "s"
    first = resample(tsk("sonar"), tuned(1, 1), rsmp("cv", folds=2), seed=1, store=store)
    again = resample(tsk("sonar"), tuned(1, 1), rsmp("cv", folds=2), seed=1, store=store)
    assert again.score()["classif.ce"].tolist() == first.score()["classif.ce"].tolist()
    for other in (tuned(10, 12), tuned(1, 1, evals=3)):
        with pytest.raises(StoreError, match="holds another design"):
            resample(tsk("sonar"), other, rsmp("cv", folds=2), seed=1, store=store)

    graphs = tmp_path / "g"
    # the same operators and values in another order
    resample(tsk("sonar"), mlr3py.as_learner(po("scale") >> po("pca") >> lrn("classif.rpart")),
             rsmp("cv", folds=2), seed=1, store=graphs)
    with pytest.raises(StoreError, match="holds another design"):
        resample(tsk("sonar"),
                 mlr3py.as_learner(po("pca") >> po("scale") >> lrn("classif.rpart")),
                 rsmp("cv", folds=2), seed=1, store=graphs)


def test_a_store_of_a_newer_format_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "s"
    resample(tsk("penguins"), lrn("classif.featureless"), rsmp("holdout"), seed=1, store=store)
    con = sqlite3.connect(store / "store.sqlite")
    con.execute("UPDATE meta SET value='99' WHERE name='format_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="format version 99, but this mlr3py reads versions "
                                         "up to 1. Upgrade mlr3py"):
        mlr3py.open_store(store)
    with pytest.raises(StoreError, match="format version 99"):
        resample(tsk("penguins"), lrn("classif.featureless"), rsmp("holdout"), seed=1,
                 store=store)


def _write_lock(store: Path, pid: int, host: str) -> None:
    (store / "lock").write_text(json.dumps({"pid": pid, "host": host, "started": None}))


@pytest.mark.subprocess
def test_a_second_run_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    store = tmp_path / "s"
    design = counting_design(tmp_path / "c", 0.0, 2)
    benchmark(design, seed=1, store=store)
    holder = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                              stdin=subprocess.PIPE)
    try:
        _write_lock(store, holder.pid, socket.gethostname())
        with pytest.raises(StoreError, match=f"being written by another run \\(process "
                                             f"{holder.pid} on host"):
            benchmark(design, seed=1, store=store)
        with pytest.raises(StoreError, match="being written by another run"):
            mlr3py.resume(store)
        assert mlr3py.open_store(store).status()["done"].sum() == 4  # reading is allowed
    finally:
        holder.communicate(b"")
    # the holder is dead now: its lock is stale and taken over
    count_before = len(trainings(tmp_path / "c"))
    again = benchmark(design, seed=1, store=store)
    assert len(trainings(tmp_path / "c")) == count_before
    assert score_table(again) == score_table(benchmark(design, seed=1))
    assert not (store / "lock").exists()


def test_a_lock_of_another_host_is_not_taken(tmp_path: Path) -> None:
    store = tmp_path / "s"
    design = counting_design(tmp_path / "c", 0.0, 2)
    benchmark(design, seed=1, store=store)
    _write_lock(store, 1, "some-other-host")
    with pytest.raises(StoreError, match="on host 'some-other-host'.*delete the file"):
        mlr3py.resume(store)


def test_a_full_disk_gives_the_job_a_failed_record_and_the_run_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database cannot grow (SQLite's own "database or disk is full")."""
    import mlr3py.store._store as store_module

    store = tmp_path / "s"
    design = counting_design(tmp_path / "c", 0.0, 2)
    expected = score_table(benchmark(design, seed=1))
    real = store_module.worker_connection
    opened: list[sqlite3.Connection] = []

    def full_after_two_results(path: Path) -> sqlite3.Connection:
        con = real(path)
        if con not in opened:
            opened.append(con)
        (n,) = con.execute("SELECT count(*) FROM results").fetchone()
        if n == 2:  # from now on the database file cannot grow
            (pages,) = con.execute("PRAGMA page_count").fetchone()
            con.execute(f"PRAGMA max_page_count = {pages}")
        return con

    monkeypatch.setattr(store_module, "worker_connection", full_after_two_results)
    bmr = benchmark(design, seed=1, store=store)
    assert score_table(bmr) == expected  # the run completes with every result in memory
    status = mlr3py.open_store(store).status()
    n_failed = int(status["failed"].sum())
    assert n_failed >= 1 and int(status["done"].sum()) == 4 - n_failed
    con = sqlite3.connect(store / "store.sqlite")
    messages = [m for (m,) in con.execute("SELECT message FROM jobs WHERE state='failed'")]
    con.close()
    assert all("database or disk is full" in m for m in messages), messages
    assert len(mlr3py.open_store(store).results().score()) == 4 - n_failed  # consistent
    monkeypatch.setattr(store_module, "worker_connection", real)
    for con in opened:
        con.execute("PRAGMA max_page_count = 1073741823")
    before = len(trainings(tmp_path / "c"))
    resumed = mlr3py.resume(store)
    assert len(trainings(tmp_path / "c")) - before == n_failed  # only those run again
    assert score_table(resumed) == expected
    assert mlr3py.open_store(store).status()["done"].sum() == 4


def test_a_full_disk_while_writing_a_model_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mlr3py.store._files as files

    store = tmp_path / "s"
    design = counting_design(tmp_path / "c", 0.0, 2)
    expected = score_table(benchmark(design, seed=1))
    real = files._write_bytes
    calls = []

    def full_disk(handle: object, data: bytes) -> None:
        calls.append(handle)
        if len(calls) == 3:  # the spec, then the first model, then this one
            real(handle, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        real(handle, data)

    monkeypatch.setattr(files, "_write_bytes", full_disk)
    bmr = benchmark(design, seed=1, store=store, store_models=True)
    assert score_table(bmr) == expected
    opened = mlr3py.open_store(store)
    status = opened.status()
    assert int(status["failed"].sum()) == 1 and int(status["done"].sum()) == 3
    con = sqlite3.connect(store / "store.sqlite")
    (message,) = con.execute("SELECT message FROM jobs WHERE state='failed'").fetchone()
    con.close()
    assert "No space left on device" in message
    assert list(store.glob("**/*.tmp")) == []  # the half-written file is removed
    assert len(opened.results().score()) == 3
    monkeypatch.setattr(files, "_write_bytes", real)
    resumed = mlr3py.resume(store)
    assert score_table(resumed) == expected
    assert all(x is not None and x.model is not None
               for rr in resumed.resample_results for x in rr.learners)


@pytest.mark.subprocess
@pytest.mark.parametrize("mode", ["kill-mid-commit", "kill-mid-model-write"])
def test_a_run_killed_during_a_write_leaves_a_readable_store(tmp_path: Path, mode: str) -> None:
    store, count = tmp_path / "s", tmp_path / "count"
    proc = subprocess.run(
        [sys.executable, str(HERE / "_run_store.py"), str(store), str(count), "sequential",
         "1", "0", "2", mode], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert proc.returncode == -9, proc.stderr
    if mode == "kill-mid-model-write":
        assert list(store.glob("models/**/*.tmp")) != []  # it died with a file half written
    opened = mlr3py.open_store(store)
    status = opened.status()
    assert int(status["done"].sum()) == 0 and int(status["lost"].sum()) == 1
    assert len(opened.results()) == 0
    resumed = mlr3py.resume(store)
    assert score_table(resumed) == score_table(
        benchmark(counting_design(count, 0.0, 2), seed=3))
    assert list(store.glob("**/*.tmp")) == []


def test_a_store_that_never_recorded_its_design_opens(tmp_path: Path) -> None:
    from mlr3py.store import ResultStore

    ResultStore(tmp_path / "s")  # created, then the run died before its design was written
    opened = mlr3py.open_store(tmp_path / "s")
    assert opened.kind == "empty" and len(opened.status()) == 0
    with pytest.raises(StoreError, match="holds no run: it ended before it recorded"):
        opened.results()
    with pytest.raises(StoreError, match="holds no recorded run to resume"):
        mlr3py.resume(tmp_path / "s")
    rr = resample(tsk("penguins"), lrn("classif.featureless"), rsmp("holdout"), seed=1,
                  store=tmp_path / "s")  # a new run may use it
    assert mlr3py.open_store(tmp_path / "s").results().iters == rr.iters == 1
