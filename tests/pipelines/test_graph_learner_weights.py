"""GraphLearner.use_weights: the graph, not its last learner, decides (mlr3pipelines)."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import lrn, tsk
from mlr3py.errors import InputError
from mlr3py.pipelines import GraphLearner, po
from mlr3py.tasks import TaskClassif, as_task_classif


@pytest.fixture
def weighted_iris() -> TaskClassif:
    df = tsk("iris").data()
    weights = np.where(df["Species"] == "virginica", 1.0, 0.01)
    task = as_task_classif(df.assign(w=weights), target="Species", id="iris_w")
    task.set_col_roles("w", roles=["weights_learner"])
    return task


def test_a_weighted_learner_before_the_last_one_makes_the_graph_use_weights(
        weighted_iris: TaskClassif) -> None:
    graph = po("learner_cv", lrn("classif.featureless")) >> lrn("classif.kknn",
                                                                use_weights="ignore")
    learner = GraphLearner(graph)
    assert "weights" in learner.properties
    assert learner.use_weights == "use"
    learner.train(weighted_iris)
    inner = learner.model.states["classif.featureless"].learner_state.model
    np.testing.assert_allclose(inner.counts, [0.5, 0.5, 50.0])  # the weighted class counts


def test_each_inner_learner_applies_its_own_use_weights(weighted_iris: TaskClassif) -> None:
    learner = GraphLearner(po("learner_cv", lrn("classif.featureless")) >> lrn("classif.kknn"))
    with pytest.raises(InputError, match="Learner 'classif.kknn' cannot be trained"):
        learner.train(weighted_iris)


def test_a_graph_without_weighted_learners_refuses_weights(weighted_iris: TaskClassif) -> None:
    learner = GraphLearner(po("scale") >> lrn("classif.kknn"))
    assert "weights" not in learner.properties
    assert learner.use_weights == "error"
    with pytest.raises(InputError, match="use_weights is 'error'"):
        learner.train(weighted_iris)
    learner.use_weights = "ignore"
    learner.train(weighted_iris)
    assert learner.state is not None


def test_the_last_learner_with_weights_still_decides(weighted_iris: TaskClassif) -> None:
    learner = GraphLearner(po("scale") >> lrn("classif.featureless"))
    assert learner.use_weights == "use"
    learner.train(weighted_iris)
    np.testing.assert_allclose(learner.model.states["classif.featureless"].model.counts,
                               [0.5, 0.5, 50.0])
