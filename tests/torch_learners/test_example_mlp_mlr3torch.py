"""The mlr3torch-style MLP example (examples/torch_mlp_mlr3torch.py) runs and shows what it says."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "torch_mlp_mlr3torch.py"


@pytest.mark.slow
def test_mlp_mlr3torch_example(capsys: pytest.CaptureFixture[str]) -> None:
    results = runpy.run_path(str(EXAMPLE))["main"]()
    out = capsys.readouterr().out
    assert "Linear(in_features=60, out_features=32" in out
    assert "Linear(in_features=32, out_features=32" in out
    history = results["learner"].history
    assert {"train.classif.acc", "valid.classif.ce", "lr"} <= set(history.columns)
    assert history["lr"].iloc[0] == 0.01
    assert results["auc"] > 0.7
    archive = results["tuning"].archive.data
    assert len(archive) == 3 and archive["n_layers"].between(1, 3).all()
