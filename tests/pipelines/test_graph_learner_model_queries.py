"""GraphLearner passes importance(), selected_features() and oob_error() on to the learner
at the end of its graph."""

from __future__ import annotations

import pandas as pd
import pytest

from mlr3py import lrn
from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.filters import flt
from mlr3py.pipelines import as_learner, gunion, po
from mlr3py.tasks import TaskClassif


def test_importance_is_the_final_learners(task_mixed: TaskClassif) -> None:
    learner = as_learner(po("imputemedian") >> po("imputemode") >> po("encode")
                         >> lrn("classif.rpart", random_state=1))
    assert "importance" in learner.properties
    with pytest.raises(NotTrainedError):
        learner.importance()
    learner.train(task_mixed)
    got = learner.importance()
    final = learner.graph_model.pipeops["classif.rpart"].learner_model  # type: ignore[attr-defined]
    pd.testing.assert_series_equal(got, final.importance())
    # the names are those of the task the final learner saw (dummy columns of 'f')
    assert "f.a" in got.index and "f" not in got.index


def test_importance_filter_takes_a_graph_learner(task_mixed: TaskClassif) -> None:
    learner = as_learner(po("imputemedian") >> po("imputemode")
                         >> lrn("classif.rpart", random_state=1))
    scores = flt("importance", learner=learner).calculate(task_mixed).scores
    assert set(scores.index) == set(task_mixed.feature_names)
    assert scores["x"] > 0


def test_no_importance_without_the_property(task_mixed: TaskClassif) -> None:
    learner = as_learner(po("imputemedian") >> po("imputemode") >> po("encode")
                         >> lrn("classif.log_reg"))
    assert "importance" not in learner.properties
    learner.train(task_mixed)
    with pytest.raises(ConfigError, match="property 'importance'"):
        learner.importance()


def test_importance_follows_the_active_branch(task_mixed: TaskClassif) -> None:
    graph = (po("imputemedian") >> po("imputemode") >> po("branch", ["a", "b"])
             >> gunion([lrn("classif.rpart", id="a", random_state=1),
                        lrn("classif.featureless", id="b")])
             >> po("unbranch"))
    learner = as_learner(graph)
    assert "importance" in learner.properties
    learner.param_set.values["branch.selection"] = "b"
    learner.train(task_mixed)
    assert (learner.importance() == 0).all()


def test_selected_features_and_oob_error_are_the_final_learners(task_mixed: TaskClassif) -> None:
    tree = as_learner(po("imputemedian") >> po("imputemode") >> po("encode")
                      >> lrn("classif.rpart", random_state=1, max_depth=2))
    assert "selected_features" in tree.properties
    with pytest.raises(NotTrainedError):
        tree.selected_features()
    tree.train(task_mixed)
    final = tree.graph_model.pipeops["classif.rpart"].learner_model  # type: ignore[attr-defined]
    assert tree.selected_features() == final.selected_features()
    assert 0 < len(tree.selected_features()) <= 3  # a tree of depth 2 splits on at most 3
    forest = as_learner(po("imputemedian") >> po("imputemode") >> po("encode")
                        >> lrn("classif.ranger", n_estimators=50, oob_score=True,
                               random_state=1))
    assert "oob_error" in forest.properties
    forest.train(task_mixed)
    final = forest.graph_model.pipeops["classif.ranger"].learner_model  # type: ignore[attr-defined]
    assert forest.oob_error() == final.oob_error()


def test_queries_the_final_learner_lacks_are_refused_by_name(task_mixed: TaskClassif) -> None:
    learner = as_learner(po("imputemedian") >> po("imputemode") >> po("encode")
                         >> lrn("classif.log_reg"))
    assert "oob_error" not in learner.properties
    learner.train(task_mixed)
    with pytest.raises(ConfigError, match="cannot compute oob_error.*property 'oob_error'"):
        learner.oob_error()
