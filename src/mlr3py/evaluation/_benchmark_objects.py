"""The distinct tasks, learners and resamplings of a benchmark, and its logged conditions
(mlr3's ``BenchmarkResult$tasks``, ``$learners``, ``$resamplings``, ``$warnings`` and
``$errors``) as tables."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.evaluation._job_key import learner_text, stable_text

if TYPE_CHECKING:
    from mlr3py.evaluation._resample_result import ResampleResult
    from mlr3py.learners import Learner
    from mlr3py.resamplings import Resampling

__all__ = ["condition_table", "distinct_objects", "learner_hash", "resampling_hash"]


def _short(text: bytes) -> str:
    return hashlib.blake2b(text, digest_size=8).hexdigest()


def learner_hash(learner: Learner) -> str:
    """A hash of what decides a learner's results (class, id, predict type, parameter
    values, encapsulation, fallback, design); equal for equally configured clones."""
    return _short(learner_text(learner).encode())


def resampling_hash(resampling: Resampling) -> str:
    """A hash of a resampling's class, id, parameter values and (when instantiated) its
    train / test sets."""
    hasher = hashlib.blake2b(digest_size=8)
    hasher.update(
        f"{type(resampling).__qualname__} {resampling.id} "
        f"{stable_text(dict(resampling.param_set.values))}".encode()
    )
    if resampling.is_instantiated:
        for i in range(resampling.iters or 0):
            hasher.update(np.ascontiguousarray(resampling.train_set(i)).tobytes() + b"|")
            hasher.update(np.ascontiguousarray(resampling.test_set(i)).tobytes() + b"/")
    return hasher.hexdigest()


def distinct_objects(
    rrs: Sequence[ResampleResult], what: str, hash_of: Callable[[Any], str]
) -> pd.DataFrame:
    """One row per distinct ``rr.<what>`` (by ``hash_of``), in order of appearance.

    Parameters
    ----------
    rrs : sequence of ResampleResult
    what : str
        ``"task"``, ``"learner"`` or ``"resampling"``.
    hash_of : callable
        The object's hash.

    Returns
    -------
    pandas.DataFrame
        Columns ``<what>_hash``, ``<what>_id`` and ``<what>`` (the object).
    """
    seen: dict[str, Any] = {}
    for rr in rrs:
        obj = getattr(rr, what)
        seen.setdefault(hash_of(obj), obj)
    return pd.DataFrame(
        {
            f"{what}_hash": pd.Series(list(seen), dtype=object),
            f"{what}_id": pd.Series([obj.id for obj in seen.values()], dtype=object),
            what: pd.Series(list(seen.values()), dtype=object),
        }
    )


def condition_table(rrs: Sequence[ResampleResult], cls: str) -> pd.DataFrame:
    """The warnings (``cls="warning"``) or errors (``cls="error"``) of every experiment.

    Returns
    -------
    pandas.DataFrame
        Columns nr, task_id, learner_id, resampling_id, iteration, msg.
    """
    tables = []
    for nr, rr in enumerate(rrs):
        table = rr.warnings if cls == "warning" else rr.errors
        if len(table):
            table.insert(0, "resampling_id", rr.resampling.id)
            table.insert(0, "learner_id", rr.learner.id)
            table.insert(0, "task_id", rr.task.id)
            table.insert(0, "nr", nr)
            tables.append(table)
    columns = ["nr", "task_id", "learner_id", "resampling_id", "iteration", "msg"]
    if not tables:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c in ("nr", "iteration") else object) for c in columns}
        )
    return pd.concat(tables, ignore_index=True)[columns]
