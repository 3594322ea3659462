"""msr("debug_classif") (mlr3's MeasureDebugClassif): the number of predicted rows,
NaN with probability na_ratio."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from mlr3py import lrn, msr, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample


def test_scores_the_number_of_predicted_rows() -> None:
    task = tsk("iris")
    learner = lrn("classif.featureless").train(task)
    prediction = learner.predict(task, row_ids=task.row_ids[:17])
    assert msr("debug_classif").score(prediction) == 17.0


def test_resample_scores_the_test_set_sizes() -> None:
    rr = resample(tsk("iris"), lrn("classif.featureless"), rsmp("cv", folds=3), seed=1)
    assert rr.score("debug_classif")["debug_classif"].tolist() == [50.0, 50.0, 50.0]


def test_na_ratio_gives_nan_at_that_rate() -> None:
    task = tsk("iris")
    prediction = lrn("classif.featureless").train(task).predict(task)
    always = msr("debug_classif", na_ratio=1.0)
    assert math.isnan(always.score(prediction))
    random.seed(1)
    half = msr("debug_classif", na_ratio=0.5)
    values = np.array([half.score(prediction) for _ in range(400)])
    assert 0.4 < np.isnan(values).mean() < 0.6
    assert set(values[~np.isnan(values)]) == {150.0}


def test_na_ratio_must_be_a_probability() -> None:
    with pytest.raises(ConfigError, match="na_ratio"):
        msr("debug_classif", na_ratio=2)
