"""The state of a trained learner: :class:`LearnerState`, with its log of `LogEntry` records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlr3py.encapsulation import LogEntry

__all__ = ["LearnerState", "LogEntry"]


@dataclass
class LearnerState:
    """What a learner keeps after :meth:`Learner.train`.

    Attributes
    ----------
    model : object
        The fitted model (whatever ``_train`` returned); ``None`` once dropped.
    train_time : float
        Seconds spent in ``_train``.
    predict_time : float or None
        Seconds spent in the last ``_predict``; ``None`` before the first prediction.
    log : list of LogEntry
        Conditions recorded while training and predicting (filled by encapsulation).
    param_vals : dict
        The parameter values the model was trained with.
    feature_names : list of str
        The training task's features, in the order the model expects them.
    feature_types : dict
        Feature name -> type (``"numeric"``, ``"integer"``, ``"factor"``, ...).
    levels : dict
        Factor / ordered feature name -> its levels in the training task.
    class_names : list of str or None
        The training task's classes (classification), positive class first.
    task_type : str
        ``"classif"`` or ``"regr"``.
    train_task_id : str
        The id of the training task.
    target_name : str or None
        The training task's target column.
    n_train : int
        The number of rows trained on.
    fallback_state : LearnerState or None
        The state of the fallback learner trained alongside (see ``Learner.fallback``).
    internal_valid_scores : dict or None
        Validation measure -> final score, for a learner with property
        ``"validation"`` trained with ``validate`` set; ``None`` otherwise.
    internal_tuned_values : dict or None
        Parameter -> value chosen while training (e.g. the boosting rounds or
        epochs early stopping kept), for a learner with property
        ``"internal_tuning"``; ``None`` otherwise.
    oob_error : float or None
        The out-of-bag error, for a learner with property ``"oob_error"``
        trained to record it; ``None`` otherwise.

    The last three are read from the model when training finishes, so they
    outlive the model (``resample()`` without ``store_models=True`` drops it).
    """

    model: Any
    train_time: float
    predict_time: float | None = None
    log: list[LogEntry] = field(default_factory=list)
    param_vals: dict[str, Any] = field(default_factory=dict)
    feature_names: list[str] = field(default_factory=list)
    feature_types: dict[str, str] = field(default_factory=dict)
    levels: dict[str, list[Any]] = field(default_factory=dict)
    class_names: list[str] | None = None
    task_type: str = ""
    train_task_id: str = ""
    target_name: str | None = None
    n_train: int = 0
    fallback_state: LearnerState | None = None
    internal_valid_scores: dict[str, float] | None = None
    internal_tuned_values: dict[str, Any] | None = None
    oob_error: float | None = None
