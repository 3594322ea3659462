"""Local dask clusters and designs for the dask tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pandas as pd

from mlr3py.sugar import lrn, rsmp, tsk


@contextlib.contextmanager
def local_dask_client(n_workers: int = 2) -> Iterator[Any]:
    """A client of a real ``LocalCluster`` of single-threaded worker processes on localhost.

    The dask config in effect when it starts applies (e.g. ``allowed-failures``).
    """
    import distributed

    with distributed.LocalCluster(n_workers=n_workers, processes=True, threads_per_worker=1,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        yield client


def crashing_and_healthy_design(
    folds: int, sleep: float = 0.0, crash_resampling: Any = None
) -> pd.DataFrame:
    """Two experiments on iris: a learner that segfaults in every training, and a healthy one.

    Parameters
    ----------
    folds : int
        Folds of the healthy learner's cv (and of the crashing one's, unless
        ``crash_resampling`` is given).
    sleep : float
        Seconds the healthy learner sleeps in each training.
    crash_resampling : Resampling, optional
        The crashing learner's resampling.
    """
    task = tsk("iris")
    return pd.DataFrame({
        "task": [task] * 2,
        "learner": [lrn("classif.debug", segfault_train=1),
                    lrn("classif.debug", sleep_train=sleep)],
        "resampling": [crash_resampling or rsmp("cv", folds=folds), rsmp("cv", folds=folds)],
    })
