"""Pictures of pipeline graphs: ``graph.plot()`` and ``autoplot(graph)``.

The operators are drawn left to right in layers: an operator's layer is the
length of the longest path that reaches it from a graph input (so every edge
points right), and inside a layer operators are ordered by the mean position of
their predecessors (one barycentre pass, which removes the crossings of trees
and of branch / unbranch diamonds). Each operator is a box labelled by its id,
each edge an arrow, labelled by its channels where an operator has more than one
(``output1 -> ...`` of a branch). Graph inputs and outputs are the boxes
``<INPUT>`` and ``<OUTPUT>`` (mlr3pipelines' plot).

The layout is computed here rather than by graphviz or networkx so that the
only dependency is matplotlib. The drawn elements carry ``gid`` s that name them:
``node:<id>`` for a box and ``edge:<src>.<channel>-><dst>.<channel>`` for an
arrow, so that what was drawn can be read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlr3py.errors import InputError
from mlr3py.pipelines import Graph, GraphLearner
from mlr3py.pipelines._graph import register_graph_plotter
from mlr3py.pipelines._pipeop import VARARG
from mlr3py.viz._common import axes
from mlr3py.viz._registry import register_plot

__all__ = ["GraphLayout", "graph_layout"]

INPUT, OUTPUT = "<INPUT>", "<OUTPUT>"


@dataclass(frozen=True)
class GraphLayout:
    """Where ``graph.plot()`` puts things.

    Attributes
    ----------
    positions : dict
        Node (operator id, ``<INPUT>`` or ``<OUTPUT>``) -> (x, y); x is the layer.
    edges : list of tuple
        ``(src node, dst node, label, gid)`` per arrow, in the graph's edge order
        (then the arrows from ``<INPUT>`` and to ``<OUTPUT>``).
    """

    positions: dict[str, tuple[float, float]]
    edges: list[tuple[str, str, str, str]]


def _label(graph: Graph, src: str, src_channel: str, dst: str, dst_channel: str) -> str:
    """The channels of an edge, where an end has more than one channel to choose from."""
    parts = []
    if len(graph.pipeops[src].output) > 1:
        parts.append(src_channel)
    dst_inputs = graph.pipeops[dst].input
    if len(dst_inputs) > 1 and dst_channel != VARARG:
        parts.append(dst_channel)
    return " \u2192 ".join(parts)


def graph_layout(graph: Graph) -> GraphLayout:
    """The layered left-to-right layout of ``graph`` (see the module notes)."""
    if not graph.pipeops:
        raise InputError("The graph is empty; there is nothing to plot. Add PipeOps first.")
    ids = graph.ids  # topological order
    preds: dict[str, list[str]] = {i: [] for i in ids}
    for edge in graph.edges:
        preds[edge.dst_id].append(edge.src_id)
    inputs = [i for i, _ in graph.input]
    outputs = [i for i, _ in graph.output]
    for op_id in dict.fromkeys(inputs):
        preds[op_id].append(INPUT)
    layer: dict[str, int] = {INPUT: 0}
    for op_id in ids:
        layer[op_id] = 1 + max(layer[p] for p in preds[op_id]) if preds[op_id] else 1
    last = max(layer[i] for i in ids) + 1
    layer[OUTPUT] = last
    preds[OUTPUT] = list(dict.fromkeys(outputs))
    # one barycentre pass: order each layer by the mean row of its predecessors
    row: dict[str, float] = {INPUT: 0.0}
    by_layer: dict[int, list[str]] = {}
    for node in [*ids, OUTPUT]:
        by_layer.setdefault(layer[node], []).append(node)
    for depth in sorted(by_layer):
        nodes = by_layer[depth]
        key = {n: (sum(row[p] for p in preds[n]) / len(preds[n]) if preds[n] else 0.0)
               for n in nodes}
        ordered = sorted(nodes, key=lambda n: key[n])  # stable: ties keep graph order
        offset = (len(ordered) - 1) / 2
        for k, node in enumerate(ordered):
            row[node] = k - offset
    positions = {n: (float(layer[n]), -row[n]) for n in row}
    edges = [(e.src_id, e.dst_id, _label(graph, e.src_id, e.src_channel, e.dst_id,
                                         e.dst_channel),
              f"edge:{e.src_id}.{e.src_channel}->{e.dst_id}.{e.dst_channel}")
             for e in graph.edges]
    for op_id, channel in graph.input:
        many = len(graph.pipeops[op_id].input) > 1 and channel.name != VARARG
        edges.append((INPUT, op_id, channel.name if many else "",
                      f"edge:{INPUT}->{op_id}.{channel.name}"))
    for op_id, channel in graph.output:
        many = len(graph.pipeops[op_id].output) > 1
        edges.append((op_id, OUTPUT, channel.name if many else "",
                      f"edge:{op_id}.{channel.name}->{OUTPUT}"))
    return GraphLayout(positions, edges)


def plot_graph(graph: Graph, ax: Any = None, node_color: str = "lightyellow",
               fontsize: float = 9.0) -> Any:
    """Draw ``graph`` on ``ax`` (default: a new figure sized to the graph); returns the Axes."""
    layout = graph_layout(graph)
    xs = [p[0] for p in layout.positions.values()]
    ys = [p[1] for p in layout.positions.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    ax = axes(ax, figsize=(2.0 + 1.9 * width, 1.5 + 0.9 * height))
    boxes = {}
    for node, (x, y) in layout.positions.items():  # boxes first: the arrows end at them
        special = node in (INPUT, OUTPUT)
        text = ax.text(x, y, node, ha="center", va="center", fontsize=fontsize,
                       gid=f"node:{node}",
                       bbox={"boxstyle": "round,pad=0.4",
                             "facecolor": "white" if special else node_color,
                             "edgecolor": "0.6" if special else "0.2"})
        boxes[node] = text.get_bbox_patch()
    for src, dst, label, gid in layout.edges:
        (x0, y0), (x1, y1) = layout.positions[src], layout.positions[dst]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), gid=gid,
                    arrowprops={"arrowstyle": "-|>", "color": "0.35", "lw": 1.0,
                                "patchA": boxes[src], "patchB": boxes[dst],
                                "shrinkA": 1, "shrinkB": 1})
        if label:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, label, ha="center", va="bottom",
                    fontsize=fontsize * 0.8, color="0.3", gid=f"label:{gid[5:]}")
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.set_axis_off()
    return ax


def _plot_graph_learner(learner: GraphLearner, ax: Any = None, node_color: str = "lightyellow",
                        fontsize: float = 9.0) -> Any:
    return plot_graph(learner.graph, ax=ax, node_color=node_color, fontsize=fontsize)


register_graph_plotter(plot_graph)
register_plot(Graph, "graph", plot_graph, "the operators, left to right", default=True)
register_plot(GraphLearner, "graph", _plot_graph_learner, "the learner's graph of operators")
