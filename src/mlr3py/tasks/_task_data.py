"""Reading a task's data: its active rows and the data of its columns.

:class:`TaskData` gives :class:`~mlr3py.tasks.Task` its row ids and its reads:
``data()``, ``data_matrix()``, ``head()``, ``missings()`` and ``levels()``, each
checking the rows and columns asked for and passing them on to the backend in
task order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data.backend import MATRIX_TYPES, as_row_ids
from mlr3py.errors import InputError
from mlr3py.tasks._task_roles import TaskRoles

__all__ = ["TaskData"]


class TaskData(TaskRoles):
    """Active rows and data access of a task (base of :class:`~mlr3py.tasks.Task`)."""

    # ------------------------------------------------------------------ rows
    @property
    def row_ids(self) -> np.ndarray:
        """Active row ids (``int64``, read-only), in task order."""
        return self._state.row_ids

    @property
    def _row_range(self) -> range | None:
        """``range(n)`` where the active rows are all backend rows ``0 .. n - 1`` in order
        (their ids need not be built to use them), else None."""
        st = self._state
        return range(st.n_backend) if st.all_rows else None

    @property
    def nrow(self) -> int:
        """Number of active rows."""
        return self._state.nrow

    def _check_rows(self, rows: Any) -> np.ndarray:
        """``rows`` as int64 ids; ids that are not active rows raise :class:`InputError`."""
        if getattr(rows, "dtype", None) == np.bool_ or (
            isinstance(rows, list) and rows and all(isinstance(r, bool | np.bool_) for r in rows)
        ):
            raise InputError(
                f"Task '{self.id}' takes row ids, not a boolean mask. Pass the ids the mask "
                "selects: task.row_ids[mask] for a mask in task order (e.g. mask = "
                "(task.data()['x'] > 0).to_numpy())."
            )
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

    # ------------------------------------------------------------------ data
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
        frame = self._postprocess(self._backend.data(self._backend_rows(rows), cols))
        for col, lv in self._state.levels.items():  # levels dropped by droplevels()
            if col in frame.columns and isinstance(frame[col].dtype, pd.CategoricalDtype):
                frame[col] = frame[col].cat.set_categories(lv)
        return frame

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

    @property
    def narrowed_levels(self) -> dict[str, tuple[Any, ...]]:
        """The feature columns whose levels :meth:`~mlr3py.tasks.Task.droplevels` narrowed,
        with the levels left (every other column has its backend's levels).

        A new dict; learners key what they derive from a task's levels by it.
        """
        return {col: tuple(lv) for col, lv in self._state.levels.items()}

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
            elif col in st.levels:
                out[col] = list(st.levels[col])
            elif st.col_types[col] in ("factor", "ordered"):
                out[col] = list(info[col].levels or ())
            elif st.col_types[col] == "character":
                out[col] = sorted(distinct[col], key=str)
            elif explicit:
                out[col] = None
        return out
