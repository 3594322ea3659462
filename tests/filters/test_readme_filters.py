"""The README's "Filters" section runs as written and its comments hold."""

from __future__ import annotations

import re
from pathlib import Path

from mlr3py.filters import select_features

README = Path(__file__).resolve().parents[2] / "README.md"


def _filters_snippet() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Filters\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_readme_filters_section_runs() -> None:
    namespace: dict[str, object] = {}
    exec(compile(_filters_snippet(), "README.md#filters", "exec"), namespace)
    scores = namespace["scores"]
    assert select_features(scores, nfeat=5) == ["V11", "V12", "V49", "V10", "V45"]  # type: ignore[arg-type]
    assert len(select_features(scores, frac=0.25)) == 15  # type: ignore[arg-type]
