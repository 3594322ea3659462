"""The built-in tuning callbacks of ``mlr_callbacks`` (mlr3tuning's):

- ``clbk("mlr3tuning.measures", measures=[...])``: scores every configuration on further
  measures; one archive column per measure (the tuner does not see them).
- ``clbk("mlr3tuning.backup", path=...)``: pickles the archive (scores and resample
  results; ``archive.benchmark_result`` rebuilds the benchmark result) after each batch.
- ``clbk("mlr3tuning.one_se_rule")``: the result is the configuration with the fewest
  selected features among those within one standard error of the best score.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.measures import Measure, resolve_measures
from mlr3py.params import p_uty, ps
from mlr3py.tuning._callbacks import CallbackBatchTuning, ContextBatchTuning, mlr_callbacks

__all__ = ["CallbackBackup", "CallbackMeasures", "CallbackOneSERule", "one_se_choice"]


def _measures_check(value: Any) -> bool | str:
    ok = isinstance(value, Measure | str) or (
        isinstance(value, list | tuple) and value
        and all(isinstance(m, Measure | str) for m in value))
    return True if ok else "a measure, a measure key or a non-empty list of those"


def _path_check(value: Any) -> bool | str:
    return True if isinstance(value, str | os.PathLike) and str(value) else "a file path"


class CallbackMeasures(CallbackBatchTuning):
    """``mlr3tuning.measures``: score each configuration on further measures.

    Parameters (settings)
    ---------------------
    measures : Measure, str or list of those
        Their ids must differ from the instance's measures'.
    """

    def __init__(self) -> None:
        super().__init__("mlr3tuning.measures", "Additional Measures Callback",
                         param_set=ps(measures=p_uty(_measures_check, tags="required")))
        self._measures: list[Measure] = []

    def on_optimization_begin(self, context: ContextBatchTuning) -> None:
        """Resolve the measures; their ids become archive columns."""
        instance = context.instance
        given = self.param_set.get_values(check_required=True)["measures"]
        self._measures = resolve_measures(
            given, instance.task.task_type,
            f"Task '{instance.task.id}' (tuned with Callback '{self.id}')")
        ids = [m.id for m in self._measures]
        taken = [i for i in ids if i in {m.id for m in instance.measures}]
        if len(set(ids)) != len(ids) or taken:
            raise ConfigError(f"Callback '{self.id}' needs measures with distinct ids that the "
                              f"instance does not tune on; got {ids} (tuned: "
                              f"{[m.id for m in instance.measures]}). Give them other ids.")
        archive = instance.archive
        archive.cols_extra.extend(i for i in ids if i not in archive.cols_extra)

    def on_eval_before_archive(self, context: ContextBatchTuning) -> None:
        """One column per measure: each configuration's aggregated score."""
        assert context.benchmark_result is not None and context.aggregated_performance is not None
        scores = [rr.aggregate_values(self._measures)
                  for rr in context.benchmark_result.resample_results]
        for measure in self._measures:
            context.aggregated_performance[measure.id] = [float(s[measure.id]) for s in scores]


class CallbackBackup(CallbackBatchTuning):
    """``mlr3tuning.backup``: pickle the archive to ``path`` after each batch.

    The file is replaced atomically, so it always holds a complete archive (read it
    with ``pickle.load``; ``archive.benchmark_result`` gives the benchmark result). An
    AutoTuner resampled in parallel backs each outer iteration's archive up to the same
    path: the file holds the one written last.

    Parameters (settings)
    ---------------------
    path : str or os.PathLike
    """

    def __init__(self) -> None:
        super().__init__("mlr3tuning.backup", "Backup Archive Callback",
                         param_set=ps(path=p_uty(_path_check, tags="required")))

    def _path(self) -> Path:
        return Path(self.param_set.get_values(check_required=True)["path"])

    def on_optimization_begin(self, context: ContextBatchTuning) -> None:
        """Check that the path can be written."""
        folder = self._path().parent
        if not folder.is_dir():
            raise ConfigError(f"Callback '{self.id}' cannot write to '{self._path()}': the "
                              f"folder '{folder}' does not exist. Create it first.")

    def on_optimizer_after_eval(self, context: ContextBatchTuning) -> None:
        """Write the archive."""
        path = self._path()
        # a file of its own per writer: AutoTuners resampled in parallel back up to the
        # same path at once (the last write wins, each file complete)
        handle, part = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(context.instance.archive, stream)
            os.replace(part, path)
        except BaseException:
            Path(part).unlink(missing_ok=True)
            raise


def one_se_choice(scores: np.ndarray, n_features: np.ndarray, best: float) -> int:
    """The row the one standard error rule picks.

    With the standard error ``se = std(scores, ddof=1) / sqrt(n)`` of all ``n`` scores:
    among the rows whose score lies strictly within ``(best - se, best + se)``, the
    first with the fewest features; when ``se`` is 0 or undefined (one row), the first
    row with the fewest features (mlr3tuning's rule).

    Returns
    -------
    int
        A positional index.
    """
    scores = np.asarray(scores, dtype=float)
    n_features = np.asarray(n_features, dtype=float)
    se = float(np.std(scores, ddof=1) / np.sqrt(len(scores))) if len(scores) > 1 else 0.0
    if se == 0 or not np.isfinite(se):
        return int(np.argmin(n_features))
    near = np.flatnonzero((scores > best - se) & (scores < best + se))
    return int(near[np.argmin(n_features[near])])


def _drop_models(rr: Any) -> None:
    """Forget the trained models of a resample result (kept only for counting features)."""
    rr.store_models = False
    for result in rr.job_results:
        result.learner = None
        if result.state is not None:
            result.state = dataclasses.replace(result.state, model=None)


class CallbackOneSERule(CallbackBatchTuning):
    """``mlr3tuning.one_se_rule``: the simplest configuration within one standard error.

    Each configuration's ``n_features`` (the mean number of selected features over the
    resampling iterations, measure ``selected_features``) is archived; the result is the
    row :func:`one_se_choice` picks, with its ``n_features``. Needs a single measure and a
    learner with property ``selected_features``. The models are kept while scoring and
    dropped afterwards unless the instance stores models.
    """

    def __init__(self) -> None:
        super().__init__("mlr3tuning.one_se_rule", "One Standard Error Rule Callback")
        self._store_models = False

    def on_optimization_begin(self, context: ContextBatchTuning) -> None:
        """Check the learner and measure; keep the models while tuning."""
        instance = context.instance
        if "selected_features" not in instance.learner.properties:
            raise ConfigError(f"Callback '{self.id}' needs a learner with property "
                              f"'selected_features'; Learner '{instance.learner.id}' lacks it.")
        if instance.is_multi_crit:
            raise ConfigError(f"Callback '{self.id}' works with one measure; the instance has "
                              f"{[m.id for m in instance.measures]}.")
        self._store_models = instance.store_models
        instance.store_models = True
        if "n_features" not in instance.archive.cols_extra:
            instance.archive.cols_extra.append("n_features")

    def on_eval_before_archive(self, context: ContextBatchTuning) -> None:
        """Archive ``n_features``; drop the models unless stored."""
        assert context.benchmark_result is not None and context.aggregated_performance is not None
        results = context.benchmark_result.resample_results
        context.aggregated_performance["n_features"] = [
            float(rr.aggregate_values(["selected_features"])["selected_features"])
            for rr in results]
        if not self._store_models:
            for rr in results:
                _drop_models(rr)

    def on_tuning_result_begin(self, context: ContextBatchTuning) -> None:
        """Replace the result by the rule's choice."""
        instance = context.instance
        archive = instance.archive
        data = archive.data
        y = archive.cols_y[0]
        assert context.result_ys is not None
        best = float(context.result_ys[y].iloc[0])
        row = data.iloc[[one_se_choice(data[y].to_numpy(), data["n_features"].to_numpy(),
                                       best)]].reset_index(drop=True)
        context.result_xs = row[archive.cols_x]
        context.result_ys = row[archive.cols_y]
        context.result_extra = pd.DataFrame({"n_features": row["n_features"]})
        instance.store_models = self._store_models


mlr_callbacks.add("mlr3tuning.measures", CallbackMeasures)
mlr_callbacks.add("mlr3tuning.backup", CallbackBackup)
mlr_callbacks.add("mlr3tuning.one_se_rule", CallbackOneSERule)
