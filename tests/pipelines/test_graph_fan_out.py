"""One output feeding several inputs (mlr3pipelines' %>>% and Graph$add_edge)."""

from __future__ import annotations

from typing import Any

import pytest

from mlr3py import lrn, tsk
from mlr3py.errors import ConfigError
from mlr3py.pipelines import Graph, PipeOp, as_learner, gunion, po


class _DropAll(PipeOp):
    """Changes its input task in place (drops every feature) and passes it on."""

    def __init__(self) -> None:
        super().__init__("dropall")

    def _train(self, inputs: list[Any]) -> list[Any]:
        self.state = {}
        return [inputs[0].select([])]

    def _predict(self, inputs: list[Any]) -> list[Any]:
        return [inputs[0].select([])]


def test_chain_feeds_every_input_from_one_output() -> None:
    task = tsk("iris")
    graph = po("scale") >> gunion([po("pca"), po("nop")]) >> po("featureunion")
    assert {(e.src_id, e.dst_id) for e in graph.edges} >= {("scale", "pca"), ("scale", "nop")}
    (out,) = graph.train(task).values()
    assert out.feature_names == [*(f"PC{i}" for i in range(1, 5)), *task.feature_names]
    (pred,) = graph.predict(task).values()
    assert pred.feature_names == out.feature_names
    learner = as_learner(graph >> lrn("classif.rpart"))
    learner.train(task)
    assert len(learner.predict(task).row_ids) == task.nrow


def test_a_branch_changing_its_input_does_not_change_the_other() -> None:
    task = tsk("iris")
    for order in ([_DropAll(), po("nop")], [po("nop"), _DropAll()]):
        graph = po("scale") >> gunion(order) >> po("featureunion")
        (out,) = graph.train(task).values()
        assert out.feature_names == task.feature_names
        (pred,) = graph.predict(task).values()
        assert pred.feature_names == task.feature_names
    assert len(task.feature_names) == 4


def test_add_edge_lets_one_output_feed_several_inputs() -> None:
    graph = Graph().add_pipeop(po("scale")).add_pipeop(po("pca")).add_pipeop(po("nop"))
    graph.add_edge("scale", "pca").add_edge("scale", "nop")
    assert [i for i, _ in graph.output] == ["pca", "nop"]
    with pytest.raises(ConfigError, match="already"):
        graph.add_edge("scale", "pca")
    outputs = graph.train(tsk("iris"))
    assert set(outputs) == {"pca.output", "nop.output"}
