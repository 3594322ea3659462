"""The code of the README's "Pipelines" section runs."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.slow
def test_readme_pipelines_section_runs() -> None:
    text = README.read_text()
    section = text[text.index("## Pipelines"):]
    start = section.index("```python\n") + len("```python\n")
    code = section[start:section.index("```", start)]
    namespace: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the logistic regression's convergence warnings
        exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["instance"].archive.n_evals == 9  # type: ignore[attr-defined]
    assert "unbranch" in namespace["graph"].pipeops  # type: ignore[attr-defined]
    assert "imputeoor" in namespace["robust"].pipeops  # type: ignore[attr-defined]
