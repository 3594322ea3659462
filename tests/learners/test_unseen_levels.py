"""A factor level unseen in training is named at predict time, for every learner."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import as_task_classif, as_task_regr, lrn
from mlr3py.errors import InputError


def _train_frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame({
        "c": ["x", "y"] * 10,
        "o": pd.Categorical(["lo", "hi"] * 10, categories=["lo", "hi"], ordered=True),
        "a": rng.random(20),
        "y": np.repeat(["p", "q"], 10),
    })


NEW = pd.DataFrame({"c": ["z", "x"], "o": ["lo", "lo"], "a": [0.1, 0.2]})


@pytest.mark.parametrize(
    "key", ["classif.rpart", "classif.log_reg", "classif.kknn", "classif.ranger",
            "classif.featureless"],
)
def test_predict_newdata_names_the_unseen_level(key: str) -> None:
    learner = lrn(key).train(as_task_classif(_train_frame(), target="y"))
    with pytest.raises(InputError, match=r"Unseen level 'z' in column 'c' \(1 row"):
        learner.predict_newdata(NEW)
    # known levels and missing values (for a learner with 'missings') still predict
    ok = learner.predict_newdata(NEW.assign(c=["x", "y"]))
    assert len(ok.response) == 2


def test_unseen_ordered_level_is_named() -> None:
    learner = lrn("classif.rpart").train(as_task_classif(_train_frame(), target="y"))
    with pytest.raises(InputError, match=r"'mid' in column 'o'"):
        learner.predict_newdata(NEW.assign(c="x", o=["mid", "lo"]))


def test_predict_on_a_task_with_a_new_level() -> None:
    frame = _train_frame()
    learner = lrn("regr.rpart").train(as_task_regr(frame.assign(y=frame["a"]), target="y"))
    other = frame.assign(y=frame["a"], c=["x", "w"] * 10)
    with pytest.raises(InputError, match=r"Unseen level 'w' in column 'c' \(10 row"):
        learner.predict(as_task_regr(other, target="y"))


def test_missing_value_is_not_an_unseen_level() -> None:
    learner = lrn("classif.rpart").train(as_task_classif(_train_frame(), target="y"))
    pred = learner.predict_newdata(NEW.assign(c=[None, "x"]))
    assert len(pred.response) == 2
