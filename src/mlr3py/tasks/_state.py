"""The data-dependent state of a task: roles, active rows and a fast row-membership test."""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

__all__ = ["TaskState", "backend_rows", "readonly"]


def readonly(arr: np.ndarray) -> np.ndarray:
    """A read-only view of ``arr``."""
    view = arr.view()
    view.flags.writeable = False
    return view


def backend_rows(backend: Any) -> np.ndarray | int:
    """A backend's row ids for :meth:`TaskState.create`, or their number where they are
    ``0 .. n - 1`` (:attr:`~mlr3py.data.DataBackend.range_rows`: not built)."""
    n = getattr(backend, "range_rows", None)
    return backend.rownames if n is None else int(n)


#: Row ids hashed at a time where they are not built (8 MiB of them).
_HASH_BLOCK = 1 << 20

#: (id of a row-id array, what the table is) -> the membership table built from it, or
#: None where the table is the array itself (the cache must not keep the array alive)
_MEMBERSHIP: dict[tuple[int, Any], np.ndarray | None] = {}


def _membership(ids: np.ndarray, kind: Any, build: Any) -> np.ndarray:
    """The membership table ``kind`` of the row ids ``ids``, built by ``build(ids)`` once
    per array.

    Task copies (a clone per resample, per job, the fetched views) share their read-only
    row-id array: the table built for one of them serves all, until the array is gone.
    """
    key = (id(ids), kind)
    if key in _MEMBERSHIP:
        table = _MEMBERSHIP[key]
        return ids if table is None else table
    built = build(ids)
    _MEMBERSHIP[key] = None if built is ids else built
    weakref.finalize(ids, _MEMBERSHIP.pop, key, None)
    return built


def _mask(ids: np.ndarray, n: int) -> np.ndarray:
    """A boolean table of ``n`` backend rows, True at ``ids``."""
    mask = np.zeros(n, dtype=bool)
    mask[ids] = True
    return mask


def _sorted_unique(ids: np.ndarray) -> np.ndarray:
    """``np.unique(ids)``; ids already strictly increasing (the usual case) are not sorted."""
    if len(ids) < 2 or bool(np.all(ids[1:] > ids[:-1])):
        return ids
    return np.unique(ids)


@dataclass
class TaskState:
    """Everything of a task that depends on its data (built on first use for lazy backends).

    Attributes
    ----------
    roles : dict
        Role -> list of columns (all roles present).
    ids : numpy.ndarray or None
        Active row ids (int64, read-only), in task order; None for all backend rows
        ``0 .. n_backend - 1`` not built yet (:attr:`row_ids` builds them on first use).
    full : bool
        Whether ``row_ids`` are all backend rows in storage order.
    col_types : dict
        Column -> mlr3 type name, for every backend column.
    n_backend : int
        Number of backend rows.
    target_info : Any
        Class names (classification) or ``None``.
    contiguous : bool
        Whether the backend's row ids are ``0 .. n_backend-1`` in order.
    shared_cache : dict
        Values derived from the (read-only) backend's data, such as the class
        codes of the target, keyed by everything else they depend on (column,
        classes). Shared between copies, as the backend is.
    levels : dict
        Feature column -> its levels after :meth:`~mlr3py.tasks.Task.droplevels`
        (in place of the backend's).
    """

    roles: dict[str, list[str]]
    ids: np.ndarray | None
    full: bool
    col_types: dict[str, str]
    n_backend: int
    target_info: Any = None
    contiguous: bool = False
    shared_cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    levels: dict[str, list[Any]] = field(default_factory=dict)
    _member: np.ndarray | None = field(default=None, repr=False)
    _member_lo: int | None = field(default=None, repr=False)

    @classmethod
    def create(
        cls, roles: dict[str, list[str]], rownames: np.ndarray | int, col_types: dict[str, str],
        target_info: Any,
    ) -> TaskState:
        """State of a new task: all backend rows active.

        ``rownames`` is the backend's row ids, or their number where they are
        ``0 .. n - 1`` in storage order (:attr:`~mlr3py.data.DataBackend.range_rows`):
        then they are built only when asked for (a task on ten million rows of
        Parquet files resamples without them).
        """
        if isinstance(rownames, int | np.integer):
            return cls(roles, None, True, col_types, int(rownames), target_info, True)
        ids = readonly(np.asarray(rownames, dtype=np.int64))
        n = len(ids)
        contiguous = n == 0 or (
            ids[0] == 0 and ids[-1] == n - 1 and bool(np.all(np.diff(ids) == 1))
        )
        return cls(roles, ids, True, col_types, n, target_info, contiguous)

    @property
    def row_ids(self) -> np.ndarray:
        """Active row ids (int64, read-only), in task order; built here on first use
        where they are all backend rows ``0 .. n_backend - 1``."""
        if self.ids is None:
            self.ids = readonly(np.arange(self.n_backend, dtype=np.int64))
        return self.ids

    @property
    def nrow(self) -> int:
        """Number of active rows (without building the row ids)."""
        return self.n_backend if self.ids is None else len(self.ids)

    @property
    def all_rows(self) -> bool:
        """Whether the active rows are all backend rows ``0 .. n_backend - 1`` in order
        (their ids need not be built to answer for them)."""
        return self.full and self.contiguous

    def hash_rows(self, digest: Any) -> None:
        """Feed the active row ids' int64 bytes to ``digest`` (a :mod:`hashlib` object):
        ids not built yet (all rows ``0 .. n - 1``) block by block, to the same digest."""
        if self.ids is not None:
            digest.update(np.ascontiguousarray(self.ids).data)  # its buffer: no bytes copy
            return
        for lo in range(0, self.n_backend, _HASH_BLOCK):
            digest.update(np.arange(lo, min(lo + _HASH_BLOCK, self.n_backend),
                                    dtype=np.int64).data)

    def __getstate__(self) -> dict[str, Any]:
        # shipped to workers: all rows 0 .. n-1 travel as their count, the lookup table
        # is rebuilt on demand (a task on a database then pickles to a size independent
        # of the table's)
        state = self.__dict__.copy()
        state["_member"] = None
        if self.all_rows:
            state["ids"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "row_ids" in state:  # pickled by a version that kept the ids under that name
            state = dict(state)
            state["ids"] = state.pop("row_ids")
        self.__dict__.update(state)

    def copy(self) -> TaskState:
        """An independent copy (arrays are read-only and shared, so is ``shared_cache``)."""
        return replace(
            self,
            roles={role: list(cols) for role, cols in self.roles.items()},
            target_info=copy.copy(self.target_info),
            levels={col: list(lv) for col, lv in self.levels.items()},
        )

    def set_rows(self, ids: np.ndarray) -> None:
        """Make ``ids`` the active rows."""
        self.ids = readonly(np.array(ids, dtype=np.int64))
        self.full = False
        self._member = None

    def unknown_rows(self, ids: np.ndarray) -> np.ndarray:
        """Boolean mask: which of ``ids`` are not active rows (vectorised, cached lookup)."""
        if self.contiguous and self.full:
            return (ids < 0) | (ids >= self.n_backend)
        if self._member is None:
            rows = self.row_ids
            if self.contiguous:  # a mask over all backend rows, 1 byte each against 8
                lo, span = 0, self.n_backend
            else:
                lo = int(rows.min()) if len(rows) else 0
                span = int(rows.max()) - lo + 1 if len(rows) else 0
            if self.contiguous or 0 < span <= 8 * len(rows):
                # the active rows are most of their range (every second number, say): a
                # mask over the range answers without a search
                self._member = _membership(rows, ("range mask", lo, span),
                                           lambda r: _mask(r - lo, span))
                self._member_lo = lo
            else:
                self._member = _membership(rows, "sorted", _sorted_unique)
                self._member_lo = None
        if self._member_lo is not None:
            offset = ids - self._member_lo
            outside = (offset < 0) | (offset >= len(self._member))
            return outside | ~self._member[np.where(outside, 0, offset)]
        known = self._member
        if not len(known):
            return np.ones(len(ids), dtype=bool)
        pos = np.minimum(np.searchsorted(known, ids), len(known) - 1)
        return known[pos] != ids
