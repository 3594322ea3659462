"""``as_task_classif`` / ``as_task_regr``: tasks from pandas, polars and pyarrow tables."""

from __future__ import annotations

from typing import Any

from mlr3py.errors import InputError
from mlr3py.tasks.supervised import TaskClassif, TaskRegr

__all__ = ["as_task_classif", "as_task_regr"]


def as_task_classif(
    data: Any,
    target: str | None = None,
    id: str | None = None,  # noqa: A002
    positive: str | None = None,
    label: str | None = None,
) -> TaskClassif:
    """Build a classification task from a table (or return a classification task unchanged).

    Parameters
    ----------
    data : TaskClassif, DataBackend, pandas / polars DataFrame or pyarrow Table
        The data. String columns become categoricals; the target becomes a
        categorical with string categories (sorted, or in category order).
        A float target is refused unless it holds at most 10 distinct whole
        numbers (use :func:`as_task_regr`, or convert it to categories first).
        The table's index is dropped: row ids are ``0 .. n-1``. Duplicated
        column names, complex-number columns and a column named ``..row_id``
        (the name reserved for row ids) raise :class:`~mlr3py.errors.InputError`.
    target : str
        The target column.
    id : str, optional
        The task id (default ``"data"``).
    positive : str, optional
        The positive class of a two-class target (default: the first class).
    label : str, optional
        A one-line description.

    Returns
    -------
    TaskClassif

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["no", "yes", "no"]})
    >>> as_task_classif(df, target="y", id="toy", positive="yes").positive
    'yes'
    """
    if isinstance(data, TaskClassif):
        return data
    if target is None:
        raise InputError("as_task_classif() needs the name of the target column: target='...'.")
    return TaskClassif(id or "data", data, target, positive, label=label)


def as_task_regr(
    data: Any,
    target: str | None = None,
    id: str | None = None,  # noqa: A002
    label: str | None = None,
) -> TaskRegr:
    """Build a regression task from a table (or return a regression task unchanged).

    Parameters
    ----------
    data : TaskRegr, DataBackend, pandas / polars DataFrame or pyarrow Table
        The data; string columns become categoricals. Row ids are ``0 .. n-1``.
    target : str
        The numeric target column.
    id : str, optional
        The task id (default ``"data"``).
    label : str, optional
        A one-line description.

    Returns
    -------
    TaskRegr
    """
    if isinstance(data, TaskRegr):
        return data
    if target is None:
        raise InputError("as_task_regr() needs the name of the target column: target='...'.")
    return TaskRegr(id or "data", data, target, label=label)
