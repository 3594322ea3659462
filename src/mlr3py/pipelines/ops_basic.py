"""Structural operators: ``nop``, ``copy``, ``featureunion``, ``branch`` / ``unbranch``,
``learner``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from mlr3py.errors import ConfigError, InputError
from mlr3py.learners import Learner, mlr_learners
from mlr3py.params import p_fct, ps
from mlr3py.pipelines._pipeop import NO_OP, VARARG, Channel, PipeOp
from mlr3py.pipelines._preproc import replace_features
from mlr3py.tasks import Task

__all__ = ["PipeOpBranch", "PipeOpCopy", "PipeOpFeatureUnion", "PipeOpLearner", "PipeOpNOP",
           "PipeOpUnbranch"]


class PipeOpNOP(PipeOp):
    """Passes its input on unchanged (``po("nop")``)."""

    def __init__(self, id: str = "nop") -> None:  # noqa: A002
        super().__init__(id, input=[Channel("input", "*", "*")],
                         output=[Channel("output", "*", "*")], label="Simply Push Input Forward")

    def _train(self, inputs: list[Any]) -> list[Any]:
        return inputs

    def _predict(self, inputs: list[Any]) -> list[Any]:
        return inputs


class PipeOpCopy(PipeOp):
    """Copies its input to ``outnum`` outputs (``po("copy", outnum=2)``).

    Tasks are cloned, so the branches never share a mutable task.
    """

    def __init__(self, outnum: int = 2, id: str = "copy") -> None:  # noqa: A002
        if not isinstance(outnum, int) or outnum < 1:
            raise ConfigError(f"The 'outnum' of PipeOp 'copy' must be an int >= 1. Got {outnum!r}.")
        super().__init__(id, input=[Channel("input", "*", "*")],
                         output=[Channel(f"output{i + 1}", "*", "*") for i in range(outnum)],
                         label="Copy Input Multiple Times")

    def _copies(self, value: Any) -> list[Any]:
        return [value.clone() if isinstance(value, Task) else value for _ in self.output]

    def _train(self, inputs: list[Any]) -> list[Any]:
        return self._copies(inputs[0])

    def _predict(self, inputs: list[Any]) -> list[Any]:
        return self._copies(inputs[0])


class PipeOpFeatureUnion(PipeOp):
    """Joins the features of several tasks over the same rows (``po("featureunion")``).

    The first task gives target and rows; the features of the others are added.
    A feature name that occurs in two inputs is kept once when the values are
    equal, and is an error otherwise (rename one with ``affect_columns`` or
    ``po("colapply")``).
    """

    def __init__(self, id: str = "featureunion") -> None:  # noqa: A002
        super().__init__(id, input=[Channel(VARARG, "Task", "Task")],
                         output=[Channel("output", "Task", "Task")],
                         label="Aggregate Features from Multiple Inputs")

    def _union(self, inputs: list[Any]) -> list[Any]:
        tasks = [t for t in inputs if t is not NO_OP]
        out = tasks[0].clone()
        for other in tasks[1:]:
            if sorted(map(int, other.row_ids)) != sorted(map(int, out.row_ids)):
                raise InputError(f"PipeOp '{self.id}' joins tasks over the same rows; Task "
                                 f"'{other.id}' has other rows than Task '{out.id}'.")
            have = set(out.feature_names)
            feats = other.feature_names
            frame = other.data(cols=feats) if feats else pd.DataFrame(index=other.row_ids)
            dup = [f for f in feats if f in have]
            if dup:
                mine = out.data(rows=frame.index.to_numpy(), cols=dup)
                differ = [f for f in dup if not mine[f].reset_index(drop=True).equals(
                    frame[f].reset_index(drop=True))]
                if differ:
                    raise InputError(
                        f"PipeOp '{self.id}' got feature(s) {differ} from two inputs with "
                        "different values. Rename them in one branch first."
                    )
                frame = frame.drop(columns=dup)
            replace_features(out, [], frame)
        return [out]

    def _train(self, inputs: list[Any]) -> list[Any]:
        return self._union(inputs)

    def _predict(self, inputs: list[Any]) -> list[Any]:
        return self._union(inputs)


def _option_names(options: int | Sequence[str], what: str) -> list[str]:
    if isinstance(options, int) and not isinstance(options, bool) and options >= 1:
        return [f"output{i + 1}" if what == "output" else f"input{i + 1}" for i in range(options)]
    if isinstance(options, Sequence) and not isinstance(options, str) and options and \
            all(isinstance(o, str) for o in options) and len(set(options)) == len(options):
        return list(options)
    raise ConfigError(f"The options of a branch must be an int >= 1 or distinct names. "
                      f"Got {options!r}.")


class PipeOpBranch(PipeOp):
    """Sends its input down one of several paths (``po("branch", ["pca", "nop"])``).

    Parameter ``selection`` names the active path; the other outputs carry ``NO_OP``,
    so every operator on them is skipped. Close the paths with ``po("unbranch")``.
    """

    def __init__(self, options: int | Sequence[str] = 2, id: str = "branch") -> None:  # noqa: A002
        names = _option_names(options, "output")
        super().__init__(id, param_set=ps(selection=p_fct(names, init=names[0],
                                                           tags=("train", "predict", "required"))),
                         input=[Channel("input", "*", "*")],
                         output=[Channel(n, "*", "*") for n in names], label="Path Branching")

    def _route(self, value: Any) -> list[Any]:
        chosen = self.param_set.values["selection"]
        return [value if c.name == chosen else NO_OP for c in self.output]

    def _train(self, inputs: list[Any]) -> list[Any]:
        return self._route(inputs[0])

    def _predict(self, inputs: list[Any]) -> list[Any]:
        return self._route(inputs[0])


class PipeOpUnbranch(PipeOp):
    """Joins the paths of a branch: passes on the one input that is not ``NO_OP``."""

    def __init__(self, id: str = "unbranch") -> None:  # noqa: A002
        super().__init__(id, input=[Channel(VARARG, "*", "*")],
                         output=[Channel("output", "*", "*")], label="Unbranch Different Paths")

    def _pick(self, inputs: list[Any]) -> list[Any]:
        active = [x for x in inputs if x is not NO_OP]
        if len(active) != 1:
            raise InputError(f"PipeOp '{self.id}' needs exactly one active path. "
                             f"Got {len(active)}.")
        return active

    def _train(self, inputs: list[Any]) -> list[Any]:
        return self._pick(inputs)

    def _predict(self, inputs: list[Any]) -> list[Any]:
        return self._pick(inputs)


class PipeOpLearner(PipeOp):
    """A learner as an operator (``po("learner", lrn("classif.rpart"))``, or ``po(learner)``).

    Training trains the learner and outputs nothing; prediction outputs its
    prediction. The operator's id and parameters are the learner's
    (``classif.rpart.max_depth`` in a graph).
    """

    def __init__(self, learner: Learner | None = None, id: str | None = None) -> None:  # noqa: A002
        if learner is None:  # a placeholder, so that the registry can list the operator
            learner = mlr_learners.get("classif.featureless")
        if not isinstance(learner, Learner):
            raise ConfigError(f"PipeOp 'learner' needs a Learner. Got {type(learner).__name__}.")
        learner = learner.clone().reset()
        kind = {"classif": "Classif", "regr": "Regr"}.get(learner.task_type, "")
        super().__init__(id if id is not None else learner.id, param_set=learner.param_set,
                         input=[Channel("input", f"Task{kind}", f"Task{kind}")],
                         output=[Channel("output", "NULL", f"Prediction{kind}")],
                         packages=learner.packages, label=learner.label or learner.id)
        self.learner: Learner = learner
        #: Set by a graph learner that validates (see :func:`~mlr3py.pipelines.set_validate`)
        #: while it trains: gives the validation task through the trained upstream operators,
        #: which the learner gets as its ``internal_valid_task``.
        self.valid_source: Callable[[], Task] | None = None

    @property
    def learner_model(self) -> Learner:
        """A copy of the learner with the trained state (untrained before training)."""
        return self.learner_model_from(self.state if self.is_trained else None)

    def learner_model_from(self, state: Any) -> Learner:
        """A copy of the learner with ``state`` (e.g. from a graph learner's model)."""
        learner = self.learner.clone()
        learner.state = state
        return learner

    def _train(self, inputs: list[Any]) -> list[Any]:
        if self.valid_source is None:
            self.learner.train(inputs[0])
        else:
            learner: Any = self.learner  # a learner with internal validation
            learner.internal_valid_task = self.valid_source()
            try:
                learner.train(inputs[0])
            finally:
                learner.internal_valid_task = None
        self.state = self.learner.state
        return [None]

    def _predict(self, inputs: list[Any]) -> list[Any]:
        # a copy: predicting records timings and log entries, the trained state stays as it is
        self.learner.state = dataclasses.replace(self.state, log=list(self.state.log))
        try:
            return [self.learner.predict(inputs[0])]
        finally:
            self.learner.state = None
