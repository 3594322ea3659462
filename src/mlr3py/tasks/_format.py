"""The printed form of a task, modelled on mlr3's ``print.Task``."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd

from mlr3py.errors import InputError
from mlr3py.reflections import FEATURE_TYPE_ABBREVIATIONS

if TYPE_CHECKING:
    from mlr3py.tasks.task import Task

__all__ = ["format_task"]

_ABBREV = FEATURE_TYPE_ABBREVIATIONS
_WIDTH = 100


def _wrap(prefix: str, items: list[str]) -> list[str]:
    text = prefix + ", ".join(items)
    return textwrap.wrap(text, width=_WIDTH, subsequent_indent="    ", break_long_words=False) or [
        prefix
    ]


def format_task(task: Task) -> str:
    """Render ``task`` like mlr3 does (header, target, classes, properties, features by type)."""
    head = f"<{type(task).__name__}:{task.id}>"
    try:
        lines = [f"{head} ({task.nrow} x {task.ncol})" + (f": {task.label}" if task.label else "")]
    except InputError as err:
        return f"{head} (data not available: {err})"
    targets = task.target_names
    if targets:
        lines.append(f"* Target: {', '.join(targets)}")
    class_names = getattr(task, "class_names", None)
    truth = getattr(task, "truth", None)
    if class_names is not None and truth is not None:
        class_counts = getattr(task, "class_counts", None)
        counts = (pd.Series(class_counts()) if class_counts is not None
                  else pd.Series(truth()).value_counts())
        total = max(task.nrow, 1)
        positive = getattr(task, "positive", None)
        items = []
        for name in class_names:
            share = f"{round(100 * counts.get(name, 0) / total)}%"
            tag = f"positive class, {share}" if name == positive else share
            items.append(f"{name} ({tag})")
        lines += _wrap("* Target classes: ", items)
    props = sorted(task.properties)
    lines.append(f"* Properties: {', '.join(props) if props else '-'}")
    types = task.feature_types
    lines.append(f"* Features ({len(types)}):")
    for ftype, group in types.groupby("type", sort=False):
        ids = list(group["id"])
        prefix = f"- {_ABBREV.get(str(ftype), ftype)} ({len(ids)}): "
        lines += ["  " + line for line in _wrap(prefix, ids)]
    for role, title in (("stratum", "Strata"), ("group", "Groups"), ("order", "Order by"),
                        ("weights_learner", "Weights (learner)"),
                        ("weights_measure", "Weights (measure)"), ("name", "Row names")):
        cols = task.col_roles[role]
        if cols:
            lines.append(f"* {title}: {', '.join(cols)}")
    return "\n".join(lines)
