"""Row ids: how backends name their rows, and the checks and errors about them.

Every backend addresses its rows by row ids, 0-based ``int64`` numbers or the
values of a primary-key column. :func:`as_row_ids` turns what a user passes (an
int, a range, a list, an array, a Series) into one ``int64`` array;
:func:`unknown_rows_error` is the one error for row ids a backend does not hold.
Frames returned by ``data()`` carry the row ids in an index named :data:`ROW_ID`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import InputError

__all__ = ["ROW_ID", "as_row_ids", "unknown_rows_error"]

#: Name of the index of every frame that ``data()`` returns.
ROW_ID = "row_id"


def unknown_rows_error(unknown: Any, valid: str = "") -> InputError:
    """The error for row ids that are not in the data: the first ten and their count.

    Parameters
    ----------
    unknown : array-like
        The unknown row ids (distinct).
    valid : str, optional
        What the valid row ids are, e.g. ``"the values of the primary key 'id'"``.

    Returns
    -------
    InputError
        To be raised by the caller.
    """
    unknown = np.asarray(unknown)
    shown = ", ".join(str(x) for x in unknown[:10]) + (", ..." if len(unknown) > 10 else "")
    return InputError(
        f"Row ids not in the data: {shown} ({len(unknown)} unknown)."
        + (f" Valid row ids are {valid}." if valid else "")
    )


def as_row_ids(rows: Any, what: str = "row ids") -> np.ndarray:
    """Convert ``rows`` (an int, a range, a list, an array, a Series) to an int64 array.

    Parameters
    ----------
    rows : int or iterable of int
        Row ids.
    what : str
        How to name the argument in error messages.

    Returns
    -------
    numpy.ndarray
        A one-dimensional ``int64`` array (a new array or a read-only view is not
        guaranteed; do not write into it).
    """
    if isinstance(rows, (bool, np.bool_)):
        raise InputError(f"The {what} must be integers. Got {rows!r} instead.")
    if isinstance(rows, (int, np.integer)):
        return np.asarray([rows], dtype=np.int64)
    if isinstance(rows, range):
        return np.arange(rows.start, rows.stop, rows.step, dtype=np.int64)
    if isinstance(rows, (pd.Series, pd.Index)):
        rows = rows.to_numpy()
    arr = np.asarray(rows) if not isinstance(rows, np.ndarray) else rows
    if arr.ndim != 1:
        arr = arr.reshape(-1) if arr.ndim == 0 else arr
    if arr.ndim != 1:
        raise InputError(f"The {what} must be one-dimensional. Got shape {arr.shape} instead.")
    if arr.dtype == np.int64:
        return arr
    if arr.size == 0:
        return np.empty(0, dtype=np.int64)
    if np.issubdtype(arr.dtype, np.integer):
        return arr.astype(np.int64)
    if arr.dtype == object and all(
        isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)) for x in arr
    ):
        return arr.astype(np.int64)
    shown = ", ".join(repr(x) for x in arr[:5].tolist())
    raise InputError(
        f"The {what} must be integers (np.int64). Got values of type {arr.dtype} instead: {shown}."
    )
