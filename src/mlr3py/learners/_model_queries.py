"""What a learner that wraps another asks the wrapped learner's model.

An AutoTuner (mlr3tuning) and a GraphLearner (mlr3pipelines) take the properties
``importance``, ``selected_features`` and ``oob_error`` from the learner they wrap
and pass the queries on: :class:`ModelQueries` answers ``importance()``,
``selected_features()`` and ``oob_error()`` from the trained learner that
:meth:`ModelQueries._queried_learner` names, and refuses by name a query whose
property the wrapper does not have.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import pandas as pd

from mlr3py.errors import ConfigError

__all__ = ["ModelQueries"]


class ModelQueries(ABC):
    """``importance()``, ``selected_features()`` and ``oob_error()`` passed on to a wrapped,
    trained learner (a mixin of learners)."""

    id: str
    properties: set[str]

    @abstractmethod
    def _queried_learner(self, query: str) -> Any:
        """The trained learner that answers ``query`` (e.g. ``"importance"``).

        Raises
        ------
        NotTrainedError
            If the wrapper has not been trained.
        """

    def _missing_property(self, prop: str) -> ConfigError:
        """The error for a query whose property ``prop`` this learner does not have."""
        return ConfigError(
            f"Learner '{self.id}' cannot compute {prop}: the learner it wraps lacks the "
            f"property '{prop}'."
        )

    def _check_property(self, prop: str) -> None:
        if prop not in self.properties:
            raise self._missing_property(prop)

    def importance(self) -> pd.Series:
        """The wrapped learner's feature importance (property ``"importance"``)."""
        self._check_property("importance")
        result: pd.Series = self._queried_learner("importance").importance()
        return result

    def selected_features(self) -> list[str]:
        """The features the wrapped learner's model uses (property ``"selected_features"``)."""
        self._check_property("selected_features")
        result: list[str] = self._queried_learner("selected_features").selected_features()
        return result

    def oob_error(self) -> float:
        """The wrapped learner's out-of-bag error (property ``"oob_error"``)."""
        self._check_property("oob_error")
        return float(self._queried_learner("oob_error").oob_error())
