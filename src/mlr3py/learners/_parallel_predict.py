"""Parallel prediction (``learner.parallel_predict = True``).

The rows to predict are split into one chunk per worker of the active plan; each
chunk is predicted by the trained learner through the plan and the chunks' results
are put back together in row order. Under the sequential plan (or in debug mode,
or for fewer than two rows) the learner predicts in one piece, as usual. The
result equals the sequential prediction for every learner whose prediction of a
row does not depend on the other rows predicted with it or on random draws (all
scikit-learn learners; ``classif.debug`` with predict type ``response``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.execution._map import map_items
from mlr3py.execution._plans import current_plan, default_workers
from mlr3py.options import options

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.tasks import Task

__all__ = ["parallel_predict_data"]


def _predict_rows(item: tuple[Learner, Task, np.ndarray]) -> dict[str, Any]:
    learner, task, rows = item
    part = task.clone().filter(rows)
    pdata = dict(learner._predict(part))
    if "row_ids" not in pdata:
        pdata["row_ids"] = part.row_ids
    return pdata


def parallel_predict_data(learner: Learner, task: Task) -> dict[str, Any]:
    """``learner._predict(task)``, computed in row chunks through the active plan."""
    spec = current_plan()
    n_rows = task.nrow
    if options.debug or spec.is_sequential or n_rows < 2:
        return learner._predict(task)
    n_chunks = min(max(1, default_workers(spec)), n_rows)
    row_chunks = np.array_split(np.asarray(task.row_ids), n_chunks)
    parts = map_items(
        _predict_rows, [(learner, task, rows) for rows in row_chunks],
        desc="prediction chunks", chunk_size=1,
    )
    return combine_pdata(parts)


def combine_pdata(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Concatenate the prediction data of row chunks (in chunk order)."""
    out: dict[str, Any] = {
        "row_ids": np.concatenate([np.asarray(p["row_ids"], dtype=np.int64) for p in parts])
    }
    for key in ("response", "prob", "se"):
        values = [p.get(key) for p in parts]
        if any(v is None for v in values):
            continue
        first = values[0]
        if isinstance(first, pd.Categorical):
            out[key] = pd.Categorical.from_codes(
                np.concatenate([
                    np.asarray(pd.Categorical(v, categories=first.categories).codes)
                    for v in values
                ]),
                categories=first.categories,
            )
        elif isinstance(first, pd.DataFrame):
            out[key] = pd.concat(values, ignore_index=True)
        elif isinstance(first, pd.Series):
            out[key] = pd.concat(values, ignore_index=True).to_numpy()
        else:
            arrays = [np.asarray(v) for v in values]
            out[key] = np.vstack(arrays) if arrays[0].ndim == 2 else np.concatenate(arrays)
    return out
