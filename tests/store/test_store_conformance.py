"""The result store passes the JobStore conformance checks of mlr3py.testing, and the
checks catch a store that breaks the contract."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mlr3py.store import ResultStore
from mlr3py.testing import ConformanceError, check_job_store


def _factories(tmp_path: Path, cls: type = ResultStore) -> Callable[[], Callable[[], Any]]:
    counter = itertools.count()

    def make_stores() -> Callable[[], Any]:
        path = tmp_path / f"store-{next(counter)}"
        return lambda: cls(path)

    return make_stores


def test_the_result_store_conforms(tmp_path: Path) -> None:
    check_job_store(_factories(tmp_path))


class _ForgetfulStore(ResultStore):
    """Reports no job as done: every run computes everything again."""

    def begin_jobs(self, jobs: Any, retry_errors: bool = False) -> set[str]:
        super().begin_jobs(jobs, retry_errors)
        return set()


def test_the_checks_catch_a_store_that_forgets(tmp_path: Path) -> None:
    with pytest.raises(ConformanceError, match="check_job_store_resume.*reported \\[0\\] jobs"):
        check_job_store(_factories(tmp_path, _ForgetfulStore))
