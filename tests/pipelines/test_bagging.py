"""po("replicate"), ppl("greplicate") and ppl("bagging") (mlr3pipelines' pipeline_bagging)."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import lrn, resample, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.pipelines import PipeOpLearner, as_learner, po, ppl


def test_replicate_passes_its_input_reps_times() -> None:
    task = tsk("iris")
    outs = po("replicate", reps=3).train([task])
    assert len(outs) == 3 and all(o.nrow == task.nrow for o in outs)
    assert outs[0] is not outs[1]  # each copy is its own task
    with pytest.raises(ConfigError, match="'reps' of PipeOp 'replicate' must be an int >= 1"):
        po("replicate", reps=0)


def test_greplicate_copies_with_suffixed_ids() -> None:
    graph = ppl("greplicate", po("pca") >> lrn("classif.rpart"), 2)
    assert sorted(graph.pipeops) == ["classif.rpart_1", "classif.rpart_2", "pca_1", "pca_2"]
    assert {(e.src_id, e.dst_id) for e in graph.edges} == {
        ("pca_1", "classif.rpart_1"), ("pca_2", "classif.rpart_2")}
    assert "pca_2.rank" in graph.param_set.ids()
    with pytest.raises(ConfigError, match="'n' of ppl\\('greplicate'\\)"):
        ppl("greplicate", po("pca"), 0)


def test_bagging_graph_structure() -> None:
    graph = ppl("bagging", lrn("classif.rpart"), iterations=4, frac=0.5)
    assert len(graph.pipeops) == 1 + 4 + 4 + 1
    assert "classifavg" in graph.pipeops
    assert graph.pipeops["subsample_3"].param_set.values["frac"] == 0.5
    regr = ppl("bagging", lrn("regr.rpart"), iterations=2)
    assert "regravg" in regr.pipeops
    none = ppl("bagging", lrn("regr.rpart"), iterations=2, averager=False)
    assert len(none.output) == 2


def test_bagging_predicts_the_average_of_its_trees() -> None:
    task = tsk("sonar")
    learner = as_learner(ppl("bagging", lrn("classif.rpart"), iterations=5, frac=0.7))
    learner.predict_type = "prob"
    np.random.seed(3)  # noqa: NPY002 - the subsamples draw from numpy's stream
    learner.train(task)
    pred = learner.predict(task)
    model = learner.graph_model
    members = [op for op in model.pipeops.values() if isinstance(op, PipeOpLearner)]
    assert len(members) == 5
    probs = [op.learner_model.predict(task).prob_matrix for op in members]
    assert np.allclose(pred.prob_matrix, np.mean(probs, axis=0))
    assert {op.learner_model.state.n_train for op in members} == {round(0.7 * task.nrow)}
    assert not all(np.allclose(probs[0], p) for p in probs[1:])  # the trees differ


def test_bagging_resampled_beside_a_single_tree() -> None:
    task = tsk("sonar")
    bagged = as_learner(ppl("bagging", lrn("classif.rpart"), iterations=5, frac=0.7))
    rr = resample(task, bagged, rsmp("cv", folds=3), seed=1)
    single = resample(task, lrn("classif.rpart"), rsmp("cv", folds=3), seed=1)
    assert 0 <= float(rr.aggregate()["classif.ce"]) < 0.5
    assert 0 <= float(single.aggregate()["classif.ce"]) < 0.5
    assert rr.errors.empty


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"iterations": 0}, "'iterations' of ppl\\('bagging'\\) must be an int >= 1"),
    ({"frac": 1.5}, "'frac' of ppl\\('bagging'\\) must be a number in \\[0, 1\\]"),
    ({"replace": "yes"}, "'replace' of ppl\\('bagging'\\) must be a bool"),
])
def test_bagging_bad_arguments(kwargs: dict, match: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=match):
        ppl("bagging", lrn("classif.rpart"), **kwargs)


def test_bagging_without_learner_needs_an_averager() -> None:
    with pytest.raises(ConfigError, match="cannot choose an averager"):
        ppl("bagging", po("pca"), iterations=2)
