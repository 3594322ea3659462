"""The progress bar over jobs: on when asked or interactive, off otherwise."""

from __future__ import annotations

import pytest

from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample
from mlr3py.execution import plan
from mlr3py.execution._progress import NullProgress, progress_bar, progress_enabled
from mlr3py.options import options
from mlr3py.sugar import lrn, rsmp, tsk


def test_option_validation() -> None:
    options.progress = True
    options.progress = None
    with pytest.raises(ConfigError, match="'progress' must be a bool or None"):
        options.progress = "yes"


def test_off_when_not_interactive_unless_enabled() -> None:
    options.progress = None
    assert not progress_enabled(10)  # pytest captures stderr: not a terminal
    options.progress = True
    assert progress_enabled(10)
    assert not progress_enabled(1)  # a single job
    assert not progress_enabled(10, depth=1)  # inside a worker
    options.progress = False
    assert isinstance(progress_bar(10), NullProgress)


@pytest.mark.parametrize("strategy", ["sequential", "threads"])
def test_bar_is_written_to_stderr_when_enabled(strategy: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    options.progress = True
    with plan(strategy):
        resample(tsk("iris"), lrn("classif.featureless"), rsmp("cv", folds=5), seed=1)
    err = capsys.readouterr().err
    assert "jobs:" in err and "/5" in err


def test_no_output_by_default_in_tests(capsys: pytest.CaptureFixture[str]) -> None:
    resample(tsk("iris"), lrn("classif.featureless"), rsmp("cv", folds=5), seed=1)
    assert "jobs" not in capsys.readouterr().err
