"""A backend that builds its data on first use (mlr3's ``DataBackendLazy``).

Built-in tasks whose data comes from the internet (OpenML) use it, so that
listing the task registry works offline: the data is loaded, or an error
naming the file to provide is raised, only when the data is first needed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data.backend import ColInfo, DataBackend

__all__ = ["DataBackendLazy"]


class DataBackendLazy(DataBackend):
    """Delegate to the backend that ``constructor()`` returns, built on first access.

    Parameters
    ----------
    constructor : callable
        Called without arguments; returns a :class:`DataBackend`. It may raise
        (for example :class:`~mlr3py.errors.InputError` when the data cannot be
        found); the error then surfaces at the first data access.
    key : str
        A stable name of the data (used for :attr:`hash` before loading).
    meta : dict, optional
        Facts known without loading (for registry tables), such as ``nrow``,
        ``ncol`` and ``properties``.
    """

    def __init__(
        self,
        constructor: Callable[[], DataBackend],
        key: str,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self._constructor = constructor
        self._key = key
        self.meta: dict[str, Any] = dict(meta or {})
        self._backend: DataBackend | None = None

    @property
    def is_materialized(self) -> bool:  # type: ignore[override]
        return self._backend is not None

    @property
    def backend(self) -> DataBackend:
        """The loaded backend (loads it now if needed)."""
        if self._backend is None:
            backend = self._constructor()
            if not isinstance(backend, DataBackend):
                raise TypeError(
                    f"The constructor of lazy backend '{self._key}' must return a DataBackend. "
                    f"Got {type(backend).__name__} instead."
                )
            self._backend = backend
        return self._backend

    @property
    def in_memory(self) -> bool:  # type: ignore[override]
        return self.backend.in_memory

    @property
    def fork_safe(self) -> bool:  # type: ignore[override]
        return self.backend.fork_safe

    def col_info(self) -> list[ColInfo]:
        return self.backend.col_info()

    def value_counts(self, rows: Any | None, col: str) -> dict[Any, int]:
        return self.backend.value_counts(rows, col)

    def head(self, n: int = 6) -> pd.DataFrame:
        return self.backend.head(n)

    @property
    def primary_key(self) -> str:
        return self.backend.primary_key

    @property
    def rownames(self) -> np.ndarray:
        return self.backend.rownames

    @property
    def colnames(self) -> list[str]:
        return self.backend.colnames

    @property
    def dtypes(self) -> dict[str, Any]:
        return self.backend.dtypes

    @property
    def nrow(self) -> int:
        return self.backend.nrow

    @property
    def ncol(self) -> int:
        return self.backend.ncol

    @property
    def hash(self) -> str:
        return hashlib.sha1(f"lazy:{self._key}".encode(), usedforsecurity=False).hexdigest()[:16]

    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        return self.backend.data(rows, cols)

    def distinct(
        self, rows: Any | None, cols: Sequence[str], na_rm: bool = True
    ) -> dict[str, list[Any]]:
        return self.backend.distinct(rows, cols, na_rm=na_rm)

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        return self.backend.missings(rows, cols)

    def matrix(self, rows: Any, cols: Sequence[str]) -> np.ndarray:
        return self.backend.matrix(rows, cols)

    def __repr__(self) -> str:
        state = "loaded" if self.is_materialized else "not loaded"
        return f"<DataBackendLazy:{self._key}> ({state})"
