"""The pipelines example (examples/pipelines.py) runs and shows what it says."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow
def test_pipelines_example(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("pipelines_example", EXAMPLES / "pipelines.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.main()
    out = capsys.readouterr().out
    assert "Graph with 3 PipeOps" in out and "fold 1 keeps 30 of 60 features" in out
    assert results["tune"].archive.n_evals == 9
    assert set(results["tune"].result_learner_param_vals) >= {"anova.filter_frac",
                                                              "classif.rpart.max_depth"}
    assert set(results["branch"].archive.data["branch.selection"]) == {"pca", "nop"}
    assert {"missind", "imputehist", "imputeoor"} <= set(
        results["robustify"].learner.graph.pipeops)
    assert 0 <= float(results["robustify"].aggregate()["classif.ce"]) < 0.3
