"""Debug learners ``classif.debug`` and ``regr.debug`` (mlr3's LearnerClassifDebug / RegrDebug).

They predict a constant (a label drawn at random from the training target, or
the training mean) and can be told to misbehave, with a probability each, so
that encapsulation, fallback and logging can be tested:

- ``message_*`` writes ``"Message from classif.debug->train()"`` to stderr, the
  Python counterpart of R's ``message()`` (capture it with
  :func:`contextlib.redirect_stderr`);
- ``warning_*`` calls :func:`warnings.warn` (a :class:`UserWarning`);
- ``error_*`` raises :class:`~mlr3py.errors.LearnerTrainError` /
  :class:`~mlr3py.errors.LearnerPredictError`;
- ``segfault_*`` really crashes the process (reads address 0 with ctypes);
- ``sleep_*`` sleeps a number of seconds (or as many as a callable returns), in
  short steps, as long-running Python code does: a time limit interrupts it in
  any thread (one long call into compiled code, such as a single
  :func:`time.sleep`, can be interrupted in-process only in the main thread;
  see :mod:`mlr3py.encapsulation._timeout`).

All random draws use :func:`~mlr3py._rng.job_random_state` (numpy's global generator
outside worker threads): seeding numpy makes them reproducible.
"""

# Random draws use numpy's legacy generator on purpose, through job_random_state(): the job
# runner seeds it (the global one, or the worker thread's own) from the job's seed.

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
import uuid
import warnings
from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np

from mlr3py._rng import job_random_state
from mlr3py.errors import ConfigError, LearnerPredictError, LearnerTrainError
from mlr3py.learners._base import LearnerClassif, LearnerRegr
from mlr3py.learners._labels import classes_from_codes
from mlr3py.params import ParamSet, p_dbl, p_fct, p_int, p_lgl, p_uty, ps
from mlr3py.predictions import PredictionDataClassif, PredictionDataRegr
from mlr3py.reflections import PREDICT_TYPES

if TYPE_CHECKING:
    from mlr3py.tasks import TaskSupervised

__all__ = ["DebugModel", "LearnerClassifDebug", "LearnerRegrDebug"]


@dataclass
class DebugModel:
    """What a debug learner remembers.

    Attributes
    ----------
    response : str or float
        The constant prediction: a random training label (classif) or the
        training mean (regr).
    se : float
        The training standard deviation (regr; NaN for classif).
    pid : int
        The id of the process that trained the model.
    id : str
        A random identifier (UUID4) of this model.
    random_number : int
        A number drawn from numpy's global generator while training.
    iter : int
        The ``iter`` parameter value (1 when unset).
    task_train, task_predict : Task or None
        Copies of the input tasks when ``save_tasks`` is set.
    """

    response: Any
    se: float
    pid: int
    id: str
    random_number: int
    iter: int
    task_train: Any = None
    task_predict: Any = None


def _check_sleep(value: Any) -> bool | str:
    if callable(value):
        return True
    if isinstance(value, Real) and not isinstance(value, bool) and float(value) >= 0:
        return True
    return "a number of seconds >= 0 or a callable returning one"


def _debug_param_set() -> ParamSet:
    def prob(tag: str) -> Any:
        return p_dbl(0, 1, default=0, tags={tag})

    return ps(
        error_predict=prob("predict"),
        error_train=prob("train"),
        message_predict=prob("predict"),
        message_train=prob("train"),
        predict_missing=prob("predict"),
        predict_missing_type=p_fct(["na", "omit"], default="na", tags={"predict"}),
        save_tasks=p_lgl(default=False, tags={"train", "predict"}),
        segfault_predict=prob("predict"),
        segfault_train=prob("train"),
        sleep_train=p_uty(custom_check=_check_sleep, tags={"train"}),
        sleep_predict=p_uty(custom_check=_check_sleep, tags={"predict"}),
        threads=p_int(1, tags={"train", "threads"}),
        warning_predict=prob("predict"),
        warning_train=prob("train"),
        x=p_dbl(0, 1, tags={"train"}),
        iter=p_int(1, default=1, tags={"train", "hotstart"}),
    )


class _DebugMixin:
    """The misbehaviour shared by both debug learners."""

    id: str
    param_set: ParamSet

    def _misbehave(self, stage: str, values: dict[str, Any]) -> None:
        """Sleep, then maybe print a message, warn, raise or crash (in that order)."""
        sleep = values.get(f"sleep_{stage}")
        if sleep is not None:
            secs = sleep() if callable(sleep) else sleep
            if not isinstance(secs, Real) or isinstance(secs, bool):
                raise ConfigError(
                    f"The 'sleep_{stage}' parameter of Learner '{self.id}' must return a number "
                    f"of seconds. Got {secs!r} instead."
                )
            _sleep(max(0.0, float(secs)))
        where = f"{self.id}->{stage}()"
        if _roll(values, f"message_{stage}"):
            print(f"Message from {where}", file=sys.stderr)
        if _roll(values, f"warning_{stage}"):
            warnings.warn(f"Warning from {where}", UserWarning, stacklevel=4)
        if _roll(values, f"error_{stage}"):
            error = LearnerTrainError if stage == "train" else LearnerPredictError
            raise error(f"Error from {where}")
        if _roll(values, f"segfault_{stage}"):
            _segfault()

    def _missing_rows(self, n: int) -> np.ndarray | None:
        """Positions of the rows to predict as missing (``predict_missing``), or None."""
        ratio = self.param_set.get_values(tags="predict").get("predict_missing")
        if not ratio:
            return None
        return job_random_state().choice(n, int(n * ratio), replace=False)


def _roll(values: dict[str, Any], name: str) -> bool:
    p = values.get(name)
    return p is not None and p > job_random_state().random_sample()


_SLEEP_STEP = 0.05


def _sleep(secs: float) -> None:
    """Sleep ``secs`` seconds in steps of at most :data:`_SLEEP_STEP` (see the module docstring)."""
    end = time.monotonic() + secs
    while (left := end - time.monotonic()) > 0:
        time.sleep(min(left, _SLEEP_STEP))


def _segfault() -> None:  # pragma: no cover - the process dies
    sys.stderr.flush()
    ctypes.string_at(0)
    os.kill(os.getpid(), signal.SIGSEGV)


class LearnerClassifDebug(_DebugMixin, LearnerClassif):
    """Classification learner for debugging (``classif.debug``).

    Predicts one label, drawn at random from the training target, and can be
    told to misbehave.

    Parameters (``param_set``)
    --------------------------
    error_train, error_predict : float in [0, 1], default 0
        Probability to raise ``LearnerTrainError`` / ``LearnerPredictError``.
    warning_train, warning_predict : float in [0, 1], default 0
        Probability to signal a ``UserWarning`` with :func:`warnings.warn`.
    message_train, message_predict : float in [0, 1], default 0
        Probability to write a message line to stderr (R's ``message()``).
    segfault_train, segfault_predict : float in [0, 1], default 0
        Probability to crash the process with a segmentation fault.
    sleep_train, sleep_predict : float >= 0 or callable
        Seconds to sleep (a callable is called for them each time).
    predict_missing : float in [0, 1], default 0
        Ratio of predictions that are missing.
    predict_missing_type : {"na", "omit"}, default "na"
        ``na`` predicts NaN for those rows, ``omit`` leaves them out.
    save_tasks : bool, default False
        Store copies of the input tasks in ``model.task_train`` / ``model.task_predict``.
    threads : int >= 1
        Number of threads (tag ``threads``); has no effect.
    x : float in [0, 1]
        A tuning parameter without effect.
    iter : int >= 1, default 1
        Stored in the model; for testing hot-starting.
    """

    def __init__(self) -> None:
        super().__init__(
            "classif.debug",
            param_set=_debug_param_set(),
            predict_types=PREDICT_TYPES["classif"],
            properties={"twoclass", "multiclass", "missings"},
            label="Debug Learner for Classification",
        )

    def _train(self, task: TaskSupervised) -> DebugModel:
        values = self.param_set.get_values(tags="train")
        self._misbehave("train", values)
        truth = task.truth()
        label = truth[job_random_state().randint(len(truth))]
        return _make_model(label, float("nan"), values, task)

    def _predict(self, task: TaskSupervised) -> PredictionDataClassif:
        values = self.param_set.get_values(tags="predict")
        self._misbehave("predict", values)
        model: DebugModel = self.model
        if values.get("save_tasks"):
            model.task_predict = task.clone()
        n = task.nrow
        state = self.state
        assert state is not None and state.class_names is not None  # predicting: trained
        class_names = state.class_names
        codes = np.full(n, class_names.index(model.response), dtype=np.int64)
        prob = None
        if self.predict_type == "prob":
            prob = job_random_state().random_sample((n, len(class_names)))
            prob /= prob.sum(axis=1, keepdims=True)
            codes = prob.argmax(axis=1)
        missing = self._missing_rows(n)
        row_ids = None
        if missing is not None and values.get("predict_missing_type", "na") == "omit":
            keep = np.setdiff1d(np.arange(n), missing)
            row_ids = task.row_ids[keep]
            codes = codes[keep]
            prob = None if prob is None else prob[keep]
        elif missing is not None:
            codes[missing] = -1
            if prob is not None:
                prob[missing] = np.nan
        response = classes_from_codes(codes, class_names)
        return PredictionDataClassif(response=response, prob=prob, row_ids=row_ids)


class LearnerRegrDebug(_DebugMixin, LearnerRegr):
    """Regression learner for debugging (``regr.debug``).

    Predicts the training mean (``se``: the training standard deviation) and
    takes the same parameters as :class:`LearnerClassifDebug`.
    """

    def __init__(self) -> None:
        super().__init__(
            "regr.debug",
            param_set=_debug_param_set(),
            predict_types=PREDICT_TYPES["regr"],
            properties={"missings"},
            label="Debug Learner for Regression",
        )

    def _train(self, task: TaskSupervised) -> DebugModel:
        values = self.param_set.get_values(tags="train")
        self._misbehave("train", values)
        y = np.asarray(task.truth(), dtype=np.float64)
        se = float(np.std(y, ddof=1)) if len(y) > 1 else float("nan")
        return _make_model(float(np.mean(y)), se, values, task)

    def _predict(self, task: TaskSupervised) -> PredictionDataRegr:
        values = self.param_set.get_values(tags="predict")
        self._misbehave("predict", values)
        model: DebugModel = self.model
        if values.get("save_tasks"):
            model.task_predict = task.clone()
        n = task.nrow
        response = np.full(n, model.response, dtype=np.float64)
        se = np.full(n, model.se, dtype=np.float64)
        missing = self._missing_rows(n)
        row_ids = None
        if missing is not None and values.get("predict_missing_type", "na") == "omit":
            keep = np.setdiff1d(np.arange(n), missing)
            row_ids = task.row_ids[keep]
            response, se = response[keep], se[keep]
        elif missing is not None:
            response[missing] = np.nan
            se[missing] = np.nan
        return PredictionDataRegr(
            response=response, se=se if self.predict_type == "se" else None, row_ids=row_ids
        )


def _make_model(
    response: Any, se: float, values: dict[str, Any], task: TaskSupervised
) -> DebugModel:
    return DebugModel(
        response=response,
        se=se,
        pid=os.getpid(),
        id=str(uuid.uuid4()),
        random_number=int(job_random_state().randint(1, 100_001)),
        iter=int(values.get("iter", 1)),
        task_train=task.clone() if values.get("save_tasks") else None,
    )
