"""Timing measures: seconds a learner spent training and/or predicting."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.measures.base import Measure

__all__ = ["MeasureElapsedTime"]

_STAGES = ("train", "predict")


def _stage_time(learner: Any, stage: str) -> float | None:
    timings = getattr(learner, "timings", None)
    if isinstance(timings, dict) and stage in timings:
        return timings[stage]
    state = getattr(learner, "state", None)
    return getattr(state, f"{stage}_time", None)


class MeasureElapsedTime(Measure):
    """Elapsed time of the given stages, read from the learner (``requires_learner``).

    The learner must report ``timings`` (``{"train": s, "predict": s}``) or a
    ``state`` with ``train_time`` / ``predict_time``. A stage that did not run
    gives NaN.

    Parameters
    ----------
    id : str
        ``"time_train"``, ``"time_predict"`` or ``"time_both"``.
    stages : sequence of str
        Stages to sum, among ``"train"`` and ``"predict"``.
    """

    def __init__(self, id: str = "time_both", stages: Sequence[str] = _STAGES) -> None:  # noqa: A002
        bad = [s for s in stages if s not in _STAGES]
        if not stages or bad:
            raise ConfigError(
                f"The stages of Measure '{id}' must be some of {list(_STAGES)}. "
                f"Got {list(stages)} instead."
            )
        self.stages = tuple(stages)
        super().__init__(
            id,
            task_type=None,
            predict_type=None,
            minimize=True,
            range=(0.0, math.inf),
            properties={"requires_learner"},
            label=f"Elapsed Time ({' + '.join(self.stages)})",
            averages=("macro",),
        )

    def _score(
        self, prediction: Any, task: Any = None, learner: Any = None, train_set: Any = None
    ) -> float:
        total = 0.0
        for stage in self.stages:
            value = _stage_time(learner, stage)
            if value is None:
                return math.nan
            total += float(value)
        return total


#: key -> constructor, for ``mlr_measures``.
TIMING_MEASURES: dict[str, Any] = {
    "time_train": lambda: MeasureElapsedTime("time_train", ("train",)),
    "time_predict": lambda: MeasureElapsedTime("time_predict", ("predict",)),
    "time_both": lambda: MeasureElapsedTime("time_both", ("train", "predict")),
}
