"""tune(..., store=): every batch is kept; a run interrupted in the middle of a batch is
resumed from its archive, nothing finished runs again, and the archive equals that of an
uninterrupted run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from _store_helpers import CountingSleep, trainings

import mlr3py
from mlr3py.errors import StoreError
from mlr3py.params import to_tune
from mlr3py.sugar import lrn, rsmp, tsk
from mlr3py.tuning import TuningInstance, tnr, tune


def _tuner(name: str) -> Any:
    if name == "optuna":
        pytest.importorskip("optuna")
        return tnr("optuna", sampler="tpe")
    if name == "grid_search":
        return tnr("grid_search", resolution=6, batch_size=1)
    if name == "design_points":
        return tnr("design_points", design=pd.DataFrame({"x": [0.1, 0.3, 0.5, 0.7, 0.9]}))
    return tnr(name, batch_size=1)


def _tune(name: str, count: Path, store: Path | None) -> TuningInstance:
    learner = lrn("classif.debug", x=to_tune(0.0, 1.0),
                  sleep_train=CountingSleep(str(count), 0.0))
    return tune(_tuner(name), tsk("penguins"), learner, rsmp("cv", folds=2), "classif.ce",
                term_evals=5, seed=11, store=store)


def _archive(instance: TuningInstance) -> list[tuple[float, float, int]]:
    data = instance.archive.data
    return list(zip(data["x"], data["classif.ce"], data["batch_nr"], strict=True))


@pytest.mark.parametrize("name", ["random_search", "grid_search", "design_points", "optuna"])
def test_an_interrupted_tuning_run_resumes_from_its_archive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    import mlr3py.store._store as store_module

    plain = _tune(name, tmp_path / "plain-count", None)
    n_jobs = len(trainings(tmp_path / "plain-count"))
    assert n_jobs == 10

    real_put = store_module.ResultStore.put_object

    def interrupted(self: Any, obj_name: str, obj: object) -> None:
        if obj_name == "batch-00003":  # Ctrl-C after batch 3's jobs were written
            raise KeyboardInterrupt
        real_put(self, obj_name, obj)

    monkeypatch.setattr(store_module.ResultStore, "put_object", interrupted)
    count, store = tmp_path / "count", tmp_path / "s"
    with pytest.raises(KeyboardInterrupt):
        _tune(name, count, store)
    assert len(trainings(count)) == 6  # three batches of one configuration x 2 folds
    monkeypatch.setattr(store_module.ResultStore, "put_object", real_put)

    opened = mlr3py.open_store(store)
    assert opened.kind == "tuning"
    so_far = opened.results()
    assert isinstance(so_far, TuningInstance)
    assert _archive(so_far) == _archive(plain)[:2]  # the batches kept before the interrupt
    assert int(opened.status()["done"].sum()) == 6

    resumed = mlr3py.resume(store)
    assert len(trainings(count)) == n_jobs  # no job ran twice
    assert _archive(resumed) == _archive(plain)
    assert resumed.result is not None and plain.result is not None
    assert resumed.result["x"].tolist() == plain.result["x"].tolist()
    final = mlr3py.open_store(store).results()
    assert _archive(final) == _archive(plain)
    assert final.result["classif.ce"].tolist() == plain.result["classif.ce"].tolist()


def test_a_tuning_store_refuses_another_tuning_run(tmp_path: Path) -> None:
    _tune("random_search", tmp_path / "c", tmp_path / "s")
    learner = lrn("classif.debug", x=to_tune(0.0, 0.5))
    with pytest.raises(StoreError, match="holds another design than this tuning run"):
        tune(tnr("random_search"), tsk("penguins"), learner, rsmp("cv", folds=2),
             "classif.ce", term_evals=5, seed=11, store=tmp_path / "s")
    with pytest.raises(StoreError, match="retry_errors=True does not apply"):
        mlr3py.resume(tmp_path / "s", retry_errors=True)


def test_a_larger_budget_on_the_same_store_continues_the_run(tmp_path: Path) -> None:
    # the terminator is not part of the run's design: a second tune() with a larger
    # term_evals reads the kept batches back and evaluates only the new ones, and
    # resume() afterwards goes on with the new terminator
    def run(count: Path, evals: int, store: Path | None) -> TuningInstance:
        learner = lrn("classif.debug", x=to_tune(0.0, 1.0),
                      sleep_train=CountingSleep(str(count), 0.0))
        return tune(tnr("random_search", batch_size=1), tsk("penguins"), learner,
                    rsmp("cv", folds=2), "classif.ce", term_evals=evals, seed=11, store=store)

    plain = run(tmp_path / "plain-count", 5, None)
    count, store = tmp_path / "count", tmp_path / "s"
    first = run(count, 3, store)
    assert len(trainings(count)) == 6
    assert _archive(first) == _archive(plain)[:3]
    more = run(count, 5, store)
    assert len(trainings(count)) == 10  # two new configurations x 2 folds, nothing again
    assert _archive(more) == _archive(plain)
    assert _archive(mlr3py.resume(store)) == _archive(plain)
    assert len(trainings(count)) == 10
    with pytest.raises(StoreError, match="search space"):
        learner = lrn("classif.debug", x=to_tune(0.0, 0.5))
        tune(tnr("random_search", batch_size=1), tsk("penguins"), learner,
             rsmp("cv", folds=2), "classif.ce", term_evals=5, seed=11, store=store)
