"""The book's chapter 3 (examples/book_3_evaluation.py): resampling, benchmarking and
ROC analysis."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "book_3_evaluation.py"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("book_3_evaluation", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # the example's dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def test_chapter_3(example: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    result = example.main()
    out = capsys.readouterr().out
    assert result.cv_test_sizes == [115, 115, 114]
    # every fold holds rows of each mpg bin, the rare high-mpg bin included
    assert all(len(fold) == 3 and min(fold.values()) >= 1 for fold in result.mpg_bins_per_fold)
    # grouping by cyl: one number of cylinders per fold, each in one fold only
    assert sorted(c for fold in result.cyl_per_fold for c in fold) == [4.0, 6.0, 8.0]
    assert result.scores["classif.ce"].max() < 0.15
    assert result.bmr.n_resample_results == 5
    assert result.bmr.learner_ids == ["classif.rpart", "classif.featureless", "classif.ranger"]
    table = result.thresholds
    # a higher threshold for the positive class: fewer positives, so FPR and TPR fall
    assert np.all(np.diff(table["classif.fpr"]) <= 1e-12)
    assert np.all(np.diff(table["classif.tpr"]) <= 1e-12)
    assert "positive class: good" in out
    assert "features of the first tree: [" in out
