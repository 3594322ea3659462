"""Helpers of the store tests: a sleep that counts the trainings, a design, a run script.

It lives in its own module so that worker processes can import it by reference.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pandas as pd

from mlr3py._rng import job_random_state
from mlr3py.evaluation import benchmark_grid
from mlr3py.sugar import lrn, rsmp, tsk


class CountingSleep:
    """A ``sleep_train`` value of ``classif.debug``: appends the job's identity to a file
    (one line per training), then returns ``secs``.

    The identity is a hash of the job's random state, which the job seeds from its own
    seed before it trains: every job has its own, and a rerun of a job writes the same.
    """

    def __init__(self, path: str, secs: float) -> None:
        self.path = path
        self.secs = secs

    def __call__(self) -> float:
        state = job_random_state().get_state()[1]
        ident = hashlib.blake2b(state.tobytes(), digest_size=8).hexdigest()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{ident}\n".encode())
        finally:
            os.close(fd)
        return self.secs


def trainings(path: Path) -> list[str]:
    """The job identities a :class:`CountingSleep` file holds, one per training."""
    return path.read_text().split() if path.exists() else []


def counting_design(count_file: Path, secs: float, folds: int) -> pd.DataFrame:
    """Two debug learners (x = 0.2 and 0.8) on penguins with ``folds``-fold cv; each
    training sleeps ``secs`` seconds and is counted in ``count_file``."""
    learners = []
    for x in (0.2, 0.8):
        learner = lrn("classif.debug", x=x, sleep_train=CountingSleep(str(count_file), secs))
        learner.id = f"debug_{x}"
        learners.append(learner)
    return benchmark_grid(tsk("penguins"), learners, rsmp("cv", folds=folds), seed=7)


def score_table(bmr: Any) -> list[tuple[str, int, float]]:
    """Per-iteration scores (learner id, iteration, classification error), in order."""
    table = bmr.score("classif.ce")
    return list(zip(table["learner_id"], table["iteration"], table["classif.ce"],
                    strict=True))


class RaiseOnce:
    """A ``sleep_train`` value of ``classif.debug`` that raises in the first training
    (it creates ``path`` then) and returns 0 in every later one."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __call__(self) -> float:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return 0.0
        os.close(fd)
        raise RuntimeError("boom in the first training")
