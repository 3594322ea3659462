"""Strata: the rows of each combination of stratum values (mlr3's ``task$strata``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["strata_frame"]


def strata_frame(row_ids: np.ndarray, values: pd.DataFrame) -> pd.DataFrame:
    """Group ``row_ids`` by the combinations of the columns of ``values``.

    Parameters
    ----------
    row_ids : numpy.ndarray
        Row ids (int64), one per row of ``values``, in task order.
    values : pandas.DataFrame
        The stratum columns of these rows.

    Returns
    -------
    pandas.DataFrame
        One row per combination, in order of first appearance (missing values
        form their own stratum): ``N`` (its size) and ``row_ids`` (an int64 array
        in task order). The index holds the combinations (a MultiIndex for
        several columns).
    """
    cols = list(values.columns)
    frame = values.reset_index(drop=True)
    codes = frame.groupby(cols, sort=False, dropna=False, observed=True).ngroup().to_numpy()
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    counts = np.bincount(codes, minlength=n_groups)
    order = np.argsort(codes, kind="stable")
    parts = np.split(np.asarray(row_ids, dtype=np.int64)[order], np.cumsum(counts)[:-1])
    ids = np.empty(n_groups, dtype=object)
    for i in range(n_groups):
        ids[i] = parts[i]
    combos = frame.iloc[np.unique(codes, return_index=True)[1]]
    if len(cols) == 1:
        index: pd.Index = pd.Index(combos[cols[0]], name=cols[0])
    else:
        index = pd.MultiIndex.from_frame(combos)
    return pd.DataFrame({"N": counts.astype(np.int64), "row_ids": ids}, index=index)
