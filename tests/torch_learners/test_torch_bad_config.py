"""Torch learner settings that cannot work are typed errors, not raw library messages."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from torch.utils.data import BatchSampler, SequentialSampler  # noqa: E402

from mlr3py import lrn, tsk  # noqa: E402
from mlr3py.errors import ConfigError  # noqa: E402


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_without_cuda_is_a_config_error() -> None:
    learner = lrn("classif.mlp", epochs=1, batch_size=16, device="cuda")
    with pytest.raises(ConfigError, match=r"device='cuda'.*no CUDA device.*'cpu'.*'auto'"):
        learner.train(tsk("sonar"))


def test_unknown_cuda_index_is_a_config_error() -> None:
    learner = lrn("regr.mlp", epochs=1, batch_size=16, device="cuda:99")
    with pytest.raises(ConfigError, match=r"device='cuda:99'"):
        learner.train(tsk("mtcars"))


def test_cpu_and_auto_train() -> None:
    for device in ("cpu", "auto"):
        lrn("classif.mlp", epochs=1, batch_size=64, device=device, seed=1).train(tsk("sonar"))


def _batches(dataset: object) -> BatchSampler:
    return BatchSampler(SequentialSampler(dataset), batch_size=50, drop_last=False)


def test_batch_size_with_a_batch_sampler_is_a_config_error() -> None:
    learner = lrn("classif.mlp", epochs=1, batch_size=32, batch_sampler=_batches, seed=1)
    with pytest.raises(ConfigError, match=r"both 'batch_size' \(32\) and 'batch_sampler'"):
        learner.train(tsk("sonar"))
    del learner.param_set.values["batch_size"]
    learner.train(tsk("sonar"))


def test_empty_training_rows_are_named() -> None:
    from mlr3py.errors import InputError

    learner = lrn("classif.mlp", epochs=1, batch_size=8)
    with pytest.raises(InputError, match="0 rows of Task 'iris'"):
        learner.train(tsk("iris"), row_ids=[])


def test_drop_last_with_a_batch_larger_than_the_data_is_refused():
    learner = lrn("classif.mlp", epochs=1, batch_size=1000, drop_last=True)
    with pytest.raises(ConfigError, match="drop_last=True and batch_size=1000.*150 training rows"):
        learner.train(tsk("iris"))
    # without drop_last the one batch holds all rows
    learner = lrn("classif.mlp", epochs=1, batch_size=1000)
    assert learner.train(tsk("iris")).history["train.loss"].notna().all()
