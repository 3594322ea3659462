"""Backends composed of other backends (mlr3's ``DataBackendCbind``, ``Rbind``, ``Rename``).

Tasks grow without copying their data: ``task.cbind(frame)`` puts a small
in-memory backend next to the task's backend, ``task.rbind(frame)`` below it,
``task.rename(old, new)`` renames columns on the fly. The original backends are
neither copied nor changed, and they stay lazy: a task over a database remains a
task over the database plus a small in-memory part. Only the public methods of
:class:`~mlr3py.data.DataBackend` are used, so any backend can be composed.
Each composition is defined in a module of its own (:mod:`mlr3py.data._cbind`,
:mod:`mlr3py.data._rbind`, :mod:`mlr3py.data._rename`, over the shared part in
:mod:`mlr3py.data._composed_base`) and imported from here.
:class:`DataBackendMatrix`, the block of float columns that numeric operators put
next to a task, is defined in :mod:`mlr3py.data._matrix` and imported from here.
"""

from __future__ import annotations

from mlr3py.data._cbind import DataBackendCbind
from mlr3py.data._matrix import DataBackendMatrix
from mlr3py.data._rbind import DataBackendRbind
from mlr3py.data._rename import DataBackendRename

__all__ = ["DataBackendCbind", "DataBackendMatrix", "DataBackendRbind", "DataBackendRename"]
