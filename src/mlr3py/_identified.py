"""The ``id`` and ``label`` fields shared by tasks, learners, resamplings and measures."""

from __future__ import annotations

from typing import ClassVar

from mlr3py._guarded import GuardedAttributes
from mlr3py.errors import ConfigError

__all__ = ["Identified"]


class Identified(GuardedAttributes):
    """Mixin: a validated, settable ``id`` and ``label``.

    Assigning an attribute the object does not have, or one of its methods, raises
    :class:`~mlr3py.errors.AttributeAssignmentError` (see :mod:`mlr3py._guarded`).

    The id also names the object in its parameter set's messages
    (``"The 'cp' parameter of Learner 'classif.rpart' must be ..."``), so renaming
    an object renames it there too.

    Attributes
    ----------
    _kind : str
        How messages name the class: ``"Task"``, ``"Learner"``, ...
    """

    _kind: ClassVar[str] = "Object"
    _id: str
    _label: str | None

    @property
    def id(self) -> str:
        """The object's identifier (settable, a non-empty str)."""
        return self._id

    @id.setter
    def id(self, value: str) -> None:
        if not isinstance(value, str) or not value:
            raise ConfigError(
                f"The id of a {self._kind} must be a non-empty string. Got {value!r} instead."
            )
        self._id = value
        # a parameter set not built yet (or built lazily) is named when it is built
        param_set = getattr(self, "param_set", None)
        if param_set is not None:
            param_set.context = f"{self._kind} '{value}'"

    @property
    def label(self) -> str | None:
        """A one-line description (settable, a str or None)."""
        return self._label

    @label.setter
    def label(self, value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise ConfigError(
                f"The label of {self._kind} '{self.id}' must be a string. Got {value!r} instead."
            )
        self._label = value
