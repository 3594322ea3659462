"""Batch diagnostics: rows per stratum in each batch of one epoch.

``batch_diagnostics(sampler, strata)`` gives the count tables of the blog posts
on the stratified batch sampler: one row per batch with its size, its number of
rows of each stratum and its row ids. It works with any batch sampler (torch's
``BatchSampler(RandomSampler(...), 100)`` too), a plain list of batches, or a torch
learner and a task (the batches of the learner's first training epoch on the task).
The table is a :class:`BatchDiagnostics`, a DataFrame that knows its stratum
columns; ``mlr3py.viz.autoplot`` draws it as stacked bars.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import InputError
from mlr3py.torch._stratified import encode_strata

__all__ = ["BatchDiagnostics", "batch_diagnostics"]

_RESERVED = ("batch", "size", "row_ids")


class BatchDiagnostics(pd.DataFrame):
    """The table of :func:`batch_diagnostics`: a DataFrame with one row per batch.

    Columns ``batch``, ``size``, one count column per stratum and ``row_ids``.
    Tables derived from it (slices, copies) are plain DataFrames.

    Attributes
    ----------
    strata : list of str
        The names of the stratum count columns, in stratum order.
    """

    _metadata = ["strata"]  # noqa: RUF012 - pandas' own attribute
    strata: list[str]

    @property
    def _constructor(self) -> type[pd.DataFrame]:  # type: ignore[override]
        return pd.DataFrame


def _learner_batches(learner: Any, task: Any) -> tuple[list[Any], Any, Any]:
    """The batches of the learner's first training epoch on ``task``, their strata
    (the task's stratum columns, else its target) and row ids."""
    import torch

    from mlr3py.torch.dataset import TaskDataset
    from mlr3py.torch.learner import _TARGETS, _derive_seeds

    cfg = learner._config()
    seed = cfg["seed"]
    seed = int(np.random.randint(0, 2**31 - 1)) if seed == "random" else int(seed)  # noqa: NPY002
    _, batch_seed, split_seed = _derive_seeds(seed)
    train_task, _ = learner._split(task, cfg, split_seed)
    output = learner._output(train_task, cfg["loss"])
    dataset = TaskDataset(train_task, target=_TARGETS[output], device=torch.device("cpu"))
    generator = torch.Generator().manual_seed(batch_seed)
    batches = list(learner._batches(dataset, cfg, generator, f"Learner '{learner.id}'"))
    ids = np.asarray(train_task.row_ids)
    cols = list(train_task.col_roles["stratum"]) or list(train_task.target_names)
    strata = train_task.data(rows=ids, cols=cols).reset_index(drop=True)
    return batches, strata, ids


def _as_index_array(batch: Any) -> np.ndarray:
    if hasattr(batch, "detach"):  # a torch tensor
        batch = batch.detach().cpu().numpy()
    arr = np.asarray(batch)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise InputError(
            "Each batch must be a 1-D sequence of integer positions. "
            f"Got {type(batch).__name__} of shape {arr.shape} and dtype {arr.dtype}."
        )
    return arr.astype(np.int64, copy=False)


def _is_task(x: Any) -> bool:
    return hasattr(x, "col_roles") and hasattr(x, "row_ids") and hasattr(x, "data")


def batch_diagnostics(
    batches: Iterable[Any], strata: Any = None, row_ids: Any = None
) -> pd.DataFrame:
    """Rows per stratum and row ids of each batch of one epoch.

    Parameters
    ----------
    batches : iterable or LearnerTorch
        A batch sampler (iterated once, i.e. one epoch is drawn from it), or a
        list of batches; each batch is a sequence of dataset positions (list,
        numpy array or tensor). Or a torch learner: then ``strata`` is the task,
        and the batches are those of the learner's first training epoch on it
        (its ``batch_sampler``, or ``batch_size`` and ``shuffle``; its seed and
        validation split), the strata the task's stratum columns (else its target).
    strata : array-like, pandas.DataFrame or Task, optional
        The stratum of each dataset position (a 1-D array, or a DataFrame of
        stratum columns whose combinations are the strata), or a task whose
        ``stratum`` columns give them for ``row_ids``. May be left out for a
        :class:`~mlr3py.torch.BatchSamplerStratified`, which knows its strata.
    row_ids : array-like, optional
        Dataset position ``i`` is row id ``row_ids[i]`` (default: the task's
        row ids for a task, else the positions themselves).

    Returns
    -------
    BatchDiagnostics
        A DataFrame, one row per batch: ``batch`` (1, 2, ...), ``size``, one count column per
        stratum (named by its label; combinations joined by ``"."``) and
        ``row_ids`` (an int64 array per batch, in batch order).

    Examples
    --------
    >>> batch_diagnostics([[0, 2], [1, 3]], ["a", "b", "a", "a"])
       batch  size  a  b row_ids
    0      1     2  2  0  [0, 2]
    1      2     2  1  1  [1, 3]
    """
    if _is_task(strata) and callable(getattr(batches, "_batches", None)):
        batches, strata, row_ids = _learner_batches(batches, strata)
    if strata is None:
        codes = getattr(batches, "codes", None)
        levels = getattr(batches, "levels", None)
        if codes is None or levels is None:
            raise InputError(
                "batch_diagnostics() needs 'strata' (an array, a DataFrame of stratum "
                "columns or a task) unless 'batches' is a BatchSamplerStratified."
            )
    elif _is_task(strata):
        from mlr3py.torch.samplers import task_strata

        ids = strata.row_ids if row_ids is None else np.asarray(row_ids)
        codes, levels = encode_strata(task_strata(strata, ids))
        row_ids = ids
    else:
        codes, levels = encode_strata(strata)
    codes = np.asarray(codes, dtype=np.int64)
    n = codes.shape[0]
    arrays = [_as_index_array(b) for b in batches]
    sizes = np.array([a.shape[0] for a in arrays], dtype=np.int64)
    flat = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
    if flat.size and (flat.min() < 0 or flat.max() >= n):
        raise InputError(
            f"The batches hold positions outside 0..{n - 1}, the rows of the strata "
            f"({n} rows)."
        )
    ids = np.asarray(row_ids) if row_ids is not None else None
    if ids is not None and ids.shape[0] != n:
        raise InputError(
            f"'row_ids' must have one id per row of the strata ({n}). Got {ids.shape[0]}."
        )
    n_batches, n_strata = sizes.shape[0], len(levels)
    batch_of = np.repeat(np.arange(n_batches), sizes)
    counts = np.bincount(
        batch_of * n_strata + codes[flat], minlength=n_batches * n_strata
    ).reshape(n_batches, n_strata)
    out: dict[str, Any] = {
        "batch": np.arange(1, n_batches + 1, dtype=np.int64),
        "size": sizes,
    }
    names = []
    for j, label in enumerate(levels):
        name = f"{label}_count" if label in _RESERVED or label in out else label
        out[name] = counts[:, j]
        names.append(str(name))
    mapped = flat if ids is None else ids[flat]
    cells = np.empty(n_batches, dtype=object)
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    for i in range(n_batches):
        cells[i] = mapped[bounds[i] : bounds[i + 1]]
    out["row_ids"] = cells
    table = BatchDiagnostics(out)
    table.strata = names
    return table
