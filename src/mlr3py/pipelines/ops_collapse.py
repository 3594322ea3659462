"""``po("collapsefactors")``: merge rare factor levels (mlr3pipelines'
``PipeOpCollapseFactors``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlr3py.params import p_dbl, p_int, ps
from mlr3py.pipelines._preproc import PipeOpTaskPreproc
from mlr3py.tasks import Task

__all__ = ["PipeOpCollapseFactors"]


def _collapse_map(values: pd.Series, keep_fraction: float, target: int) -> dict[str, str] | None:
    """Old level -> new level for one factor, or ``None`` when nothing is merged."""
    dtype = values.dtype
    assert isinstance(dtype, pd.CategoricalDtype)
    levels = [str(x) for x in dtype.categories]
    if values.isna().all() or len(levels) <= target:
        return None
    counts = values.astype(object).map(str).value_counts().reindex(levels, fill_value=0)
    order = np.argsort(-counts.to_numpy(), kind="stable")  # most frequent first, ties by level
    by_count = [levels[i] for i in order]
    fractions = counts.to_numpy()[order] / values.notna().sum()
    keep = list(dict.fromkeys([lv for lv, f in zip(by_count, fractions, strict=True)
                               if f >= keep_fraction] + by_count[:target]))
    drop = [lv for lv in levels if lv not in keep]
    if not drop:
        return None
    if not dtype.ordered:
        lowest = keep[-1]
        return {lv: (lowest if lv in drop else lv) for lv in levels}
    # ordered: each dropped level joins its rarer neighbour (the later one on ties)
    groups: list[list[str]] = [[lv] for lv in levels]
    sizes = [int(counts[lv]) for lv in levels]
    for level in drop:
        pos = next(i for i, g in enumerate(groups) if g[0] == level)
        if pos == 0:
            groups[1] += groups[0]
        elif pos == len(groups) - 1 or sizes[pos - 1] < sizes[pos + 1]:
            groups[pos - 1] += groups[pos]
        else:
            groups[pos + 1] += groups[pos]
        del groups[pos], sizes[pos]
    return {member: group[0] for group in groups for member in group}


class PipeOpCollapseFactors(PipeOpTaskPreproc):
    """Collapse the rarest levels of factor features (``po("collapsefactors")``).

    Per factor, the ``target_level_count`` (default 2) most frequent levels of the
    training rows are kept, and so is every level whose share is at least
    ``no_collapse_above_prevalence`` (default 1: none); the others are merged into
    the rarest kept level (unordered factors), or each into its rarer neighbouring
    level (ordered factors). The merged level keeps the kept level's name. Levels
    that training never saw pass through unchanged.
    """

    def __init__(self, id: str = "collapsefactors") -> None:  # noqa: A002
        params = ps(no_collapse_above_prevalence=p_dbl(0, 1, init=1.0, tags="train"),
                    target_level_count=p_int(2, init=2, tags="train"))
        super().__init__(id, params, feature_types=("factor", "ordered"),
                         label="Collapse Factors")

    def _fit(self, frame: pd.DataFrame, task: Task) -> dict[str, dict[str, str]]:
        values = self.param_set.values
        keep_fraction = float(values.get("no_collapse_above_prevalence", 1.0))
        target = int(values.get("target_level_count", 2))
        maps = {str(c): _collapse_map(frame[c], keep_fraction, target) for c in frame.columns}
        return {c: m for c, m in maps.items() if m is not None}

    def _transform(self, frame: pd.DataFrame, fitted: dict[str, dict[str, str]]) -> pd.DataFrame:
        out = frame.copy()
        for col, mapping in fitted.items():
            dtype = frame[col].dtype
            assert isinstance(dtype, pd.CategoricalDtype)
            current = [str(x) for x in dtype.categories]
            targets = list(dict.fromkeys(mapping[lv] for lv in current if lv in mapping))
            unseen = [lv for lv in current if lv not in mapping]
            absent = [v for v in dict.fromkeys(mapping.values()) if v not in targets]
            new = frame[col].astype(object).map(
                lambda v, m=mapping: m.get(str(v), str(v)) if pd.notna(v) else v)
            out[col] = pd.Categorical(new, categories=targets + unseen + absent,
                                      ordered=dtype.ordered)
        return out
