"""What a trained learner reports: its model, timings and log (mlr3's active bindings).

:class:`LearnerResults` gives :class:`~mlr3py.learners.Learner` the read-only views
of its :class:`~mlr3py.learners._state.LearnerState`: ``model``, ``timings``, and
the conditions recorded while training and predicting as ``log``, ``warnings``
and ``errors``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mlr3py.learners._state import LearnerState

__all__ = ["LearnerResults"]


class LearnerResults:
    """The model, timings and log of a learner's last training and prediction.

    Attributes
    ----------
    state : LearnerState or None
        Set by ``train()``; ``None`` while untrained.
    """

    state: LearnerState | None

    @property
    def model(self) -> Any:
        """The fitted model, or ``None`` while untrained."""
        return None if self.state is None else self.state.model

    @property
    def timings(self) -> dict[str, float]:
        """Seconds spent in the last training and prediction (NaN where not run)."""
        if self.state is None:
            return {"train": float("nan"), "predict": float("nan")}
        predict = self.state.predict_time
        return {
            "train": float(self.state.train_time),
            "predict": float("nan") if predict is None else float(predict),
        }

    @property
    def log(self) -> pd.DataFrame:
        """Conditions recorded while training and predicting.

        Columns stage (``"train"`` / ``"predict"``), class (``"output"``, ``"message"``,
        ``"warning"``, ``"error"``), msg and condition (e.g. the exception's type name).
        """
        entries = [] if self.state is None else self.state.log
        return pd.DataFrame(
            {
                "stage": [e.stage for e in entries],
                "class": [e.cls for e in entries],
                "msg": [e.msg for e in entries],
                "condition": [getattr(e, "condition", "") for e in entries],
            }
        )

    @property
    def warnings(self) -> pd.DataFrame:
        """The rows of :attr:`log` whose class is ``"warning"``."""
        log = self.log
        return log[log["class"] == "warning"].reset_index(drop=True)

    @property
    def errors(self) -> pd.DataFrame:
        """The rows of :attr:`log` whose class is ``"error"``."""
        log = self.log
        return log[log["class"] == "error"].reset_index(drop=True)
