"""The TabNet README example (examples/torch_tabnet_german_credit.py) runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "torch_tabnet_german_credit.py"


def test_example_runs(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("torch_tabnet_german_credit", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    png = tmp_path / "roc.png"
    out = module.main(png)
    printed = capsys.readouterr().out
    confusion = out["confusion"]
    assert int(confusion.to_numpy().sum()) == 100  # rows 900..999
    assert out["accuracy"] == pytest.approx(np.trace(confusion.to_numpy()) / 100)
    prediction = out["prediction"]
    assert list(prediction.row_ids) == list(range(900, 1000))
    assert list(prediction.prob.columns) == ["good", "bad"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    importance = out["importance"]
    assert len(importance) == 20 and importance.sum() == pytest.approx(1.0)
    assert "classif.acc" in printed and "Variable importance" in printed
    assert importance.index[0] in printed


def test_readme_tabular_networks_section_runs(capsys):
    import re

    readme = EXAMPLE.parents[1] / "README.md"
    text = readme.read_text(encoding="utf-8")
    section = text.split("\n## Tabular networks", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md#tabular-networks", "exec"), namespace)
    printed = capsys.readouterr().out
    assert "classif.acc" in printed
    importance = namespace["learner"].importance()
    assert importance.index[0] in printed
