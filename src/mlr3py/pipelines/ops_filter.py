"""Feature filtering in a pipeline: ``po("filter", flt("anova"), filter_frac=0.5)``.

The filter scores the affected features on the training rows; the best are kept
(``filter_nfeat``, ``filter_frac`` or ``filter_cutoff``, exactly one) and the same
features are kept at prediction time. A ``filter_nfeat`` above the number of scored
features keeps them all (mlr3pipelines' ``head(scores, nfeat)``). Features the filter
cannot score, and features outside ``affect_columns``, are kept. The filter's own
parameters are the operator's parameters too (unprefixed, as in mlr3pipelines).
"""

from __future__ import annotations

from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.filters import Filter, flt, select_features
from mlr3py.params import ParamSetCollection, p_dbl, p_int, p_uty, ps
from mlr3py.pipelines._preproc import PipeOpTaskPreproc, _check_selector
from mlr3py.tasks import Task

__all__ = ["PipeOpFilter", "as_filter_op"]


class PipeOpFilter(PipeOpTaskPreproc):
    """Keep the features a :class:`~mlr3py.filters.Filter` scores best.

    Parameters
    ----------
    filter : Filter
        The filter (cloned); ``flt("variance")`` when omitted.
    id : str, optional
        Defaults to the filter's id.

    Attributes
    ----------
    state : dict
        ``scores`` (the training scores) and ``features`` (the features kept).
    """

    def __init__(self, filter: Filter | None = None, id: str | None = None) -> None:  # noqa: A002
        if filter is None:  # a placeholder, so that the registry can list the operator
            filter = flt("variance")  # noqa: A001
        if not isinstance(filter, Filter):
            raise ConfigError(f"PipeOp 'filter' needs a Filter (flt('anova')). "
                              f"Got {type(filter).__name__} instead.")
        self.filter: Filter = filter.clone()
        own = ps(filter_nfeat=p_int(0, tags="train", special_vals=[None]),
                 filter_frac=p_dbl(0, 1, tags="train", special_vals=[None]),
                 filter_cutoff=p_dbl(tags="train", special_vals=[None]),
                 affect_columns=p_uty(_check_selector, tags="train"))
        params = ParamSetCollection([self.filter.param_set, own], context="PipeOp 'filter'")
        super().__init__(id if id is not None else self.filter.id, params,
                         packages=list(getattr(self.filter, "packages", ())),
                         label="Feature Filtering")

    def _criterion(self) -> dict[str, Any]:
        v = self.param_set.values
        given = {k: v[f"filter_{k}"] for k in ("nfeat", "frac", "cutoff")
                 if v.get(f"filter_{k}") is not None}
        if len(given) != 1:
            raise ConfigError(
                f"PipeOp '{self.id}' needs exactly one of filter_nfeat, filter_frac and "
                f"filter_cutoff. Got {sorted('filter_' + k for k in given) or 'none'}."
            )
        if given.get("frac") == 0:
            raise ConfigError(
                f"The 'filter_frac' parameter of PipeOp '{self.id}' must be in (0, 1]: a "
                "fraction of the features to keep. Got 0 instead; set filter_nfeat for a number "
                "of features."
            )
        return given

    def _train_task(self, task: Task) -> Task:
        criterion = self._criterion()
        affected = self.affected(task)
        scored = self.filter.supported_features(task)
        cols = [c for c in affected if c in set(scored)]
        sub = task if cols == task.feature_names else task.clone().select(cols)
        nfeat = criterion.get("nfeat")
        if nfeat is not None:  # as mlr3pipelines' head(scores, nfeat): at most all of them
            nfeat = min(nfeat, len(cols))
        scores = self.filter.clone().calculate(sub, nfeat=nfeat).scores
        assert scores is not None  # calculate() sets them
        if nfeat is not None:
            criterion["nfeat"] = min(nfeat, len(scores))
        chosen = set(select_features(scores, **criterion))
        dropped = set(cols) - chosen
        keep = [f for f in task.feature_names if f not in dropped]
        self.state = {"scores": scores, "features": keep}
        return task.select(keep)

    def _predict_task(self, task: Task) -> Task:
        return task.select(self.state["features"])


def as_filter_op(obj: Any) -> PipeOpFilter | None:
    """``PipeOpFilter(obj)`` if ``obj`` is a Filter, else ``None``."""
    return PipeOpFilter(obj) if isinstance(obj, Filter) else None
