"""The column roles of a task and the state behind them (mlr3's ``Task$col_roles``).

:class:`TaskRoles` is the base of :class:`~mlr3py.tasks.Task`: it builds the task's
state (roles, column types, active rows) from the backend on first use, checks
every change of roles against the data, answers the questions roles decide
(features, targets, column types, properties) and gives the columns of the
``stratum``, ``group``, weight and ``name`` roles as data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from mlr3py._identified import Identified
from mlr3py.data.backend import ROW_ID, DataBackend
from mlr3py.errors import InputError
from mlr3py.registry import did_you_mean
from mlr3py.tasks._state import TaskState, backend_rows
from mlr3py.tasks._strata import strata_frame
from mlr3py.tasks.col_roles import as_col_list, moved_roles, normalize_roles

_RolesT = TypeVar("_RolesT", bound="TaskRoles")

__all__ = ["TaskRoles"]


class TaskRoles(Identified):
    """Column roles, column types and the task state (base of :class:`~mlr3py.tasks.Task`).

    Attributes
    ----------
    _backend : DataBackend
        The data the roles refer to.
    _st : TaskState or None
        The state, ``None`` until a lazy backend is first used.
    """

    _backend: DataBackend
    _st: TaskState | None

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
        self._st = TaskState.create(roles, backend_rows(backend), col_types, info)

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
    def set_col_roles(
        self: _RolesT,
        cols: Any,
        roles: Any = None,
        add_to: Any = None,
        remove_from: Any = None,
    ) -> _RolesT:
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

    @property
    def ncol(self) -> int:
        """Number of features plus targets."""
        roles = self._state.roles
        return len(roles["feature"]) + len(roles["target"])

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
