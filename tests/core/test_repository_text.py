"""The repository's text files hold no leftover merge-conflict markers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)
SUFFIXES = {".md", ".py", ".toml", ".sh", ".cfg", ".txt", ".yml", ".yaml"}


def _tracked_text_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in out.splitlines() if Path(name).suffix in SUFFIXES]


def test_no_merge_conflict_markers() -> None:
    files = _tracked_text_files()
    assert files, "git ls-files listed no text files"
    bad = [f"{path.relative_to(ROOT)}:{text[:m.start()].count(chr(10)) + 1}"
           for path in files if path.exists()
           for text in [path.read_text(encoding="utf-8", errors="replace")]
           for m in MARKER.finditer(text)]
    assert not bad, f"merge-conflict markers left in: {', '.join(bad)}"
