"""Pictures of mlr3py objects on matplotlib (mlr3viz): :func:`autoplot`.

Needs the optional extra ``viz``: ``pip install mlr3py[viz]``. Nothing else in
mlr3py imports this package.

- :func:`autoplot` draws an object by plot type (``autoplot(prediction, type="roc")``)
  and returns the matplotlib Axes, or the Figure of a multi-panel plot;
  :func:`plot_types` lists an object's types.
- Plot types are a registry: :func:`register_plot` adds one for a class (named by
  its dotted path, so torch and tuning are imported only when their objects are
  plotted) or for a ``runtime_checkable`` protocol.
- :func:`thin_curve` keeps a fixed number of points of a long curve with a bound on
  the error, so that a ROC plot of millions of rows stays small.

Plot types
----------
PredictionClassif
    ``confusion`` (default), ``stacked``, ``roc``, ``prc``, ``threshold``. Multiclass ``roc`` and
    ``prc`` draw one curve per class, one-vs-rest (the class's probability column
    scores that class against all others).
PredictionRegr
    ``xy`` (default), ``residual``, ``histogram``, ``confidence`` (predict type ``se``).
ResampleResult
    ``boxplot`` (default), ``histogram``, ``roc``, ``prc``, ``prediction`` (the models
    over one or two features; ``store_models=True``).
BenchmarkResult
    ``boxplot`` (default), ``roc``, ``prc``, ``ci``.
TuningInstance, ArchiveTuning
    ``performance`` (default), ``incumbent``, ``marginal``, ``parallel``, ``points``,
    ``pairs``, ``surface``, ``budget``.
Task
    ``target`` (default), ``duo``, ``pairs``.
Trained ``classif.rpart`` / ``regr.rpart`` learners
    ``tree`` (default): the fitted tree; ``importance``.
Importance scores (a pandas Series, an object with a ``scores`` Series or an
``importance()`` method)
    ``importance`` (default): sorted bars.
Torch learners and models
    ``history`` (default): loss and measures per epoch.
BatchDiagnostics (:func:`mlr3py.torch.batch_diagnostics`)
    ``batches`` (default): one stacked bar per batch.
Graph (also ``graph.plot()``), GraphLearner
    ``graph``: the operators left to right, edges as arrows (:func:`graph_layout`).
"""

from __future__ import annotations

import importlib.util

if importlib.util.find_spec("matplotlib") is None:  # pragma: no cover - depends on the install
    raise ImportError(
        "mlr3py.viz needs the optional dependency matplotlib. Install it with "
        "`pip install mlr3py[viz]`."
    )

from mlr3py.viz import (  # noqa: F401  (they register their plots)
    _graph,
    _importance,
    _learner_prediction,
    _prediction,
    _results,
    _task,
    _torch,
    _tree,
    _tuning,
)
from mlr3py.viz._common import Curve, thin_curve
from mlr3py.viz._curves import ClassCurve, class_curves
from mlr3py.viz._graph import GraphLayout, graph_layout, plot_graph
from mlr3py.viz._importance import HasImportance, HasScores
from mlr3py.viz._registry import PlotFunction, PlotType, autoplot, plot_types, register_plot

__all__ = [
    "ClassCurve",
    "Curve",
    "GraphLayout",
    "HasImportance",
    "HasScores",
    "PlotFunction",
    "PlotType",
    "autoplot",
    "class_curves",
    "graph_layout",
    "plot_graph",
    "plot_types",
    "register_plot",
    "thin_curve",
]
