"""Conformance checks for tuning callbacks (``mlr_callbacks``)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.testing._base import Check, checking, require, run_checks
from mlr3py.testing._tasks import make_task

__all__ = [
    "check_tuning_callback",
    "check_tuning_callback_metadata",
    "check_tuning_callback_pickle",
    "check_tuning_callback_tune",
    "tuning_callback_checks",
]


def _subject(callback: Any) -> str:
    return f"Callback '{getattr(callback, 'id', type(callback).__name__)}'"


def check_tuning_callback_metadata(callback: Any) -> None:
    """Check the class, id, stages (known names, callables), settings and ``repr()``."""
    from mlr3py.tuning import STAGES, CallbackBatchTuning

    with checking(_subject(callback), "check_tuning_callback_metadata"):
        require(isinstance(callback, CallbackBatchTuning),
                f"a tuning callback must subclass CallbackBatchTuning, got {type(callback)}")
        require(isinstance(callback.id, str) and callback.id, "id must be a non-empty str")
        stages = callback.active_stages
        require(stages, "a callback must act in at least one stage")
        require(set(stages) <= set(STAGES), f"unknown stages {sorted(set(stages) - set(STAGES))}")
        for name, function in callback.stage_functions.items():
            require(name in STAGES and callable(function),
                    f"the stage function {name!r} must be a known stage and callable")
        result = callback.param_set.check(dict(callback.param_set.values), check_required=False)
        require(result is True, f"the settings are invalid: {result}")
        require(callback.id in repr(callback), f"repr() must name the id, got {callback!r}")


def check_tuning_callback_pickle(callback: Any) -> None:
    """A callback travels to worker processes: it survives ``pickle`` and ``deepcopy``
    with its id, stages and settings."""
    with checking(_subject(callback), "check_tuning_callback_pickle"):
        for how, twin in (("pickle", pickle.loads(pickle.dumps(callback))),
                          ("deepcopy", copy.deepcopy(callback))):
            require(twin is not callback and twin.id == callback.id
                    and twin.active_stages == callback.active_stages,
                    f"a {how} copy must keep the id and the stages")
            require(set(twin.param_set.values) == set(callback.param_set.values),
                    f"a {how} copy must keep the settings")


def _task() -> Any:
    rng = np.random.default_rng(3)
    n = 60
    f1, f2 = rng.uniform(size=n), rng.uniform(size=n)
    y = np.where(f1 + 0.3 * rng.uniform(size=n) > 0.65, "a", "b").astype(object)
    data = pd.DataFrame({"y": y, "f1": f1, "f2": f2})
    return make_task("classif", data, "y", "callback_check")


def check_tuning_callback_tune(callback: Any) -> None:
    """Tune ``classif.rpart`` in two batches with (a copy of) the callback.

    The run ends with every evaluation archived, batches numbered 1 and 2, each
    column the callback adds filled for every row, and one result row whose scores
    are those of an archived configuration.
    """
    from mlr3py.learners import mlr_learners
    from mlr3py.params import p_dbl, ps
    from mlr3py.resamplings import mlr_resamplings
    from mlr3py.tuning import tnr, tune

    with checking(_subject(callback), "check_tuning_callback_tune", "callback_check"):
        instance = tune(tnr("random_search", batch_size=2), _task(),
                        mlr_learners.get("classif.rpart"), mlr_resamplings.get("cv", folds=2),
                        "classif.ce", term_evals=4, seed=1,
                        search_space=ps(ccp_alpha=p_dbl(0.0, 0.2)),
                        callbacks=[copy.deepcopy(callback)])
        data = instance.archive.data
        require(instance.archive.n_evals == 4, f"4 evaluations expected, got {len(data)}")
        require(list(data["batch_nr"]) == [1, 1, 2, 2],
                f"batches 1, 1, 2, 2 expected, got {list(data['batch_nr'])}")
        for column in instance.archive.cols_extra:
            require(data[column].notna().all(), f"the archive column {column!r} has gaps")
        result: Any = instance.result
        require(isinstance(result, pd.DataFrame) and len(result) == 1,
                "the result must be one row")
        score = float(result["classif.ce"].iloc[0])
        require(np.isclose(data["classif.ce"].to_numpy(dtype=float), score).any(),
                f"the result's score {score} is no archived configuration's")


def tuning_callback_checks(callback: Any) -> Iterator[Check]:
    """The tuning callback checks as ``(name, callable)`` pairs."""
    yield "check_tuning_callback_metadata", lambda: check_tuning_callback_metadata(callback)
    yield "check_tuning_callback_pickle", lambda: check_tuning_callback_pickle(callback)
    yield "check_tuning_callback_tune", lambda: check_tuning_callback_tune(callback)


def check_tuning_callback(callback: Any, exclude: tuple[str, ...] = ()) -> None:
    """Run every tuning callback check.

    Parameters
    ----------
    callback : CallbackBatchTuning
        The callback, with its required settings given (e.g.
        ``clbk("mlr3tuning.backup", path=...)``).
    exclude : tuple of str
        Skip checks whose name contains one of these.

    Raises
    ------
    ConformanceError
        Naming the callback and the failed check.
    """
    run_checks(tuning_callback_checks(callback), exclude)
