"""The top-level package exposes every documented name and the sugar works."""

from __future__ import annotations

import importlib.util

import pytest

import mlr3py
from mlr3py.errors import UnknownKeyError

# Exported names whose module needs an optional extra: (module, the package it needs, extra).
OPTIONAL_EXPORTS = {
    "nn": ("torch", "torch"),
    "as_learner_torch": ("torch", "torch"),
}


def test_every_exported_name_resolves() -> None:
    for name in mlr3py.__all__:
        needs = OPTIONAL_EXPORTS.get(name)
        if needs is not None and importlib.util.find_spec(needs[0]) is None:
            # Without the extra the name is still listed, and asking for it says what to install.
            with pytest.raises(ImportError, match=rf"pip install mlr3py\[{needs[1]}\]"):
                getattr(mlr3py, name)
            continue
        assert getattr(mlr3py, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        mlr3py.nope  # noqa: B018


def test_sugar_builds_configured_objects() -> None:
    learner = mlr3py.lrn("classif.rpart", max_depth=3, predict_type="prob")
    assert learner.param_set.values["max_depth"] == 3
    assert learner.predict_type == "prob"
    assert mlr3py.rsmp("cv", folds=3).param_set.values["folds"] == 3
    assert mlr3py.msr("classif.ce").id == "classif.ce"
    assert mlr3py.tsk("iris").id == "iris"
    assert [m.id for m in mlr3py.msrs(["classif.ce", "classif.acc"])] == [
        "classif.ce",
        "classif.acc",
    ]
    assert [lr.id for lr in mlr3py.lrns(["classif.featureless", "classif.rpart"])] == [
        "classif.featureless",
        "classif.rpart",
    ]


def test_sugar_suggests_on_typos() -> None:
    with pytest.raises(UnknownKeyError, match="Did you mean 'classif.rpart'"):
        mlr3py.lrn("classif.rprt")
    with pytest.raises(UnknownKeyError, match="Did you mean 'max_depth'"):
        mlr3py.lrn("classif.rpart", max_dept=3)
