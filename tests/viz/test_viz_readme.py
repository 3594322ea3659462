"""The README's "Pictures" section runs as written and its pictures are small files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Pictures\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.slow
def test_readme_pictures_section_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (block,) = re.findall(r"```python\n(.*?)```", _section(), flags=re.S)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md#pictures", "exec"), namespace)
    assert (tmp_path / "roc.png").stat().st_size > 0
    assert len(namespace["fig"].axes) == 2  # type: ignore[attr-defined]


def test_readme_pictures_exist_and_are_small() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", _section())
    assert images
    for image in images:
        path = ROOT / image
        assert path.read_bytes()[:4] == b"\x89PNG"
        assert path.stat().st_size < 100_000
