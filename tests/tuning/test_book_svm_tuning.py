"""The book's chapter 4 opening example (examples/book_4_svm_tuning.py): SVM tuning on sonar."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "book_4_svm_tuning.py"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("book_4_svm_tuning", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_grid_search_on_both_scales(
    example: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    linear, logged = example.main(resolution=3)
    out = capsys.readouterr().out
    assert out.startswith("original scale: {'C': ")
    assert "log scale: {'C': " in out
    for instance in (linear, logged):
        archive = instance.archive.data
        assert len(archive) == 9  # a 3 x 3 grid
        assert list(archive["batch_nr"].value_counts().sort_index()) == [5, 4]
        assert archive["classif.ce"].min() < 0.3  # sonar's featureless error is about 0.47
    # on the original scale the grid is linear in C, on the log scale in log(C)
    assert sorted(set(linear.archive.data["C"])) == pytest.approx([0.1, 50000.05, 1e5])
    assert sorted(set(logged.archive.data["C"])) == pytest.approx(
        [np.log(0.1), (np.log(0.1) + np.log(1e5)) / 2, np.log(1e5)]
    )
    x_domain = logged.archive.data["x_domain"].iloc[0]
    assert x_domain["C"] == pytest.approx(np.exp(logged.archive.data["C"].iloc[0]))
    assert logged.result_learner_param_vals["kernel"] == "rbf"
