"""Tuning callbacks: :class:`CallbackBatchTuning`, :func:`callback_batch_tuning`, the
registry ``mlr_callbacks`` and the sugar :func:`clbk` / :func:`clbks` (mlr3tuning's).

A callback customises a tuning run at fixed *stages*. Each stage is called as
``stage(callback, context)`` with a :class:`ContextBatchTuning`; its return value is
ignored. The stages, in the order one run calls them:

==============================  ===================================================================
stage                           when; what the context holds besides ``instance``
==============================  ===================================================================
``on_optimization_begin``       :meth:`Tuner.optimize` starts (after its checks)
``on_optimizer_before_eval``    a batch was proposed; ``xs`` (search-space values)
``on_eval_after_design``        its learners are configured; ``batch`` (edit them in place)
``on_eval_after_benchmark``     it was evaluated; ``batch``, ``benchmark_result``
``on_eval_before_archive``      before its archive rows are written; ``aggregated_performance``
                                (one row per configuration: columns added here become archive
                                columns)
``on_optimizer_after_eval``     its rows are in the archive; ``batch``
``on_tuning_result_begin``      before the result is assigned; ``result_xs``, ``result_ys``
                                (replace them to choose another result), ``result_extra``
``on_result_end``               the result is assigned; ``result`` (``instance.result``)
``on_optimization_end``         :meth:`Tuner.optimize` ends
==============================  ===================================================================

mlr3tuning's resampling-iteration stages (``on_resample_*``) run inside the workers and
are not offered. A batch's own stages come in this order; when a tuner streams its
batches (:meth:`TuningInstance.eval_batches`) the next batch may be proposed and
configured (``on_optimizer_before_eval``, ``on_eval_after_design``) while the one
before it is still running, that is before that one's ``on_eval_after_benchmark``.

Callbacks travel with an :class:`~mlr3py.tuning.AutoTuner` to worker processes, so
those built from functions need module-level (picklable) functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from mlr3py.errors import ConfigError, UnknownKeyError
from mlr3py.params import ParamSet, ps
from mlr3py.registry import Dictionary, did_you_mean

if TYPE_CHECKING:
    from mlr3py.evaluation import BenchmarkResult
    from mlr3py.tuning._batch import Batch

__all__ = [
    "STAGES",
    "CallbackBatchTuning",
    "ContextBatchTuning",
    "archive_stages",
    "callback_batch_tuning",
    "check_callbacks",
    "clbk",
    "clbks",
    "mlr_callbacks",
    "result_stage",
    "run_stage",
]

#: The stages of a tuning callback, in the order a run calls them.
STAGES = (
    "on_optimization_begin",
    "on_optimizer_before_eval",
    "on_eval_after_design",
    "on_eval_after_benchmark",
    "on_eval_before_archive",
    "on_optimizer_after_eval",
    "on_tuning_result_begin",
    "on_result_end",
    "on_optimization_end",
)

Stage = Callable[["CallbackBatchTuning", "ContextBatchTuning"], Any]


@dataclass
class ContextBatchTuning:
    """What a stage sees and may change (mlr3tuning's ``ContextBatchTuning``).

    Attributes
    ----------
    instance : TuningInstance
        The tuning instance (its archive, measures, learner, ``store_models``, ...).
    xs : pandas.DataFrame or list of dict or None
        The proposed batch, in search-space values (``on_optimizer_before_eval``).
    batch : Batch or None
        The batch being evaluated: number, configurations, configured learners.
    benchmark_result : BenchmarkResult or None
        The batch's benchmark result (from ``on_eval_after_benchmark``).
    aggregated_performance : pandas.DataFrame or None
        One row per configuration of the batch with its scores
        (``on_eval_before_archive``); further columns become archive columns.
    result_xs, result_ys : pandas.DataFrame or None
        The configuration(s) about to become the result and their scores
        (``on_tuning_result_begin``); replace them to choose another result.
    result_extra : pandas.DataFrame or None
        Further result columns, one row per result row (``on_tuning_result_begin``).
    result : pandas.DataFrame or None
        The assigned result (``on_result_end``; edits change ``instance.result``).
    """

    instance: Any
    xs: Any = None
    batch: Batch | None = None
    benchmark_result: BenchmarkResult | None = None
    aggregated_performance: pd.DataFrame | None = None
    result_xs: pd.DataFrame | None = None
    result_ys: pd.DataFrame | None = None
    result_extra: pd.DataFrame | None = None
    result: pd.DataFrame | None = None


class CallbackBatchTuning:
    """A tuning callback (mlr3tuning's ``CallbackBatchTuning``).

    Give stages as functions ``f(callback, context)`` (see
    :func:`callback_batch_tuning`) or subclass and override the ``on_*`` methods
    (``def on_eval_before_archive(self, context): ...``).

    Parameters
    ----------
    id : str
        Identifier, e.g. ``"mlr3tuning.backup"``.
    label : str
    param_set : ParamSet, optional
        The callback's settings (``clbk(key, path=...)`` sets them).
    **stages : callable
        Stage functions by stage name (one of :data:`STAGES`).

    Raises
    ------
    UnknownKeyError
        For a stage name not in :data:`STAGES` (with a suggestion).
    ConfigError
        For a stage that is not callable.
    """

    def __init__(self, id: str, label: str = "",  # noqa: A002 - mlr3's name
                 param_set: ParamSet | None = None, **stages: Stage) -> None:
        if not isinstance(id, str) or not id:
            raise ConfigError(f"The 'id' of a tuning callback must be a non-empty str. "
                              f"Got {id!r} instead.")
        self.id = id
        self.label = label
        self.param_set = param_set if param_set is not None else ps()
        self.param_set.context = f"Callback '{id}'"
        for name, function in stages.items():
            if name not in STAGES:
                raise UnknownKeyError(f"Callback '{id}' got the unknown stage '{name}'."
                                      + did_you_mean(name, STAGES)
                                      + f" The stages are {list(STAGES)}.")
            if not callable(function):
                raise ConfigError(f"The stage '{name}' of Callback '{id}' must be a function "
                                  f"f(callback, context). Got {function!r} instead.")
        self.stage_functions: dict[str, Stage] = dict(stages)

    @property
    def active_stages(self) -> list[str]:
        """The stages this callback acts in (given functions and overridden methods)."""
        return [s for s in STAGES if s in self.stage_functions
                or getattr(type(self), s) is not getattr(CallbackBatchTuning, s)]

    def call(self, stage: str, context: ContextBatchTuning) -> None:
        """Run ``stage`` (a given function, else the method) with ``context``."""
        function = self.stage_functions.get(stage)
        if function is not None:
            function(self, context)
        else:
            getattr(self, stage)(context)

    # ---- stages: no-ops ------------------------------------------------------------------
    def on_optimization_begin(self, context: ContextBatchTuning) -> None:
        """Tuning starts."""

    def on_optimizer_before_eval(self, context: ContextBatchTuning) -> None:
        """A batch was proposed (``context.xs``)."""

    def on_eval_after_design(self, context: ContextBatchTuning) -> None:
        """The batch's learners are configured (``context.batch``)."""

    def on_eval_after_benchmark(self, context: ContextBatchTuning) -> None:
        """The batch was evaluated (``context.benchmark_result``)."""

    def on_eval_before_archive(self, context: ContextBatchTuning) -> None:
        """The batch's rows are about to be archived (``context.aggregated_performance``)."""

    def on_optimizer_after_eval(self, context: ContextBatchTuning) -> None:
        """The batch's rows are in the archive."""

    def on_tuning_result_begin(self, context: ContextBatchTuning) -> None:
        """The result is about to be assigned (``context.result_xs`` / ``result_ys``)."""

    def on_result_end(self, context: ContextBatchTuning) -> None:
        """The result is assigned (``context.result``)."""

    def on_optimization_end(self, context: ContextBatchTuning) -> None:
        """Tuning ends."""

    def _dict_row(self) -> dict[str, Any]:
        return {"label": self.label, "stages": self.active_stages}

    def __repr__(self) -> str:
        shown = ", ".join(self.active_stages) or "-"
        return f"<{type(self).__name__}:{self.id}> {self.label}\n* Active stages: {shown}"


def callback_batch_tuning(id: str, label: str = "",  # noqa: A002 - mlr3's name
                          **stages: Stage) -> CallbackBatchTuning:
    """Build a :class:`CallbackBatchTuning` from stage functions (mlr3tuning's
    ``callback_batch_tuning()``).

    Parameters
    ----------
    id : str
    label : str
    **stages : callable
        ``on_optimization_begin=f, ...``: each ``f(callback, context)``.

    Examples
    --------
    >>> from mlr3py.tuning import callback_batch_tuning
    >>> def count(callback, context):
    ...     callback.n = getattr(callback, "n", 0) + 1
    >>> cb = callback_batch_tuning("count_batches", on_optimizer_after_eval=count)
    >>> cb.active_stages
    ['on_optimizer_after_eval']
    """
    return CallbackBatchTuning(id, label, None, **stages)


def check_callbacks(callbacks: Any) -> list[CallbackBatchTuning]:
    """``callbacks=`` as a list: None, one callback, or a sequence of them.

    Raises
    ------
    ConfigError
        For anything else, e.g. a key (use ``clbk(key)``).
    """
    if callbacks is None:
        return []
    items = [callbacks] if isinstance(callbacks, CallbackBatchTuning) else callbacks
    if isinstance(items, str) or not isinstance(items, Sequence):
        items = [items]
    for item in items:
        if not isinstance(item, CallbackBatchTuning):
            raise ConfigError(
                "The 'callbacks' argument takes tuning callbacks, e.g. "
                "clbk('mlr3tuning.measures', measures=['classif.acc']) or "
                f"callback_batch_tuning(...). Got {item!r:.80} instead.")
    return list(items)


def run_stage(callbacks: Sequence[CallbackBatchTuning], stage: str,
              context: ContextBatchTuning) -> None:
    """Call ``stage`` of every callback that acts in it, in order."""
    for callback in callbacks:
        if stage in callback.stage_functions or getattr(type(callback), stage) is not \
                getattr(CallbackBatchTuning, stage):
            callback.call(stage, context)


def archive_stages(callbacks: Sequence[CallbackBatchTuning], instance: Any, batch: Batch,
                   bmr: BenchmarkResult, rows: list[dict[str, Any]]) -> None:
    """``on_eval_after_benchmark`` and ``on_eval_before_archive`` of a batch whose archive
    rows are ``rows``: the columns callbacks add to ``aggregated_performance`` are set on
    the rows and become archive columns (:attr:`ArchiveTuning.cols_extra`)."""
    context = ContextBatchTuning(instance, batch=batch, benchmark_result=bmr)
    run_stage(callbacks, "on_eval_after_benchmark", context)
    cols_y = instance.archive.cols_y
    context.aggregated_performance = pd.DataFrame([{y: row[y] for y in cols_y}
                                                   for row in rows], columns=cols_y)
    for callback in callbacks:  # each checked, to name the one that broke it
        run_stage([callback], "on_eval_before_archive", context)
        frame = context.aggregated_performance
        if not isinstance(frame, pd.DataFrame) or len(frame) != len(rows):
            raise ConfigError(
                f"The on_eval_before_archive stage of Callback '{callback.id}' left "
                f"aggregated_performance without one row per configuration ({len(rows)}): "
                f"add columns to it in place, keep its rows.")
    frame = context.aggregated_performance
    assert frame is not None
    added = [str(c) for c in frame.columns if c not in cols_y]
    extra = instance.archive.cols_extra
    extra.extend(c for c in added if c not in extra)
    for row, values in zip(rows, frame[added].to_dict("records"), strict=True):
        row.update(values)


def result_stage(callbacks: Sequence[CallbackBatchTuning], instance: Any, xs: Any, ys: Any
                 ) -> tuple[Any, Any, pd.DataFrame | None]:
    """``on_tuning_result_begin``: the result's configurations, scores and extra columns,
    as the callbacks leave them."""
    context = ContextBatchTuning(instance, result_xs=pd.DataFrame(xs),
                                 result_ys=pd.DataFrame(ys))
    for callback in callbacks:  # each checked, to name the one that broke it
        run_stage([callback], "on_tuning_result_begin", context)
        fields = {"result_xs": context.result_xs, "result_ys": context.result_ys}
        if context.result_extra is not None:
            fields["result_extra"] = context.result_extra
        n_rows = len(xs) if not isinstance(context.result_xs, pd.DataFrame) \
            else len(context.result_xs)
        for name, value in fields.items():
            if not isinstance(value, pd.DataFrame) or len(value) != n_rows:
                raise ConfigError(
                    f"The on_tuning_result_begin stage of Callback '{callback.id}' set "
                    f"{name} to {value!r:.80}; it must be a DataFrame with one row per "
                    f"result configuration, as result_xs (e.g. archive.data.iloc[[i]]).")
    return context.result_xs, context.result_ys, context.result_extra


mlr_callbacks: Dictionary[CallbackBatchTuning] = Dictionary("mlr_callbacks", "Callback")


def clbk(key: str, **params: Any) -> CallbackBatchTuning:
    """Build the callback registered under ``key`` in ``mlr_callbacks``, its settings
    set from ``params`` (mlr3misc's ``clbk()``).

    Examples
    --------
    >>> from mlr3py.tuning import clbk
    >>> cb = clbk("mlr3tuning.measures", measures=["classif.acc"])
    """
    return mlr_callbacks.get(key, **params)


def clbks(keys: Iterable[str]) -> list[CallbackBatchTuning]:
    """Build one callback per key (default settings)."""
    return mlr_callbacks.mget(keys)
