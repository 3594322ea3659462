"""Conformance checks for pipeline operators (mlr3pipelines' ``expect_pipeop``).

:func:`check_pipeop` trains an operator on part of a task's rows and predicts
the rest, and requires that

- predicting before training raises :class:`~mlr3py.errors.NotTrainedError`;
- neither training nor prediction changes the input task;
- prediction does not change the trained state (train/predict separation);
- a row's prediction does not depend on the other rows predicted with it (no
  leak from predict-time data): predicting the test rows alone and together
  with other rows gives the same output for the test rows;
- predicting twice gives the same output (idempotent);
- a pickled and restored trained operator predicts the same.

Operators whose training input is not a task (the torch network operators
take a :class:`~mlr3py.torch.graph.ModelDescriptor` in training and a task in
prediction) are checked with ``train_input``, a function that makes the
training input from the training task.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import NotTrainedError
from mlr3py.pipelines import NO_OP, PipeOp
from mlr3py.pipelines._pipeop import VARARG
from mlr3py.predictions import Prediction
from mlr3py.tasks import Task
from mlr3py.testing._base import Check, checking, require, require_raises, run_checks

__all__ = ["check_pipeop", "pipeop_checks"]


def _inputs(op: PipeOp, value: Any) -> list[Any]:
    n = 1 if op.input and op.input[0].name == VARARG else op.innum
    return [value.clone() if isinstance(value, Task) else value for _ in range(n)]


def _snapshot(value: Any, rows: np.ndarray | None = None) -> Any:
    """A comparable picture of an output, restricted to ``rows`` when given."""
    if value is None or value is NO_OP:
        return repr(value)
    if isinstance(value, Task):
        frame = value.data()
        frame = frame[~frame.index.duplicated()]
        if rows is not None:
            frame = frame.loc[[r for r in rows if r in frame.index]]
        return (value.feature_names, value.target_names, frame)
    if isinstance(value, Prediction):
        response = getattr(value, "response", None)
        response = [] if response is None else list(response)
        frame = pd.DataFrame({"response": pd.Series(response, dtype=object).to_numpy()},
                             index=pd.Index(value.row_ids))
        if rows is not None:
            frame = frame.loc[[r for r in rows if r in frame.index]]
        return frame
    return value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        if list(a.columns) != list(b.columns) or list(a.index) != list(b.index):
            return False
        try:
            pd.testing.assert_frame_equal(a, b, check_dtype=False, check_categorical=False,
                                          check_exact=False, rtol=1e-8, atol=1e-10)
        except AssertionError:
            return False
        return True
    return bool(a == b)


def _split(task: Task) -> tuple[Task, Task]:
    rows = task.row_ids
    cut = max(1, (2 * len(rows)) // 3)
    return task.clone().filter(rows[:cut]), task.clone().filter(rows[cut:])


TrainInput = Callable[[Task], Any]


def _train(op: PipeOp, task: Task, train_input: TrainInput | None = None) -> PipeOp:
    trained = op.clone().reset()
    np.random.seed(1)  # noqa: NPY002 - random operators draw from numpy's global generator
    trained.train(_inputs(trained, task if train_input is None else train_input(task.clone())))
    return trained


def pipeop_checks(op: PipeOp, task: Task, train_input: TrainInput | None = None,
                  predict_input: TrainInput | None = None) -> list[Check]:
    """The conformance checks of ``op`` on ``task`` as ``(name, callable)`` pairs.

    ``train_input(task)`` / ``predict_input(task)``, when given, make the training /
    prediction input from a task.
    """
    subject = f"PipeOp '{op.id}'"
    train_task, test_task = _split(task)

    def _fit(op: PipeOp, task: Task) -> PipeOp:
        return _train(op, task, train_input)

    def _pin(op: PipeOp, task: Task) -> list[Any]:
        return _inputs(op, task if predict_input is None else predict_input(task.clone()))

    def not_trained() -> None:
        with checking(subject, "not_trained", task.id):
            fresh = op.clone().reset()
            require_raises(lambda: fresh.predict(_pin(fresh, test_task)), NotTrainedError,
                           "predicting before training")

    def inputs_unchanged() -> None:
        with checking(subject, "inputs_unchanged", task.id):
            before = _snapshot(train_task)
            trained = op.clone().reset()
            inputs = _inputs(trained, train_task)
            task_in = inputs[0]
            if train_input is not None:  # the training input is made from (and holds) task_in
                inputs = _inputs(trained, train_input(task_in))
            trained.train(inputs)
            require(_same(_snapshot(task_in), before), "training changed its input task")
            pred_in = _pin(trained, test_task)
            snap = _snapshot(pred_in[0])
            trained.predict(pred_in)
            require(_same(_snapshot(pred_in[0]), snap), "prediction changed its input task")

    def state_separation() -> None:
        with checking(subject, "state_separation", task.id):
            trained = _fit(op, train_task)
            require(trained.is_trained, "after training, is_trained must be True")
            before = pickle.dumps(trained.state)
            trained.predict(_pin(trained, test_task))
            require(pickle.dumps(trained.state) == before, "prediction changed the state")

    def no_leak() -> None:
        with checking(subject, "no_leak", task.id):
            trained = _fit(op, train_task)
            alone = trained.predict(_pin(trained, test_task))
            both = task.clone()
            mixed = trained.predict(_pin(trained, both))
            rows = test_task.row_ids
            for a, b in zip(alone, mixed, strict=True):
                require(_same(_snapshot(a, rows), _snapshot(b, rows)),
                        "the output for the test rows depends on the other rows predicted")

    def idempotent() -> None:
        with checking(subject, "idempotent_predict", task.id):
            trained = _fit(op, train_task)
            first = [_snapshot(x) for x in trained.predict(_pin(trained, test_task))]
            second = [_snapshot(x) for x in trained.predict(_pin(trained, test_task))]
            require(all(_same(a, b) for a, b in zip(first, second, strict=True)),
                    "predicting twice gave different outputs")

    def pickling() -> None:
        with checking(subject, "pickle", task.id):
            trained = _fit(op, train_task)
            restored = pickle.loads(pickle.dumps(trained))
            a = [_snapshot(x) for x in trained.predict(_pin(trained, test_task))]
            b = [_snapshot(x) for x in restored.predict(_pin(restored, test_task))]
            require(all(_same(x, y) for x, y in zip(a, b, strict=True)),
                    "a pickled and restored operator predicts differently")

    return [("not_trained", not_trained), ("inputs_unchanged", inputs_unchanged),
            ("state_separation", state_separation), ("no_leak", no_leak),
            ("idempotent_predict", idempotent), ("pickle", pickling)]


def check_pipeop(op: PipeOp, task: Task, train_input: TrainInput | None = None,
                 predict_input: TrainInput | None = None) -> None:
    """Run every PipeOp check of ``op`` on ``task``; raise :class:`ConformanceError` on failure.

    ``train_input(task)``, when given, makes the training input from a task
    (for operators that take something else in training, such as the torch
    network operators); ``predict_input(task)`` makes the prediction input (for
    operators that predict from something else, such as the ensembles, which
    average predictions).

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.pipelines import po
    >>> check_pipeop(po("scale"), tsk("iris"))
    """
    run_checks(pipeop_checks(op, task, train_input, predict_input))
