"""Encapsulation settings of a learner: ``encapsulation``, ``timeout``, ``fallback``.

:class:`EncapsulationMixin` gives :class:`~mlr3py.learners.Learner` its
encapsulation fields and runs its train and predict hooks through
:func:`mlr3py.encapsulation.encapsulate`. The fallback logic lives in
:mod:`mlr3py.learners._fallback`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from mlr3py.encapsulation import (
    STAGES,
    EncapsulationResult,
    check_method,
    check_timeout,
    encapsulate,
    preload_modules,
)
from mlr3py.errors import ConfigError
from mlr3py.learners._parallel_predict import parallel_predict_data

if TYPE_CHECKING:
    from mlr3py.learners._base import Learner
    from mlr3py.predictions import PredictionData
    from mlr3py.tasks import TaskSupervised

__all__ = ["EncapsulationMixin", "check_fallback"]

_STAGES = STAGES

# encapsulation children ("process") run learners on tasks: import both when they start
preload_modules("mlr3py.learners", "mlr3py.tasks")
_NONE = {"train": "none", "predict": "none"}
_NO_LIMIT = {"train": math.inf, "predict": math.inf}


class EncapsulationMixin:
    """Encapsulation, timeouts and the fallback learner of a learner.

    Attributes
    ----------
    encapsulation : dict
        Method per stage, ``{"train": ..., "predict": ...}``, each one of
        ``"none"`` (default), ``"try"``, ``"evaluate"``, ``"process"`` (alias
        ``"callr"``). Assign a dict or one method for both stages.
    timeout : dict
        Elapsed-time limit per stage in seconds (``inf``: none, the default).
        Assign a dict or one number for both stages. Setting a finite limit
        for a stage whose method is ``"none"`` switches that stage to
        ``"evaluate"`` (as setting a fallback does), so the limit is enforced;
        a method set to ``"none"`` afterwards ignores the limit.
    fallback : Learner or None
        A learner trained alongside, whose predictions replace this learner's
        when training or predicting failed and fill in missing predictions.
        Setting one on a learner without encapsulation switches it to ``"evaluate"``.
    """

    id: str
    task_type: ClassVar[str]
    predict_type: str
    predict_types: list[str]
    parallel_predict: bool

    # -- encapsulation ---------------------------------------------------------------
    @property
    def encapsulation(self) -> dict[str, str]:
        """Method per stage (see the class docstring)."""
        return dict(getattr(self, "_encapsulation", None) or _NONE)

    @encapsulation.setter
    def encapsulation(self, value: str | Mapping[str, str]) -> None:
        self._encapsulation = _per_stage(
            value, lambda v: check_method(v, f"Learner '{self.id}'"), self.encapsulation,
            "encapsulation", self.id,
        )

    @property
    def timeout(self) -> dict[str, float]:
        """Elapsed-time limit per stage in seconds (``inf``: none)."""
        return dict(getattr(self, "_timeout", None) or _NO_LIMIT)

    @timeout.setter
    def timeout(self, value: float | Mapping[str, float]) -> None:
        self._timeout = _per_stage(
            value, lambda v: check_timeout(v, f"Learner '{self.id}'"), self.timeout,
            "timeout", self.id,
        )
        # as with a fallback: a limit is enforced, so a stage without encapsulation gets one
        unenforced = [
            stage for stage, limit in self._timeout.items()
            if not math.isinf(limit) and self.encapsulation[stage] == "none"
        ]
        if unenforced:
            self.encapsulation = dict.fromkeys(unenforced, "evaluate")

    @property
    def fallback(self) -> Learner | None:
        """The fallback learner, or None."""
        return getattr(self, "_fallback", None)

    @fallback.setter
    def fallback(self, value: Learner | None) -> None:
        if value is not None:
            check_fallback(self, value)
            if all(m == "none" for m in self.encapsulation.values()):
                self.encapsulation = "evaluate"
        self._fallback = value

    def encapsulate(self, method: str = "evaluate", fallback: Learner | None = None) -> Any:
        """Set the encapsulation method of both stages and the fallback; returns ``self``.

        Parameters
        ----------
        method : str
            ``"none"``, ``"try"``, ``"evaluate"``, ``"process"`` or ``"callr"``.
        fallback : Learner, optional
            The fallback learner (replaces the current one; None removes it).

        Examples
        --------
        >>> learner = lrn("classif.debug", error_train=0.5)
        >>> learner.encapsulate("process", lrn("classif.featureless"))
        """
        self.encapsulation = method
        if fallback is not None:
            check_fallback(self, fallback)
        self._fallback = fallback
        return self

    # -- running the hooks -----------------------------------------------------------
    def _run_stage(self, stage: str, attr: str, task: TaskSupervised) -> EncapsulationResult:
        """Run ``getattr(self, attr)(task)`` with the stage's method and time limit."""
        method = self.encapsulation[stage]
        limit = self.timeout[stage]
        return encapsulate(method, stage, self, attr, (task,), None if math.isinf(limit) else limit)

    def _predict_step(self, task: TaskSupervised) -> PredictionData:
        """The predict hook: ``_predict``, or chunked through the plan (``parallel_predict``)."""
        if self.parallel_predict:
            return parallel_predict_data(self, task)  # type: ignore[arg-type]
        return self._predict(task)  # type: ignore[attr-defined]


def _per_stage(
    value: Any, check: Any, current: dict[str, Any], what: str, owner: str
) -> dict[str, Any]:
    if isinstance(value, Mapping):
        unknown = [k for k in value if k not in _STAGES]
        if unknown:
            raise ConfigError(
                f"The {what} of Learner '{owner}' takes the stages 'train' and 'predict'. "
                f"Got {unknown} instead."
            )
        out = dict(current)
        out.update({k: check(v) for k, v in value.items()})
        return out
    checked = check(value)
    return dict.fromkeys(_STAGES, checked)


def check_fallback(learner: Any, fallback: Any) -> None:
    """Raise a ConfigError unless ``fallback`` can stand in for ``learner``."""
    if not isinstance(fallback, EncapsulationMixin):  # every Learner is one
        raise ConfigError(
            f"The fallback of Learner '{learner.id}' must be a Learner (e.g. "
            f"lrn('{learner.task_type or 'classif'}.featureless')). Got {fallback!r} instead."
        )
    if fallback is learner:
        raise ConfigError(f"Learner '{learner.id}' cannot be its own fallback.")
    if fallback.task_type != learner.task_type:
        raise ConfigError(
            f"The fallback of Learner '{learner.id}' must have task type "
            f"'{learner.task_type}'. Got Learner '{fallback.id}' of task type "
            f"'{fallback.task_type}' instead."
        )
    if learner.predict_type not in fallback.predict_types:
        raise ConfigError(
            f"The fallback of Learner '{learner.id}' must support its predict type "
            f"'{learner.predict_type}'. Learner '{fallback.id}' supports "
            f"{list(fallback.predict_types)} only."
        )
