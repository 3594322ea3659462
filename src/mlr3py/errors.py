"""Exception hierarchy of mlr3py.

Every error raised by mlr3py derives from :class:`Mlr3pyError` and also from
the matching built-in exception, so ``except ValueError`` keeps working.

A :class:`ConfigError` (an invalid configuration such as an out-of-bounds
parameter value) never triggers a fallback learner; only errors that happen
while a learner trains or predicts do.
"""

from __future__ import annotations

import builtins

__all__ = [
    "AttributeAssignmentError",
    "BackendConnectionError",
    "ConfigError",
    "InputError",
    "LearnerError",
    "LearnerPredictError",
    "LearnerTrainError",
    "Mlr3pyError",
    "NotTrainedError",
    "StoreError",
    "TerminatedError",
    "TimeoutError",
    "UnknownKeyError",
]


class Mlr3pyError(Exception):
    """Base class of every error raised by mlr3py."""


class ConfigError(Mlr3pyError, ValueError):
    """An object is configured wrongly (parameter values, roles, options)."""


class AttributeAssignmentError(ConfigError, AttributeError):
    """An assignment names no attribute of the object, or names one of its methods.

    Tasks, learners, resamplings and measures refuse such assignments, so a typo
    (``learner.fallbak = ...``) is not silently kept as a new attribute. Inherits
    from :class:`AttributeError` as Python's own refusals (read-only properties,
    ``__slots__``) do.
    """


class UnknownKeyError(ConfigError, KeyError):
    """A key is not in a registry or a parameter set.

    Inherits from :class:`KeyError` so dictionary-style code keeps working, but
    prints its message without the quotes that ``KeyError`` adds.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class InputError(Mlr3pyError, ValueError):
    """Data given to mlr3py is not usable (missing target, unknown rows, ...)."""


class LearnerError(Mlr3pyError, RuntimeError):
    """A learner failed."""


class LearnerTrainError(LearnerError):
    """A learner failed while training."""


class LearnerPredictError(LearnerError):
    """A learner failed while predicting."""


class NotTrainedError(LearnerError):
    """A learner was asked to predict before it was trained."""


class TimeoutError(Mlr3pyError, builtins.TimeoutError):  # noqa: A001
    """A learner reached its elapsed time limit."""


class TerminatedError(Mlr3pyError, RuntimeError):
    """An optimization's terminator has fired: no further batch is evaluated.

    Raised by ``TuningInstance.eval_batch()``; a tuner's loop ends on it.
    """


class BackendConnectionError(Mlr3pyError, ConnectionError):
    """A data backend lost its database connection (or could not open it).

    The backend drops the broken connection, so the next query opens a new one:
    in a resampling the job that hit it records the error and the run goes on.
    """


class StoreError(ConfigError):
    """A result store cannot be used as asked: the path is not a store, the store holds
    another run's design, was written by a newer mlr3py, or another run holds its lock.
    The message names the store and says what to do."""
