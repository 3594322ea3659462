"""Fixtures for the evaluation tests: fresh real tasks, learners and resamplings."""

from __future__ import annotations

import pytest

from mlr3py.learners import Learner
from mlr3py.resamplings import Resampling
from mlr3py.sugar import lrn, rsmp, tsk
from mlr3py.tasks import Task


@pytest.fixture
def sonar() -> Task:
    return tsk("sonar")


@pytest.fixture
def penguins() -> Task:
    return tsk("penguins")


@pytest.fixture
def mtcars() -> Task:
    return tsk("mtcars")


@pytest.fixture
def rpart() -> Learner:
    return lrn("classif.rpart")


@pytest.fixture
def featureless() -> Learner:
    return lrn("classif.featureless")


@pytest.fixture
def cv3() -> Resampling:
    return rsmp("cv", folds=3)
