"""Plots of torch training: ``history`` (loss and measures per epoch) of a torch
learner or model, and ``batches`` of a batch diagnostics table (one stacked bar per
batch: its rows of each stratum, the smallest stratum count as a line, batches
without a row of some stratum highlighted)."""

from __future__ import annotations

from typing import Any

import numpy as np

from mlr3py.errors import InputError
from mlr3py.viz._common import axes, facets
from mlr3py.viz._registry import register_plot

__all__: list[str] = []

_LEARNER = "mlr3py.torch.learner.LearnerTorch"
_MODEL = "mlr3py.torch.learner.TorchModel"
_DIAGNOSTICS = "mlr3py.torch.diagnostics.BatchDiagnostics"


def _history(obj: Any, ax: Any = None) -> Any:
    """Training and validation loss (first panel) and each measure (one panel each)
    per epoch. Returns the Axes when only the loss was recorded, else the Figure."""
    history = obj.history
    if history is None:
        raise InputError(f"Learner {getattr(obj, 'id', '')!r} is not trained; train it to "
                         "record its history.")
    if history.empty:
        raise InputError("The training history is empty (no epoch was run).")
    metrics = list(dict.fromkeys(
        c.split(".", 1)[1] for c in history.columns if c.startswith(("train.", "valid."))
    ))
    metrics.sort(key=lambda m: m != "loss")
    fig, panels = facets(len(metrics), ax, ncols=min(len(metrics), 2))
    epochs = history["epoch"].to_numpy()
    for panel, metric in zip(panels, metrics, strict=True):
        for split in ("train", "valid"):
            col = f"{split}.{metric}"
            if col in history.columns:
                panel.plot(epochs, history[col].to_numpy(dtype=float), marker=".",
                           label=split)
        panel.set_xlabel("Epoch")
        panel.set_ylabel(metric)
        panel.legend(fontsize="small")
    return panels[0] if len(panels) == 1 else fig


def _batches(table: Any, ax: Any = None, min_line: bool = True) -> Any:
    """One stacked bar per batch (rows of each stratum), the smallest stratum count
    per batch as a line, batches missing a stratum marked red."""
    strata = list(table.strata)
    if len(table) == 0:
        raise InputError("The batch diagnostics table has no batches; there is nothing "
                         "to plot.")
    counts = table[strata].to_numpy(dtype=np.int64)
    x = table["batch"].to_numpy()
    ax = axes(ax, figsize=(min(12.0, 3 + 0.08 * len(x)), 4))
    bottom = np.zeros(len(x))
    for j, name in enumerate(strata):
        ax.bar(x, counts[:, j], bottom=bottom, width=0.85, label=f"stratum {name}",
               color=f"C{j % 10}")
        bottom += counts[:, j]
    smallest = counts.min(axis=1)
    if min_line:
        ax.step(x, smallest, where="mid", color="black", linewidth=1.2, zorder=4,
                label="smallest stratum count")
    missing = np.flatnonzero(smallest == 0)
    for i in missing:
        ax.axvspan(x[i] - 0.5, x[i] + 0.5, color="red", alpha=0.45, linewidth=0, zorder=3)
    handles, _ = ax.get_legend_handles_labels()
    if missing.size:
        from matplotlib.patches import Patch

        handles.append(Patch(color="red", alpha=0.45,
                             label=f"missing a stratum ({missing.size} of {len(x)})"))
    ax.set_xlabel("Batch")
    ax.set_ylabel("Rows")
    ax.legend(handles=handles, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


register_plot(_LEARNER, "history", _history, "loss and measures per epoch", default=True)
register_plot(_MODEL, "history", _history, "loss and measures per epoch", default=True)
register_plot(_DIAGNOSTICS, "batches", _batches,
              "stacked rows per stratum in each batch", default=True)
