"""Any network: ``classif.module`` and ``regr.module`` (mlr3torch's ``LearnerTorchModule``).

The ``module_generator`` parameter is a factory (a function, or a
``torch.nn.Module`` subclass) that builds the network for the training task; it
runs under the training seed, and the learner trains it in the usual epoch loop
(samplers, callbacks, ``seed``, validation, early stopping).

The factory is called as ``module_generator(task)`` when it takes one
argument, and ``module_generator(task, n_features, n_outputs)`` when it takes
more (or ``**kwargs``, passed by keyword):

- ``n_features``: the input width (``ingress="matrix"``) or the number of
  features (``ingress="mixed"``);
- ``n_outputs``: 1 for regression and two classes (the positive class's
  logit), the number of classes otherwise. The network returns shape
  ``(n, n_outputs)`` or, for one output, ``(n,)`` or ``(n, 1)``.

Parameters (besides those of :class:`~mlr3py.torch.learner.LearnerTorch`)
--------------------------------------------------------------------------
module_generator : callable (required)
    Returns a ``torch.nn.Module``; anything else is a
    :class:`~mlr3py.errors.ConfigError` at training.
ingress : "matrix" (default) or "mixed"
    ``"matrix"``: the network gets one float32 matrix (factor features one-hot
    encoded, as ``classif.mlp``). ``"mixed"``: a
    :class:`~mlr3py.torch.categorical.TensorBatch` with ``"num"`` (float32) and
    ``"categ"`` (int64 level codes, 0 = unknown; unseen levels are then
    predicted instead of refused).

Examples
--------
>>> from torch import nn
>>> from mlr3py import lrn, tsk
>>> def net(task, n_features, n_outputs):
...     return nn.Sequential(nn.Linear(n_features, 16), nn.ReLU(), nn.Linear(16, n_outputs))
>>> learner = lrn("classif.module", module_generator=net, epochs=5, batch_size=32)
>>> learner.train(tsk("sonar")).predict(tsk("sonar")).score()  # doctest: +SKIP
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from torch import nn

from mlr3py.errors import ConfigError
from mlr3py.learners._base import LearnerClassif, LearnerRegr
from mlr3py.params import p_fct, p_uty, ps
from mlr3py.torch.categorical import MixedEncoder
from mlr3py.torch.learner import LearnerTorch

if TYPE_CHECKING:
    from mlr3py.learners._encode import FeatureEncoder
    from mlr3py.tasks import Task

__all__ = ["LearnerClassifModule", "LearnerRegrModule"]


def _check_generator(value: Any) -> bool | str:
    return True if callable(value) else "a callable that returns a torch.nn.Module"


def _module_params() -> Any:
    net = {"train", "network"}
    return ps(
        module_generator=p_uty(_check_generator, tags={*net, "required"}),
        ingress=p_fct(["matrix", "mixed"], default="matrix", tags=net),
    )


def _takes_one_argument(factory: Any) -> bool:
    try:
        params = list(inspect.signature(factory).parameters.values())
    except (TypeError, ValueError):
        return False
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return False
    positional = [
        p for p in params
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    var_positional = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params)
    return len(positional) == 1 and not var_positional


class _Module(LearnerTorch):
    def __init__(self, id: str) -> None:  # noqa: A002 - mlr3's name
        super().__init__(id, param_set=_module_params(), label="Custom torch module")

    def _encoder(self, task: Task) -> FeatureEncoder | MixedEncoder | None:
        ingress = {**self.param_set.default, **self.param_set.get_values()}["ingress"]
        return MixedEncoder.from_task(task) if ingress == "mixed" else None

    def _network(self, task: Task, n_features: int, n_outputs: int) -> nn.Module:
        factory = self.param_set.get_values()["module_generator"]  # required: checked
        if _takes_one_argument(factory):
            network = factory(task)
        else:
            network = factory(task, n_features=n_features, n_outputs=n_outputs)
        if not isinstance(network, nn.Module):
            name = getattr(factory, "__name__", repr(factory))
            raise ConfigError(
                f"The 'module_generator' {name} of Learner '{self.id}' returned "
                f"{type(network).__name__} ({network!r:.60}), not a torch.nn.Module. Return "
                f"the network, e.g. nn.Sequential(...), from the factory."
            )
        return network


class LearnerClassifModule(_Module, LearnerClassif):
    """Classification with a custom network (``classif.module``)."""

    def __init__(self, id: str = "classif.module") -> None:  # noqa: A002
        super().__init__(id)


class LearnerRegrModule(_Module, LearnerRegr):
    """Regression with a custom network (``regr.module``)."""

    def __init__(self, id: str = "regr.module") -> None:  # noqa: A002
        super().__init__(id)
