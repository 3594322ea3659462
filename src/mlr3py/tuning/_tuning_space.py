"""Tuning spaces (mlr3tuningspaces): ``TuningSpace``, the registry ``mlr_tuning_spaces``, ``lts()``.

A tuning space is a named set of :func:`~mlr3py.params.to_tune` tokens for one
learner, taken from the literature: ``lts("classif.rpart.default")`` is the
space, ``lts(lrn("classif.rpart"))`` puts the learner's default space on the
learner, ready for :func:`~mlr3py.tuning.tune` or
:func:`~mlr3py.tuning.auto_tuner`. The definitions live in
:mod:`mlr3py.tuning.tuning_spaces`.

Examples
--------
>>> from mlr3py import lrn
>>> from mlr3py.tuning import lts
>>> space = lts("classif.rpart.default")
>>> sorted(space.values)
['ccp_alpha', 'min_samples_leaf', 'min_samples_split']
>>> learner = lts(lrn("classif.rpart"))
>>> learner.param_set.search_space().ids()
['ccp_alpha', 'min_samples_leaf', 'min_samples_split']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, overload

import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.learners import Learner, mlr_learners
from mlr3py.params import ParamSet, TuneToken
from mlr3py.registry import Dictionary

__all__ = ["TuningSpace", "lts", "ltss", "mlr_tuning_spaces"]


@dataclass(frozen=True)
class TuningSpace:
    """A named search space for one learner: the learner's key and the tokens to set on it.

    Parameters
    ----------
    key : str
        The key in :data:`mlr_tuning_spaces`, ``"<learner>.<collection>"``, e.g.
        ``"classif.rpart.default"``.
    learner : str
        The key of the learner in ``mlr_learners``, e.g. ``"classif.rpart"``.
    values : mapping of str to TuneToken
        The tokens (:func:`~mlr3py.params.to_tune`), by parameter id of the learner.
    tags : tuple of str
        Tags to group spaces, e.g. ``("default", "classification")``.
    label : str
        A readable name for tables and plots.
    note : str
        How the space differs from its source (renamed, rescaled or left-out
        parameters).
    """

    key: str
    learner: str
    values: Mapping[str, TuneToken]
    tags: tuple[str, ...] = ()
    label: str = ""
    note: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        for name in ("key", "learner"):
            text = getattr(self, name)
            if not isinstance(text, str) or not text:
                raise ConfigError(f"The {name} of a TuningSpace must be a non-empty string. "
                                  f"Got {text!r} instead.")
        values = dict(self.values)
        for pid, token in values.items():
            if not isinstance(token, TuneToken):
                raise ConfigError(
                    f"The value of '{pid}' in TuningSpace '{self.key}' must be a to_tune() "
                    f"token. Got {token!r} instead."
                )
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "tags", tuple(self.tags))

    def get_learner(self, **kwargs: Any) -> Learner:
        """Build the learner (``lrn(self.learner, **kwargs)``) with the tokens set.

        Parameters
        ----------
        **kwargs
            Parameter values or fields of the new learner, as for ``lrn()``.

        Returns
        -------
        Learner
        """
        learner = mlr_learners.get(self.learner, **kwargs)
        learner.param_set.set_values(**self.values)
        return learner

    def search_space(self) -> ParamSet:
        """The search space the tokens describe on the learner's parameter set."""
        return self.get_learner().param_set.search_space()

    def with_values(self, **tokens: TuneToken | None) -> TuningSpace:
        """A copy with ``tokens`` added or replaced; ``None`` removes a parameter."""
        values = {**self.values, **tokens}
        return dataclasses.replace(
            self, values={k: v for k, v in values.items() if v is not None}
        )

    def as_table(self) -> pd.DataFrame:
        """One row per tuned parameter: id, lower, upper, levels, logscale."""
        rows = []
        for pid, token in self.values.items():
            domain = token.domain
            if domain is not None:
                lower, upper, levels = domain.lower, domain.upper, domain.levels
                logscale = domain.trafo is not None and getattr(domain.trafo, "__name__", "") \
                    == "exp"
            else:
                lower, upper, levels, logscale = token.lower, token.upper, token.levels, \
                    token.logscale
            rows.append({"id": pid, "lower": lower, "upper": upper,
                         "levels": None if levels is None else list(levels),
                         "logscale": logscale})
        return pd.DataFrame(rows, columns=["id", "lower", "upper", "levels", "logscale"])

    def _dict_row(self) -> dict[str, Any]:
        return {"label": self.label, "learner": self.learner, "n_values": len(self.values)}

    def __repr__(self) -> str:
        label = f": {self.label}" if self.label else ""
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"<TuningSpace:{self.key}{label}> {shown}"


mlr_tuning_spaces: Dictionary[TuningSpace] = Dictionary("mlr_tuning_spaces", "TuningSpace")
"""The registry of tuning spaces: ``mlr_tuning_spaces.get("classif.rpart.default")``."""


@overload
def lts() -> Dictionary[TuningSpace]: ...
@overload
def lts(x: str, **tokens: TuneToken | None) -> TuningSpace: ...
@overload
def lts(x: Learner, **tokens: TuneToken | None) -> Learner: ...


def lts(
    x: str | Learner | None = None, **tokens: TuneToken | None
) -> TuningSpace | Learner | Dictionary[TuningSpace]:
    """Get a tuning space, or put a learner's default tuning space on it.

    - ``lts()``: the registry :data:`mlr_tuning_spaces`.
    - ``lts("classif.rpart.default")``: the :class:`TuningSpace` of that key.
    - ``lts(learner)``: sets the tokens of the space ``"<learner.id>.default"``
      (or, for a learner with another id, the default space of its class) on
      ``learner``'s parameter values (in place, as in mlr3tuningspaces) and
      returns the learner.

    Parameters
    ----------
    x : str, Learner or None
        A key of :data:`mlr_tuning_spaces` or a learner.
    **tokens : TuneToken or None
        Tokens that add to or replace the space's; ``None`` drops a parameter.

    Returns
    -------
    TuningSpace, Learner or Dictionary

    Raises
    ------
    UnknownKeyError
        If no space has the key (the message suggests close keys).
    ConfigError
        If the learner has no default tuning space, or a token is no ``to_tune()``.

    Examples
    --------
    >>> from mlr3py.params import to_tune
    >>> space = lts("classif.rpart.default", max_depth=to_tune(1, 10), ccp_alpha=None)
    >>> sorted(space.values)
    ['max_depth', 'min_samples_leaf', 'min_samples_split']
    """
    if x is None:
        if tokens:
            raise ConfigError("lts() without a key or learner takes no tokens. Give a key, "
                              "e.g. lts('classif.rpart.default', cp=None).")
        return mlr_tuning_spaces
    if isinstance(x, Learner):
        space = _default_space(x)
        if tokens:
            space = space.with_values(**tokens)
        x.param_set.set_values(**space.values)
        return x
    if not isinstance(x, str):
        raise ConfigError(f"lts() takes a key of mlr_tuning_spaces or a Learner. "
                          f"Got {x!r} instead.")
    space = mlr_tuning_spaces.get(x)
    return space.with_values(**tokens) if tokens else space


def ltss(keys: Iterable[str]) -> list[TuningSpace]:
    """One tuning space per key of :data:`mlr_tuning_spaces`."""
    return mlr_tuning_spaces.mget(keys)


def _default_space(learner: Learner) -> TuningSpace:
    key = f"{learner.id}.default"
    if key in mlr_tuning_spaces:
        return mlr_tuning_spaces.get(key)
    # a learner with another id: look its class up among the learners with a space
    for other in mlr_tuning_spaces.keys(f"{learner.task_type}.*.default"):
        space = mlr_tuning_spaces.get(other)
        if type(mlr_learners.get(space.learner)) is type(learner):
            return space
    keys = mlr_tuning_spaces.keys(f"{learner.task_type}.*") or mlr_tuning_spaces.keys()
    raise ConfigError(
        f"Learner '{learner.id}' has no default tuning space ('{key}' is not in "
        f"mlr_tuning_spaces). The spaces for its task type: {', '.join(keys)}. Give the "
        "learner to_tune() tokens yourself, or take a space by key: lts('<key>').get_learner()."
    )
