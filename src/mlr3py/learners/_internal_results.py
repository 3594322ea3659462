"""What training finds out besides the model: internal validation scores, internally
tuned values and the out-of-bag error (mlr3's ``.extract_internal_valid_scores()``,
``.extract_internal_tuned_values()`` and ``.extract_oob_error()``).

When :meth:`~mlr3py.learners.Learner.train` succeeds it asks the learner's
extractors, one per property (``"validation"``, ``"internal_tuning"``,
``"oob_error"``), and keeps the answers in its
:class:`~mlr3py.learners._state.LearnerState`. So they outlive the model, which
``resample()`` and ``benchmark()`` drop unless ``store_models=True``, and the
measures ``internal_valid_score`` and ``oob_error`` score every iteration.
"""

from __future__ import annotations

from typing import Any

from mlr3py.learners._state import LearnerState

__all__ = ["InternalResults", "record_internal_results"]


class InternalResults:
    """The extractors a learner overrides, and the views of what they recorded.

    Attributes
    ----------
    state : LearnerState or None
        Set by ``train()``; ``None`` while untrained.
    properties : set of str
        The learner's properties; an extractor runs only with its property.
    """

    state: LearnerState | None
    properties: set[str]

    #: The parameter training tunes itself (property ``"internal_tuning"``), e.g. the
    #: boosting rounds early stopping keeps; the one ``to_tune(internal=True)`` may mark.
    internal_tuning_param: str | None = None

    def internal_tuning_problem(self) -> str | None:
        """Why the current values do not let training tune :attr:`internal_tuning_param`
        (e.g. no validation set, no early stopping), as an instruction; None when they do."""
        return None

    def internal_tuning_off(self) -> dict[str, Any]:
        """The values that switch internal tuning off for a final model (mlr3's
        ``disable_in_tune``); a None value means: unset the parameter."""
        return {}

    @property
    def internal_valid_scores(self) -> dict[str, float] | None:
        """Validation measure -> final score of the last training (property
        ``"validation"``, with ``validate`` set); ``None`` otherwise."""
        state = self.state
        scores = None if state is None else state.internal_valid_scores
        return None if scores is None else dict(scores)

    @property
    def internal_tuned_values(self) -> dict[str, Any] | None:
        """Parameter -> value training chose itself, e.g. the rounds or epochs early
        stopping kept (property ``"internal_tuning"``); ``None`` otherwise."""
        state = self.state
        values = None if state is None else state.internal_tuned_values
        return None if values is None else dict(values)

    def _extract_internal_valid_scores(self) -> dict[str, float] | None:
        """The validation scores of the model just trained (None: no validation)."""
        return None

    def _extract_internal_tuned_values(self) -> dict[str, Any] | None:
        """The internally tuned values of the model just trained (None: none)."""
        return None

    def _extract_oob_error(self) -> float | None:
        """The out-of-bag error of the model just trained (None: not recorded)."""
        return None


#: Learner property -> (LearnerState field, extractor method).
_EXTRACTORS: tuple[tuple[str, str, str], ...] = (
    ("validation", "internal_valid_scores", "_extract_internal_valid_scores"),
    ("internal_tuning", "internal_tuned_values", "_extract_internal_tuned_values"),
    ("oob_error", "oob_error", "_extract_oob_error"),
)


def record_internal_results(learner: InternalResults, state: LearnerState) -> None:
    """Fill ``state``'s internal results from ``learner``'s extractors (its model is
    ``state.model``; nothing is recorded when training left no model)."""
    if state.model is None:
        return
    for prop, field_name, method in _EXTRACTORS:
        if prop in learner.properties:
            setattr(state, field_name, getattr(learner, method)())
