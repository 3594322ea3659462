"""Public conformance suite for learners, measures and resamplings.

Modelled on mlr3's ``run_autotest()`` and scikit-learn's
``check_estimator()``: third-party components can prove that they keep the
contracts mlr3py relies on.

- :func:`check_data_backend` checks a data backend (in memory, database, Parquet).
- :func:`check_learner`, :func:`check_measure`, :func:`check_resampling` run
  every check and raise :class:`ConformanceError` (an ``AssertionError``)
  naming the object, the check and the task that failed.
- :func:`learner_checks`, :func:`measure_checks`, :func:`resampling_checks`
  yield ``(name, callable)`` pairs for ``pytest.mark.parametrize``.
- :func:`check_job_store` checks a result store (``store=`` of resample / benchmark /
  tune); :func:`job_store_checks` yields its checks.
- :func:`check_filter` runs the filter checks on a task the filter supports
  (:func:`filter_checks` yields them).
- :func:`check_tuning_callback` checks a tuning callback (``mlr_callbacks``);
  :func:`tuning_callback_checks` yields its checks.
- :func:`generate_tasks` builds small tasks matching a learner's declared
  properties and feature types; the individual ``check_*`` functions can be
  called on their own.

Examples
--------
>>> import pytest
>>> from mlr3py import lrn
>>> from mlr3py.testing import check_learner, learner_checks
>>> check_learner(lrn("classif.rpart"))
>>> @pytest.mark.parametrize("name, check", learner_checks(lrn("regr.rpart")))
... def test_regr_rpart(name, check):
...     check()
"""

from mlr3py.testing._backend import check_data_backend, data_backend_checks
from mlr3py.testing._base import Check, ConformanceError
from mlr3py.testing._compat import check_learner_incompatible
from mlr3py.testing._filter import (
    check_filter,
    check_filter_deterministic,
    check_filter_feature_types,
    check_filter_metadata,
    check_filter_nfeat,
    check_filter_param_set,
    check_filter_pickle,
    check_filter_scores,
    check_filter_task_type,
    check_filter_threads,
    filter_checks,
)
from mlr3py.testing._learner import (
    check_learner,
    check_learner_clone,
    check_learner_metadata,
    check_learner_not_trained,
    check_learner_param_set,
    check_learner_predict_newdata,
    check_learner_prediction,
    check_learner_print,
    check_learner_replicable,
    check_learner_reset,
    check_learner_sanity,
    check_learner_state,
    learner_checks,
)
from mlr3py.testing._measure import (
    Scenario,
    check_measure,
    check_measure_mean_loss,
    check_measure_metadata,
    check_measure_missing_predict_type,
    check_measure_requirements,
    check_measure_scores,
    check_measure_task_type,
    generate_scenarios,
    measure_checks,
)
from mlr3py.testing._pipeop import check_pipeop, pipeop_checks
from mlr3py.testing._plot import check_plot
from mlr3py.testing._prediction import check_prediction
from mlr3py.testing._resampling import (
    check_resampling,
    check_resampling_grouped,
    check_resampling_instantiate,
    check_resampling_metadata,
    check_resampling_reproducible,
    check_resampling_stratified,
    resampling_checks,
    resampling_tasks,
)
from mlr3py.testing._store import check_job_store, job_store_checks
from mlr3py.testing._tasks import FEATURE_TYPES, generate_data, generate_tasks
from mlr3py.testing._tuning import (
    check_terminator,
    check_tuner,
    check_tuner_metadata,
    check_tuner_multi_crit,
    check_tuner_optimize,
    check_tuner_replicable,
    terminator_checks,
    tuner_checks,
    tuner_search_space,
)
from mlr3py.testing._tuning_callback import (
    check_tuning_callback,
    check_tuning_callback_metadata,
    check_tuning_callback_pickle,
    check_tuning_callback_tune,
    tuning_callback_checks,
)

__all__ = [
    "FEATURE_TYPES",
    "Check",
    "ConformanceError",
    "Scenario",
    "check_data_backend",
    "check_filter",
    "check_filter_deterministic",
    "check_filter_feature_types",
    "check_filter_metadata",
    "check_filter_nfeat",
    "check_filter_param_set",
    "check_filter_pickle",
    "check_filter_scores",
    "check_filter_task_type",
    "check_filter_threads",
    "check_job_store",
    "check_learner",
    "check_learner_clone",
    "check_learner_incompatible",
    "check_learner_metadata",
    "check_learner_not_trained",
    "check_learner_param_set",
    "check_learner_predict_newdata",
    "check_learner_prediction",
    "check_learner_print",
    "check_learner_replicable",
    "check_learner_reset",
    "check_learner_sanity",
    "check_learner_state",
    "check_measure",
    "check_measure_mean_loss",
    "check_measure_metadata",
    "check_measure_missing_predict_type",
    "check_measure_requirements",
    "check_measure_scores",
    "check_measure_task_type",
    "check_pipeop",
    "check_plot",
    "check_prediction",
    "check_resampling",
    "check_resampling_grouped",
    "check_resampling_instantiate",
    "check_resampling_metadata",
    "check_resampling_reproducible",
    "check_resampling_stratified",
    "check_terminator",
    "check_tuner",
    "check_tuner_metadata",
    "check_tuner_multi_crit",
    "check_tuner_optimize",
    "check_tuner_replicable",
    "check_tuning_callback",
    "check_tuning_callback_metadata",
    "check_tuning_callback_pickle",
    "check_tuning_callback_tune",
    "data_backend_checks",
    "filter_checks",
    "generate_data",
    "generate_scenarios",
    "generate_tasks",
    "job_store_checks",
    "learner_checks",
    "measure_checks",
    "pipeop_checks",
    "resampling_checks",
    "resampling_tasks",
    "terminator_checks",
    "tuner_checks",
    "tuner_search_space",
    "tuning_callback_checks",
]
