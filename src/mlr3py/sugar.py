"""Short constructors as in mlr3: ``tsk``, ``lrn``, ``rsmp``, ``msr`` and their plurals.

Keyword arguments set parameter values (``lrn("classif.rpart", max_depth=3)``)
or fields (``lrn("classif.rpart", predict_type="prob")``) of the new object.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlr3py.filters import flt, flts
from mlr3py.learners import Learner, mlr_learners
from mlr3py.measures import Measure, mlr_measures
from mlr3py.resamplings import Resampling, mlr_resamplings
from mlr3py.tasks import Task, mlr_tasks
from mlr3py.tuning import ti, tnr, tnrs, trm, tune

__all__ = ["lrn", "lrns", "msr", "msrs", "rsmp", "rsmps", "ti", "tnr", "tnrs", "trm", "tsk", "tsks",
           "tune"]
__all__ += ["flt", "flts"]


def tsk(key: str, **kwargs: Any) -> Task:
    """Build the task registered under ``key`` in ``mlr_tasks``."""
    return mlr_tasks.get(key, **kwargs)


def tsks(keys: Iterable[str], **kwargs: Any) -> list[Task]:
    """Build one task per key."""
    return mlr_tasks.mget(keys, **kwargs)


def lrn(key: str, **kwargs: Any) -> Learner:
    """Build the learner registered under ``key`` in ``mlr_learners``.

    Examples
    --------
    >>> learner = lrn("classif.rpart", max_depth=3, predict_type="prob")
    """
    return mlr_learners.get(key, **kwargs)


def lrns(keys: Iterable[str], **kwargs: Any) -> list[Learner]:
    """Build one learner per key, each with the same keyword arguments."""
    return mlr_learners.mget(keys, **kwargs)


def rsmp(key: str, **kwargs: Any) -> Resampling:
    """Build the resampling registered under ``key`` in ``mlr_resamplings``."""
    return mlr_resamplings.get(key, **kwargs)


def rsmps(keys: Iterable[str], **kwargs: Any) -> list[Resampling]:
    """Build one resampling per key."""
    return mlr_resamplings.mget(keys, **kwargs)


def msr(key: str, **kwargs: Any) -> Measure:
    """Build the measure registered under ``key`` in ``mlr_measures``."""
    return mlr_measures.get(key, **kwargs)


def msrs(keys: Iterable[str], **kwargs: Any) -> list[Measure]:
    """Build one measure per key."""
    return mlr_measures.mget(keys, **kwargs)
