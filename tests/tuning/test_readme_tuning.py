"""The README's "Tuning" section runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _tuning_snippet() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Tuning\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1
    return blocks[0]


@pytest.mark.slow
def test_readme_tuning_section_runs(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {}
    exec(compile(_tuning_snippet(), "README.md#tuning", "exec"), namespace)
    instance = namespace["instance"]
    assert instance.archive.n_evals == 10  # type: ignore[attr-defined]
    inner = namespace["rr"]
    assert inner.iters == 3  # type: ignore[attr-defined]
    assert "min_samples_split" in capsys.readouterr().out
