"""Strata: the rows of each combination of stratum values (mlr3's ``task$strata``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlr3py.data.backend import RowCodes

__all__ = ["strata_frame"]


def strata_frame(row_ids: np.ndarray, rows: RowCodes) -> pd.DataFrame:
    """Group ``row_ids`` by their combinations of the stratum columns.

    Parameters
    ----------
    row_ids : numpy.ndarray
        Row ids (int64), in task order.
    rows : RowCodes
        The combinations of stratum values (in order of first appearance) and the
        combination of each row of ``row_ids``
        (:meth:`~mlr3py.data.DataBackend.row_codes`).

    Returns
    -------
    pandas.DataFrame
        One row per combination, in order of first appearance (missing values
        form their own stratum): ``N`` (its size) and ``row_ids`` (an int64 array
        in task order). The index holds the combinations (a MultiIndex for
        several columns).
    """
    combos, codes = rows.combos, rows.codes
    cols = list(combos.columns)
    n_groups = len(combos)
    counts = np.bincount(codes, minlength=n_groups)
    order = np.argsort(codes, kind="stable")
    parts = np.split(np.asarray(row_ids, dtype=np.int64)[order], np.cumsum(counts)[:-1])
    ids = np.empty(n_groups, dtype=object)
    for i in range(n_groups):
        ids[i] = parts[i]
    if len(cols) == 1:
        index: pd.Index = pd.Index(combos[cols[0]], name=cols[0])
    else:
        index = pd.MultiIndex.from_frame(combos)
    return pd.DataFrame({"N": counts.astype(np.int64), "row_ids": ids}, index=index)
