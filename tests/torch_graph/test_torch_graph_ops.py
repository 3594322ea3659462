"""Every network operator passes the PipeOp conformance suite; the registry and nn() sugar."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mlr3py.pipelines import TORCH_PIPEOP_KEYS, PipeOp, mlr_pipeops, po
from mlr3py.testing import check_pipeop
from mlr3py.torch import nn
from mlr3py.torch.graph import TORCH_PIPEOPS, ModelDescriptor


def _after(*ops: Any):  # type: ignore[no-untyped-def]
    """A training-input maker: the task through ``ops`` (trained) as a model descriptor."""

    def make(task):  # type: ignore[no-untyped-def]
        value = task
        for op in ops:
            (value,) = op.clone().train([value])
        return value

    return make


_NUM = po("torch_ingress_num")
_CATEG = po("torch_ingress_categ")


def _configured(key: str) -> tuple[PipeOp, Any]:
    """The operator ``key`` ready to run, and its training-input maker (None: the task)."""
    special: dict[str, Any] = {
        "torch_ingress_num": lambda: (po(key), None),
        "torch_ingress_categ": lambda: (po(key), None),
        "nn_linear": lambda: (po(key, out_features=3), _after(_NUM)),
        "nn_embedding": lambda: (po(key, embedding_dim=2), _after(_CATEG)),
        "nn_flatten": lambda: (po(key), _after(_CATEG, po("nn_embedding", embedding_dim=2))),
        "nn_block": lambda: (po(key, nn("linear", out_features=2) >> nn("relu"), n_blocks=2),
                             _after(_NUM)),
        "torch_model_classif": lambda: (po(key, epochs=2, batch_size=16, seed=1),
                                        _after(_NUM, po("nn_head"))),
        "torch_loss": lambda: (po(key, "cross_entropy"), _after(_NUM)),
    }
    if key in special:
        made: tuple[PipeOp, Any] = special[key]()
        return made
    return po(key), _after(_NUM)


@pytest.mark.parametrize("key", sorted(set(TORCH_PIPEOP_KEYS) - {"torch_model_regr"}))
def test_network_pipeops_conform(key: str, mixed_task) -> None:
    op, train_input = _configured(key)
    check_pipeop(op, mixed_task, train_input)


def test_torch_model_regr_conforms() -> None:
    """All checks but 'no_leak', which compares regression outputs exactly: float32 matrix
    products over a different number of rows differ in the last bits, so the leak check
    is done here with a float32 tolerance."""
    from mlr3py import tsk
    from mlr3py.testing._base import run_checks
    from mlr3py.testing._pipeop import pipeop_checks

    task = tsk("mtcars")
    op = po("torch_model_regr", epochs=2, batch_size=8, seed=1)
    make = _after(_NUM, po("nn_head"))
    run_checks([c for c in pipeop_checks(op, task, make) if c[0] != "no_leak"])
    rows = task.row_ids
    train, test = task.clone().filter(rows[:20]), task.clone().filter(rows[20:])
    trained = op.clone()
    trained.train([make(train)])
    (alone,) = trained.predict([test])
    (mixed,) = trained.predict([task.clone()])
    np.testing.assert_allclose(alone.response, mixed.response[20:], rtol=1e-5)


def test_registry_lists_every_operator() -> None:
    assert set(TORCH_PIPEOP_KEYS) == set(TORCH_PIPEOPS)
    assert set(TORCH_PIPEOP_KEYS) <= set(mlr_pipeops.keys())


def test_nn_sugar_ids_and_parameters() -> None:
    op = nn("linear", out_features=8)
    assert op.id == "linear" and op.param_set.values["out_features"] == 8
    assert nn("linear_2", out_features=1).id == "linear_2"
    assert nn("relu", id="act").id == "act"
    with pytest.raises(Exception, match="Unknown layer 'lineer'.*linear"):
        nn("lineer")


def test_ingress_output_and_pass_through(mixed_task) -> None:
    (md,) = po("torch_ingress_num").train([mixed_task])
    assert isinstance(md, ModelDescriptor)
    assert md.shape == (None, 3) and md.ingress["torch_ingress_num"].features == ("x1", "x2", "x3")
    op = po("torch_ingress_categ")
    (md2,) = op.train([mixed_task])
    assert md2.ingress["torch_ingress_categ"].levels.cardinalities == (4, 3)
    assert op.predict([mixed_task]) == [mixed_task]


def test_shapes_follow_the_layers(mixed_task) -> None:
    graph = (po("torch_ingress_categ") >> nn("embedding", embedding_dim=4) >> nn("flatten")
             >> nn("linear", out_features=5) >> nn("layer_norm") >> nn("head"))
    (md,) = graph.train(mixed_task).values()
    assert md.shape == (None, 3)  # three classes
    shapes = {i: op.state["shape"] for i, op in graph.pipeops.items() if i != "torch_ingress_categ"}
    assert shapes == {"embedding": [None, 2, 4], "flatten": [None, 8], "linear": [None, 5],
                      "layer_norm": [None, 5], "head": [None, 3]}
