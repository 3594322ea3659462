"""The result store: every finished job on disk, resume after a crash, status.

``resample()``, ``benchmark()`` and ``tune()`` take ``store="runs/study"``; the
directory keeps the run's design and each finished job (written where the job ran,
atomically), so a run that dies loses nothing finished. :func:`open_store` reads a
store (``status()``, ``results()``, also while the run goes on); :func:`resume`
runs what is not done.

- :mod:`._files`: layout, format version, atomic writes;
- :mod:`._db`: the SQLite job rows; :mod:`._lock`: the run lock;
- :mod:`._store`: :class:`ResultStore` (the evaluation layer's ``JobStore``) and the
  workers' :class:`StoreWriter`;
- :mod:`._status`, :mod:`._open`, :mod:`._tuning`: status table, ``open_store()``,
  ``resume()``, tuning runs; :mod:`._cli`: the ``mlr3py status|resume|results`` commands.
"""

from mlr3py.evaluation._sink import register_store_opener
from mlr3py.store._files import FORMAT_VERSION
from mlr3py.store._open import Store, open_store, resume
from mlr3py.store._status import STATUS_COLUMNS
from mlr3py.store._store import ResultStore, StoreWriter

register_store_opener(ResultStore)

__all__ = ["FORMAT_VERSION", "STATUS_COLUMNS", "ResultStore", "Store", "StoreWriter",
           "open_store", "resume"]
