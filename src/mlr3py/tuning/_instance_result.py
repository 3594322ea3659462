"""The result of a tuning instance: the best configuration(s) and the views of them.

:class:`InstanceResult` is the base of :class:`~mlr3py.tuning.TuningInstance` that
assigns the result (a tuner's last step, through the callbacks'
``on_tuning_result_begin`` / ``on_result_end``) and reads it back: the configuration in
search-space and in learner values, its scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.tuning._callbacks import result_stage
from mlr3py.tuning._internal_tuning import (
    INTERNAL_COLUMN,
    archived_internal_values,
    with_internal_values,
)

if TYPE_CHECKING:
    from mlr3py.learners import Learner
    from mlr3py.measures import Measure
    from mlr3py.params import ParamSet
    from mlr3py.tuning._archive import ArchiveTuning
    from mlr3py.tuning._callbacks import CallbackBatchTuning, ContextBatchTuning

__all__ = ["InstanceResult"]


class InstanceResult:
    """Assigning and reading the result of a tuning instance (a base of
    :class:`~mlr3py.tuning.TuningInstance`, which sets the attributes below)."""

    learner: Learner
    measures: list[Measure]
    search_space: ParamSet
    internal_search_space: ParamSet | None
    archive: ArchiveTuning
    callbacks: list[CallbackBatchTuning]
    result: pd.DataFrame | None

    if TYPE_CHECKING:  # defined by TuningInstance; declared here for the type checker
        def _as_points(self, xs: pd.DataFrame | Sequence[Mapping[str, Any]]
                       ) -> list[dict[str, Any]]: ...

        def configure_learner(self, x_domain: Mapping[str, Any]) -> Learner: ...

        def run_callbacks(self, stage: str, **fields: Any) -> ContextBatchTuning: ...

    def assign_result(self, xs: pd.DataFrame | Sequence[Mapping[str, Any]],
                      ys: pd.DataFrame | Sequence[Mapping[str, Any]]) -> pd.DataFrame:
        """Set :attr:`result` from configurations (search-space values) and their scores.

        Parameters
        ----------
        xs : pandas.DataFrame or list of dict
            One configuration per row (several: a Pareto front).
        ys : pandas.DataFrame or list of dict
            Their scores, one entry per measure id.

        Returns
        -------
        pandas.DataFrame
            The result.
        """
        extra: pd.DataFrame | None = None
        if self.callbacks:
            xs, ys, extra = result_stage(self.callbacks, self, xs, ys)
        points = self._as_points(xs)
        scores: list[dict[str, Any]] = (
            [{str(k): v for k, v in y.items()} for y in ys.to_dict("records")]
            if isinstance(ys, pd.DataFrame) else [dict(y) for y in ys]
        )
        if len(scores) != len(points):
            raise ConfigError(f"assign_result() got {len(points)} configurations but "
                              f"{len(scores)} score rows; give one per configuration.")
        rows = []
        for point, score in zip(points, scores, strict=True):
            missing = [m.id for m in self.measures if m.id not in score]
            if missing:
                raise ConfigError(f"assign_result() needs a score for each measure; "
                                  f"{missing} are missing.")
            x_domain = self.search_space.transform(point)
            row: dict[str, Any] = {key: point.get(key, np.nan) for key in self.archive.cols_x}
            row["learner_param_vals"] = self.configure_learner(x_domain).param_set.get_values()
            if self.internal_search_space is not None:
                internal = archived_internal_values(self.archive.data, x_domain, score,
                                                    self.archive.cols_y)
                row["learner_param_vals"] = with_internal_values(
                    row["learner_param_vals"], internal, self.learner)
                row[INTERNAL_COLUMN] = internal
            row["x_domain"] = x_domain
            row.update({m.id: float(score[m.id]) for m in self.measures})
            rows.append(row)
        result = pd.DataFrame(rows)
        if extra is not None:
            for column in extra.columns:
                result[column] = extra[column].to_numpy()
        self.result = result
        edited = self.run_callbacks("on_result_end", result=result).result
        if isinstance(edited, pd.DataFrame):
            self.result = result = edited
        return result

    def _first_result(self) -> pd.Series:
        if self.result is None or self.result.empty:
            raise ConfigError("The instance has no result yet. Run tuner.optimize(instance) "
                              "or tune(...) first.")
        return self.result.iloc[0]

    @property
    def result_x_search_space(self) -> dict[str, Any]:
        """The best configuration (first of the front), in search-space values."""
        row = self._first_result()
        return {k: row[k] for k in self.archive.cols_x
                if not (isinstance(row[k], float) and np.isnan(row[k]))}

    @property
    def result_x_domain(self) -> dict[str, Any]:
        """The best configuration's transformed values (first of the front)."""
        return dict(self._first_result()["x_domain"])

    @property
    def result_learner_param_vals(self) -> dict[str, Any]:
        """The learner's full parameter values with the best configuration applied."""
        return dict(self._first_result()["learner_param_vals"])

    @property
    def result_y(self) -> pd.Series:
        """The best configuration's scores, one per measure."""
        return self._first_result()[self.archive.cols_y].astype(float)
