"""Tuning runs in a store: their results so far, and their resumption."""

from __future__ import annotations

import copy
from typing import Any

from mlr3py.errors import StoreError
from mlr3py.store._store import ResultStore
from mlr3py.tuning._batch import batch_name
from mlr3py.tuning._instance import TuningInstance
from mlr3py.tuning._stored import TuningSpec
from mlr3py.tuning._tune import optimize_stored

__all__ = ["TuningSpec", "resume_tuning", "tuning_results"]


def tuning_results(store: ResultStore, spec: TuningSpec) -> TuningInstance:
    """The recorded instance with the archive of every kept batch (and its result, once
    the run assigned one)."""
    instance = copy.deepcopy(spec.instance)
    nr = 1
    while (rows := store.get_object(batch_name(nr))) is not None:
        instance.archive.add_rows(rows)
        nr += 1
    instance.result = store.get_object("result")
    return instance


def resume_tuning(store: ResultStore, spec: TuningSpec, retry_errors: bool) -> Any:
    """Optimize the recorded instance again: kept batches are read back, only what never
    finished is evaluated (see :mod:`mlr3py.tuning._stored`)."""
    if retry_errors:
        raise StoreError(f"The store at '{store.root}' holds a tuning run: its evaluated "
                         "batches are kept as they are, so retry_errors=True does not apply. "
                         "Resume it without retry_errors.")
    meta = store.meta()
    store.open_run("tuning", meta["fingerprint"], spec)
    return optimize_stored(spec.tuner, spec.instance, store)
