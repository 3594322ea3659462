"""The pipeline operator: :class:`PipeOp` with typed input and output channels (mlr3pipelines).

A PipeOp is trained on a list of inputs (one per input channel) and returns a
list of outputs (one per output channel); what it learns is its :attr:`state`,
which :meth:`PipeOp.predict` uses on new inputs. A scaler's means are learnt
from the training rows only and reused, unchanged, for the test rows.

Channel types name what flows: ``"Task"``, ``"TaskClassif"``, ``"TaskRegr"``,
``"Prediction"``, ``"PredictionClassif"``, ``"PredictionRegr"``, ``"*"`` (anything)
and ``"NULL"`` (nothing, e.g. what a learner outputs in training).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from mlr3py._identified import Identified
from mlr3py.errors import ConfigError, InputError, NotTrainedError
from mlr3py.params import ParamSet, ps
from mlr3py.predictions import Prediction, PredictionClassif, PredictionRegr
from mlr3py.tasks import Task, TaskClassif, TaskRegr

__all__ = [
    "NO_OP", "VARARG", "Channel", "NoOp", "PipeOp", "channel_compatible", "register_channel_type",
]

#: The name of a channel that takes any number of incoming edges (mlr3's ``...``).
VARARG = "..."

# type name -> the Python class its values are instances of (None: no value)
_TYPES: dict[str, type | None] = {
    "Task": Task, "TaskClassif": TaskClassif, "TaskRegr": TaskRegr,
    "Prediction": Prediction, "PredictionClassif": PredictionClassif,
    "PredictionRegr": PredictionRegr, "NULL": None,
}
# type name -> its parent type name
_PARENT = {"TaskClassif": "Task", "TaskRegr": "Task",
           "PredictionClassif": "Prediction", "PredictionRegr": "Prediction"}


#: type name -> what to put before an input of that type (for error messages)
_HINTS: dict[str, str] = {}


def register_channel_type(name: str, cls: type, parent: str | None = None,
                          hint: str = "") -> None:
    """Make ``name`` a channel type whose values are instances of ``cls``.

    Higher layers add their own types this way (``"ModelDescriptor"``, which
    the torch network operators pass along); ``parent`` names a type it fits;
    ``hint`` says how to get a value of the type, for the error when an edge
    feeds an input of this type with something else.
    Registering the same name again with the same class does nothing.

    Raises
    ------
    ConfigError
        If ``name`` is registered already with another class.
    """
    known = _TYPES.get(name, cls)
    if known is not cls:
        raise ConfigError(f"Channel type '{name}' is registered already (for {known!r}).")
    _TYPES[name] = cls
    if parent is not None:
        _PARENT[name] = parent
    if hint:
        _HINTS[name] = hint


def type_hint(name: str) -> str:
    """The registered hint for channel type ``name`` ("" when there is none)."""
    return _HINTS.get(name, "")


class NoOp:
    """The value on the channels of an inactive branch (mlr3's ``NO_OP``)."""

    _instance: ClassVar[NoOp | None] = None

    def __new__(cls) -> NoOp:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __reduce__(self) -> tuple[Any, ...]:
        return (NoOp, ())

    def __repr__(self) -> str:
        return "NO_OP"


NO_OP = NoOp()


@dataclass(frozen=True)
class Channel:
    """One input or output of a PipeOp.

    Attributes
    ----------
    name : str
        The channel's name (``"input"``, ``"output"``, an option name, or
        ``"..."`` for any number of inputs).
    train : str
        The type of value it carries in training.
    predict : str
        The type of value it carries in prediction.
    """

    name: str
    train: str = "Task"
    predict: str = "Task"

    def __post_init__(self) -> None:
        for kind in (self.train, self.predict):
            if kind != "*" and kind not in _TYPES:
                raise ConfigError(
                    f"Channel '{self.name}' has unknown type '{kind}'. "
                    f"Known types: {', '.join(['*', *_TYPES])}."
                )


def _is_sub(child: str, parent: str) -> bool:
    while child != parent and child in _PARENT:
        child = _PARENT[child]
    return child == parent


def channel_compatible(out_type: str, in_type: str) -> bool:
    """Whether an output of type ``out_type`` may feed an input of type ``in_type``.

    ``"*"`` fits everything; a type fits its parents (``TaskClassif`` -> ``Task``)
    and, since an operator declared for ``Task`` may emit a classification task,
    its children.
    """
    if "*" in (out_type, in_type):
        return True
    return _is_sub(out_type, in_type) or _is_sub(in_type, out_type)


def check_value(op_id: str, channel: Channel, value: Any, stage: str) -> None:
    """Raise :class:`InputError` unless ``value`` is of ``channel``'s type for ``stage``."""
    kind = channel.train if stage == "train" else channel.predict
    if kind == "*" or value is NO_OP:
        return
    cls = _TYPES[kind]
    ok = value is None if cls is None else isinstance(value, cls)
    if not ok:
        raise InputError(
            f"Input channel '{channel.name}' of PipeOp '{op_id}' takes a {kind} in {stage}ing. "
            f"Got {type(value).__name__} instead; connect it to an operator that outputs a {kind}."
        )


class PipeOp(Identified):
    """A pipeline operator (mlr3pipelines' ``PipeOp``).

    Subclasses implement ``_train(inputs) -> outputs`` (setting :attr:`state`)
    and ``_predict(inputs) -> outputs``.

    Parameters
    ----------
    id : str
        The operator's id; it prefixes its parameters in a graph (``scale.center``).
    param_set : ParamSet, optional
        Its hyperparameters.
    input, output : sequence of Channel
        Input and output channels.
    packages : sequence of str
        Python packages it needs.
    label : str
        A one-line description.

    Attributes
    ----------
    state : object or None
        What training learnt; ``None`` while untrained.
    """

    _kind = "PipeOp"

    def __init__(
        self,
        id: str,  # noqa: A002 - mlr3's name
        *,
        param_set: ParamSet | None = None,
        input: Sequence[Channel] = (Channel("input"),),  # noqa: A002
        output: Sequence[Channel] = (Channel("output"),),
        packages: Sequence[str] = (),
        label: str = "",
    ) -> None:
        self.param_set: ParamSet = param_set if param_set is not None else ps()
        self._id = ""
        self.id = id
        self.label = label
        self.input: list[Channel] = list(input)
        self.output: list[Channel] = list(output)
        self.packages: list[str] = list(packages)
        self.state: Any = None
        names = [c.name for c in self.input]
        if len(set(names)) != len(names) or len({c.name for c in self.output}) != len(self.output):
            raise ConfigError(f"PipeOp '{id}' has duplicated channel names.")

    # -- fields -------------------------------------------------------------------
    @property
    def is_trained(self) -> bool:
        """Whether the operator has been trained."""
        return self.state is not None

    @property
    def innum(self) -> int:
        """The number of input channels."""
        return len(self.input)

    @property
    def outnum(self) -> int:
        """The number of output channels."""
        return len(self.output)

    @property
    def is_vararg(self) -> bool:
        """Whether the operator takes any number of inputs (one channel ``"..."``)."""
        return len(self.input) == 1 and self.input[0].name == VARARG

    # -- train / predict ------------------------------------------------------------
    def train(self, inputs: Sequence[Any]) -> list[Any]:
        """Train on ``inputs`` (one per input channel); returns one output per output channel.

        An operator whose inputs are all ``NO_OP`` (an inactive branch) is not
        trained: it outputs ``NO_OP`` everywhere.
        """
        inputs = self._check_inputs(inputs, "train")
        self.state = None
        if inputs and all(x is NO_OP for x in inputs):
            self.state = NO_OP
            return [NO_OP] * self.outnum
        self.param_set.assert_(self.param_set.get_values())
        self.param_set.assert_untuned("train")
        outputs = self._train(inputs)
        if self.state is None:
            self.state = {}
        return self._check_outputs(outputs)

    def predict(self, inputs: Sequence[Any]) -> list[Any]:
        """Predict on ``inputs`` with the trained state; one output per output channel.

        Raises
        ------
        NotTrainedError
            If the operator has not been trained.
        ConfigError
            If it was on an inactive branch in training (state ``NO_OP``) but gets an
            input now (the branch selection changed since training).
        """
        if self.state is None:
            raise NotTrainedError(
                f"Cannot predict: PipeOp '{self.id}' has not been trained yet. "
                f"Train it (or the graph holding it) first."
            )
        inputs = self._check_inputs(inputs, "predict")
        if inputs and all(x is NO_OP for x in inputs):
            return [NO_OP] * self.outnum
        if self.state is NO_OP:  # mlr3pipelines: "got NO_OP during train but no NO_OP ..."
            raise ConfigError(
                f"Cannot predict: PipeOp '{self.id}' was not trained, its branch was inactive "
                "in training, but it gets an input now. The branch selection changed since "
                "training: train again with the new selection."
            )
        return self._check_outputs(self._predict(inputs))

    def _check_inputs(self, inputs: Sequence[Any], stage: str) -> list[Any]:
        if not isinstance(inputs, (list, tuple)):
            raise InputError(
                f"PipeOp '{self.id}' takes a list of inputs (one per input channel) in {stage}(). "
                f"Got {type(inputs).__name__} instead; wrap it: op.{stage}([task])."
            )
        inputs = list(inputs)
        if self.is_vararg:
            if not inputs:
                raise InputError(f"PipeOp '{self.id}' needs at least one input.")
            for value in inputs:
                check_value(self.id, self.input[0], value, stage)
            return inputs
        if len(inputs) != self.innum:
            raise InputError(
                f"PipeOp '{self.id}' has {self.innum} input channel(s) "
                f"({', '.join(c.name for c in self.input)}). Got {len(inputs)} input(s)."
            )
        for channel, value in zip(self.input, inputs, strict=True):
            check_value(self.id, channel, value, stage)
        return inputs

    def _check_outputs(self, outputs: Sequence[Any]) -> list[Any]:
        outputs = list(outputs)
        if len(outputs) != self.outnum:
            raise InputError(
                f"PipeOp '{self.id}' returned {len(outputs)} output(s) for {self.outnum} "
                "output channel(s)."
            )
        return outputs

    def _train(self, inputs: list[Any]) -> list[Any]:
        raise NotImplementedError(f"{type(self).__name__} must implement _train(inputs).")

    def _predict(self, inputs: list[Any]) -> list[Any]:
        raise NotImplementedError(f"{type(self).__name__} must implement _predict(inputs).")

    # -- composing ---------------------------------------------------------------------
    #: ``chain(a, b)`` of :mod:`mlr3py.pipelines._graph`, which sets it when it is loaded
    #: (graphs are built from operators; this module does not import theirs).
    _chain: ClassVar[Callable[[Any, Any], Any]]

    def __rshift__(self, other: Any) -> Any:
        """``op >> other``: a graph with this operator's output feeding ``other``."""
        return PipeOp._chain(self, other)

    def __rrshift__(self, other: Any) -> Any:
        return PipeOp._chain(other, self)

    # -- housekeeping -------------------------------------------------------------------
    def clone(self) -> PipeOp:
        """An independent deep copy (parameter values and state included)."""
        return copy.deepcopy(self)

    def reset(self) -> PipeOp:
        """Forget the trained state; returns ``self``."""
        self.state = None
        return self

    def _dict_row(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "packages": list(self.packages),
            "input.num": self.innum,
            "output.num": self.outnum,
            "input.type.train": [c.train for c in self.input],
            "output.type.train": [c.train for c in self.output],
        }

    def __repr__(self) -> str:
        trained = "trained" if self.is_trained else "not trained"
        values = self.param_set.get_values()
        params = ", ".join(f"{k}={v!r:.30}" for k, v in values.items()) or "list()"

        def chans(cs: list[Channel]) -> str:
            return ", ".join(f"{c.name} [{c.train},{c.predict}]" for c in cs)

        return "\n".join([
            f"<{type(self).__name__}:{self.id}> ({trained})",
            f"* Parameters: {params}",
            f"* Input channels: {chans(self.input)}",
            f"* Output channels: {chans(self.output)}",
        ])
