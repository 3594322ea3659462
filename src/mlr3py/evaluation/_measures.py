"""Measure resolution shared by ResampleResult and BenchmarkResult."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.measures import Measure, mlr_measures

__all__ = ["DEFAULT_MEASURES", "check_measure_task_type", "resolve_measures"]

DEFAULT_MEASURES: dict[str, str] = {"classif": "classif.ce", "regr": "regr.mse"}
"""The default measure key per task type (mlr3's ``default_measures()``)."""

MeasuresArg = Measure | str | Iterable[Measure | str] | None


def _as_measure(x: Any) -> Measure:
    if isinstance(x, Measure):
        return x
    if isinstance(x, str):
        return mlr_measures.get(x)
    raise ConfigError(
        f"Measures must be Measure objects (e.g. msr('classif.ce')) or measure keys. "
        f"Got {x!r} instead."
    )


def resolve_measures(measures: MeasuresArg, task_type: str, where: str) -> list[Measure]:
    """Turn the ``measures`` argument into a list of measures for one task type.

    Parameters
    ----------
    measures : Measure, str, iterable of those, or None
        None gives the default measure of ``task_type``.
    task_type : str
        The task type the measures must fit ("classif" or "regr").
    where : str
        The object scored, for messages, e.g. "Task 'sonar'".

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
    if isinstance(measures, Measure | str):
        measures = [measures]
    result = [_as_measure(m) for m in measures]
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
