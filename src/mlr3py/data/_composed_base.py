"""The shared part of composed backends (:mod:`mlr3py.data.composed`).

A composed backend answers from other backends, its parts, through their public
:class:`~mlr3py.data.DataBackend` methods alone. It is in memory, materialised and
fork-safe exactly when all its parts are, so a task over a database and a few rows
in memory is still answered with aggregate queries, as over the database alone.
:class:`_Composed` holds this behaviour and the column check with "did you mean";
:func:`_hash` derives a composed backend's hash from its parts' and
:func:`_own_cols` lists a part's columns without its primary key.
"""

from __future__ import annotations

import hashlib

from mlr3py.data.backend import DataBackend


def _hash(*parts: str) -> str:
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def _own_cols(backend: DataBackend) -> list[str]:
    """Columns of ``backend`` without its primary key."""
    key = backend.primary_key
    return [c for c in backend.colnames if c != key]


class _Composed(DataBackend):
    """Shared behaviour: composed backends are materialised, in memory and fork-safe when
    all their parts are (a task over a database and a few rows in memory answers with
    aggregate queries, as over the database alone)."""

    _parts: tuple[DataBackend, ...]

    @property
    def in_memory(self) -> bool:  # type: ignore[override]
        return all(p.in_memory for p in self._parts)

    @property
    def is_materialized(self) -> bool:  # type: ignore[override]
        return all(p.is_materialized for p in self._parts)

    @property
    def fork_safe(self) -> bool:  # type: ignore[override]
        return all(p.fork_safe for p in self._parts)
