"""A branch selection changed after training is reported as such."""

from __future__ import annotations

import pytest

from mlr3py import lrn
from mlr3py.errors import ConfigError
from mlr3py.pipelines import as_learner, gunion, po
from mlr3py.tasks import TaskClassif


def test_changed_selection_names_the_untrained_operator(task_numeric: TaskClassif) -> None:
    graph = (po("branch", ["pca", "nop"]) >> gunion([po("pca"), po("nop")])
             >> po("unbranch") >> lrn("classif.rpart"))
    learner = as_learner(graph)
    learner.param_set.values["branch.selection"] = "pca"
    learner.train(task_numeric)
    learner.param_set.values["branch.selection"] = "nop"
    with pytest.raises(ConfigError, match=r"PipeOp 'nop' was not trained.*train again"):
        learner.predict(task_numeric)
    learner.train(task_numeric)
    assert len(learner.predict(task_numeric).row_ids) == task_numeric.nrow


def test_operator_on_inactive_branch_predicts_no_op(task_numeric: TaskClassif) -> None:
    graph = po("branch", ["pca", "nop"]) >> gunion([po("pca"), po("nop")]) >> po("unbranch")
    graph.train(task_numeric)
    assert graph.pipeops["nop"].state is not None
    out = graph.predict(task_numeric)
    assert out["unbranch.output"].feature_names[0] == "PC1"
