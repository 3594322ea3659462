"""Bad network graphs get clear errors that name the problem and the fix."""

from __future__ import annotations

import pytest
import torch

from mlr3py import tsk
from mlr3py.errors import ConfigError, InputError
from mlr3py.pipelines import po
from mlr3py.torch import as_learner_torch, nn


def _model(**args):  # type: ignore[no-untyped-def]
    return po("torch_model_classif", epochs=1, batch_size=16, seed=1, **args)


def test_graph_without_ingress() -> None:
    # a task fed to a layer: refused when the edge is made
    with pytest.raises(ConfigError, match="'scale'.*starts with an ingress.*torch_ingress_num"):
        po("scale") >> nn("linear", out_features=4)
    graph = nn("linear", out_features=4) >> nn("head") >> _model()
    with pytest.raises(ConfigError, match="no ingress.*po\\('torch_ingress_num'\\)"):
        as_learner_torch(graph)


def test_graph_without_head() -> None:
    graph = po("torch_ingress_num") >> nn("linear", out_features=3) >> _model()
    with pytest.raises(ConfigError, match="no output layer.*nn\\('head'\\)"):
        as_learner_torch(graph)
    # trained directly as a graph, the model operator says the same
    with pytest.raises(ConfigError, match="no output layer.*nn\\('head'\\)"):
        graph.train(tsk("iris"))


def test_graph_without_model_operator() -> None:
    with pytest.raises(ConfigError, match="exactly one po\\('torch_model_classif'\\)"):
        as_learner_torch(po("torch_ingress_num") >> nn("head"))


def test_head_size_that_does_not_fit_the_task() -> None:
    # a layer after the head: 5 outputs for 3 classes
    graph = (po("torch_ingress_num") >> nn("head") >> nn("linear", out_features=5) >> _model())
    learner = as_learner_torch(graph)
    with pytest.raises(ConfigError, match=r"outputs shape \[None, 5\].*needs 3 output unit"):
        learner.train(tsk("iris"))
    # one unit for two classes, not from nn('head', last), but a cross-entropy loss wants two
    graph = (po("torch_ingress_num") >> nn("head") >> nn("relu")
             >> po("torch_loss", "cross_entropy") >> _model())
    with pytest.raises(ConfigError, match="needs 2 output unit.*drop po\\('torch_loss'"):
        as_learner_torch(graph).train(tsk("sonar"))


def test_ingress_for_a_feature_type_the_task_lacks() -> None:
    graph = (po("torch_ingress_categ") >> nn("embedding", embedding_dim=2) >> nn("flatten")
             >> nn("head") >> _model())
    with pytest.raises(InputError, match="torch_ingress_categ.*Task 'iris' has none"):
        as_learner_torch(graph).train(tsk("iris"))


def test_out_features_below_one() -> None:
    with pytest.raises(ConfigError, match="out_features.*>= 1.*Got 0"):
        nn("linear", out_features=0)
    learner = as_learner_torch(po("torch_ingress_num") >> nn("linear", out_features=2)
                               >> nn("head") >> _model())
    with pytest.raises(ConfigError, match="linear.out_features"):
        learner.param_set.values["linear.out_features"] = -3


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA device")
def test_cuda_without_gpu() -> None:
    learner = as_learner_torch(po("torch_ingress_num") >> nn("head") >> _model(device="cuda"))
    with pytest.raises(ConfigError, match="device='cuda', but no CUDA device is available"):
        learner.train(tsk("iris"))


def test_embedding_must_follow_a_categorical_ingress(mixed_task) -> None:
    graph = po("torch_ingress_num") >> nn("embedding", embedding_dim=2)
    with pytest.raises(ConfigError, match="must directly follow po\\('torch_ingress_categ'\\)"):
        graph.train(mixed_task)


def test_branches_from_different_tasks(mixed_task) -> None:
    from mlr3py.pipelines import gunion

    graph = (po("copy", outnum=2)
             >> gunion([po("scale") >> po("torch_ingress_num") >> nn("linear", out_features=2),
                        po("torch_ingress_num", id="num2") >> nn("linear_2", out_features=2)])
             >> nn("merge_sum"))
    with pytest.raises(ConfigError, match="different tasks.*before the point where"):
        graph.train(mixed_task)


def test_merge_of_unequal_shapes(mixed_task) -> None:
    from mlr3py.pipelines import gunion

    graph = (po("copy", outnum=2)
             >> gunion([po("torch_ingress_num") >> nn("linear", out_features=3),
                        po("torch_ingress_categ")])
             >> nn("merge_sum"))
    with pytest.raises(ConfigError, match="branches of one shape.*\\[None, 3\\], \\[None, 2\\]"):
        graph.train(mixed_task)


def test_block_of_non_layer_operators() -> None:
    with pytest.raises(ConfigError, match="layer operators.*'scale'"):
        nn("block", po("scale"))


def test_duplicate_layer_ids() -> None:
    from mlr3py.pipelines import Graph

    graph = Graph()
    with pytest.raises(ConfigError, match="already has a PipeOp with id 'linear'"):
        graph.add_pipeop(nn("linear", out_features=2)).add_pipeop(nn("linear", out_features=2))
