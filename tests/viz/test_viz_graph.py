"""``graph.plot()`` and ``autoplot(graph)``: what is drawn, not pixels."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from mlr3py import lrn
from mlr3py.errors import InputError
from mlr3py.pipelines import Graph, as_learner, gunion, po
from mlr3py.pipelines import _graph as graph_module
from mlr3py.viz import autoplot, graph_layout, plot_types

INPUT, OUTPUT = "<INPUT>", "<OUTPUT>"


def _branched() -> Graph:
    return (po("scale") >> po("branch", options=["pca", "nop"])
            >> gunion([po("pca"), po("nop")]) >> po("unbranch") >> lrn("classif.rpart"))


def _union() -> Graph:
    return (po("copy", outnum=2) >> gunion([po("scale"), po("pca", rank=2)])
            >> po("featureunion") >> lrn("classif.rpart"))


def _drawn(ax: Any) -> tuple[dict[str, tuple[float, float]], dict[str, Any], dict[str, str]]:
    """Node positions, edge annotations and edge labels by gid."""
    nodes = {t.get_text(): tuple(t.get_position()) for t in ax.texts
             if (t.get_gid() or "").startswith("node:")}
    edges = {t.get_gid(): t for t in ax.texts if (t.get_gid() or "").startswith("edge:")}
    labels = {t.get_gid()[6:]: t.get_text() for t in ax.texts
              if (t.get_gid() or "").startswith("label:")}
    return nodes, edges, labels


def _pairs(graph: Graph) -> set[tuple[str, str]]:
    pairs = {(e.src_id, e.dst_id) for e in graph.edges}
    pairs |= {(INPUT, i) for i, _ in graph.input}
    pairs |= {(i, OUTPUT) for i, _ in graph.output}
    return pairs


@pytest.mark.parametrize("make", [_branched, _union])
def test_plot_draws_every_operator_and_edge(make: Any) -> None:
    graph = make()
    ax = graph.plot()
    nodes, edges, _ = _drawn(ax)
    assert set(nodes) == {*graph.pipeops, INPUT, OUTPUT}
    assert len(edges) == len(graph.edges) + len(graph.input) + len(graph.output)
    by_position = {pos: name for name, pos in nodes.items()}
    drawn = set()
    for annotation in edges.values():
        src = by_position[tuple(annotation.xyann)]
        dst = by_position[tuple(annotation.xy)]
        drawn.add((src, dst))
        assert nodes[dst][0] > nodes[src][0]  # left to right: every arrow points right
    assert drawn == _pairs(graph)  # the arrows are the graph's edges
    for e in graph.edges:
        assert f"edge:{e.src_id}.{e.src_channel}->{e.dst_id}.{e.dst_channel}" in edges


def test_layers_follow_the_longest_path() -> None:
    graph = _union()
    layout = graph_layout(graph)
    x = {k: v[0] for k, v in layout.positions.items()}
    assert x[INPUT] == 0 and x["copy"] == 1
    assert x["scale"] == x["pca"] == 2 and x["featureunion"] == 3
    assert x["classif.rpart"] == 4 and x[OUTPUT] == 5
    # operators of one layer get distinct rows
    assert layout.positions["scale"][1] != layout.positions["pca"][1]
    # a skip connection: the featureunion waits for the longer branch
    skip = (po("copy", outnum=2) >> gunion([po("scale") >> po("pca"), po("nop")])
            >> po("featureunion"))
    pos = graph_layout(skip).positions
    assert pos["featureunion"][0] == pos["pca"][0] + 1 and pos["nop"][0] == pos["scale"][0]


def test_edges_are_labelled_by_channel_where_there_is_a_choice() -> None:
    _, _, labels = _drawn(_branched().plot())
    assert labels == {"branch.pca->pca.input": "pca", "branch.nop->nop.input": "nop"}
    _, _, labels = _drawn(_union().plot())
    assert labels == {"copy.output1->scale.input": "output1",
                      "copy.output2->pca.input": "output2"}
    _, _, labels = _drawn((po("scale") >> po("pca")).plot())
    assert labels == {}


def test_autoplot_and_given_axes() -> None:
    import matplotlib.pyplot as plt

    graph = _union()
    assert "graph" in plot_types(graph)
    ax = autoplot(graph)
    assert set(_drawn(ax)[0]) == {*graph.pipeops, INPUT, OUTPUT}
    _, given = plt.subplots()
    assert graph.plot(ax=given) is given
    learner = as_learner(_union())
    ax = autoplot(learner, type="graph", fontsize=7)
    assert set(_drawn(ax)[0]) == {*learner.graph.pipeops, INPUT, OUTPUT}
    assert all(t.get_fontsize() == 7 for t in ax.texts if t.get_gid().startswith("node:"))


def test_plot_bad_input() -> None:
    with pytest.raises(InputError, match="graph is empty"):
        Graph().plot()
    with pytest.raises(TypeError, match="colour"):
        _union().plot(colour="red")


def test_plot_without_the_plugin_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph_module, "_GRAPH_PLOTTERS", [])
    monkeypatch.setattr(graph_module, "_VIZ_PLUGIN", "mlr3py_no_such_module")
    with pytest.raises(ImportError, match=r"pip install mlr3py\[viz\]"):
        _union().plot()


@pytest.mark.subprocess
def test_graph_plot_loads_viz_itself() -> None:
    code = ("import sys; from mlr3py.pipelines import po; "
            "assert 'mlr3py.viz' not in sys.modules; "
            "ax = (po('scale') >> po('pca')).plot(); "
            "print(sorted(t.get_text() for t in ax.texts if t.get_text()), "
            "'mlr3py.viz' in sys.modules)")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=120, check=True).stdout
    assert out.strip() == "['<INPUT>', '<OUTPUT>', 'pca', 'scale'] True"
