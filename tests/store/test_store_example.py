"""The result store example (examples/result_store.py): killed half-way, nothing lost."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow
@pytest.mark.subprocess
def test_result_store_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("result_store_example",
                                                  EXAMPLES / "result_store.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.main(str(tmp_path))
    out = capsys.readouterr().out
    assert "killed the run (exit status -9)" in out
    status = results["status"]
    assert 8 <= int(status["done"].sum()) < 16 and int(status["running"].sum()) == 0
    assert results["resumed"].score().shape[0] == 16
    assert results["same"] is True
    assert "same scores as an uninterrupted run: True" in out
