"""Tasks that grow: new columns (``cbind``), new rows (``rbind``), new names (``rename``).

Each operation puts a composed backend (:mod:`mlr3py.data.composed`) over the
task's backend, which is neither copied nor changed, so clones made before
keep seeing the old data and a lazy backend stays lazy.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.data.backend import ROW_ID, DataBackend, DataBackendPandas, as_row_ids, column_type
from mlr3py.data.composed import DataBackendCbind, DataBackendRbind, DataBackendRename
from mlr3py.data.convert import to_pandas
from mlr3py.errors import InputError
from mlr3py.tasks._prepare import check_columns
from mlr3py.tasks._state import TaskState, backend_rows

if TYPE_CHECKING:
    from mlr3py.tasks.task import Task

__all__ = ["cbind_task", "rbind_task", "rename_task"]


def _strings_as_factors(frame: pd.DataFrame) -> pd.DataFrame:
    """String / object columns of ``frame`` as categoricals (as tasks hold them)."""
    strings = [str(c) for c, dtype in frame.dtypes.items() if column_type(dtype) == "character"]
    if not strings:
        return frame
    return frame.assign(**{c: frame[c].astype("category") for c in strings})


def _frame_backend(frame: pd.DataFrame, key: str, ids: np.ndarray) -> DataBackendPandas:
    if key in frame.columns:
        frame = frame.drop(columns=[key])
    frame = _strings_as_factors(frame.set_axis(pd.RangeIndex(len(frame)), axis=0))
    frame = frame.copy(deep=False)
    frame.insert(frame.shape[1], key, ids)
    return DataBackendPandas(frame, primary_key=key)


def _cbind_backend(task: Task, data: Any) -> DataBackend:
    if isinstance(data, DataBackend):
        return data
    frame = to_pandas(data)
    check_columns(frame)
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    key = task.backend.primary_key
    if frame.index.name == ROW_ID:
        ids = as_row_ids(frame.index, "row ids of the new columns")
    elif key in frame.columns:
        ids = as_row_ids(frame[key], f"values of the primary key '{key}'")
    else:
        if len(frame) != task.nrow:
            raise InputError(
                f"cbind() on Task '{task.id}' needs one row per active row ({task.nrow}). "
                f"Got {len(frame)} rows; index the data by row id (index name 'row_id') "
                f"to add values for some rows only."
            )
        ids = task.row_ids
        if len(np.unique(ids)) != len(ids):
            raise InputError(
                f"Task '{task.id}' has duplicated row ids, so cbind() cannot match rows by "
                f"position. Index the new data by row id (index name 'row_id'), one row per id."
            )
    return _frame_backend(frame, key, np.asarray(ids, dtype=np.int64))


def cbind_task(task: Task, data: Any) -> None:
    """Add (or replace) columns of ``task`` in place; new columns become features."""
    st = task._state
    extra = _cbind_backend(task, data)
    # (a DataBackendPandas has refused duplicated row ids already)
    unknown = st.unknown_rows(np.asarray(extra.rownames, dtype=np.int64))
    if unknown.any():
        shown = ", ".join(str(x) for x in extra.rownames[unknown][:10])
        raise InputError(f"cbind() got rows that are not active rows of Task '{task.id}': "
                         f"{shown}.")
    backend = DataBackendCbind(task.backend, extra)
    key = extra.primary_key
    new_cols = [c for c in extra.colnames if c != key]
    new_set = set(new_cols)
    col_types = dict(st.col_types)
    col_types.update({c: column_type(d) for c, d in extra.dtypes.items() if c in new_set})
    roles = {role: list(cols) for role, cols in st.roles.items()}
    # as in mlr3: every new column but the target is a feature
    keep_out = set(roles["feature"]) | set(roles["target"])
    roles["feature"] += [c for c in new_cols if c not in keep_out]
    _replace(task, backend, roles, col_types, st.row_ids if not st.full else None,
             target_changed=bool(new_set & set(st.roles["target"])),
             levels={c: lv for c, lv in st.levels.items() if c not in new_set})


def rbind_task(task: Task, data: Any) -> None:
    """Append rows to ``task`` in place; they get new row ids and become active."""
    st = task._state
    frame = to_pandas(data)
    check_columns(frame)
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    unknown = [c for c in frame.columns if c not in st.col_types]
    if unknown:
        raise InputError(
            f"rbind() on Task '{task.id}' got columns {unknown} that the task does not have. "
            f"Add columns with cbind() first."
        )
    key = task.backend.primary_key
    rownames = task.backend.rownames
    start = int(rownames.max()) + 1 if len(rownames) else 0
    ids = np.arange(start, start + len(frame), dtype=np.int64)
    backend = DataBackendRbind(task.backend, _frame_backend(frame, key, ids))
    col_types = {c: column_type(d) for c, d in backend.dtypes.items()
                 if c in st.col_types}
    rows = None if st.full else np.concatenate([st.row_ids, ids])
    # as mlr3: a column narrowed by droplevels() gets the levels of the new rows added
    info = backend.col_info_map()
    levels = {}
    for col, kept in st.levels.items():
        new = ({str(v) for v in frame[col] if not pd.isna(v)} if col in frame.columns
               else set())
        levels[col] = [lv for lv in info[col].levels or () if lv in kept or str(lv) in new]
    _replace(task, backend, st.roles, col_types, rows, target_changed=True, levels=levels)


def rename_task(task: Task, mapping: Mapping[str, str]) -> None:
    """Rename columns of ``task`` in place (their roles follow)."""
    st = task._state
    for new in mapping.values():
        if not isinstance(new, str) or not new:
            raise InputError(f"New column names must be non-empty strings. Got {new!r}.")
    backend = DataBackendRename(task.backend, mapping)
    roles = {role: [mapping.get(c, c) for c in cols] for role, cols in st.roles.items()}
    col_types = {mapping.get(c, c): t for c, t in st.col_types.items()}
    _replace(task, backend, roles, col_types, None if st.full else st.row_ids,
             target_changed=bool(set(mapping) & set(st.roles["target"])),
             levels={mapping.get(c, c): lv for c, lv in st.levels.items()})


def _replace(task: Task, backend: DataBackend, roles: Mapping[str, list[str]],
             col_types: dict[str, str], rows: np.ndarray | None, target_changed: bool,
             levels: dict[str, list[Any]]) -> None:
    """Point ``task`` at ``backend`` with new roles, column types and active rows, and
    ``levels`` for the feature columns that ``droplevels()`` narrowed."""
    old_backend, old_state = task._backend, task._st
    task._backend = backend
    try:
        norm = task._normalize_roles(roles, col_types)
        old_info = old_state.target_info if old_state is not None else None
        info = copy.copy(old_info)
        if target_changed:
            info = task._target_info(norm["target"])
            if isinstance(info, list) and isinstance(old_info, list) and len(info) == 2 \
                    and old_info and old_info[0] in info:
                # a two-class task keeps its positive class
                info = [old_info[0]] + [c for c in info if c != old_info[0]]
        state = TaskState.create(norm, backend_rows(backend), col_types, info)
        if rows is not None:
            state.set_rows(rows)
        state.levels = {c: list(lv) for c, lv in levels.items()}
        if old_state is not None and not target_changed and \
                backend.nrow == old_state.n_backend:
            # same rows, same target: the target's class codes stay valid
            state.shared_cache.update({k: v for k, v in old_state.shared_cache.items()
                                       if isinstance(k, tuple) and k[:1] == ("class_codes",)})
        task._st = state
    except Exception:
        task._backend, task._st = old_backend, old_state
        raise
