"""The torch graph example (examples/torch_graph.py) runs and shows what it says."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow
def test_torch_graph_example(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("torch_graph_example",
                                                  EXAMPLES / "torch_graph.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.main()
    out = capsys.readouterr().out
    assert "(linear): Linear(in_features=4, out_features=10, bias=True)" in out
    assert "(head): Linear(in_features=10, out_features=3, bias=True)" in out
    assert "torch_ingress_categ: int64 [4, 1]" in out
    # better than guessing: 1/3 on iris, about 1/2 on the two-class task
    assert results["acc"] > 0.7
    assert results["acc_embeddings"] > 0.65
    archive = results["tuning"].archive.data
    assert len(archive) == 4 and archive["linear.out_features"].between(4, 32).all()
