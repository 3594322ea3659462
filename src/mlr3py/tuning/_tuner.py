"""Tuner base class, its registry ``mlr_tuners`` and the sugar ``tnr()``.

A tuner proposes configurations and hands them to
:meth:`TuningInstance.eval_batch`; :meth:`Tuner.optimize` checks that the search
space fits, runs the subclass's ``_optimize`` loop until the terminator fires (a
:class:`~mlr3py.errors.TerminatedError`) or the tuner's design is exhausted, and
assigns the result from the archive.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, overload

import pandas as pd

from mlr3py.errors import ConfigError, TerminatedError
from mlr3py.log import tuning_logger
from mlr3py.params import ParamSet, ps
from mlr3py.registry import Dictionary
from mlr3py.tuning._instance import TuningInstance
from mlr3py.tuning._terminator import Terminator

__all__ = ["PARAM_CLASSES", "TUNER_PROPERTIES", "Tuner", "mlr_tuners", "tnr", "tnrs"]

PARAM_CLASSES = ("ParamInt", "ParamDbl", "ParamFct", "ParamLgl", "ParamUty")
TUNER_PROPERTIES = frozenset({"dependencies", "single-crit", "multi-crit"})


class Tuner:
    """Base class of tuners.

    A subclass implements :meth:`_optimize` (a loop of ``instance.eval_batch(...)``
    calls) and registers itself with ``mlr_tuners.add(key, cls)``.

    Parameters
    ----------
    id : str
        Key of the tuner, e.g. ``"random_search"``.
    param_set : ParamSet, optional
        The tuner's control parameters (``batch_size``, ``resolution``, ...).
    param_classes : iterable of str
        Parameter classes the tuner can search (``"ParamDbl"``, ...).
    properties : iterable of str
        ``"dependencies"``, ``"single-crit"``, ``"multi-crit"``.
    label : str
    packages : iterable of str
        Python packages the tuner needs.

    Attributes
    ----------
    ends_by_itself : bool
        True when the tuner proposes a finite design (grid, given points) and so
        stops without a terminator.
    needs_bounds : bool
        True when every numeric parameter must be bounded (sampling tuners).
    """

    ends_by_itself: bool = False
    needs_bounds: bool = True

    def __init__(
        self,
        id: str,  # noqa: A002 - mlr3's name
        param_set: ParamSet | None = None,
        param_classes: Iterable[str] = PARAM_CLASSES,
        properties: Iterable[str] = ("dependencies", "single-crit", "multi-crit"),
        label: str = "",
        packages: Iterable[str] = (),
    ) -> None:
        self.id = id
        self.param_set = param_set if param_set is not None else ps()
        self.param_set.context = f"Tuner '{id}'"
        self.param_classes = tuple(param_classes)
        unknown_cls = set(self.param_classes) - set(PARAM_CLASSES)
        if unknown_cls:
            raise ConfigError(f"Tuner '{id}' has unknown param_classes {sorted(unknown_cls)}; "
                              f"allowed are {list(PARAM_CLASSES)}.")
        self.properties = set(properties)
        unknown = self.properties - TUNER_PROPERTIES
        if unknown:
            raise ConfigError(f"Tuner '{id}' has unknown properties {sorted(unknown)}; "
                              f"allowed are {sorted(TUNER_PROPERTIES)}.")
        self.label = label
        self.packages = tuple(packages)

    # ---- checks ---------------------------------------------------------------------------
    def check_instance(self, instance: TuningInstance) -> None:
        """Raise a ConfigError when this tuner cannot optimize ``instance``.

        Checks the instance type, single-/multi-criteria support, the search space's
        parameter classes, bounds and dependencies, and that the run can end (a
        tuner without a finite design needs a terminator that can fire).
        """
        if not isinstance(instance, TuningInstance):
            raise ConfigError(f"Tuner '{self.id}' optimizes a TuningInstance (see ti()). "
                              f"Got {instance!r:.80} instead.")
        crit = "multi-crit" if instance.is_multi_crit else "single-crit"
        if crit not in self.properties:
            raise ConfigError(
                f"Tuner '{self.id}' does not support {crit} tuning "
                f"({len(instance.measures)} measures given); it supports "
                f"{sorted(self.properties & {'single-crit', 'multi-crit'})}."
            )
        space = instance.search_space
        for key, domain in space.params.items():
            if domain.cls not in self.param_classes:
                raise ConfigError(
                    f"Tuner '{self.id}' cannot search the '{key}' parameter of class "
                    f"{domain.cls}; it supports {list(self.param_classes)}. Give '{key}' a "
                    "type it supports, e.g. p_dbl(lower, upper)."
                )
            if self.needs_bounds and not domain.is_bounded:
                raise ConfigError(
                    f"Tuner '{self.id}' needs bounded parameters, but the '{key}' parameter "
                    f"of the search space ({domain.describe()}) is unbounded. Give it finite "
                    "bounds, e.g. to_tune(1, 100)."
                )
        if space.has_deps and "dependencies" not in self.properties:
            raise ConfigError(f"Tuner '{self.id}' cannot handle dependencies between "
                              "parameters, but the search space has some. Remove them or use "
                              "another tuner.")
        self.check_terminator(instance.terminator)
        self._check_instance(instance)

    def check_terminator(self, terminator: Terminator) -> None:
        """Raise unless tuning with ``terminator`` ends: the tuner ends by itself or the
        terminator can fire.

        Raises
        ------
        ConfigError
            Naming the tuner and the terminator, and saying to set one that fires.
        """
        if not self.ends_by_itself and not terminator.can_terminate:
            raise ConfigError(
                f"Tuner '{self.id}' proposes configurations without end, and "
                f"Terminator '{terminator.id}' can never fire, so tuning would not "
                "stop. Set term_evals= or term_time=, or pass a terminator such as "
                "trm('evals', n_evals=50)."
            )

    def _check_instance(self, instance: TuningInstance) -> None:
        """Further checks of a subclass (raise a ConfigError)."""

    # ---- optimization ---------------------------------------------------------------------
    def optimize(self, instance: TuningInstance) -> pd.DataFrame:
        """Tune: evaluate batches until the terminator fires or the design ends.

        Parameters
        ----------
        instance : TuningInstance

        Returns
        -------
        pandas.DataFrame
            ``instance.result``.

        The instance's callbacks are called at their stages, from
        ``on_optimization_begin`` (after the checks) to ``on_optimization_end``.
        """
        self.check_instance(instance)
        tuning_logger.info(
            "Starting to optimize %d parameter(s) with Tuner '%s' and %r",
            len(instance.search_space), self.id, instance.terminator,
        )
        instance.run_callbacks("on_optimization_begin")
        try:
            self._optimize(instance)
        except TerminatedError:
            pass
        else:
            if instance.is_terminated:
                instance.archive.stop_reason = instance.terminator.reason(instance.archive)
            else:
                instance.archive.stop_reason = f"Tuner '{self.id}' evaluated its whole design."
        if instance.archive.n_evals == 0:
            raise ConfigError(f"Tuner '{self.id}' evaluated no configuration "
                              f"({instance.archive.stop_reason}). Give it a larger budget.")
        self._assign_result(instance)
        assert instance.result is not None
        tuning_logger.info("Finished optimizing after %d evaluation(s): %s",
                           instance.archive.n_evals, instance.archive.stop_reason)
        tuning_logger.info("Result:\n%s", instance.result.drop(columns=["x_domain"])
                           .to_string(index=False))
        instance.run_callbacks("on_optimization_end")
        return instance.result

    def _optimize(self, instance: TuningInstance) -> None:
        raise NotImplementedError(f"Tuner '{self.id}' does not implement _optimize().")

    def _assign_result(self, instance: TuningInstance) -> None:
        """Assign the archive's best configuration(s) (the Pareto front with several
        measures) as the result."""
        best = instance.archive.best()
        instance.assign_result(best[instance.archive.cols_x], best[instance.archive.cols_y])

    def _values(self) -> dict[str, Any]:
        """The control parameters with defaults filled in."""
        values = dict(self.param_set.default)
        values.update(self.param_set.get_values())
        return values

    # ---- misc -----------------------------------------------------------------------------
    def clone(self) -> Tuner:
        """An independent deep copy."""
        return copy.deepcopy(self)

    def _dict_row(self) -> dict[str, Any]:
        return {"label": self.label, "param_classes": list(self.param_classes),
                "properties": sorted(self.properties), "packages": list(self.packages)}

    def __repr__(self) -> str:
        values = self.param_set.get_values()
        shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
        return f"<{type(self).__name__}> {self.id}({shown})"


mlr_tuners: Dictionary[Tuner] = Dictionary("mlr_tuners", "Tuner")


@overload
def tnr() -> Dictionary[Tuner]: ...
@overload
def tnr(key: str, **kwargs: Any) -> Tuner: ...
def tnr(key: str | None = None, **kwargs: Any) -> Tuner | Dictionary[Tuner]:
    """Build the tuner registered under ``key`` in ``mlr_tuners``; without a key, the
    registry itself (as mlr3's ``tnr()``: ``tnr().keys()``, ``tnr().as_table()``).

    Examples
    --------
    >>> from mlr3py.tuning import tnr
    >>> tuner = tnr("random_search", batch_size=10)
    """
    if key is None:
        if kwargs:
            raise ConfigError(f"tnr() got settings ({', '.join(kwargs)}) but no key; "
                              f"name the tuner: tnr(\"<key>\", ...). "
                              f"Keys: {mlr_tuners.keys()}.")
        return mlr_tuners
    return mlr_tuners.get(key, **kwargs)


def tnrs(keys: Iterable[str], **kwargs: Any) -> list[Tuner]:
    """Build one tuner per key."""
    return mlr_tuners.mget(keys, **kwargs)
