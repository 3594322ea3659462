"""The fault matrix under every plan: condition x stage x encapsulation x plan.

classif.debug with an error / warning / message / segfault / sleep beyond its
timeout / missing predictions, in train and in predict, under the encapsulation
methods none / try / evaluate / process and the plans sequential / processes /
multicore / dask: 11 x 4 x 4 = 176 cells, less 4 under dask (see below). In every
cell the run completes (or, under ``"none"``, raises the learner's error carrying
what finished), every iteration is scored (the featureless fallback), every condition reaches the
caller (its log, or its warnings where the method does not capture them), a time
limit fires within a second, and nothing hangs. All cells of a plan and a method
run as one benchmark (a design row each), and the engines (worker pools, the
dask cluster) are shared by all of them. A segmentation fault under an
in-process method and the sequential plan ends the interpreter: those 3 x 2 cells
are checked in a subprocess (the process dies with SIGSEGV, as it must).
Under dask, a segmentation fault inside the worker (the in-process methods) kills the
dask worker whatever the method, and the client learns only that it died: that path
is checked with ``"evaluate"`` (and ``"process"`` keeps the worker alive); repeating it
with ``"none"`` and ``"try"`` would only wait four more times for a worker restart.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import textwrap
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from mlr3py import benchmark, benchmark_grid, lrn, msr, plan, resample, rsmp, tsk, tweak
from mlr3py.errors import LearnerPredictError, LearnerTrainError
from mlr3py.evaluation import ResampleResult
from mlr3py.execution._engine import shutdown_workers

TIMEOUT = 0.5
SLEEP = 2.0
FOLDS = 2

CONDITIONS = ["error", "warning", "message", "segfault", "timeout", "missing"]
CELLS = [(c, s) for c in CONDITIONS for s in ("train", "predict")
         if not (c == "missing" and s == "train")]
METHODS = ["none", "try", "evaluate", "process"]
PLANS = ["sequential", "processes", "multicore", "dask"]


def _learner(condition: str, stage: str, method: str) -> Any:
    values: dict[str, Any] = {
        "error": {f"error_{stage}": 1},
        "warning": {f"warning_{stage}": 1},
        "message": {f"message_{stage}": 1},
        "segfault": {f"segfault_{stage}": 1},
        "timeout": {f"sleep_{stage}": SLEEP},
        "missing": {"predict_missing": 0.5},
    }[condition]
    learner = lrn("classif.debug", **values)
    learner.encapsulate(method, lrn("classif.featureless"))
    learner.timeout = TIMEOUT
    learner.encapsulation = method  # a time limit switches "none" to "evaluate"
    return learner


@dataclass
class Run:
    """One benchmark of all cells of a plan and a method: each cell a design row."""

    cells: list[tuple[str, str]]
    bmr: Any
    caught: list[warnings.WarningMessage]
    elapsed: float


@pytest.fixture(scope="module")
def runs() -> Iterator[dict[tuple[str, str], Run]]:
    """The runs of the module, made once per plan and method (the engines are shared)."""
    cache: dict[tuple[str, str], Run] = {}
    yield cache
    shutdown_workers()


def _spec(strategy: str) -> Any:
    return strategy if strategy == "sequential" else tweak(strategy, workers=2)


@contextlib.contextmanager
def _no_dask_retries(strategy: str) -> Iterator[None]:
    """A crashed task fails at once (dask retries it on other workers 3 times by default)."""
    if strategy != "dask":
        yield
        return
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        yield


def _repeated_dask_crash(strategy: str, condition: str, method: str) -> bool:
    """A dask worker killed in-process again: the path of ``"evaluate"``, not run twice more."""
    return strategy == "dask" and condition == "segfault" and method in ("none", "try")


def _run(cache: dict[tuple[str, str], Run], strategy: str, method: str) -> Run:
    key = (strategy, method)
    if key not in cache:
        cells = [(c, s) for c, s in CELLS
                 if not (method == "none" and c == "error")  # raises: checked on its own
                 and not _in_process_segfault(strategy, c, method)
                 and not _repeated_dask_crash(strategy, c, method)]
        design = benchmark_grid(tsk("iris"), [_learner(c, s, method) for c, s in cells],
                                rsmp("cv", folds=FOLDS))
        start = time.perf_counter()
        with plan(_spec(strategy)), warnings.catch_warnings(record=True) as caught, \
                _no_dask_retries(strategy):
            warnings.simplefilter("always")
            bmr = benchmark(design, seed=1)
        cache[key] = Run(cells, bmr, list(caught), time.perf_counter() - start)
    return cache[key]


def _entries(rr: Any, cls: str, fragment: str) -> list[Any]:
    return [e for r in rr.job_results for e in r.log if e.cls == cls and fragment in e.msg]


def _check_raises(strategy: str, stage: str) -> None:
    learner = _learner("error", stage, "none")
    error = LearnerTrainError if stage == "train" else LearnerPredictError
    with plan(_spec(strategy)), pytest.raises(error, match=f"Error from classif.debug->{stage}") \
            as info:
        resample(tsk("iris"), learner, rsmp("cv", folds=FOLDS), seed=1)
    partial = info.value.partial_result  # what finished: here no iteration did
    assert isinstance(partial, ResampleResult) and partial.iters == 0


def _check_cell(run: Run, strategy: str, condition: str, stage: str, method: str) -> None:
    rr = run.bmr.resample_result(run.cells.index((condition, stage)))
    where = f"classif.debug->{stage}()"
    scores = rr.score(msr("classif.ce"))["classif.ce"].to_numpy()
    assert len(scores) == FOLDS and not np.isnan(scores).any(), rr.errors
    caller_warnings = [w for w in run.caught if f"Warning from {where}" in str(w.message)]
    if condition == "error":
        hits = _entries(rr, "error", f"Error from {where}")
        assert len(hits) == FOLDS and {e.stage for e in hits} == {stage}
    elif condition == "warning":
        if method in ("none", "try"):  # not captured: they reach the caller's warnings
            assert len(caller_warnings) == FOLDS, [str(w.message) for w in run.caught]
        else:
            hits = _entries(rr, "warning", f"Warning from {where}")
            assert len(hits) == FOLDS and {e.stage for e in hits} == {stage}
            assert len(rr.warnings) == FOLDS
            assert not caller_warnings
    elif condition == "message":
        if method in ("evaluate", "process"):
            hits = _entries(rr, "message", f"Message from {where}")
            assert len(hits) == FOLDS and {e.stage for e in hits} == {stage}
    elif condition == "segfault":
        # a dask client is not told how its worker died, only that it did
        fragment = "worker process died" if strategy == "dask" and method != "process" \
            else "SIGSEGV"
        hits = [e for r in rr.job_results for e in r.log if e.cls == "error" and fragment in e.msg]
        assert len(hits) == FOLDS and {e.stage for e in hits} == {stage}, rr.errors
    elif condition == "timeout":
        if method == "none":  # no limit without encapsulation (as in mlr3)
            assert not rr.errors.shape[0]
        else:
            hits = _entries(rr, "error", "reached elapsed time limit")
            assert len(hits) == FOLDS and {e.stage for e in hits} == {stage}
            # each limit fires within a second of the limit, not when the sleep ends
            for r in rr.job_results:
                took = r.train_time if stage == "train" else r.predict_time
                assert took < TIMEOUT + 1.0, took
    else:  # missing predictions are filled in by the fallback
        hits = _entries(rr, "message", "Imputed")
        assert len(hits) == FOLDS and {e.stage for e in hits} == {"predict"}


def _in_process_segfault(strategy: str, condition: str, method: str) -> bool:
    return condition == "segfault" and method != "process" and strategy == "sequential"


MATRIX = [
    pytest.param(strategy, condition, stage, method,
                 marks=[pytest.mark.dask] if strategy == "dask" else [],
                 id=f"{strategy}-{condition}-{stage}-{method}")
    for strategy in PLANS for condition, stage in CELLS for method in METHODS
    if not _repeated_dask_crash(strategy, condition, method)
]


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.parametrize(("strategy", "condition", "stage", "method"), MATRIX)
def test_fault_matrix_under_plans(runs: dict[tuple[str, str], Run], strategy: str,
                                  condition: str, stage: str, method: str) -> None:
    if strategy == "dask":
        pytest.importorskip("distributed")
    if _in_process_segfault(strategy, condition, method):
        _check_segfault_kills(stage, method)
    elif method == "none" and condition == "error":
        _check_raises(strategy, stage)
    else:
        _check_cell(_run(runs, strategy, method), strategy, condition, stage, method)


def _check_segfault_kills(stage: str, method: str) -> None:
    code = textwrap.dedent(
        f"""
        from mlr3py import lrn, tsk
        learner = lrn("classif.debug", segfault_{stage}=1)
        learner.encapsulation = {method!r}
        learner.train(tsk("iris"))
        learner.predict(tsk("iris"))
        print("survived")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == -11
    assert "survived" not in out.stdout


@pytest.mark.parametrize("method", ["try", "evaluate"])
@pytest.mark.parametrize("stage", ["train", "predict"])
def test_timeouts_fire_on_time_in_threads(method: str, stage: str) -> None:
    # in a thread no timer signal can interrupt the call: a watchdog raises in it
    learner = _learner("timeout", stage, method)
    with plan(tweak("threads", workers=2)):
        rr = resample(tsk("iris"), learner, rsmp("cv", folds=FOLDS), seed=1)
    hits = _entries(rr, "error", "reached elapsed time limit")
    assert len(hits) == FOLDS and {e.stage for e in hits} == {stage}
    for r in rr.job_results:
        took = r.train_time if stage == "train" else r.predict_time
        assert took < TIMEOUT + 1.0, took
    assert not np.isnan(rr.score(msr("classif.ce"))["classif.ce"].to_numpy()).any()
