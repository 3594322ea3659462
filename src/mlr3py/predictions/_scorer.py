"""The hook through which :meth:`Prediction.score` reaches the measures.

Predictions sit below measures, so they cannot import them. Instead this module holds
one scorer (a registry of one): :mod:`mlr3py.measures` registers its resolver-based
scorer here when it is imported, and the package root registers a loader that imports
:mod:`mlr3py.measures` on the first score, so that scoring works even where the user
never imported the measures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from mlr3py.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

    from mlr3py.predictions.base import Prediction

__all__ = ["Scorer", "get_scorer", "register_scorer", "register_scorer_loader"]


class Scorer(Protocol):
    """Scores a prediction with measures (a measure, a key, a list of those, or None)."""

    def __call__(
        self, prediction: Prediction, measures: Any, task: Any, learner: Any, train_set: Any
    ) -> pd.Series: ...


_scorer: Scorer | None = None
_loader: Callable[[], object] | None = None


def register_scorer(scorer: Scorer) -> None:
    """Make ``scorer`` the one that :meth:`Prediction.score` uses (replaces the previous)."""
    global _scorer
    _scorer = scorer


def register_scorer_loader(loader: Callable[[], object]) -> None:
    """Set the function called when a score is asked for and no scorer is registered yet.

    The loader is expected to register a scorer, e.g. by importing the module that does.
    """
    global _loader
    _loader = loader


def get_scorer() -> Scorer:
    """The registered scorer (calling the loader first when none is registered)."""
    if _scorer is None and _loader is not None:
        _loader()
    if _scorer is None:
        raise ConfigError(
            "No measures are available to score a prediction. Import mlr3py.measures "
            "(or mlr3py) before calling Prediction.score()."
        )
    return _scorer
