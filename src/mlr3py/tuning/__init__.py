"""Tuning (mlr3tuning and bbotk): tuning instances, archives, tuners and terminators.

A batch of configurations is one :func:`~mlr3py.evaluation.benchmark` call, run
through the active parallel plan; terminators are checked between batches.

Examples
--------
>>> from mlr3py import lrn, rsmp, tsk
>>> from mlr3py.params import to_tune
>>> from mlr3py.tuning import tnr, tune
>>> learner = lrn("classif.rpart", max_depth=to_tune(1, 10))
>>> instance = tune(tnr("random_search", batch_size=2), tsk("penguins"), learner,
...                 rsmp("cv", folds=3), "classif.ce", term_evals=4, seed=1)
>>> sorted(instance.result_x_domain)
['max_depth']
"""

from mlr3py.errors import TerminatedError
from mlr3py.tuning._archive import ArchiveTuning, pareto_front
from mlr3py.tuning._auto_tuner import (
    AutoTuner,
    AutoTunerClassif,
    AutoTunerModel,
    AutoTunerRegr,
    auto_tuner,
)
from mlr3py.tuning._budget import hyperband_schedule
from mlr3py.tuning._callbacks import (
    STAGES,
    CallbackBatchTuning,
    ContextBatchTuning,
    callback_batch_tuning,
    clbk,
    clbks,
    mlr_callbacks,
)
from mlr3py.tuning._callbacks_builtin import (
    CallbackBackup,
    CallbackMeasures,
    CallbackOneSERule,
    one_se_choice,
)
from mlr3py.tuning._extract import extract_inner_tuning_archives, extract_inner_tuning_results
from mlr3py.tuning._instance import TuningInstance
from mlr3py.tuning._search_space_text import parse_search_space
from mlr3py.tuning._terminator import Terminator, mlr_terminators, trm, trms
from mlr3py.tuning._tune import TuningRun, prepare_tune, ti, tune
from mlr3py.tuning._tune_nested import tune_nested
from mlr3py.tuning._tuner import Tuner, mlr_tuners, tnr, tnrs
from mlr3py.tuning._tuner_hyperband import TunerHyperband
from mlr3py.tuning._tuner_optuna import TunerOptuna
from mlr3py.tuning._tuner_successive_halving import TunerSuccessiveHalving
from mlr3py.tuning._tuning_space import TuningSpace, lts, ltss, mlr_tuning_spaces
from mlr3py.tuning.terminators import (
    TerminatorClockTime,
    TerminatorCombo,
    TerminatorEvals,
    TerminatorNone,
    TerminatorPerfReached,
    TerminatorRunTime,
    TerminatorStagnation,
    TerminatorStagnationBatch,
)
from mlr3py.tuning.tuners import TunerDesignPoints, TunerGridSearch, TunerRandomSearch
from mlr3py.tuning.tuning_spaces import AtLeast

__all__ = [
    "STAGES",
    "ArchiveTuning",
    "AtLeast",
    "AutoTuner",
    "AutoTunerClassif",
    "AutoTunerModel",
    "AutoTunerRegr",
    "CallbackBackup",
    "CallbackBatchTuning",
    "CallbackMeasures",
    "CallbackOneSERule",
    "ContextBatchTuning",
    "TerminatedError",
    "Terminator",
    "TerminatorClockTime",
    "TerminatorCombo",
    "TerminatorEvals",
    "TerminatorNone",
    "TerminatorPerfReached",
    "TerminatorRunTime",
    "TerminatorStagnation",
    "TerminatorStagnationBatch",
    "Tuner",
    "TunerDesignPoints",
    "TunerGridSearch",
    "TunerHyperband",
    "TunerOptuna",
    "TunerRandomSearch",
    "TunerSuccessiveHalving",
    "TuningInstance",
    "TuningRun",
    "TuningSpace",
    "auto_tuner",
    "callback_batch_tuning",
    "clbk",
    "clbks",
    "extract_inner_tuning_archives",
    "extract_inner_tuning_results",
    "hyperband_schedule",
    "lts",
    "ltss",
    "mlr_callbacks",
    "mlr_terminators",
    "mlr_tuners",
    "mlr_tuning_spaces",
    "one_se_choice",
    "pareto_front",
    "parse_search_space",
    "prepare_tune",
    "ti",
    "tnr",
    "tnrs",
    "trm",
    "trms",
    "tune",
    "tune_nested",
]
