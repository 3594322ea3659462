"""``nn("block", graph, n_blocks=)``: a graph of layer operators repeated ``n_blocks`` times.

Each repetition gets fresh modules (its own weights); node ids are scoped as
``<block id>.<repetition>.<operator id>``. The block's parameters are
``n_blocks`` and the inner operators' (``linear.out_features``), so in a graph
they read ``block.linear.out_features`` and can be tuned like any other.
"""

from __future__ import annotations

from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.params import ParamSetCollection, p_int, ps
from mlr3py.pipelines import Graph, as_graph
from mlr3py.torch.graph._descriptor import ModelDescriptor, merge_descriptors
from mlr3py.torch.graph.ops_layers import PipeOpTorch

__all__ = ["PipeOpTorchBlock"]


class PipeOpTorchBlock(PipeOpTorch):
    """Repeat a graph of layer operators (mlr3torch's ``nn_block``).

    Parameters
    ----------
    block : Graph or PipeOp
        Layer operators only (``nn("linear") >> nn("relu")``), with one input
        and one output.
    id : str
        The operator's id.
    """

    def __init__(self, block: Any = None, id: str = "nn_block") -> None:  # noqa: A002
        graph = Graph() if block is None else as_graph(block, clone=True)
        for op in graph.pipeops.values():
            if not isinstance(op, PipeOpTorch):
                raise ConfigError(
                    f"The graph of nn('block') may hold layer operators (nn(...)) only; "
                    f"'{op.id}' is a {type(op).__name__}."
                )
        if block is not None and (len(graph.input) != 1 or len(graph.output) != 1):
            raise ConfigError(
                f"The graph of nn('block') needs one input and one output; it has "
                f"{len(graph.input)} and {len(graph.output)}."
            )
        own = ps(n_blocks=p_int(0, default=1, tags={"train"}))
        sets = {"": own, **{i: op.param_set for i, op in graph.pipeops.items()}}
        super().__init__(id, label="A repeated block of layers")
        self.param_set = ParamSetCollection(sets, context=f"PipeOp '{id}'")
        self.block = graph

    def _train(self, inputs: list[Any]) -> list[Any]:
        if not self.block.pipeops:
            raise ConfigError(f"PipeOp '{self.id}' has an empty block; pass a graph of layers, "
                              f"e.g. nn('block', nn('linear', out_features=8) >> nn('relu')).")
        mds: list[ModelDescriptor] = inputs
        md = mds[0] if len(mds) == 1 else merge_descriptors(mds, f"PipeOp '{self.id}'")
        scope = md.scope
        for i in range(self.param_set.get_values().get("n_blocks", 1)):
            graph = self.block.clone()
            (out,) = graph.train(md.replace(scope=f"{scope}{self.id}.{i + 1}.")).values()
            md = out.replace(scope=scope)
        self.state = {"shape": list(md.shape)}
        return [md]
