"""The inner tuning of nested resampling, as tables (mlr3tuning's ``extract_inner_*``).

After ``resample(task, at, outer, store_models=True)`` (or a benchmark holding
AutoTuners) every outer iteration holds a trained :class:`AutoTuner` with its tuning
instance. :func:`extract_inner_tuning_results` gives one row per outer iteration (the
best configuration and its inner score); :func:`extract_inner_tuning_archives`
stacks the inner archives.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.evaluation import BenchmarkResult, ResampleResult
from mlr3py.tuning._auto_tuner import AutoTuner

__all__ = ["extract_inner_tuning_archives", "extract_inner_tuning_results"]

_ID_COLUMNS = ["task_id", "learner_id", "resampling_id"]


def _tuned_learners(rr: ResampleResult) -> list[tuple[int, AutoTuner]] | None:
    """(outer iteration, trained AutoTuner) pairs; None when ``rr`` is not about an AutoTuner.

    Raises a ConfigError when the models were not stored.
    """
    if not isinstance(rr.learner, AutoTuner):
        return None
    if not rr.store_models:
        raise ConfigError(
            f"The ResampleResult of Learner '{rr.learner.id}' did not store its models, so "
            "the inner tuning is lost. Run resample() or benchmark() with store_models=True."
        )
    pairs = []
    for iteration, learner in zip(rr.iterations, rr.learners, strict=True):
        if isinstance(learner, AutoTuner) and learner.model is not None:
            pairs.append((iteration, learner))
    return pairs


def _stack(
    x: ResampleResult | BenchmarkResult, one: Any, what: str
) -> pd.DataFrame:
    if isinstance(x, ResampleResult):
        return _for_rr(x, one)
    if isinstance(x, BenchmarkResult):
        tables = []
        for nr, rr in enumerate(x.resample_results):
            table = _for_rr(rr, one)
            if not table.empty:
                table.insert(0, "experiment", nr)
                tables.append(table)
        if not tables:
            return pd.DataFrame()
        return pd.concat(tables, ignore_index=True)
    raise ConfigError(
        f"{what}() takes a ResampleResult or a BenchmarkResult (of resample() or benchmark() "
        f"with an AutoTuner and store_models=True). Got {type(x).__name__} instead."
    )


def _for_rr(rr: ResampleResult, one: Any) -> pd.DataFrame:
    pairs = _tuned_learners(rr)
    if not pairs:
        return pd.DataFrame()
    tables = []
    for iteration, at in pairs:
        if at.model.tuning_instance is None:
            return pd.DataFrame()  # built with store_tuning_instance=False
        table = one(at).copy()
        table.insert(0, "iteration", iteration)
        tables.append(table.reset_index(drop=True))
    out = pd.concat(tables, ignore_index=True)
    for column in _ID_COLUMNS:
        out[column] = {"task_id": rr.task.id, "learner_id": rr.learner.id,
                       "resampling_id": rr.resampling.id}[column]
    return out


def extract_inner_tuning_results(
    x: ResampleResult | BenchmarkResult, tuning_instance: bool = False
) -> pd.DataFrame:
    """One row per outer iteration: the configuration the inner tuning chose.

    Parameters
    ----------
    x : ResampleResult or BenchmarkResult
        Of ``resample()`` / ``benchmark()`` with an AutoTuner and ``store_models=True``.
    tuning_instance : bool
        Add a ``tuning_instance`` column holding each iteration's instance.

    Returns
    -------
    pandas.DataFrame
        Columns ``experiment`` (benchmark results only), ``iteration`` (the outer
        iteration), the search-space columns, the measure's inner score,
        ``learner_param_vals``, ``x_domain``, ``task_id``, ``learner_id`` and
        ``resampling_id``. Empty when no AutoTuner kept its tuning instance.

    Raises
    ------
    ConfigError
        If the models were not stored, or ``x`` is not a result.

    Examples
    --------
    >>> rr = resample(tsk("penguins"), at, rsmp("cv", folds=3), store_models=True, seed=1)
    >>> extract_inner_tuning_results(rr)
    """

    def one(at: AutoTuner) -> pd.DataFrame:
        result = at.tuning_result
        assert isinstance(result, pd.DataFrame)
        table = result.copy()
        if tuning_instance:
            table["tuning_instance"] = [at.tuning_instance] * len(table)
        return table

    return _stack(x, one, "extract_inner_tuning_results")


def extract_inner_tuning_archives(
    x: ResampleResult | BenchmarkResult,
    exclude_columns: Iterable[str] = ("resample_result",),
) -> pd.DataFrame:
    """All inner archives stacked, each row with its outer iteration.

    Parameters
    ----------
    x : ResampleResult or BenchmarkResult
        Of ``resample()`` / ``benchmark()`` with an AutoTuner and ``store_models=True``.
    exclude_columns : iterable of str
        Archive columns to leave out (default: the inner ``resample_result``).

    Returns
    -------
    pandas.DataFrame
        Columns ``experiment`` (benchmark results only), ``iteration`` (the outer
        iteration), then the archive's columns (search space, measures, ``x_domain``,
        ``runtime_learners``, ``timestamp``, ``batch_nr``, ``warnings``, ``errors``),
        and ``task_id``, ``learner_id``, ``resampling_id``.

    Raises
    ------
    ConfigError
        If the models were not stored, or ``x`` is not a result.
    """
    excluded = [exclude_columns] if isinstance(exclude_columns, str) else list(exclude_columns)

    def one(at: AutoTuner) -> pd.DataFrame:
        data = at.archive.data
        return data.drop(columns=[c for c in excluded if c in data.columns])

    return _stack(x, one, "extract_inner_tuning_archives")
