"""Assigning an unknown attribute or a method of a task, learner, resampling or measure."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from mlr3py import lrn, msr, resample, rsmp, tsk
from mlr3py.errors import AttributeAssignmentError, ConfigError
from mlr3py.learners import LearnerClassif
from mlr3py.learners.featureless import LearnerClassifFeatureless


def test_a_typo_is_refused_with_suggestions() -> None:
    learner = lrn("classif.rpart")
    with pytest.raises(AttributeAssignmentError, match=(
            "^Learner 'classif.rpart' has no attribute 'fallbak' to set. "
            "Did you mean 'fallback'\\?$")):
        learner.fallbak = lrn("classif.featureless")
    assert not hasattr(learner, "fallbak")
    with pytest.raises(AttributeAssignmentError, match="Did you mean 'predict_type'"):
        learner.predict_typ = "prob"


def test_assigning_a_method_is_refused() -> None:
    learner = lrn("classif.rpart")
    with pytest.raises(AttributeAssignmentError, match=(
            "^'encapsulate' is a method of Learner 'classif.rpart' and cannot be assigned. "
            "Call it instead: .encapsulate\\(...\\).$")):
        learner.encapsulate = {"train": "evaluate", "predict": "evaluate"}
    assert callable(learner.encapsulate)
    assert learner.encapsulation == {"train": "none", "predict": "none"}


def test_the_error_is_a_config_error_and_an_attribute_error() -> None:
    task = tsk("iris")
    with pytest.raises(ConfigError):
        task.tagret = "Species"
    with pytest.raises(AttributeError):
        task.tagret = "Species"
    # hasattr/setattr-style code that expects AttributeError keeps working
    try:
        setattr(msr("classif.ce"), "minimise", True)  # noqa: B010
    except AttributeError as exc:
        assert "Measure 'classif.ce' has no attribute 'minimise'" in str(exc)
    else:
        pytest.fail("no error")


@pytest.mark.parametrize("make", [
    lambda: tsk("iris"), lambda: lrn("classif.rpart"), lambda: rsmp("cv"),
    lambda: msr("classif.ce"),
])
def test_every_kind_refuses_unknown_names_and_keeps_its_fields(make: Any) -> None:
    obj = make()
    with pytest.raises(AttributeAssignmentError, match="has no attribute 'no_such_field'"):
        obj.no_such_field = 1
    obj.id = "renamed"  # a property with a setter
    obj.label = "a label"
    assert obj.id == "renamed" and obj.label == "a label"
    obj._private_scratch = 1  # private names belong to the implementation
    with pytest.raises(AttributeAssignmentError, match="^.* 'renamed' has no attribute"):
        obj.no_such_field = 1


def test_existing_public_fields_stay_assignable() -> None:
    learner = lrn("classif.rpart")
    learner.parallel_predict = True  # a class-level default
    learner.properties = {"twoclass"}  # set in __init__
    learner.fallback = lrn("classif.featureless")
    learner.timeout = 5
    assert learner.parallel_predict and learner.properties == {"twoclass"}
    with pytest.raises(AttributeError, match="has no setter"):
        learner.model = 3


class _MyLearner(LearnerClassifFeatureless):
    """A user subclass with its own attributes."""

    def __init__(self, strength: float = 1.0) -> None:
        super().__init__()
        self.strength = strength
        self.history: list[float] = []

    def _train(self, task: Any) -> Any:
        self.history.append(self.strength)
        return super()._train(task)


class _Annotated(LearnerClassif):
    """Declares a field without setting it in __init__."""

    notes: str

    def __init__(self) -> None:
        super().__init__("classif.annotated")


def test_user_subclasses_set_their_own_attributes() -> None:
    learner = _MyLearner(strength=2.0)
    learner.strength = 3.0
    learner.train(tsk("iris"))
    assert learner.history == [3.0]
    with pytest.raises(AttributeAssignmentError, match="Did you mean 'strength'"):
        learner.strenght = 1.0
    annotated = _Annotated()
    annotated.notes = "declared by an annotation"
    assert annotated.notes == "declared by an annotation"


def test_copies_pickles_clones_and_resample_keep_working() -> None:
    learner = _MyLearner(strength=2.0)
    learner.fallback = lrn("classif.featureless")
    for other in (copy.deepcopy(learner), pickle.loads(pickle.dumps(learner)),
                  learner.clone(), copy.copy(learner)):
        assert other.strength == 2.0 and other.fallback is not None
        other.strength = 5.0
        with pytest.raises(AttributeAssignmentError):
            other.strenght = 1.0
    rr = resample(tsk("iris"), learner, rsmp("cv", folds=2))
    assert rr.iters == 2
    task = pickle.loads(pickle.dumps(tsk("iris")))
    with pytest.raises(AttributeAssignmentError):
        task.tagret = "x"


def test_a_failed_init_leaves_no_guard_hole() -> None:
    class Failing(LearnerClassifFeatureless):
        def __init__(self) -> None:
            super().__init__()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        Failing()
    learner = LearnerClassifFeatureless()
    with pytest.raises(AttributeAssignmentError):
        learner.fallbak = None
