"""A prediction's classes come in the predicted task's order (mlr3: the levels of the
task's truth): a positive class switched after training is the prediction's positive
class, so TPR, FPR and thresholds refer to it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py.learners import mlr_learners
from mlr3py.sugar import msr
from mlr3py.tasks import Task, as_task_classif


@pytest.fixture
def binary() -> Task:
    rng = np.random.default_rng(1)
    x = rng.normal(size=120)
    y = np.where(x + rng.normal(scale=0.8, size=120) > 0.3, "yes", "no")
    return as_task_classif(pd.DataFrame({"x": x, "y": y}), target="y", positive="yes")


def test_switching_the_positive_class_after_training(binary: Task) -> None:
    learner = mlr_learners.get("classif.rpart", predict_type="prob", max_depth=2,
                               random_state=1)
    learner.train(binary, row_ids=range(0, 120, 2))
    test = list(range(1, 120, 2))
    before = learner.predict(binary, row_ids=test)
    assert before.class_names == ["yes", "no"]

    switched = binary.clone()
    switched.positive = "no"
    after = learner.predict(switched, row_ids=test)
    assert after.class_names == ["no", "yes"]
    assert after.positive == "no"
    # the same labels and probabilities, by class name
    assert list(after.response) == list(before.response)
    assert before.prob is not None and after.prob is not None
    pd.testing.assert_frame_equal(after.prob[["yes", "no"]], before.prob)
    # TPR of the new positive class is the TNR of the old one
    tpr_after = after.score(msr("classif.tpr")).iloc[0]
    tnr_before = before.score(msr("classif.tnr")).iloc[0]
    assert tpr_after == pytest.approx(tnr_before)
    assert after.score(msr("classif.auc")).iloc[0] == pytest.approx(
        before.score(msr("classif.auc")).iloc[0]
    )
    # a threshold now applies to the probability of "no"
    low = after.clone().set_threshold(0.0)
    assert set(low.response) == {"no"}


def test_a_task_with_fewer_classes_keeps_the_learner_order() -> None:
    df = pd.DataFrame({"x": np.arange(9.0), "y": ["a", "b", "c"] * 3})
    task = as_task_classif(df, target="y")
    learner = mlr_learners.get("classif.featureless", predict_type="prob").train(task)
    two = task.clone().filter([0, 1, 3, 4]).droplevels()
    prediction = learner.predict(two)
    assert prediction.class_names == ["a", "b", "c"]
    assert prediction.prob is not None and list(prediction.prob.columns) == ["a", "b", "c"]
