"""ppl("robustify") adds what a learner lacks for a task (mlr3pipelines' pipeline_robustify)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mlr3py import as_task_classif, lrn, resample, rsmp
from mlr3py.errors import ConfigError, Mlr3pyError
from mlr3py.learners import LearnerClassifSklearn
from mlr3py.pipelines import as_learner, ppl
from mlr3py.tasks import TaskClassif


def _numeric_only() -> LearnerClassifSklearn:
    """A learner that handles neither factors nor missing values."""
    return LearnerClassifSklearn(LogisticRegression(), id="classif.numeric_logreg",
                                 feature_types=("logical", "numeric", "integer"),
                                 properties={"twoclass", "multiclass"})


def _task(n: int = 90, seed: int = 0) -> TaskClassif:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "x": rng.normal(size=n),
        "k": rng.integers(0, 5, n),
        "f": pd.Categorical(rng.choice(list("abc"), n)),
        "o": pd.Categorical(rng.choice(["lo", "mid", "hi"], n),
                            categories=["lo", "mid", "hi"], ordered=True),
        "flag": pd.array(rng.random(n) > 0.5, dtype="boolean"),
        "const": 1.0,
    })
    frame["y"] = np.where(frame["x"] + (frame["f"] == "a") > 0.3, "p", "n")
    frame.loc[::7, "x"] = np.nan
    frame.loc[::9, "f"] = np.nan
    frame.loc[::11, "flag"] = pd.NA
    return as_task_classif(frame, target="y", positive="p")


def test_a_learner_without_missings_or_factors_runs_after_robustify() -> None:
    task, learner = _task(), _numeric_only()
    with pytest.raises(Mlr3pyError):
        learner.clone().train(task)
    graph = ppl("robustify", task, learner)
    assert {"missind", "imputehist", "imputesample_logical", "imputeoor", "fixfactors",
            "encode", "removeconstants_prerobustify", "removeconstants_postrobustify"} <= \
        set(graph.pipeops)
    robust = as_learner(graph >> learner)
    rr = resample(task, robust, rsmp("cv", folds=3), seed=1)
    assert rr.errors.empty
    assert float(rr.aggregate()["classif.ce"]) < 0.4
    robust.train(task)
    features = robust.model.states["classif.numeric_logreg"].feature_names
    assert "const" not in features and "missing_x" in features
    assert {"f.a", "f.b", "f.c"} <= set(features)


def test_a_capable_learner_gets_only_what_it_lacks() -> None:
    task = _task()
    graph = ppl("robustify", task, lrn("classif.rpart"))  # handles factors and missings
    assert not {"missind", "imputehist", "encode"} & set(graph.pipeops)
    assert "fixfactors" in graph.pipeops
    complete = task.clone().filter([i for i in task.row_ids if i % 7 and i % 9 and i % 11])
    assert not {"missind", "imputehist"} & set(ppl("robustify", complete, _numeric_only())
                                               .pipeops)


def test_explicit_flags_and_actions() -> None:
    task = _task()
    graph = ppl("robustify", task, _numeric_only(), impute_missings=False,
                factors_to_numeric=False, ordered_action="numeric")
    assert not {"missind", "encode"} & set(graph.pipeops)
    assert "ord_to_dbl" in graph.pipeops
    (out,) = graph.train(task).values()
    assert out.col_types()["o"] == "numeric"
    codes = out.data(cols=["o"])["o"].to_numpy()
    original = task.data(cols=["o"])["o"]
    assert np.array_equal(codes, original.cat.codes.to_numpy() + 1.0)


def test_characters_become_factors() -> None:
    frame = pd.DataFrame({"s": pd.Series(["u", "v", "w", None] * 10, dtype=object),
                          "x": np.arange(40.0), "y": ["p", "n"] * 20})
    task = as_task_classif(frame, target="y")
    graph = ppl("robustify", task, _numeric_only(), character_action="factor!")
    assert "char_to_fct" in graph.pipeops
    (out,) = graph.train(task).values()
    assert {"s.u", "s.v", "s.w"} <= set(out.feature_names)


def test_many_levels_are_collapsed() -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"f": pd.Categorical(rng.choice([f"l{i}" for i in range(30)], 200)),
                          "y": rng.choice(["p", "n"], 200)})
    task = as_task_classif(frame, target="y")
    graph = ppl("robustify", task, lrn("classif.rpart"), max_cardinality=5)
    assert "collapsefactors" in graph.pipeops
    (out,) = graph.train(task).values()
    assert len(out.levels(["f"])["f"]) == 5
    assert "collapsefactors" not in ppl("robustify", task, lrn("classif.rpart")).pipeops
    assert "collapsefactors" not in ppl("robustify", task, max_cardinality=math.inf).pipeops


def test_without_task_and_learner_every_step_is_there() -> None:
    graph = ppl("robustify")
    assert {"char_to_fct", "POSIXct_to_dbl", "ord_to_fct", "missind", "imputehist",
            "imputeoor", "fixfactors", "imputesample", "collapsefactors", "encode"} <= \
        set(graph.pipeops)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"impute_missings": "yes"}, "'impute_missings' of ppl\\('robustify'\\)"),
    ({"max_cardinality": 0}, "'max_cardinality'"),
    ({"ordered_action": "sideways"}, "'ordered_action' of ppl\\('robustify'\\) must be one of"),
    ({"task": "iris"}, "'task' of ppl\\('robustify'\\) must be a Task"),
])
def test_robustify_bad_arguments(kwargs: dict, match: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=match):
        ppl("robustify", **kwargs)
