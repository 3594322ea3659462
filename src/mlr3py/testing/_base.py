"""Shared machinery of the conformance suite: the error type and the check context."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

__all__ = [
    "Check",
    "ConformanceError",
    "checking",
    "require",
    "require_raises",
    "run_checks",
    "seed_everything",
]

#: A named conformance check: ``(name, callable taking no arguments)``.
Check = tuple[str, Callable[[], None]]


class ConformanceError(AssertionError):
    """An object does not conform to the mlr3py contract.

    Parameters
    ----------
    message : str
        The full message, naming the object, the check and (if any) the task.
    subject : str
        The object that failed, e.g. ``"Learner 'classif.rpart'"``.
    check : str
        The name of the check that failed, e.g. ``"check_prediction"``.
    task : str or None
        The id of the task the check ran on.
    predict_type : str or None
        The predict type the check ran with.
    """

    def __init__(
        self,
        message: str,
        *,
        subject: str = "",
        check: str = "",
        task: str | None = None,
        predict_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.subject = subject
        self.check = check
        self.task = task
        self.predict_type = predict_type


def _where(check: str, task: str | None, predict_type: str | None) -> str:
    where = f"check '{check}'"
    if task is not None:
        where += f" on task '{task}'"
    if predict_type is not None:
        where += f" with predict_type '{predict_type}'"
    return where


@contextmanager
def checking(
    subject: str, check: str, task: str | None = None, predict_type: str | None = None
) -> Iterator[None]:
    """Run a block as one conformance check.

    Any exception raised inside the block (a failed ``assert``-style
    condition or an unexpected error) becomes a :class:`ConformanceError`
    whose message names the subject, the check, the task and the predict type,
    chained to the original exception.

    Parameters
    ----------
    subject : str
        The object under test, e.g. ``"Learner 'classif.rpart'"``.
    check : str
        The check's name.
    task : str or None
        The id of the task in use.
    predict_type : str or None
        The predict type in use.
    """
    try:
        yield
    except ConformanceError:
        raise
    except Exception as exc:
        if isinstance(exc, AssertionError):
            detail = str(exc)
        else:
            detail = f"unexpected {type(exc).__name__}: {exc}"
        raise ConformanceError(
            f"{subject} failed {_where(check, task, predict_type)}: {detail}",
            subject=subject,
            check=check,
            task=task,
            predict_type=predict_type,
        ) from exc


def require(condition: Any, message: str) -> None:
    """Raise ``AssertionError(message)`` unless ``condition`` is true."""
    if not condition:
        raise AssertionError(message)


def require_raises(
    func: Callable[[], Any], expected: type[BaseException] | tuple[type[BaseException], ...],
    what: str,
) -> BaseException:
    """Require ``func()`` to raise ``expected``; return the exception.

    Parameters
    ----------
    func : callable
        The call that must fail.
    expected : exception type or tuple of them
        The accepted exception types.
    what : str
        What was attempted, for the message ("predicting before training").
    """
    names = (
        expected.__name__ if isinstance(expected, type)
        else " or ".join(e.__name__ for e in expected)
    )
    try:
        func()
    except expected as exc:
        return exc
    except Exception as exc:
        raise AssertionError(
            f"{what} must raise {names}, but it raised {type(exc).__name__}: {exc}"
        ) from exc
    raise AssertionError(f"{what} must raise {names}, but it did not raise.")


def seed_everything(seed: int) -> None:
    """Seed numpy's global generator and :mod:`random` (what mlr3py jobs seed)."""
    np.random.seed(seed)  # noqa: NPY002 - the global generator is what users seed
    random.seed(seed)


def run_checks(checks: Iterable[Check], exclude: Iterable[str] = ()) -> None:
    """Run named checks in order, skipping those whose name contains an excluded pattern.

    Parameters
    ----------
    checks : iterable of (name, callable)
        The checks.
    exclude : iterable of str
        Substrings; a check whose name contains one of them is skipped.
    """
    patterns = tuple(exclude)
    for name, check in checks:
        if any(p in name for p in patterns):
            continue
        check()
