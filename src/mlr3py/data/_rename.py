"""The columns of a backend under new names (mlr3's ``DataBackendRename``).

:meth:`Task.rename <mlr3py.tasks.Task.rename>` renames columns on the fly: every
query is translated to the old names and asked of the backend underneath, and the
answer is given back under the new names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data._composed_base import _Composed, _hash
from mlr3py.data.backend import DataBackend, RowCodes
from mlr3py.errors import InputError
from mlr3py.registry import did_you_mean

__all__ = ["DataBackendRename"]


class DataBackendRename(_Composed):
    """The columns of ``backend`` under new names.

    Parameters
    ----------
    backend : DataBackend
        The data.
    mapping : mapping of str to str
        Old name -> new name (the primary key cannot be renamed).
    """

    def __init__(self, backend: DataBackend, mapping: Mapping[str, str]) -> None:
        self._parts = (backend,)
        self.backend = backend
        cols = backend.colnames
        for old in mapping:
            if old not in cols:
                raise InputError(f"Cannot rename column '{old}': it is not in the data."
                                 + did_you_mean(str(old), cols))
            if old == backend.primary_key:
                raise InputError(f"Cannot rename the primary key '{old}'.")
        new_names = [mapping.get(c, c) for c in cols]
        if len(set(new_names)) != len(new_names):
            dup = sorted({c for c in new_names if new_names.count(c) > 1})
            raise InputError(f"Renaming would give duplicated column names {dup}. "
                             "Choose names that are not in the data yet.")
        self._new = dict(zip(cols, new_names, strict=True))
        self._old = {n: o for o, n in self._new.items()}

    @property
    def primary_key(self) -> str:
        return self.backend.primary_key

    @property
    def rownames(self) -> np.ndarray:
        return self.backend.rownames

    @property
    def colnames(self) -> list[str]:
        return [self._new[c] for c in self.backend.colnames]

    @property
    def dtypes(self) -> dict[str, Any]:
        return {self._new[c]: d for c, d in self.backend.dtypes.items()}

    @property
    def hash(self) -> str:
        return _hash("rename", self.backend.hash, repr(sorted(self._new.items())))

    def data(self, rows: Any, cols: Sequence[str]) -> pd.DataFrame:
        cols = self._check_cols(cols)
        frame = self.backend.data(rows, [self._old[c] for c in cols])
        return frame.set_axis(cols, axis=1)

    def matrix(self, rows: Any, cols: Sequence[str]) -> np.ndarray:
        cols = self._check_cols(cols)
        return self.backend.matrix(rows, [self._old[c] for c in cols])

    def missings(self, rows: Any | None, cols: Sequence[str]) -> dict[str, int]:
        cols = self._check_cols(cols)
        counts = self.backend.missings(rows, [self._old[c] for c in cols])
        return {c: counts[self._old[c]] for c in cols}

    def distinct(
        self, rows: Any | None, cols: Sequence[str], na_rm: bool = True
    ) -> dict[str, list[Any]]:
        cols = self._check_cols(cols)
        found = self.backend.distinct(rows, [self._old[c] for c in cols], na_rm=na_rm)
        return {c: found[self._old[c]] for c in cols}

    def value_counts(self, rows: Any | None, col: str) -> dict[Any, int]:
        self._check_cols([col])
        return self.backend.value_counts(rows, self._old[col])

    def row_codes(self, rows: Any | None, cols: Sequence[str]) -> RowCodes:
        cols = self._check_cols(cols)
        got = self.backend.row_codes(rows, [self._old[c] for c in cols])
        return RowCodes(got.combos.set_axis(cols, axis=1), got.codes)
