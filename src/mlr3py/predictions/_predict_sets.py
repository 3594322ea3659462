"""Predict sets: which rows of a resampling iteration a learner predicts, a measure scores.

mlr3's ``Learner$predict_sets`` and ``Measure$predict_sets``: ``"test"`` (the
default of both) is the iteration's test set, ``"train"`` its training set. A
learner with ``predict_sets=["train", "test"]`` makes ``resample()`` predict
both; a measure with ``predict_sets="train"`` then scores the training error.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlr3py.errors import ConfigError

__all__ = ["DEFAULT_PREDICT_SETS", "PREDICT_SETS", "check_predict_sets"]

#: The known predict sets.
PREDICT_SETS = ("train", "test")

#: The predict sets of learners and measures unless set otherwise.
DEFAULT_PREDICT_SETS = ("test",)


def check_predict_sets(value: object, what: str) -> tuple[str, ...]:
    """``value`` (a set name or a sequence of them) as a tuple, validated.

    Parameters
    ----------
    value : str or sequence of str
        A non-empty subset of :data:`PREDICT_SETS`, without duplicates.
    what : str
        The owner, for the message, e.g. ``"Learner 'classif.rpart'"``.

    Raises
    ------
    ConfigError
        If ``value`` is empty, repeats a set or names an unknown one.
    """
    items: tuple[object, ...] = ()
    if isinstance(value, str):
        items = (value,)
    elif isinstance(value, Iterable):
        items = tuple(value)
    if (not items or len(set(items)) != len(items)
            or any(not isinstance(s, str) or s not in PREDICT_SETS for s in items)):
        raise ConfigError(
            f"The predict_sets of {what} must be a non-empty subset of "
            f"{list(PREDICT_SETS)}, e.g. ['train', 'test']. Got {value!r} instead."
        )
    return tuple(str(s) for s in items)
