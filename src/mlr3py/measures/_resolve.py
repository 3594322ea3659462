"""The one resolver of measure arguments: :func:`resolve_measures` and the prediction scorer.

Every place that accepts "measures" (``Prediction.score``, ``ResampleResult.score`` /
``aggregate``, ``BenchmarkResult``, the torch learners' ``measures_train`` /
``measures_valid``) turns the argument into measure objects here: a measure, a key of
``mlr_measures``, a list of those, or None for the task type's default measure
(:data:`mlr3py.reflections.DEFAULT_MEASURES`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from mlr3py.errors import ConfigError, InputError
from mlr3py.measures._dictionary import mlr_measures
from mlr3py.measures.base import Measure
from mlr3py.predictions import Prediction
from mlr3py.reflections import DEFAULT_MEASURES

__all__ = [
    "MeasuresArg",
    "as_measures",
    "check_measure_task_type",
    "resolve_measures",
    "score_prediction",
]

MeasuresArg = Measure | str | Iterable[Measure | str] | None

_WHAT_TO_PASS = "a Measure (e.g. msr('classif.ce')), a measure key, or a list of those"


def _as_measure(x: Any, what: str) -> Measure:
    if isinstance(x, Measure):
        return x
    if isinstance(x, str):
        return mlr_measures.get(x)
    raise ConfigError(
        f"{what} must hold Measure objects (e.g. msr('classif.ce')) or measure keys. "
        f"Got {x!r} instead."
    )


def as_measures(measures: Any, what: str = "Measures") -> list[Measure]:
    """Measure objects from a measure, a key, or an iterable of those (None: none).

    Parameters
    ----------
    measures : Measure, str, iterable of those, or None
        The argument as the user gave it.
    what : str
        The argument, for messages, e.g. ``"The 'measures_train' parameter of ..."``.

    Raises
    ------
    InputError
        If ``measures`` is neither a measure, a key, nor an iterable.
    ConfigError
        If an element is neither a measure nor a key (UnknownKeyError for an unknown key).
    """
    if measures is None:
        return []
    if isinstance(measures, Measure | str):
        measures = [measures]
    elif not isinstance(measures, Iterable) or isinstance(measures, bytes | pd.DataFrame):
        raise InputError(
            f"{what} must be {_WHAT_TO_PASS}. Got {measures!r:.80} "
            f"({type(measures).__name__}) instead."
        )
    result = [_as_measure(m, what) for m in measures]
    _check_unique_ids(result, what)
    return result


def _check_unique_ids(measures: list[Measure], what: str) -> None:
    """Raise a ConfigError when two measures share an id (mlr3's "unique IDs").

    Scores are keyed by measure id, so a second measure with the same id would
    silently overwrite the first one's column.
    """
    seen: set[str] = set()
    duplicated: list[str] = []
    for measure in measures:
        if measure.id in seen and measure.id not in duplicated:
            duplicated.append(measure.id)
        seen.add(measure.id)
    if duplicated:
        names = ", ".join(f"'{d}'" for d in duplicated)
        example = duplicated[0]
        where = "" if what == "Measures" else f" ({what})"
        raise ConfigError(
            f"Measures need to have unique ids{where}, but several measures have the id "
            f"{names}; their scores would overwrite each other. "
            f"Give each another id, e.g. msr('{example}', ..., id='{example}.2') "
            f"or measure.id = '{example}.2'."
        )


def resolve_measures(
    measures: MeasuresArg, task_type: str, where: str, *, check_task_type: bool = True
) -> list[Measure]:
    """Turn the ``measures`` argument into a list of measures for one task type.

    Parameters
    ----------
    measures : Measure, str, iterable of those, or None
        None gives the default measure of ``task_type``.
    task_type : str
        The task type the measures must fit ("classif" or "regr").
    where : str
        The object scored, for messages, e.g. "Task 'sonar'".
    check_task_type : bool
        Raise when a measure is of another task type (else the measure itself refuses
        to score).

    Returns
    -------
    list of Measure
    """
    if measures is None:
        key = DEFAULT_MEASURES.get(task_type)
        if key is None:
            raise ConfigError(
                f"There is no default measure for task type '{task_type}' of {where}. "
                "Pass measures explicitly."
            )
        return [mlr_measures.get(key)]
    result = as_measures(measures)
    if check_task_type:
        for measure in result:
            check_measure_task_type(measure, task_type, where)
    return result


def check_measure_task_type(measure: Measure, task_type: str, where: str) -> None:
    """Raise a ConfigError when ``measure`` cannot score a ``task_type`` task."""
    measure_type = getattr(measure, "task_type", None)
    if measure_type is not None and measure_type != task_type:
        raise ConfigError(
            f"Measure '{measure.id}' has task type '{measure_type}' but {where} has task "
            f"type '{task_type}'. Use a '{task_type}' measure such as "
            f"msr('{DEFAULT_MEASURES.get(task_type, task_type)}')."
        )


def score_prediction(
    prediction: Prediction,
    measures: MeasuresArg = None,
    task: Any = None,
    learner: Any = None,
    train_set: Any = None,
) -> pd.Series:
    """Score ``prediction`` with measures (what :meth:`Prediction.score` does).

    Returns
    -------
    pandas.Series
        One float per measure, indexed by measure id.
    """
    objs = resolve_measures(
        measures, prediction.task_type, type(prediction).__name__, check_task_type=False
    )
    values = [m.score(prediction, task=task, learner=learner, train_set=train_set) for m in objs]
    return pd.Series(values, index=[m.id for m in objs], dtype=float)
