"""The task: a view of a data backend through column roles and active row ids (mlr3's ``Task``)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from mlr3py.data.backend import DataBackend
from mlr3py.data.convert import as_data_backend
from mlr3py.data.fetched import DataBackendFetched
from mlr3py.errors import ConfigError, InputError
from mlr3py.params import ParamSet
from mlr3py.registry import did_you_mean
from mlr3py.tasks._format import format_task
from mlr3py.tasks._grow import cbind_task, rbind_task, rename_task
from mlr3py.tasks._state import readonly
from mlr3py.tasks._task_data import TaskData
from mlr3py.tasks.col_roles import ColRoles, as_col_list

_TaskT = TypeVar("_TaskT", bound="Task")

__all__ = ["Task"]


class Task(TaskData):
    """A data set with column roles and active rows.

    Parameters
    ----------
    id : str
        The task's name.
    backend : DataBackend or table
        The data; pandas / polars / pyarrow tables are wrapped with
        :func:`~mlr3py.data.as_data_backend`.
    label : str, optional
        A one-line description.

    Notes
    -----
    The column roles and the task state come from
    :class:`~mlr3py.tasks._task_roles.TaskRoles`, the reads of rows and columns
    (``data()``, ``data_matrix()``, ...) from :class:`~mlr3py.tasks._task_data.TaskData`.
    Row ids are 0-based ``np.int64`` numbers (or the backend's primary key).
    ``data()`` returns a pandas DataFrame whose index holds the row ids and is
    named ``"row_id"``.
    """

    _kind = "Task"

    task_type: str = "unsupervised"

    def __init__(self, id: str, backend: Any, *, label: str | None = None) -> None:  # noqa: A002
        self.id = id
        self.label = label
        self._backend = as_data_backend(backend)
        self._st = None
        self._param_set: Any = None
        if self._backend.is_materialized:
            self._materialize()

    # ------------------------------------------------------------------ fields
    @property
    def backend(self) -> DataBackend:
        """The data backend (read-only, shared between clones)."""
        return self._backend

    @property
    def param_set(self) -> Any:
        """An empty :class:`~mlr3py.params.ParamSet` (tasks have no parameters)."""
        if self._param_set is None:
            self._param_set = ParamSet()
            self._param_set.context = f"Task '{self.id}'"
        return self._param_set

    # ------------------------------------------------------------------ roles
    @property
    def col_roles(self) -> ColRoles:
        """Column roles: ``feature``, ``target``, ``name``, ``order``, ``stratum``, ``group``,
        ``weights_learner``, ``weights_measure``. Assignments are validated."""
        return ColRoles(self)

    @col_roles.setter
    def col_roles(self, value: Mapping[str, Any]) -> None:
        if not isinstance(value, Mapping):
            raise ConfigError(
                f"col_roles of Task '{self.id}' must be a dict role -> columns. Got {value!r}."
            )
        self._set_roles({role: value[role] for role in value})

    # ------------------------------------------------------------------ rows and columns
    def filter(self: _TaskT, rows: Any) -> _TaskT:
        """Keep only the active rows that are in ``rows`` (in place; mlr3's ``Task$filter``).

        As mlr3's ``intersect(row_roles$use, rows)``: the task keeps its own order
        of rows, and a row id given more than once is kept once (a task with
        repeated rows would let resamplings put copies of a row into both the
        training and the test set).

        Parameters
        ----------
        rows : int or iterable of int
            Active row ids of the task, in any order; ids that are not active rows
            raise :class:`~mlr3py.errors.InputError`.

        Returns
        -------
        Task
            ``self``.

        Notes
        -----
        Internal callers that need rows in a given order or repeated (the training
        set of a bootstrap iteration, upsampling) use :meth:`_use_rows`, mlr3's
        assignment to ``row_roles$use``.
        """
        ids = self._check_rows(rows)
        st = self._state
        if st.contiguous and st.full:  # all backend rows 0 .. n-1 in order: a mask
            mask = np.zeros(st.n_backend, dtype=bool)
            mask[ids] = True
            keep = np.flatnonzero(mask).astype(np.int64)
        else:
            current = st.row_ids
            keep = current[np.isin(current, ids)]
            if len(keep) > 1 and len(np.unique(keep)) < len(keep):
                keep = pd.unique(keep)  # repeated active rows (a bootstrap view) count once
        st.set_rows(keep)
        return self

    def _use_rows(self: _TaskT, rows: Any) -> _TaskT:
        """Make ``rows`` the active rows as given: their order, repeats kept (in place).

        mlr3's ``task$row_roles$use = rows``, for internal callers: learners train
        on the training set of a resampling iteration (a bootstrap sample repeats
        rows) and predict rows in the order asked for; upsampling operators repeat
        rows. Users call :meth:`filter`. Ids that are not active rows raise
        :class:`~mlr3py.errors.InputError`.

        Returns
        -------
        Task
            ``self``.
        """
        ids = self._check_rows(rows)
        self._state.set_rows(ids)
        return self

    def fetch(self: _TaskT, rows: Any) -> _TaskT:
        """A copy restricted to rows ``rows`` whose data is read once and held in memory.

        All columns the task uses (every role) of these rows come from one
        ``backend.data()`` call; the copy answers ``data()``, ``truth()``,
        ``missings()`` ... from memory (:class:`~mlr3py.data.fetched.DataBackendFetched`),
        with the column types and levels of the whole backend. Learners train and
        predict through such copies when the backend is a database or files.

        Parameters
        ----------
        rows : iterable of int
            Row ids of the task, in the order the copy keeps (duplicates kept).

        Returns
        -------
        Task
            A new task; ``self`` is unchanged.
        """
        return self._fetched_view(self._check_rows(rows))

    def _fetch_columns(self) -> list[str]:
        """The columns :meth:`fetch` reads: those of every role."""
        return list(dict.fromkeys(c for role in self._state.roles.values() for c in role))

    def _fetched_view(self: _TaskT, ids: np.ndarray, frame: pd.DataFrame | None = None) -> _TaskT:
        """:meth:`fetch` of checked row ids ``ids``; ``frame`` holds their data already."""
        st = self._state
        view = self.clone()
        view._backend = DataBackendFetched(self._backend, ids, self._fetch_columns(), frame)
        view._st = replace(st.copy(), ids=readonly(np.array(ids, dtype=np.int64)),
                           full=False, n_backend=view._backend.nrow, contiguous=False,
                           shared_cache={}, _member=None)
        return view

    def select(self: _TaskT, cols: Any) -> _TaskT:
        """Keep only the features ``cols`` (in place; feature order is kept).

        Returns
        -------
        Task
            ``self``.
        """
        cols = as_col_list(cols, "select()")
        feats = self._state.roles["feature"]
        for col in cols:
            if col not in feats:
                raise InputError(
                    f"Column '{col}' is not a feature of Task '{self.id}'; select() keeps "
                    f"features only.{did_you_mean(col, feats)}"
                )
        keep = set(cols)
        self.col_roles["feature"] = [f for f in feats if f in keep]
        return self

    def cbind(self: _TaskT, data: Any) -> _TaskT:
        """Add columns (in place); new columns become features, existing ones are replaced.

        The task's backend is not copied: a composed backend
        (:class:`~mlr3py.data.composed.DataBackendCbind`) puts the new columns next
        to it.

        Parameters
        ----------
        data : pandas.DataFrame (or polars / pyarrow table), or DataBackend
            One row per active row, in task order; or a frame indexed by row id
            (index name ``"row_id"``) or holding the primary key column.

        Returns
        -------
        Task
            ``self``.
        """
        cbind_task(self, data)
        return self

    def rbind(self: _TaskT, data: Any) -> _TaskT:
        """Append rows (in place); they get new row ids and become active rows.

        Columns the new rows lack are missing there. Returns ``self``.
        """
        rbind_task(self, data)
        return self

    def rename(self: _TaskT, old: Any, new: Any) -> _TaskT:
        """Rename columns ``old`` to ``new`` (in place; roles follow). Returns ``self``."""
        olds, news = as_col_list(old, "rename()"), as_col_list(new, "rename()")
        if len(olds) != len(news):
            raise InputError(
                f"rename() on Task '{self.id}' needs as many new names as old ones. "
                f"Got {len(olds)} old and {len(news)} new names."
            )
        rename_task(self, dict(zip(olds, news, strict=True)))
        return self


    def droplevels(self: _TaskT, cols: Any = None) -> _TaskT:
        """Drop the levels of factor columns that no active row uses (in place).

        mlr3's ``Task$droplevels()``. The levels in use come from the backend's
        ``distinct()`` of the active rows (one query on a database, no column is
        read whole). For a classification target the class names shrink (and the
        task becomes ``twoclass`` when two classes are left); predictions then
        have no column for a dropped class.

        Parameters
        ----------
        cols : str or list of str, optional
            Factor (or ordered) columns among targets and features; default: all
            of them.

        Returns
        -------
        Task
            ``self``.
        """
        st = self._state
        current = self.levels(cols)
        cols = [c for c, lv in current.items()
                if lv is not None and st.col_types[c] in ("factor", "ordered")]
        if not cols:
            return self
        used = self._backend.distinct(None if st.full else st.row_ids, cols)
        for col in cols:
            present = {str(v) for v in used[col] if not pd.isna(v)}
            kept = [lv for lv in current[col] or () if str(lv) in present]
            if col in st.roles["target"] and st.target_info is not None:
                st.target_info = type(st.target_info)(kept)
            else:
                st.levels[col] = kept
        return self

    def add_strata(self: _TaskT, cols: Any, bins: int | Sequence[int] = 3) -> _TaskT:
        """Stratify by ``cols``, numeric ones binned (in place; mlr3's ``Task$add_strata()``).

        A stratified resampling needs few strata, each with several rows: a numeric
        column (a regression target, say) is cut into ``bins`` intervals of equal
        width first. Each column becomes a new column ``..stratum_<col>`` (a
        factor) with the role ``stratum``; the column itself keeps its roles.

        Parameters
        ----------
        cols : str or list of str
            Columns of the task (targets and features alike).
        bins : int or list of int
            Intervals per numeric column (>= 2; one value for all columns or one
            per column). Other columns are used as they are.

        Returns
        -------
        Task
            ``self``.

        Examples
        --------
        >>> task = tsk("mtcars").add_strata("mpg", bins=3)
        >>> rsmp("cv", folds=3).instantiate(task)   # folds balanced over low / mid / high mpg
        """
        cols = as_col_list(cols, "add_strata()")
        counts = [bins] * len(cols) if isinstance(bins, int | np.integer) else list(bins)
        if len(counts) != len(cols) or any(
            isinstance(b, bool) or not isinstance(b, int | np.integer) or b < 2 for b in counts
        ):
            raise ConfigError(
                f"add_strata() on Task '{self.id}' needs bins as an int >= 2, or one such int "
                f"per column ({len(cols)}). Got {bins!r} instead."
            )
        frame = self.data(cols=cols)  # checks the column names; indexed by row id
        strata = pd.DataFrame(index=frame.index)
        for col, b in zip(cols, counts, strict=True):
            values = frame[col]
            if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                cut = pd.cut(values, bins=int(b), include_lowest=True)
                values = pd.Categorical.from_codes(
                    np.asarray(cut.cat.codes),
                    categories=pd.Index([str(c) for c in cut.cat.categories]),
                )
            strata[f"..stratum_{col}"] = values
        self.cbind(strata)
        self.set_col_roles(list(strata.columns), roles="stratum")
        return self

    # ------------------------------------------------------------------ misc
    def clone(self: _TaskT) -> _TaskT:
        """An independent copy (the read-only backend is shared)."""
        new = copy.copy(self)
        if self._st is not None:
            new._st = self._st.copy()
        if self._param_set is not None:
            new._param_set = self._param_set.clone()
        return new

    @property
    def hash(self) -> str:
        """A hash of class, id, data, roles, rows and classes."""
        st = self._state
        digest = hashlib.sha1(usedforsecurity=False)
        parts = (type(self).__name__, self.id, self._backend.hash,
                 sorted(st.roles.items()), st.target_info)
        digest.update(repr(parts).encode())
        st.hash_rows(digest)
        return digest.hexdigest()[:16]

    def _hash_rows(self, digest: Any) -> None:
        """Feed the row ids' int64 bytes to ``digest`` without building ids that are all
        backend rows ``0 .. n - 1`` (:meth:`TaskState.hash_rows
        <mlr3py.tasks._state.TaskState.hash_rows>`)."""
        self._state.hash_rows(digest)

    def _dict_row(self) -> dict[str, Any]:
        """Columns of the registry table (no data is loaded for lazy backends)."""
        if self._st is None:
            meta = getattr(self._backend, "meta", {})
            nrow, ncol, props = meta.get("nrow"), meta.get("ncol"), meta.get("properties", ())
        else:
            nrow, ncol, props = self.nrow, self.ncol, self.properties
        return {"label": self.label, "task_type": self.task_type, "nrow": nrow, "ncol": ncol,
                "properties": ", ".join(sorted(props))}

    def __repr__(self) -> str:
        return format_task(self)
