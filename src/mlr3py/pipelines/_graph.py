"""Graphs of PipeOps: :class:`Graph`, ``a >> b`` (mlr3's ``%>>%``) and :func:`gunion`.

A graph holds operators and directed edges from output channels to input
channels. Its inputs are the input channels no edge feeds, its outputs the
output channels no edge leaves. ``graph.train(task)`` gives the task to every
graph input and runs the operators in topological order; ``graph.predict(task)``
does the same with the trained states.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlr3py.errors import ConfigError
from mlr3py.params import ParamSetCollection
from mlr3py.pipelines._pipeop import VARARG, Channel, PipeOp, channel_compatible, type_hint
from mlr3py.registry import did_you_mean
from mlr3py.tasks import Task

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Edge", "Graph", "as_graph", "gunion", "register_graph_plotter"]


@dataclass(frozen=True)
class Edge:
    """An edge from output ``src_channel`` of ``src_id`` to input ``dst_channel`` of ``dst_id``."""

    src_id: str
    src_channel: str
    dst_id: str
    dst_channel: str


class Graph:
    """Operators connected by edges (mlr3pipelines' ``Graph``).

    Examples
    --------
    >>> from mlr3py import tsk
    >>> from mlr3py.pipelines import po
    >>> graph = po("scale") >> po("pca", rank=2)
    >>> out = graph.train(tsk("iris"))
    >>> out["pca.output"].feature_names
    ['PC1', 'PC2']
    """

    def __init__(self) -> None:
        self.pipeops: dict[str, PipeOp] = {}
        self.edges: list[Edge] = []

    # -- building ---------------------------------------------------------------------
    def add_pipeop(self, op: Any, clone: bool = True) -> Graph:
        """Add an operator (a PipeOp, a learner, or a scikit-learn transformer); returns ``self``.

        Raises
        ------
        ConfigError
            If the graph already holds an operator with this id.
        """
        from mlr3py.pipelines._registry import as_pipeop

        op = as_pipeop(op, clone=clone)
        if op.id in self.pipeops:
            raise ConfigError(
                f"The graph already has a PipeOp with id '{op.id}'. Give the new one another "
                f"id, e.g. po('{op.id}', id='{op.id}_2')."
            )
        self.pipeops[op.id] = op
        return self

    def _channel(self, op_id: str, name: str | None, side: str) -> Channel:
        op = self._op(op_id)
        channels = op.input if side == "input" else op.output
        if name is None:
            if len(channels) != 1:
                raise ConfigError(
                    f"PipeOp '{op_id}' has {len(channels)} {side} channels "
                    f"({', '.join(c.name for c in channels)}); name the one to connect."
                )
            return channels[0]
        for channel in channels:
            if channel.name == name:
                return channel
        raise ConfigError(
            f"PipeOp '{op_id}' has no {side} channel '{name}'."
            + did_you_mean(name, [c.name for c in channels])
        )

    def _op(self, op_id: str) -> PipeOp:
        if op_id not in self.pipeops:
            raise ConfigError(f"The graph has no PipeOp '{op_id}'."
                              + did_you_mean(op_id, self.pipeops))
        return self.pipeops[op_id]

    def add_edge(self, src_id: str, dst_id: str, src_channel: str | None = None,
                 dst_channel: str | None = None) -> Graph:
        """Connect an output of ``src_id`` to an input of ``dst_id``; returns ``self``.

        One output may feed several inputs (as in mlr3pipelines): each gets the
        value, a task as its own clone, so an operator that changes its input
        cannot change what another one sees.

        Raises
        ------
        ConfigError
            For unknown operators or channels, a channel connected twice, channel
            types that do not fit, or an edge that would close a cycle.
        """
        out = self._channel(src_id, src_channel, "output")
        inp = self._channel(dst_id, dst_channel, "input")
        for edge in self.edges:
            if edge == Edge(src_id, out.name, dst_id, inp.name):
                raise ConfigError(f"Output '{out.name}' of PipeOp '{src_id}' is connected "
                                  f"to input '{inp.name}' of PipeOp '{dst_id}' already.")
            if edge.dst_id == dst_id and edge.dst_channel == inp.name and inp.name != VARARG:
                raise ConfigError(f"Input '{inp.name}' of PipeOp '{dst_id}' is connected "
                                  f"already (from '{edge.src_id}').")
        for stage in ("train", "predict"):
            out_type, in_type = getattr(out, stage), getattr(inp, stage)
            if not channel_compatible(out_type, in_type):
                raise ConfigError(
                    f"Cannot connect output '{out.name}' of PipeOp '{src_id}' ({out_type} in "
                    f"{stage}ing) to input '{inp.name}' of PipeOp '{dst_id}' ({in_type}). "
                    + (type_hint(in_type) or "Insert an operator that converts between them.")
                )
        if src_id == dst_id or dst_id in self._ancestors(src_id):
            raise ConfigError(
                f"An edge from '{src_id}' to '{dst_id}' would make a cycle; a graph must be "
                "acyclic."
            )
        self.edges.append(Edge(src_id, out.name, dst_id, inp.name))
        return self

    def _ancestors(self, op_id: str) -> set[str]:
        seen: set[str] = set()
        todo = [op_id]
        while todo:
            node = todo.pop()
            for edge in self.edges:
                if edge.dst_id == node and edge.src_id not in seen:
                    seen.add(edge.src_id)
                    todo.append(edge.src_id)
        return seen

    # -- structure -------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        """Operator ids in topological order (ties in insertion order)."""
        order: list[str] = []
        placed: set[str] = set()
        remaining = list(self.pipeops)
        while remaining:
            for op_id in remaining:
                if all(e.src_id in placed for e in self.edges if e.dst_id == op_id):
                    order.append(op_id)
                    placed.add(op_id)
                    remaining.remove(op_id)
                    break
            else:  # pragma: no cover - add_edge refuses cycles
                raise ConfigError("The graph has a cycle.")
        return order

    @property
    def input(self) -> list[tuple[str, Channel]]:
        """The graph's inputs: (operator id, channel) of every unconnected input channel."""
        fed = {(e.dst_id, e.dst_channel) for e in self.edges}
        return [(i, c) for i in self.ids for c in self.pipeops[i].input if (i, c.name) not in fed]

    @property
    def output(self) -> list[tuple[str, Channel]]:
        """The graph's outputs: (operator id, channel) of every unconnected output channel."""
        used = {(e.src_id, e.src_channel) for e in self.edges}
        return [(i, c) for i in self.ids for c in self.pipeops[i].output
                if (i, c.name) not in used]

    @property
    def param_set(self) -> ParamSetCollection:
        """All operators' parameters under prefixed ids (``scale.center``); writes go through."""
        return ParamSetCollection({i: op.param_set for i, op in self.pipeops.items()},
                                  context="Graph")

    @property
    def state(self) -> dict[str, Any]:
        """Operator id -> its trained state (``None`` while untrained)."""
        return {i: op.state for i, op in self.pipeops.items()}

    @state.setter
    def state(self, value: dict[str, Any]) -> None:
        for op_id, op_state in value.items():
            self._op(op_id).state = op_state

    @property
    def is_trained(self) -> bool:
        """Whether every operator is trained."""
        return bool(self.pipeops) and all(op.is_trained for op in self.pipeops.values())

    # -- running ----------------------------------------------------------------------
    def train(self, input: Any) -> dict[str, Any]:  # noqa: A002
        """Train every operator; ``input`` goes to every graph input.

        Returns
        -------
        dict
            ``"<op id>.<channel>"`` -> the value of each graph output.
        """
        return self._run(input, "train")

    def predict(self, input: Any) -> dict[str, Any]:  # noqa: A002
        """Predict with the trained operators; ``input`` goes to every graph input.

        Returns
        -------
        dict
            ``"<op id>.<channel>"`` -> the value of each graph output.
        """
        return self._run(input, "predict")

    def _run(self, value: Any, stage: str) -> dict[str, Any]:
        if not self.pipeops:
            raise ConfigError("The graph is empty: add PipeOps before training it.")
        graph_inputs = {(i, c.name) for i, c in self.input}
        values: dict[tuple[str, str], Any] = {}
        # how many inputs each output still feeds: all but the last get a clone of a task
        waiting: dict[tuple[str, str], int] = {}
        for e in self.edges:
            waiting[(e.src_id, e.src_channel)] = waiting.get((e.src_id, e.src_channel), 0) + 1

        def take(key: tuple[str, str]) -> Any:
            waiting[key] -= 1
            if waiting[key]:
                value = values[key]
                return value.clone() if isinstance(value, Task) else value
            return values.pop(key)

        for op_id in self.ids:
            op = self.pipeops[op_id]
            inputs: list[Any] = []
            for channel in op.input:
                if (op_id, channel.name) in graph_inputs:
                    inputs.append(value)
                    continue
                feeding = [e for e in self.edges
                           if e.dst_id == op_id and e.dst_channel == channel.name]
                inputs.extend(take((e.src_id, e.src_channel)) for e in feeding)
            outputs = op.train(inputs) if stage == "train" else op.predict(inputs)
            for channel, out in zip(op.output, outputs, strict=True):
                values[(op_id, channel.name)] = out
        return {f"{i}.{c}": v for (i, c), v in values.items()}

    # -- composing ---------------------------------------------------------------------
    def __rshift__(self, other: Any) -> Graph:
        return chain(self, other)

    def __rrshift__(self, other: Any) -> Graph:
        return chain(other, self)

    def clone(self) -> Graph:
        """An independent deep copy."""
        return copy.deepcopy(self)

    # -- display ------------------------------------------------------------------------
    def __repr__(self) -> str:
        if not self.pipeops:
            return "Graph with 0 PipeOps."
        rows = [("ID", "State", "sccssors", "prdcssors")]
        for op_id in self.ids:
            op = self.pipeops[op_id]
            succ = ",".join(e.dst_id for e in self.edges if e.src_id == op_id) or "-"
            pred = ",".join(e.src_id for e in self.edges if e.dst_id == op_id) or "-"
            rows.append((op_id, "<trained>" if op.is_trained else "<<UNTRAINED>>", succ, pred))
        widths = [max(len(r[i]) for r in rows) + 2 for i in range(3)]
        lines = [f"Graph with {len(self.pipeops)} PipeOps:"]
        lines += ["".join(f"{r[i]:<{widths[i]}}" for i in range(3)) + r[3] for r in rows]
        return "\n".join(lines)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Draw the graph with matplotlib: operators left to right in layers, edges as arrows.

        The drawing lives in :mod:`mlr3py.viz` (the optional extra ``viz``), which
        registers it when imported; this method imports it when needed. Same as
        ``autoplot(graph)``.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Where to draw; default: a new figure sized to the graph.
        **kwargs
            ``node_color``, ``fontsize``.

        Returns
        -------
        matplotlib.axes.Axes
        """
        if not _GRAPH_PLOTTERS:
            try:  # the plugin registers its drawing function on import
                importlib.import_module(_VIZ_PLUGIN)
            except ImportError as err:
                raise ImportError(
                    "graph.plot() needs matplotlib: pip install mlr3py[viz]. "
                    "print(graph) shows the graph as text."
                ) from err
        return _GRAPH_PLOTTERS[-1](self, ax=ax, **kwargs)


#: ``Graph.plot()``'s drawing functions, registered by the viz package (a layer above)
_GRAPH_PLOTTERS: list[Callable[..., Any]] = []
# imported by name by Graph.plot(): pipelines must not import the layer above it
_VIZ_PLUGIN = "mlr3py.viz"


def register_graph_plotter(function: Callable[..., Any]) -> None:
    """Make ``function(graph, ax=None, **kwargs) -> Axes`` the drawing of :meth:`Graph.plot`.

    :mod:`mlr3py.viz` registers its drawing; a later registration replaces it.
    """
    if not callable(function):
        raise ConfigError(f"A graph plotter must be callable. Got {function!r} instead.")
    _GRAPH_PLOTTERS.append(function)


def as_graph(obj: Any, clone: bool = False) -> Graph:
    """``obj`` as a graph: a Graph itself (cloned if asked), or a one-operator graph."""
    if isinstance(obj, Graph):
        return obj.clone() if clone else obj
    return Graph().add_pipeop(obj, clone=clone)


def _merge(target: Graph, other: Graph) -> None:
    for op_id, op in other.pipeops.items():
        if op_id in target.pipeops:
            raise ConfigError(
                f"Both graphs have a PipeOp with id '{op_id}'. Give one of them another id, "
                f"e.g. po('{op_id}', id='{op_id}_2')."
            )
        target.pipeops[op_id] = op
    target.edges.extend(other.edges)


def chain(g1: Any, g2: Any) -> Graph:
    """``g1 >> g2``: every output of ``g1`` feeds the matching input of ``g2`` (mlr3's ``%>>%``).

    Outputs and inputs pair up in order; a single input channel ``"..."`` takes all
    outputs, and a single output feeds every input (each gets its own clone of a
    task). Both operands are copied.
    """
    left, right = as_graph(g1, clone=True), as_graph(g2, clone=True)
    outs, ins = left.output, right.input
    _merge(left, right)
    if len(ins) == 1 and ins[0][1].name == VARARG:
        pairs = [(o, ins[0]) for o in outs]
    elif len(outs) == len(ins):
        pairs = list(zip(outs, ins, strict=True))
    elif len(outs) == 1:  # one output feeds every input (mlr3pipelines' %>>%)
        pairs = [(outs[0], i) for i in ins]
    else:
        raise ConfigError(
            f"Cannot chain: the left graph has {len(outs)} outputs but the right one has "
            f"{len(ins)} inputs. Their numbers must match (or the right one take '...')."
        )
    for (src, out), (dst, inp) in pairs:
        left.add_edge(src, dst, out.name, inp.name)
    return left


PipeOp._chain = chain  # op >> other, op1 >> op2: see PipeOp._chain


def gunion(graphs: Iterable[Any]) -> Graph:
    """The graphs side by side, unconnected (mlr3's ``gunion``): their inputs and outputs in order.

    Examples
    --------
    >>> from mlr3py.pipelines import po
    >>> graph = gunion([po("pca"), po("nop")]) >> po("featureunion")
    """
    out = Graph()
    for g in graphs:
        _merge(out, as_graph(g, clone=True))
    return out

