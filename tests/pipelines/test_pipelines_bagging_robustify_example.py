"""The book's bagging / robustify example (examples/pipelines_bagging_robustify.py) runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pipelines_bagging_robustify.py"


@pytest.mark.slow
def test_bagging_robustify_example(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("pipelines_bagging_robustify", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.main()
    out = capsys.readouterr().out
    table = results["by_hand"].set_index("learner_id")["classif.ce"]
    assert table["bagging"] < table["classif.rpart"]  # ten bagged trees beat one
    # greplicate + classifavg by hand and ppl("bagging") build the same learner
    assert float(results["bagging"].aggregate()["classif.ce"]) == pytest.approx(table["bagging"])
    assert "ppl('bagging') holds 22 operators" in out
    assert "without robustify: Task 'penguins' has missing values" in out
    robust = results["robustify"]
    assert robust.errors.empty and float(robust.aggregate()["classif.ce"]) < 0.1
    assert "missind >> imputehist" in out
    assert "tuned thresholds per fold" in out
    assert float(results["threshold"].aggregate()["classif.ce"]) < 0.35
