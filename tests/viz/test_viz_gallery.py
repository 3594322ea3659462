"""The gallery example writes a PNG of every plot type."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow
def test_gallery_writes_every_plot_type(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("gallery", EXAMPLES / "gallery.py")
    assert spec is not None and spec.loader is not None
    gallery = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gallery)
    files = gallery.main(str(tmp_path), quick=True)
    names = {f.stem for f in files}
    expected = {
        *(f"prediction_classif_{t}" for t in ("roc", "prc", "threshold", "confusion",
                                              "stacked")),
        *(f"prediction_regr_{t}" for t in ("xy", "residual", "histogram", "confidence")),
        *(f"resample_result_{t}" for t in ("boxplot", "histogram", "roc", "prc", "prediction")),
        *(f"benchmark_result_{t}" for t in ("boxplot", "roc", "prc", "ci")),
        *(f"tuning_instance_{t}" for t in ("performance", "incumbent", "marginal", "parallel",
                                           "points", "pairs", "surface")),
        "tuning_hyperband_budget", "task_classif_target", "task_classif_duo",
        "task_classif_pairs", "task_regr_duo", "learner_rpart_tree",
        "importance_importance", "graph_branch_graph", "graph_learner_graph",
    }
    if importlib.util.find_spec("torch") is not None:
        expected |= {"torch_learner_history", "batches_default_batches"}
    assert expected <= names
    for path in files:
        assert path.parent == tmp_path
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
