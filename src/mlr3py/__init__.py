"""mlr3py: machine learning in Python the mlr3 way.

Tasks with column roles, learners behind one interface, resampling and
benchmark experiments, measures, registries and sugar (``tsk``, ``lrn``,
``rsmp``, ``msr``) as in the R package mlr3.

Public names are loaded on first use, so ``import mlr3py`` stays cheap and an
optional area (torch, databases) is imported only when it is asked for.
"""

from __future__ import annotations

import importlib
from typing import Any

from mlr3py._store_hook import register_store_loader
from mlr3py.options import options
from mlr3py.predictions._scorer import register_scorer_loader

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # registries and sugar
    "tsk": "mlr3py.sugar",
    "tsks": "mlr3py.sugar",
    "lrn": "mlr3py.sugar",
    "lrns": "mlr3py.sugar",
    "rsmp": "mlr3py.sugar",
    "rsmps": "mlr3py.sugar",
    "msr": "mlr3py.sugar",
    "msrs": "mlr3py.sugar",
    "Dictionary": "mlr3py.registry",
    "mlr_tasks": "mlr3py.tasks",
    "mlr_learners": "mlr3py.learners",
    "mlr_resamplings": "mlr3py.resamplings",
    "mlr_measures": "mlr3py.measures",
    # parameter sets
    "ps": "mlr3py.params",
    "p_int": "mlr3py.params",
    "p_dbl": "mlr3py.params",
    "p_fct": "mlr3py.params",
    "p_lgl": "mlr3py.params",
    "p_uty": "mlr3py.params",
    "ParamSet": "mlr3py.params",
    "to_tune": "mlr3py.params",
    "generate_design_grid": "mlr3py.params",
    "generate_design_random": "mlr3py.params",
    "generate_design_lhs": "mlr3py.params",
    "generate_design_sobol": "mlr3py.params",
    # data and tasks
    "DataBackend": "mlr3py.data",
    "DataBackendPandas": "mlr3py.data",
    "as_data_backend": "mlr3py.data",
    "register_data_backend": "mlr3py.data",
    "DataBackendIbis": "mlr3py.data",
    "as_duckdb_backend": "mlr3py.data",
    "as_sqlite_backend": "mlr3py.data",
    "as_parquet_backend": "mlr3py.data",
    "Task": "mlr3py.tasks",
    "TaskClassif": "mlr3py.tasks",
    "TaskRegr": "mlr3py.tasks",
    "as_task_classif": "mlr3py.tasks",
    "as_task_regr": "mlr3py.tasks",
    # learners and predictions
    "Learner": "mlr3py.learners",
    "LearnerClassif": "mlr3py.learners",
    "LearnerRegr": "mlr3py.learners",
    "as_learner": "mlr3py.pipelines",
    "PredictionClassif": "mlr3py.predictions",
    "PredictionRegr": "mlr3py.predictions",
    # measures and resamplings
    "Measure": "mlr3py.measures",
    "MeasureClassif": "mlr3py.measures",
    "MeasureRegr": "mlr3py.measures",
    "Resampling": "mlr3py.resamplings",
    "partition": "mlr3py.resamplings",
    "Partition": "mlr3py.resamplings",
    # experiments
    "resample": "mlr3py.evaluation",
    "benchmark": "mlr3py.evaluation",
    "benchmark_grid": "mlr3py.evaluation",
    "ResampleResult": "mlr3py.evaluation",
    "BenchmarkResult": "mlr3py.evaluation",
    "as_benchmark_result": "mlr3py.evaluation",
    # logging
    "set_threshold": "mlr3py.log",
    "add_json_handler": "mlr3py.log",
    # parallel execution
    "plan": "mlr3py.execution",
    "tweak": "mlr3py.execution",
    "set_threads": "mlr3py.execution",
    "available_cores": "mlr3py.execution",
    # tuning
    "tune": "mlr3py.sugar",
    "ti": "mlr3py.sugar",
    "tnr": "mlr3py.sugar",
    "tnrs": "mlr3py.sugar",
    "trm": "mlr3py.sugar",
    "mlr_tuners": "mlr3py.tuning",
    "mlr_terminators": "mlr3py.tuning",
    "lts": "mlr3py.tuning",
    "mlr_tuning_spaces": "mlr3py.tuning",
    "TuningSpace": "mlr3py.tuning",
    "TuningInstance": "mlr3py.tuning",
    "ArchiveTuning": "mlr3py.tuning",
    "Tuner": "mlr3py.tuning",
    "Terminator": "mlr3py.tuning",
    "auto_tuner": "mlr3py.tuning",
    "AutoTuner": "mlr3py.tuning",
    "extract_inner_tuning_results": "mlr3py.tuning",
    "extract_inner_tuning_archives": "mlr3py.tuning",
    "tune_nested": "mlr3py.tuning",
    "clbk": "mlr3py.tuning",
    "clbks": "mlr3py.tuning",
    "mlr_callbacks": "mlr3py.tuning",
    "callback_batch_tuning": "mlr3py.tuning",
    "CallbackBatchTuning": "mlr3py.tuning",
    # pipelines
    "po": "mlr3py.pipelines",
    "pos": "mlr3py.pipelines",
    "ppl": "mlr3py.pipelines",
    "gunion": "mlr3py.pipelines",
    "Graph": "mlr3py.pipelines",
    "GraphLearner": "mlr3py.pipelines",
    "PipeOp": "mlr3py.pipelines",
    "mlr_pipeops": "mlr3py.pipelines",
    "selector_type": "mlr3py.pipelines",
    "selector_grep": "mlr3py.pipelines",
    "set_validate": "mlr3py.pipelines",
    # torch networks as graphs (optional: needs torch)
    "nn": "mlr3py.torch",
    "as_learner_torch": "mlr3py.torch",
    # result store
    "open_store": "mlr3py.store",
    "resume": "mlr3py.store",
    # filters
    "flt": "mlr3py.sugar",
    "flts": "mlr3py.sugar",
    "mlr_filters": "mlr3py.filters",
    "Filter": "mlr3py.filters",
    "select_features": "mlr3py.filters",
}

__all__ = ["__version__", "options", *sorted(_EXPORTS)]


def _load_measures() -> None:
    """Import the measures, which register the scorer of ``Prediction.score()``.

    Called on the first score only, so that ``import mlr3py`` does not load
    scikit-learn and the measures.
    """
    import mlr3py.measures  # noqa: F401


register_scorer_loader(_load_measures)


def _load_store() -> None:
    """Import the result store, which registers the opener of ``store=`` paths.

    Called when a path is first passed as ``store=``, so that ``import mlr3py`` stays
    cheap.
    """
    import mlr3py.store  # noqa: F401


register_store_loader(_load_store)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mlr3py' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
