"""The task: a view of a data backend through column roles and active row ids (mlr3's ``Task``)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from mlr3py._identified import Identified
from mlr3py.data.backend import MATRIX_TYPES, ROW_ID, DataBackend, as_row_ids
from mlr3py.data.convert import as_data_backend
from mlr3py.data.fetched import DataBackendFetched
from mlr3py.errors import ConfigError, InputError
from mlr3py.params import ParamSet
from mlr3py.registry import did_you_mean
from mlr3py.tasks._format import format_task
from mlr3py.tasks._grow import cbind_task, rbind_task, rename_task
from mlr3py.tasks._state import TaskState, readonly
from mlr3py.tasks._strata import strata_frame
from mlr3py.tasks.col_roles import ColRoles, as_col_list, moved_roles, normalize_roles

_TaskT = TypeVar("_TaskT", bound="Task")

__all__ = ["Task"]


class Task(Identified):
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
    Row ids are 0-based ``np.int64`` numbers (or the backend's primary key).
    ``data()`` returns a pandas DataFrame whose index holds the row ids and is
    named ``"row_id"``.
    """

    _kind = "Task"

    task_type: str = "unsupervised"

    def __init__(self, id: str, backend: Any, *, label: str | None = None) -> None:  # noqa: A002
        self.id = id
        self.label = label
        self._backend: DataBackend = as_data_backend(backend)
        self._st: TaskState | None = None
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

    # ------------------------------------------------------------------ state
    @property
    def _state(self) -> TaskState:
        if self._st is None:
            self._materialize()
        return self._st  # type: ignore[return-value]

    def _materialize(self) -> None:
        backend = self._backend
        cols = [c for c in backend.colnames if c != backend.primary_key]
        col_types = {info.name: info.type for info in backend.col_info()}
        roles = self._normalize_roles(self._initial_roles(cols), col_types)
        info = self._target_info(roles["target"], initial=True)
        self._st = TaskState.create(roles, backend.rownames, col_types, info)

    def _initial_roles(self, cols: list[str]) -> dict[str, list[str]]:
        """Roles of a new task: every column (but the primary key) is a feature."""
        return {"feature": list(cols)}

    def _target_info(self, target: list[str], initial: bool = False) -> Any:
        """Validate the target column(s); return what the task keeps about them."""
        return None

    def _check_roles(self, roles: dict[str, list[str]], col_types: dict[str, str]) -> None:
        """Check rules between roles and data (subclasses add target rules)."""
        for role in ("weights_learner", "weights_measure"):
            for col in roles[role]:
                self._check_weights(col, role, col_types)

    def _check_weights(self, col: str, role: str, col_types: dict[str, str]) -> None:
        if col_types[col] not in ("numeric", "integer"):
            raise InputError(
                f"The {role} column '{col}' of Task '{self.id}' must be numeric. "
                f"Got a {col_types[col]} column instead."
            )
        if self._backend.in_memory:
            values = self._backend.data(None, [col])[col].to_numpy(dtype=float, na_value=np.nan)
            bad = bool(np.isnan(values).any() or (values < 0).any())
        else:  # streamed into one float array, no DataFrame
            values = self._backend.matrix(None, [col])[:, 0]
            bad = bool(np.isnan(values).any() or (values < 0).any())
        if bad:
            raise InputError(
                f"The {role} column '{col}' of Task '{self.id}' must hold non-negative numbers "
                "without missing values."
            )

    def _normalize_roles(
        self, roles: Mapping[str, Any], col_types: dict[str, str]
    ) -> dict[str, list[str]]:
        key = self._backend.primary_key
        known = [c for c in col_types if c != key]
        out = normalize_roles(roles, known, f"Task '{self.id}'")
        self._check_roles(out, col_types)
        return out

    def _set_roles(self, roles: Mapping[str, Any]) -> None:
        st = self._state
        new = self._normalize_roles(roles, st.col_types)
        info = st.target_info
        if new["target"] != st.roles["target"]:
            info = self._target_info(new["target"])
        st.roles = new
        st.target_info = info

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

    def set_col_roles(
        self: _TaskT,
        cols: Any,
        roles: Any = None,
        add_to: Any = None,
        remove_from: Any = None,
    ) -> _TaskT:
        """Change the roles of columns ``cols`` (in place).

        Parameters
        ----------
        cols : str or list of str
            Columns to change.
        roles : str or list of str, optional
            The columns get exactly these roles (they leave all others).
        add_to : str or list of str, optional
            Roles the columns are added to.
        remove_from : str or list of str, optional
            Roles the columns are removed from.

        Returns
        -------
        Task
            ``self``.
        """
        self._set_roles(moved_roles(self._state.roles, cols, roles, add_to, remove_from))
        return self

    @property
    def feature_names(self) -> list[str]:
        """Names of the features."""
        return list(self._state.roles["feature"])

    @property
    def target_names(self) -> list[str]:
        """Names of the target columns."""
        return list(self._state.roles["target"])

    @property
    def feature_types(self) -> pd.DataFrame:
        """One row per feature: ``id`` and ``type`` (``numeric``, ``integer``, ``logical``,
        ``factor``, ``ordered``, ``character``, ``POSIXct``)."""
        st = self._state
        feats = st.roles["feature"]
        return pd.DataFrame(
            {"id": pd.Series(feats, dtype=object),
             "type": pd.Series([st.col_types[f] for f in feats], dtype=object)}
        )

    def col_types(self, cols: Any = None) -> dict[str, str]:
        """Column name -> type for ``cols`` (default: the features, in order).

        The types of :attr:`feature_types` as a plain dict, without building a
        DataFrame: the cheap way to ask for them in code that runs per resampling
        iteration.

        Parameters
        ----------
        cols : str or list of str, optional
            Columns of the task's data (default: the features).

        Returns
        -------
        dict
            A new dict, in the order of ``cols``.

        Raises
        ------
        InputError
            For a column that is not in the task's data.

        Examples
        --------
        >>> from mlr3py import tsk
        >>> tsk("iris").col_types()["Petal.Length"]
        'numeric'
        """
        st = self._state
        names = st.roles["feature"] if cols is None else self._check_cols(cols)
        types = st.col_types
        return {name: types[name] for name in names}

    @property
    def properties(self) -> set[str]:
        """Task properties: ``strata``, ``groups``, ``weights``, ``weights_measure``
        (and ``twoclass`` / ``multiclass`` for classification)."""
        roles = self._state.roles
        props = set()
        for role, prop in (("stratum", "strata"), ("group", "groups"),
                           ("weights_learner", "weights"), ("weights_measure", "weights_measure")):
            if roles[role]:
                props.add(prop)
        return props

    # ------------------------------------------------------------------ rows
    @property
    def row_ids(self) -> np.ndarray:
        """Active row ids (``int64``, read-only), in task order."""
        return self._state.row_ids

    @property
    def nrow(self) -> int:
        """Number of active rows."""
        return len(self._state.row_ids)

    @property
    def ncol(self) -> int:
        """Number of features plus targets."""
        roles = self._state.roles
        return len(roles["feature"]) + len(roles["target"])

    def _check_rows(self, rows: Any) -> np.ndarray:
        """``rows`` as int64 ids; ids that are not active rows raise :class:`InputError`."""
        ids = as_row_ids(rows)
        bad = self._state.unknown_rows(ids)
        if bad.any():
            unknown = pd.unique(ids[bad])
            shown = ", ".join(str(x) for x in unknown[:10]) + (", ..." if len(unknown) > 10 else "")
            raise InputError(
                f"Row ids not in Task '{self.id}': {shown} ({len(unknown)} unknown). "
                f"Use ids from task.row_ids ({self.nrow} rows)."
            )
        return ids

    def filter(self: _TaskT, rows: Any) -> _TaskT:
        """Keep only rows ``rows`` (in this order; in place).

        Parameters
        ----------
        rows : int or iterable of int
            Row ids of the task; duplicates are kept (as in bootstrap samples).

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
        view._st = replace(st.copy(), row_ids=readonly(np.array(ids, dtype=np.int64)),
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

    # ------------------------------------------------------------------ data
    def _check_cols(self, cols: Any) -> list[str]:
        st = self._state
        if cols is None:
            return st.roles["target"] + st.roles["feature"]
        cols = as_col_list(cols, "data()")
        for col in cols:
            if col not in st.col_types:
                raise InputError(
                    f"Column '{col}' is not in the data of Task '{self.id}'."
                    + did_you_mean(col, list(st.col_types))
                )
        return cols

    def data(self, rows: Any = None, cols: Any = None) -> pd.DataFrame:
        """The data of rows ``rows`` and columns ``cols``.

        Parameters
        ----------
        rows : iterable of int, optional
            Row ids (default: the active rows, sorted by the ``order`` role if set).
            Rows come back in this order, duplicates included.
        cols : str or list of str, optional
            Columns (default: targets, then features).

        Returns
        -------
        pandas.DataFrame
            Index: the row ids, named ``"row_id"``. A classification target is a
            categorical with categories ``class_names``.
        """
        cols = self._check_cols(cols)
        return self._postprocess(self._backend.data(self._backend_rows(rows), cols))

    def data_matrix(self, rows: Any = None, cols: Any = None) -> np.ndarray:
        """Numeric columns as one float64 array: the fast path to a model matrix.

        Same rows as :meth:`data`, without building a DataFrame. In-memory
        backends answer from a cached float64 copy of their numeric columns.

        Parameters
        ----------
        rows : iterable of int, optional
            Row ids (default: the active rows, sorted by the ``order`` role if set).
        cols : str or list of str, optional
            Columns of type ``numeric``, ``integer`` or ``logical`` (default: the
            features).

        Returns
        -------
        numpy.ndarray
            A new array of shape ``(n_rows, len(cols))``; logical values are 0 / 1,
            missing values NaN.

        Raises
        ------
        InputError
            For unknown rows or columns, or a column of another type.

        Examples
        --------
        >>> import pandas as pd
        >>> from mlr3py import as_task_regr
        >>> task = as_task_regr(pd.DataFrame({"x": [1, 2, 3], "y": [0.5, 1.5, 2.5]}), target="y")
        >>> task.data_matrix(rows=[2, 0])
        array([[3.],
               [1.]])
        """
        st = self._state
        cols = list(st.roles["feature"]) if cols is None else self._check_cols(cols)
        bad = [c for c in cols if st.col_types[c] not in MATRIX_TYPES]
        if bad:
            shown = ", ".join(f"'{c}' ({st.col_types[c]})" for c in bad[:10])
            raise InputError(
                f"data_matrix() of Task '{self.id}' needs numeric, integer or logical columns. "
                f"Got {shown}; use data() for these columns."
            )
        return self._backend.matrix(self._backend_rows(rows), cols)

    def _backend_rows(self, rows: Any) -> np.ndarray | None:
        """Row ids to ask the backend for: checked ``rows``, or by default the active
        rows in task order (``None`` when they are all backend rows in storage order)."""
        st = self._state
        if rows is not None:
            return self._check_rows(rows)
        if st.roles["order"]:
            return self._ordered_ids()
        return None if st.full else st.row_ids

    def _ordered_ids(self) -> np.ndarray:
        st = self._state
        keys = self._backend.data(st.row_ids, st.roles["order"]).reset_index(drop=True)
        order = keys.sort_values(list(keys.columns), kind="stable").index.to_numpy()
        return st.row_ids[order]

    def _postprocess(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Hook: adjust columns of ``data()`` (the classification target's categories)."""
        return frame

    def head(self, n: int = 6) -> pd.DataFrame:
        """The first ``n`` active rows (targets and features)."""
        return self.data(rows=self._state.row_ids[:n])

    def missings(self, cols: Any = None) -> pd.Series:
        """Number of missing values per column among the active rows."""
        st = self._state
        cols = self._check_cols(cols)
        counts = self._backend.missings(None if st.full else st.row_ids, cols)
        return pd.Series([counts[c] for c in cols], index=pd.Index(cols, dtype=object),
                         dtype=np.int64)

    def levels(self, cols: Any = None) -> dict[str, list[Any] | None]:
        """Levels of factor, ordered and character columns (all rows of the backend).

        With ``cols=None`` only such columns among targets and features are
        returned; explicitly requested other columns map to ``None``.
        """
        st = self._state
        explicit = cols is not None
        cols = self._check_cols(cols)
        out: dict[str, list[Any] | None] = {}
        info = self._backend.col_info_map()
        chars = [c for c in cols if st.col_types[c] == "character"
                 and not (c in st.roles["target"] and st.target_info is not None)]
        distinct = self._backend.distinct(None, chars) if chars else {}
        for col in cols:
            if col in st.roles["target"] and st.target_info is not None:
                out[col] = list(st.target_info)
            elif st.col_types[col] in ("factor", "ordered"):
                out[col] = list(info[col].levels or ())
            elif st.col_types[col] == "character":
                out[col] = sorted(distinct[col], key=str)
            elif explicit:
                out[col] = None
        return out

    # ------------------------------------------------------------------ roles as data
    def _role_frame(self, role: str, name: str) -> pd.DataFrame | None:
        st = self._state
        if not st.roles[role]:
            return None
        col = st.roles[role][0]
        if role == "group" and not self._backend.in_memory:  # aggregate queries
            rows = self._backend.row_codes(None if st.full else st.row_ids, [col])
            values = rows.combos[col].take(rows.codes).reset_index(drop=True)
        else:
            values = self._backend.data(st.row_ids, [col])[col].reset_index(drop=True)
        return pd.DataFrame({ROW_ID: st.row_ids.copy(), name: values})

    @property
    def strata(self) -> pd.DataFrame | None:
        """One row per combination of the stratum columns' values: ``N`` (its size) and
        ``row_ids`` (an int64 array, task order). The index holds the combinations.
        ``None`` without a stratum role."""
        st = self._state
        cols = st.roles["stratum"]
        if not cols:
            return None
        # a database answers with aggregate queries (DataBackend.row_codes)
        return strata_frame(st.row_ids, self._backend.row_codes(None if st.full else st.row_ids,
                                                                 cols))

    @property
    def groups(self) -> pd.DataFrame | None:
        """Columns ``row_id`` and ``group`` for the active rows, or ``None``."""
        return self._role_frame("group", "group")

    @property
    def weights(self) -> pd.DataFrame | None:
        """Columns ``row_id`` and ``weight`` (role ``weights_learner``), or ``None``."""
        return self._role_frame("weights_learner", "weight")

    @property
    def weights_measure(self) -> pd.DataFrame | None:
        """Columns ``row_id`` and ``weight`` (role ``weights_measure``), or ``None``."""
        return self._role_frame("weights_measure", "weight")

    @property
    def row_names(self) -> pd.DataFrame | None:
        """Columns ``row_id`` and ``row_name`` (role ``name``), or ``None``."""
        return self._role_frame("name", "row_name")

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
        digest.update(np.ascontiguousarray(st.row_ids).tobytes())
        return digest.hexdigest()[:16]

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
