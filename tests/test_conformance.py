"""The conformance suite (mlr3py.testing): every built-in component passes it, and
deliberately broken learners, measures and resamplings fail it with clear messages."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlr3py.learners import LearnerClassif, LearnerRegr, mlr_learners
from mlr3py.measures import MeasureClassif, mlr_measures
from mlr3py.predictions import PredictionDataClassif, PredictionDataRegr
from mlr3py.resamplings import ResamplingCV, ResamplingSubsampling, mlr_resamplings
from mlr3py.testing import (
    FEATURE_TYPES,
    ConformanceError,
    check_learner,
    check_learner_clone,
    check_learner_incompatible,
    check_learner_replicable,
    check_learner_reset,
    check_learner_sanity,
    check_measure,
    check_prediction,
    check_resampling,
    generate_tasks,
    learner_checks,
    measure_checks,
    resampling_checks,
)

# Learners that do not learn from the features: mlr3 runs their autotest with
# exclude = "sanity" as well.
NOT_LEARNING = {"classif.featureless", "regr.featureless", "classif.debug", "regr.debug"}


# Feature types the small test learners below declare: all of them.
TEST_FEATURE_TYPES = tuple(FEATURE_TYPES)


def _exclude(key: str) -> tuple[str, ...]:
    return ("sanity",) if key in NOT_LEARNING else ()


def _small_module(task: Any, n_features: int, n_outputs: int) -> Any:
    from torch import nn

    return nn.Sequential(nn.Linear(n_features, 8), nn.ReLU(), nn.Linear(8, n_outputs))


# Learners whose required parameters have no default (torch: epochs, batch_size), and small
# torch networks.
_TORCH = {"epochs": 20, "batch_size": 8, "lr": 0.05}
_TORCH_ARGS: dict[str, dict[str, Any]] = {
    "mlp": _TORCH,
    "tab_resnet": {**_TORCH, "n_blocks": 1, "d_block": 8},
    # attention needs the smaller step
    "ft_transformer": {**_TORCH, "lr": 0.01, "n_blocks": 1, "d_token": 8, "attention_n_heads": 2},
    # TabNet's sparse masks can settle on the noise feature of the two-feature regression
    # sanity task (for about a third of the seeds the mse ends a little above 2): a fixed seed
    "tabnet": {**_TORCH, "batch_size": 16, "epochs": 40, "seed": 1, "decision_width": 4,
               "attention_width": 4, "num_steps": 2},
    "module": {**_TORCH, "module_generator": _small_module},
}
LEARNER_ARGS: dict[str, dict[str, Any]] = {
    f"{task_type}.{kind}": args
    for kind, args in _TORCH_ARGS.items() for task_type in ("classif", "regr")
}


def _check_builtin_learner(key: str) -> None:
    check_learner(mlr_learners.get(key, **LEARNER_ARGS.get(key, {})), exclude=_exclude(key))


def _custom_args(task: Any) -> dict[str, Any]:
    ids = np.asarray(task.row_ids)
    half = len(ids) // 2  # the group task's groups are 5 consecutive rows: halves keep them whole
    return {"train_sets": [ids[:half]], "test_sets": [ids[half:]]}


def _custom_cv_args(task: Any) -> dict[str, Any]:
    return {"f": (np.arange(task.nrow) // 5) % 3}


INSTANTIATE_ARGS = {"custom": _custom_args, "custom_cv": _custom_cv_args}


# -- a small correct learner of each type, and broken variants -------------------------
class MajorityClassif(LearnerClassif):
    """Predicts the training class frequencies; the first most frequent class wins."""

    def __init__(self, id: str = "classif.majority") -> None:  # noqa: A002
        super().__init__(
            id,
            predict_types=("response", "prob"),
            feature_types=TEST_FEATURE_TYPES,
            properties={"twoclass", "multiclass", "missings"},
        )

    def _train(self, task: Any) -> np.ndarray:
        codes = np.asarray(task.truth().codes)
        return np.bincount(codes, minlength=len(task.class_names)) / len(codes)

    def _prob(self, task: Any) -> np.ndarray:
        return np.tile(self.model, (task.nrow, 1))

    def _response(self, prob: np.ndarray) -> np.ndarray:
        return np.asarray(self.state.class_names, dtype=object)[np.argmax(prob, axis=1)]

    def _predict(self, task: Any) -> PredictionDataClassif:
        prob = self._prob(task)
        return PredictionDataClassif(
            response=self._response(prob), prob=prob if self.predict_type == "prob" else None
        )


class MeanRegr(LearnerRegr):
    """Predicts the training mean, with the training sd as se."""

    def __init__(self, id: str = "regr.mean") -> None:  # noqa: A002
        super().__init__(
            id, predict_types=("response", "se"), feature_types=TEST_FEATURE_TYPES,
            properties={"missings"},
        )

    def _train(self, task: Any) -> tuple[float, float]:
        y = np.asarray(task.truth(), dtype=float)
        return float(y.mean()), float(y.std())

    def _se(self, n: int) -> np.ndarray:
        return np.full(n, self.model[1])

    def _predict(self, task: Any) -> PredictionDataRegr:
        se = self._se(task.nrow) if self.predict_type == "se" else None
        return PredictionDataRegr(response=np.full(task.nrow, self.model[0]), se=se)


class ProbNotSummingToOne(MajorityClassif):
    def _prob(self, task: Any) -> np.ndarray:
        return super()._prob(task) * 0.8


class ResponseNotArgmax(MajorityClassif):
    def _prob(self, task: Any) -> np.ndarray:
        k = len(self.state.class_names)
        row = np.full(k, 0.4 / (k - 1))
        row[0] = 0.6
        return np.tile(row, (task.nrow, 1))

    def _response(self, prob: np.ndarray) -> np.ndarray:
        return np.full(len(prob), self.state.class_names[-1], dtype=object)


class NotReplicable(MajorityClassif):
    """Ignores the seeded global generator: fresh OS entropy at every training."""

    def _train(self, task: Any) -> np.ndarray:
        k = len(task.class_names)
        return np.random.default_rng().dirichlet(np.ones(k))


class ResetKeepsState(MajorityClassif):
    def reset(self) -> ResetKeepsState:
        return self


class CloneSharesParamSet(MajorityClassif):
    def clone(self) -> CloneSharesParamSet:
        return copy.copy(self)


class ClaimsMissings(MajorityClassif):
    """Declares "missings" but fails on missing values."""

    def _train(self, task: Any) -> np.ndarray:
        if task.data(cols=task.feature_names).isna().to_numpy().any():
            raise ValueError("Input contains NaN.")
        return super()._train(task)


class ClaimsSelectedFeatures(MajorityClassif):
    """Declares "selected_features" without the method."""

    def __init__(self) -> None:
        super().__init__("classif.claims_selected")
        self.properties = self.properties | {"selected_features"}


class SkipsCompatibilityChecks(MajorityClassif):
    """Twoclass only, but trains on a multiclass task anyway."""

    def __init__(self) -> None:
        super().__init__("classif.twoclass_only")
        self.properties = {"twoclass", "missings"}

    def train(self, task: Any, row_ids: Any = None) -> SkipsCompatibilityChecks:
        declared = self.properties
        self.properties = declared | {"multiclass"}
        try:
            return super().train(task, row_ids)
        finally:
            self.properties = declared


class NegativeSe(MeanRegr):
    def _se(self, n: int) -> np.ndarray:
        return np.full(n, -1.0)


# -- built-in components pass -------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("key", mlr_learners.keys())
def test_builtin_learner_conforms(key: str) -> None:
    _check_builtin_learner(key)


@pytest.mark.parametrize("key", mlr_measures.keys())
def test_builtin_measure_conforms(key: str) -> None:
    check_measure(mlr_measures.get(key))


@pytest.mark.parametrize("key", mlr_resamplings.keys())
def test_builtin_resampling_conforms(key: str) -> None:
    check_resampling(mlr_resamplings.get(key), instantiate_args=INSTANTIATE_ARGS.get(key))


def test_resampling_with_parameters_conforms() -> None:
    check_resampling(mlr_resamplings.get("repeated_cv", folds=3, repeats=2))
    check_resampling(mlr_resamplings.get("holdout", ratio=0.5))


def test_correct_custom_learners_conform() -> None:
    check_learner(MajorityClassif(), exclude=("sanity",))
    check_learner(MeanRegr(), exclude=("sanity",))


def test_featureless_learner_fails_the_sanity_check() -> None:
    learner = mlr_learners.get("classif.featureless")
    task = generate_tasks(learner)["sanity"]
    with pytest.raises(ConformanceError, match="check_learner_sanity") as info:
        check_learner_sanity(learner, task)
    assert info.value.subject == "Learner 'classif.featureless'"
    assert info.value.task == "sanity"
    assert "> 0.3 on an easy task" in str(info.value)


# -- generated tasks --------------------------------------------------------------------
def test_generate_tasks_follows_the_declared_properties() -> None:
    tasks = generate_tasks(MajorityClassif(), n=20)
    for suffix in ("twoclass", "multiclass"):
        assert f"feat_all_{suffix}" in tasks
        assert f"missings_{suffix}" in tasks
        assert tasks[f"missings_{suffix}"].missings().sum() > 0
    assert tasks["feat_all_twoclass"].class_names == ["A", "B"]
    assert tasks["feat_all_multiclass"].class_names == ["A", "B", "C"]
    assert tasks["feat_all_twoclass"].nrow == 20
    assert {"sanity", "sanity_switched"} <= set(tasks)
    assert all(task.id == name for name, task in tasks.items())


def test_generate_tasks_has_one_task_per_feature_type() -> None:
    tasks = generate_tasks(mlr_learners.get("classif.featureless"))
    single = {name: t for name, t in tasks.items() if name.startswith("feat_single_")}
    assert len(single) == 2 * len(FEATURE_TYPES)
    for name, task in single.items():
        ftype = name.split("_")[2]
        assert task.feature_names == [ftype]
        assert task.feature_types["type"].tolist() == [ftype]
    types = set(tasks["feat_all_twoclass"].feature_types["type"])
    assert {"numeric", "integer", "logical", "factor", "ordered"} <= types


def test_generate_tasks_respects_restrictions() -> None:
    twoclass = SkipsCompatibilityChecks()
    twoclass.properties = {"twoclass"}
    twoclass.feature_types = {"numeric"}
    tasks = generate_tasks(twoclass)
    assert not any("multiclass" in name or "missings" in name for name in tasks)
    assert not any(name.startswith("feat_single") for name in tasks)
    assert list(tasks["feat_all_twoclass"].feature_names) == ["numeric"]
    regr = generate_tasks(MeanRegr())
    assert "feat_all" in regr and "missings" in regr and "sanity" in regr
    assert regr["feat_all"].task_type == "regr"


def test_generate_tasks_is_reproducible_and_validates_n() -> None:
    a = generate_tasks(MeanRegr(), seed=3)["feat_all"].data()
    b = generate_tasks(MeanRegr(), seed=3)["feat_all"].data()
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError, match="n >= 10"):
        generate_tasks(MeanRegr(), n=5)


def test_learner_checks_are_named_callables_for_parametrize() -> None:
    checks = list(learner_checks(MajorityClassif()))
    names = [name for name, _ in checks]
    assert len(names) == len(set(names))
    assert "check_learner_prediction[feat_all_twoclass:prob]" in names
    assert "check_learner_replicable[feat_all_multiclass:response]" in names
    for name, check in checks:
        if "sanity" not in name:
            check()
    first = next(iter(measure_checks(mlr_measures.get("classif.ce"))))
    assert first[0] == "check_measure_metadata"
    assert len(list(resampling_checks(mlr_resamplings.get("cv")))) == 7


# -- broken learners fail, naming learner, check and task ---------------------------------
def test_error_is_an_assertion_error_with_context() -> None:
    with pytest.raises(AssertionError) as info:
        check_learner(ProbNotSummingToOne("classif.prob_not_one"), exclude=("sanity",))
    err = info.value
    assert isinstance(err, ConformanceError)
    assert err.subject == "Learner 'classif.prob_not_one'"
    assert err.check == "check_learner_prediction"
    assert err.predict_type == "prob"
    assert err.task is not None and err.task.startswith("feat_single_")
    assert str(err).startswith(
        f"Learner 'classif.prob_not_one' failed check 'check_learner_prediction' on task "
        f"'{err.task}' with predict_type 'prob': prob rows must sum to 1"
    )


@pytest.mark.parametrize(
    ("learner", "check", "message"),
    [
        (ResponseNotArgmax(), "check_learner_prediction", "must be a class of largest prob"),
        (NotReplicable(), "check_learner_replicable", "gave different predictions"),
        (ResetKeepsState(), "check_learner_reset", "state must be None after reset()"),
        (CloneSharesParamSet(), "check_learner_clone", "clone() shares the param_set"),
        (ClaimsMissings(), "check_learner_prediction", "ValueError: Input contains NaN"),
        (SkipsCompatibilityChecks(), "check_learner_incompatible", "must raise Mlr3pyError"),
        (NegativeSe(), "check_learner_prediction", "se"),
        (ClaimsSelectedFeatures(), "check_learner_metadata",
         "the property 'selected_features' needs a method selected_features()"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) else "",
)
def test_broken_learner_fails(learner: Any, check: str, message: str) -> None:
    with pytest.raises(ConformanceError) as info:
        check_learner(learner, exclude=("sanity",))
    assert info.value.check == check
    assert f"Learner '{learner.id}' failed check '{check}'" in str(info.value)
    assert message in str(info.value)


def test_missings_failure_names_the_missings_task() -> None:
    with pytest.raises(ConformanceError) as info:
        check_learner(ClaimsMissings(), exclude=("sanity",))
    assert info.value.task in ("missings_twoclass", "missings_multiclass")


def test_individual_learner_checks_can_run_alone() -> None:
    task = generate_tasks(MajorityClassif())["feat_all_twoclass"]
    check_learner_replicable(MajorityClassif(), task, "prob")
    check_learner_reset(MajorityClassif(), task)
    check_learner_clone(MajorityClassif(), task)
    check_learner_incompatible(MajorityClassif())
    with pytest.raises(ConformanceError, match="check_learner_replicable"):
        check_learner_replicable(NotReplicable(), task, "prob")


def test_check_learner_does_not_modify_the_learner() -> None:
    learner = MajorityClassif()
    learner.predict_type = "response"
    check_learner(learner, exclude=("sanity",))
    assert learner.state is None
    assert learner.predict_type == "response"


def test_check_prediction_reports_wrong_rows() -> None:
    learner = MajorityClassif()
    task = generate_tasks(learner)["feat_all_twoclass"]
    prediction = learner.train(task).predict(task)
    check_prediction(prediction, task, "response")
    with pytest.raises(AssertionError, match="rows"):
        check_prediction(prediction.filter(task.row_ids[:5]), task, "response")


# -- broken measures fail ------------------------------------------------------------------
class OutOfRange(MeasureClassif):
    def __init__(self) -> None:
        super().__init__("classif.out_of_range", minimize=True, range=(0.0, 1.0))

    def _score(self, prediction: Any, task: Any = None, learner: Any = None,
               train_set: Any = None) -> float:
        wrong = np.asarray(prediction.response != prediction.truth)
        return float(wrong.mean() * 2)


class BadMinimize(MeasureClassif):
    def __init__(self) -> None:
        super().__init__("classif.bad_minimize", minimize="yes", range=(0.0, 1.0))  # type: ignore[arg-type]

    def _score(self, prediction: Any, task: Any = None, learner: Any = None,
               train_set: Any = None) -> float:
        return 0.5


class CrashesOnOneClass(MeasureClassif):
    """An AUC that divides by the number of negatives without guarding against zero."""

    def __init__(self) -> None:
        super().__init__(
            "classif.fragile_auc", predict_type="prob", minimize=False, range=(0.0, 1.0),
            task_properties={"twoclass"},
        )

    def _score(self, prediction: Any, task: Any = None, learner: Any = None,
               train_set: Any = None) -> float:
        positive = np.asarray(prediction.truth == prediction.class_names[0])
        n_neg = int((~positive).sum())
        if n_neg == 0 or positive.sum() == 0:
            raise ZeroDivisionError("division by zero")
        scores = prediction.prob.iloc[:, 0].to_numpy()
        return float((scores[positive][:, None] > scores[~positive][None, :]).mean())


class WrongTaskType(MeasureClassif):
    def __init__(self) -> None:
        super().__init__("classif.mislabelled", minimize=True, range=(0.0, 1.0))
        self.task_type = "regr"

    def _score(self, prediction: Any, task: Any = None, learner: Any = None,
               train_set: Any = None) -> float:
        return 0.0


@pytest.mark.parametrize(
    ("measure", "check", "message"),
    [
        (OutOfRange(), "check_measure_scores[", "outside range (0.0, 1.0)"),
        (BadMinimize(), "check_measure_metadata", "minimize must be a bool or None"),
        (CrashesOnOneClass(), "check_measure_scores[one_class_truth_twoclass]",
         "ZeroDivisionError"),
        (WrongTaskType(), "check_measure_metadata", "says classif but task_type is 'regr'"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) else "",
)
def test_broken_measure_fails(measure: Any, check: str, message: str) -> None:
    with pytest.raises(ConformanceError) as info:
        check_measure(measure)
    assert info.value.check.startswith(check)
    assert f"Measure '{measure.id}' failed check" in str(info.value)
    assert message in str(info.value)


def test_measure_scores_may_be_nan() -> None:
    class AlwaysNaN(OutOfRange):
        def _score(self, prediction: Any, task: Any = None, learner: Any = None,
                   train_set: Any = None) -> float:
            return math.nan

    check_measure(AlwaysNaN())


# -- broken resamplings fail ------------------------------------------------------------------
class CVIgnoringStrata(ResamplingCV):
    def _sample_strata(self, parts: list[np.ndarray], rng: np.random.Generator) -> Any:
        return self._sample(np.concatenate(parts), rng)


class CVOverlapping(ResamplingCV):
    def _get_train(self, i: int) -> np.ndarray:
        return self._instance["row_id"].to_numpy()


class CVNotReproducible(ResamplingCV):
    def _sample(self, ids: np.ndarray, rng: np.random.Generator) -> Any:
        return super()._sample(ids, np.random.default_rng())


class CVOutsideTask(ResamplingCV):
    def _get_test(self, i: int) -> np.ndarray:
        return super()._get_test(i) + 10_000


class SubsamplingMiscounting(ResamplingSubsampling):
    def _count_test(self, i: int) -> int | None:
        return self._instance.test_count(i) + 1


class SubsamplingWrongSlice(ResamplingSubsampling):
    def _sorted_test_slice(self, i: int, start: int, stop: int) -> np.ndarray | None:
        return self._instance.test(i)[::-1][start:stop]


@pytest.mark.parametrize(
    ("resampling", "check", "message"),
    [
        (CVIgnoringStrata(), "check_resampling_stratified", "where stratification gives"),
        (SubsamplingMiscounting(), "check_resampling_instantiate", "test_size(0) is"),
        (SubsamplingWrongSlice(), "check_resampling_instantiate", "is not that part"),
        (CVOverlapping(), "check_resampling_instantiate", "share ids"),
        (CVNotReproducible(), "check_resampling_reproducible", "gave different sets"),
        (CVOutsideTask(), "check_resampling_instantiate", "has ids not in the task"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) else "",
)
def test_broken_resampling_fails(resampling: Any, check: str, message: str) -> None:
    with pytest.raises(ConformanceError) as info:
        check_resampling(resampling)
    assert info.value.check == check
    assert str(info.value).startswith(
        f"Resampling '{resampling.id}' failed check '{check}' on task '")
    assert message in str(info.value)


def test_custom_resampling_needs_its_sets() -> None:
    with pytest.raises(ConformanceError, match="check_resampling_instantiate"):
        check_resampling(mlr_resamplings.get("custom"))
