"""Supervised tasks: classification and regression (mlr3's ``TaskClassif`` / ``TaskRegr``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data.backend import DataBackend
from mlr3py.data.convert import as_data_backend
from mlr3py.errors import ConfigError, InputError
from mlr3py.registry import did_you_mean
from mlr3py.tasks._prepare import is_in_memory_table, prepare_frame
from mlr3py.tasks.task import Task

__all__ = ["TaskClassif", "TaskRegr", "TaskSupervised"]


class TaskSupervised(Task):
    """A task with a target column.

    Parameters
    ----------
    id : str
        The task's name.
    backend : DataBackend or table
        The data. A pandas / polars / pyarrow table is prepared first: string
        feature columns become categoricals (and, for classification, the target
        a categorical with string categories). A backend is used as it is.
    target : str
        The target column.
    label : str, optional
        A one-line description.
    """

    def __init__(
        self, id: str, backend: Any, target: str, *, label: str | None = None  # noqa: A002
    ) -> None:
        if not isinstance(target, str):
            raise InputError(f"The target must be one column name (str). Got {target!r} instead.")
        self._init_target = target
        if not isinstance(backend, DataBackend):
            if is_in_memory_table(backend):
                backend = prepare_frame(backend, target, self.task_type)
            else:  # databases, files, lazy frames: kept where they are
                backend = as_data_backend(backend)
        super().__init__(id, backend, label=label)

    def _initial_roles(self, cols: list[str]) -> dict[str, list[str]]:
        target = self._init_target
        if target not in cols:
            raise InputError(
                f"Target column '{target}' is not in the data of Task '{self.id}'."
                + did_you_mean(target, cols)
            )
        return {"target": [target], "feature": [c for c in cols if c != target]}

    def _check_roles(self, roles: dict[str, list[str]], col_types: dict[str, str]) -> None:
        super()._check_roles(roles, col_types)
        if len(roles["target"]) != 1:
            raise InputError(
                f"{type(self).__name__} '{self.id}' needs exactly one target column. "
                f"Got {roles['target']} instead."
            )
        both = [c for c in roles["target"] if c in roles["feature"]]
        if both:
            raise InputError(
                f"Column '{both[0]}' is the target of Task '{self.id}' and cannot also be a "
                "feature. Remove it from col_roles['feature']."
            )

    def _check_target_complete(self, col: str) -> None:
        """Missing values in the target column raise :class:`InputError` (an aggregate
        query; the column is read only to name the rows in the error)."""
        if self._backend.missings(None, [col])[col] > 0:
            self._target_values([col])

    def _target_values(self, target: list[str]) -> pd.Series:
        """The target column over all backend rows; missing values raise :class:`InputError`."""
        col = target[0]
        values = self._backend.data(None, [col])[col]
        missing = values.isna().to_numpy()
        if missing.any():
            ids = values.index[missing].to_numpy()
            shown = ", ".join(str(x) for x in ids[:10]) + (", ..." if len(ids) > 10 else "")
            raise InputError(
                f"Target column '{col}' of Task '{self.id}' has {len(ids)} missing value(s) "
                f"(row ids {shown}). Remove these rows before building the task: "
                f"df.dropna(subset=['{col}']) for a data frame, "
                f"table.filter(table['{col}'].notnull()) for an ibis table or query."
            )
        return values

    def truth(self, rows: Any = None) -> Any:
        """The target values of rows ``rows`` (default: active rows)."""
        raise NotImplementedError(f"{type(self).__name__} must implement truth().")


@dataclass(frozen=True)
class _ClassCodes:
    """The classification target over all backend rows, as codes in class order.

    Attributes
    ----------
    dtype : pandas.CategoricalDtype
        Categories: the class names (in ``class_names`` order) the codes refer to.
    codes : numpy.ndarray
        One code per backend row, in storage order (read-only).
    row_index : pandas.Index or None
        The backend's row ids in storage order; ``None`` when they are
        ``0 .. n-1``, i.e. equal to the positions.
    """

    dtype: pd.CategoricalDtype
    codes: np.ndarray
    row_index: pd.Index | None

    def take(self, ids: np.ndarray | None) -> pd.Categorical:
        """The classes of (known) backend row ids ``ids``; ``None``: all rows, storage order."""
        if ids is None:
            codes = self.codes.copy()
        else:
            positions = ids if self.row_index is None else self.row_index.get_indexer(pd.Index(ids))
            codes = self.codes[positions]
        return pd.Categorical.from_codes(codes, dtype=self.dtype)


def _class_names(values: pd.Series) -> list[str]:
    """Class labels (as str) in category order, or sorted for non-categorical values."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        labels = list(values.cat.remove_unused_categories().cat.categories)
    else:
        labels = list(pd.unique(values.to_numpy()))
        try:
            labels = sorted(labels)
        except TypeError:
            labels = sorted(labels, key=str)
    names = [str(x) for x in labels]
    if len(set(names)) != len(names):
        raise InputError(f"Class labels {labels} are not unique when written as text.")
    return names


def _distinct_class_names(values: list[Any], levels: tuple[Any, ...] | None) -> list[str]:
    """Class labels (as str) from the distinct values of a column: in level order for a
    factor column, else sorted."""
    if levels is not None:
        used = set(values)
        labels = [lev for lev in levels if lev in used]
    else:
        try:
            labels = sorted(values)
        except TypeError:
            labels = sorted(values, key=str)
    names = [str(x) for x in labels]
    if len(set(names)) != len(names):
        raise InputError(f"Class labels {labels} are not unique when written as text.")
    return names


def as_classes(values: pd.Series, class_names: list[str]) -> pd.Series:
    """``values`` as a categorical Series with categories exactly ``class_names``."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = list(values.cat.categories)
        if cats == class_names:
            return values
        if not all(isinstance(c, str) for c in cats):
            values = values.cat.rename_categories([str(c) for c in cats])
        return values.cat.set_categories(class_names)
    if not pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
        values = values.map(lambda v: v if isinstance(v, str) else str(v), na_action="ignore")
    return pd.Series(pd.Categorical(values, categories=class_names), index=values.index,
                     name=values.name)


class TaskClassif(TaskSupervised):
    """A classification task.

    Parameters
    ----------
    id : str
        The task's name.
    backend : DataBackend or table
        The data (see :class:`TaskSupervised`).
    target : str
        The target column (at least two classes, no missing values).
    positive : str, optional
        The positive class of a two-class task (default: the first class).
    label : str, optional
        A one-line description.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": ["a", "b", "a", "b"]})
    >>> TaskClassif("toy", df, target="y", positive="b").class_names
    ['b', 'a']
    """

    task_type = "classif"

    def __init__(
        self,
        id: str,  # noqa: A002
        backend: Any,
        target: str,
        positive: str | None = None,
        *,
        label: str | None = None,
    ) -> None:
        self._init_positive = positive
        super().__init__(id, backend, target, label=label)

    def _target_info(self, target: list[str], initial: bool = False) -> list[str]:
        col = target[0]
        if self._backend.in_memory:
            names = _class_names(self._target_values(target))
        else:  # aggregate queries: missing values and distinct classes
            self._check_target_complete(col)
            info = self._backend.col_info_map()[col]
            names = _distinct_class_names(self._backend.distinct(None, [col])[col], info.levels)
        if len(names) < 2:
            raise InputError(
                f"Target column '{col}' of Task '{self.id}' has only one class "
                f"({', '.join(repr(n) for n in names) or 'none'}); a classification task needs "
                "at least two classes."
            )
        positive = self._init_positive if initial else None
        if positive is not None:
            names = self._reorder(names, positive)
        return names

    def _reorder(self, names: list[str], positive: Any) -> list[str]:
        if len(names) != 2:
            raise ConfigError(
                f"Task '{self.id}' has {len(names)} classes; a positive class exists only for "
                f"two-class tasks. Got positive={positive!r}."
            )
        given = positive
        if isinstance(positive, (int, np.integer)):
            # class labels are stored as strings: the label 1 is the class '1'
            positive = str(positive)
        if not isinstance(positive, str) or positive not in names:
            raise ConfigError(
                f"The positive class of Task '{self.id}' must be one of {names} (class "
                f"labels are strings). Got {given!r} instead.{did_you_mean(str(positive), names)}"
            )
        return [positive] + [n for n in names if n != positive]

    @property
    def class_names(self) -> list[str]:
        """Class labels; for two classes the positive class comes first."""
        return list(self._state.target_info)

    @property
    def positive(self) -> str | None:
        """The positive class (two-class tasks; settable), else ``None``."""
        names = self._state.target_info
        return names[0] if len(names) == 2 else None

    @positive.setter
    def positive(self, value: str) -> None:
        st = self._state
        st.target_info = self._reorder(list(st.target_info), value)

    @property
    def negative(self) -> str | None:
        """The negative class (two-class tasks; settable), else ``None``."""
        names = self._state.target_info
        return names[1] if len(names) == 2 else None

    @negative.setter
    def negative(self, value: str) -> None:
        names = list(self._state.target_info)
        if len(names) == 2 and value in names:
            value = names[0] if value == names[1] else names[1]
        self.positive = value

    @property
    def properties(self) -> set[str]:
        props = super().properties
        props.add("twoclass" if len(self._state.target_info) == 2 else "multiclass")
        return props

    def _postprocess(self, frame: pd.DataFrame) -> pd.DataFrame:
        target = self._state.roles["target"][0]
        if target in frame.columns:
            frame[target] = as_classes(frame[target], self._state.target_info)
        return frame

    def truth(self, rows: Any = None) -> pd.Categorical:
        """The target of rows ``rows`` (default: active rows) as a Categorical with
        categories ``class_names``."""
        if not self._backend.in_memory:
            target = self._state.roles["target"][0]
            frame = self._backend.data(self._backend_rows(rows), [target])
            return pd.Categorical(as_classes(frame[target], self._state.target_info))
        return self._class_codes().take(self._backend_rows(rows))

    def class_counts(self) -> dict[str, int]:
        """Number of active rows per class (``class_names`` order); a backend not in
        memory answers with one aggregate query."""
        names = self.class_names
        if self._backend.in_memory:
            counts = pd.Series(self.truth()).value_counts()
            return {name: int(counts.get(name, 0)) for name in names}
        target = self._state.roles["target"][0]
        found = self._backend.value_counts(self._backend_rows(None), target)
        by_name = {str(k): v for k, v in found.items()}
        return {name: int(by_name.get(name, 0)) for name in names}

    def _class_codes(self) -> _ClassCodes:
        """The target's class codes over all backend rows (cached, shared with clones)."""
        st = self._state
        target = st.roles["target"][0]
        key = ("class_codes", target, tuple(st.target_info))
        cache = st.shared_cache.get(key)
        if cache is None:
            values = as_classes(self._backend.data(None, [target])[target], st.target_info)
            codes = np.asarray(values.cat.codes).copy()
            codes.setflags(write=False)
            row_index = None if st.contiguous else values.index
            dtype = values.dtype
            assert isinstance(dtype, pd.CategoricalDtype)  # as_classes gives categories
            cache = st.shared_cache[key] = _ClassCodes(dtype, codes, row_index)
        return cache


class TaskRegr(TaskSupervised):
    """A regression task with a numeric target (no missing values).

    Parameters
    ----------
    id : str
        The task's name.
    backend : DataBackend or table
        The data (see :class:`TaskSupervised`).
    target : str
        The numeric target column.
    label : str, optional
        A one-line description.
    """

    task_type = "regr"

    def _target_info(self, target: list[str], initial: bool = False) -> None:
        col = target[0]
        if self._backend.in_memory:
            values = self._target_values(target)
            kind = str(values.dtype)
            numeric = (pd.api.types.is_numeric_dtype(values.dtype)
                       and not pd.api.types.is_bool_dtype(values.dtype))
        else:  # the column type from the schema, missing values from an aggregate query
            kind = self._backend.col_info_map()[col].type
            numeric = kind in ("numeric", "integer")
            if numeric:
                self._check_target_complete(col)
        if not numeric:
            raise InputError(
                f"Target column '{col}' of TaskRegr '{self.id}' must be numeric. Got dtype "
                f"{kind} instead; use as_task_classif() for a categorical target."
            )
        return None

    def truth(self, rows: Any = None) -> np.ndarray:
        """The target of rows ``rows`` (default: active rows) as a float64 array."""
        target = self._state.roles["target"][0]
        return self._backend.matrix(self._backend_rows(rows), [target])[:, 0]
