"""Column types: mlr3's feature type of a pandas dtype and what a backend knows of a column.

:func:`column_type` maps a pandas dtype to a feature type name (``"numeric"``,
``"factor"``, ...); :class:`ColInfo` describes a column without reading its
values (name, feature type, factor levels); :func:`dtype_for` and
:func:`col_info_from_dtype` convert between the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MATRIX_TYPES", "ColInfo", "col_info_from_dtype", "column_type", "dtype_for"]

#: Column types that :meth:`DataBackend.matrix` converts to float64.
MATRIX_TYPES: frozenset[str] = frozenset({"numeric", "integer", "logical"})


def column_type(dtype: Any) -> str:
    """Map a pandas dtype to mlr3's feature type name.

    Returns one of ``"logical"``, ``"integer"``, ``"numeric"``, ``"factor"``,
    ``"ordered"``, ``"POSIXct"``, ``"character"``.
    """
    if isinstance(dtype, pd.CategoricalDtype):
        return "ordered" if dtype.ordered else "factor"
    if isinstance(dtype, np.dtype) and dtype.kind in "fbiu":  # fast path: numpy dtypes
        return {"f": "numeric", "b": "logical"}.get(dtype.kind, "integer")
    if pd.api.types.is_bool_dtype(dtype):
        return "logical"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "numeric"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "POSIXct"
    return "character"


@dataclass(frozen=True)
class ColInfo:
    """What a backend knows about one column without reading its values.

    Attributes
    ----------
    name : str
        The column name.
    type : str
        The feature type, one of :data:`mlr3py.reflections.FEATURE_TYPES`.
    levels : tuple or None
        The levels of a ``factor`` / ``ordered`` column (in level order), else ``None``.
    """

    name: str
    type: str
    levels: tuple[Any, ...] | None = None


def dtype_for(info: ColInfo) -> Any:
    """The pandas dtype in which a backend returns a column described by ``info``."""
    kinds: dict[str, Any] = {
        "logical": np.dtype(bool), "integer": np.dtype(np.int64),
        "numeric": np.dtype(np.float64), "POSIXct": np.dtype("datetime64[ns]"),
        "character": np.dtype(object),
    }
    if info.type in ("factor", "ordered"):
        return pd.CategoricalDtype(list(info.levels or ()), ordered=info.type == "ordered")
    return kinds[info.type]


def col_info_from_dtype(name: str, dtype: Any) -> ColInfo:
    """The :class:`ColInfo` of a column held in a pandas dtype."""
    kind = column_type(dtype)
    levels = tuple(dtype.categories) if isinstance(dtype, pd.CategoricalDtype) else None
    return ColInfo(name, kind, levels)
