"""The PipeOp registry :data:`mlr_pipeops` and the sugar :func:`po` / :func:`pos`.

``po("scale", center=False)`` builds a registered operator and sets parameter
values (or fields such as ``id``); ``po(StandardScaler())`` wraps any
scikit-learn transformer, ``po(lrn("classif.rpart"))`` a learner.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.learners import Learner
from mlr3py.pipelines._pipeop import PipeOp
from mlr3py.registry import Dictionary, apply_kwargs

__all__ = ["as_pipeop", "mlr_pipeops", "po", "pos"]


class _PipeOpDictionary(Dictionary[PipeOp]):
    """A registry whose constructors take arguments (``po("copy", outnum=3)``)."""

    def get(self, key: str, *args: Any, **kwargs: Any) -> PipeOp:
        """Build the operator ``key``.

        Keyword arguments that the constructor takes go to it; the others set
        parameter values or fields of the new operator.
        """
        self._check_key(key)
        constructor = self._items[key]
        try:
            accepted = set(inspect.signature(constructor).parameters)
        except (TypeError, ValueError):  # pragma: no cover - builtins
            accepted = set()
        ctor = {k: v for k, v in kwargs.items() if k in accepted and k != "id"}
        rest = {k: v for k, v in kwargs.items() if k not in ctor}
        obj = constructor(*args, **ctor)
        return apply_kwargs(obj, rest, f"PipeOp '{key}'")


#: The registry of pipeline operators (mlr3pipelines' ``mlr_pipeops``).
mlr_pipeops: _PipeOpDictionary = _PipeOpDictionary("mlr_pipeops", "PipeOp")


def as_pipeop(obj: Any, clone: bool = False) -> PipeOp:
    """``obj`` as a PipeOp: a PipeOp (cloned if asked), a learner or a scikit-learn transformer."""
    from mlr3py.pipelines.ops_basic import PipeOpLearner
    from mlr3py.pipelines.ops_sklearn import PipeOpSklearn, is_sklearn_transformer

    if isinstance(obj, PipeOp):
        return obj.clone() if clone else obj
    if isinstance(obj, Learner):
        return PipeOpLearner(obj)
    if is_sklearn_transformer(obj):
        return PipeOpSklearn(obj)
    from mlr3py.pipelines.ops_filter import as_filter_op

    op = as_filter_op(obj)
    if op is not None:
        return op
    raise ConfigError(
        f"Cannot make a PipeOp of {type(obj).__name__}. Pass a PipeOp, a key of mlr_pipeops "
        "(po('scale')), a Learner, a Filter or a scikit-learn transformer."
    )


def po(obj: Any, *args: Any, **kwargs: Any) -> PipeOp:
    """Build a PipeOp (mlr3pipelines' ``po()``).

    Parameters
    ----------
    obj : str, PipeOp, Learner, Filter or scikit-learn transformer
        A key of :data:`mlr_pipeops`, or an object to wrap.
    *args
        Passed to the operator's constructor (e.g. the filter of ``po("filter", flt("anova"))``).
    **kwargs
        Constructor arguments, parameter values (``center=False``) or fields (``id="s2"``).

    Examples
    --------
    >>> from sklearn.preprocessing import StandardScaler
    >>> po("scale", center=False).param_set.values["center"]
    False
    >>> po(StandardScaler()).id
    'standardscaler'
    """
    if isinstance(obj, str):
        return mlr_pipeops.get(obj, *args, **kwargs)
    if args:
        raise ConfigError(f"po() takes extra positional arguments only with a key. Got {args!r}.")
    op = as_pipeop(obj, clone=isinstance(obj, PipeOp))
    return apply_kwargs(op, kwargs, f"PipeOp '{op.id}'")


def pos(keys: Iterable[str], **kwargs: Any) -> list[PipeOp]:
    """Build one PipeOp per key, each with the same keyword arguments."""
    return [po(k, **kwargs) for k in keys]
