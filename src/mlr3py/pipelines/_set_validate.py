""":func:`set_validate`: where a learner, or a graph learner and its learners, get their
validation data (mlr3's and mlr3pipelines' ``set_validate()``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.learners import Learner
from mlr3py.pipelines._graph_learner import GraphLearner, _final_learner_ops
from mlr3py.pipelines._validate import check_validate_value
from mlr3py.pipelines.ops_basic import PipeOpLearner

__all__ = ["set_validate"]


def set_validate(learner: Learner, validate: Any, ids: str | Sequence[str] | None = None
                 ) -> Learner:
    """Set where ``learner`` gets its validation data (internal validation, early stopping).

    For a plain learner, its ``validate`` parameter is set. For a
    :class:`~mlr3py.pipelines.GraphLearner`, the graph learner's ``validate`` is set
    and the learners of the operators ``ids`` get ``validate="predefined"``: in
    training they validate on the graph learner's validation data after the graph's
    preprocessing (see :mod:`mlr3py.pipelines._validate`).

    Parameters
    ----------
    learner : Learner
        A learner with the property ``"validation"``, or a graph learner.
    validate : None, float in (0, 1), "test" or "predefined"
        None: no validation (also unset on the operators' learners). A ratio: that
        share of the training rows, not trained on. ``"test"``: the test rows of the
        resampling iteration (in :func:`~mlr3py.resample`, :func:`~mlr3py.benchmark`
        and tuning). ``"predefined"``: the ``internal_valid_task`` set by hand.
    ids : str or sequence of str, optional
        For a graph learner: the ids of the learner operators to validate. Default:
        the learner operator whose prediction the graph outputs (with ``validate``
        None: every learner operator that validates).

    Returns
    -------
    Learner
        ``learner``, changed in place.

    Raises
    ------
    ConfigError
        If ``validate`` is not one of those values, an id is not a learner operator
        of the graph, or a learner has no internal validation.

    Examples
    --------
    >>> from mlr3py import lrn, resample, rsmp, tsk
    >>> from mlr3py.pipelines import as_learner, po, set_validate
    >>> glrn = as_learner(po("scale") >> lrn("classif.xgboost", early_stopping_rounds=5))
    >>> glrn = set_validate(glrn, "test")
    >>> glrn.param_set.values["classif.xgboost.validate"]
    'predefined'
    """
    if not isinstance(learner, Learner):
        raise ConfigError(
            f"set_validate() takes a Learner (e.g. lrn('classif.xgboost') or a graph learner "
            f"from as_learner()). Got {learner!r:.80} (of type {type(learner).__name__}) instead."
        )
    if not isinstance(learner, GraphLearner):
        if ids is not None:
            raise ConfigError(
                f"set_validate() takes ids only for a GraphLearner; Learner '{learner.id}' is "
                f"a {type(learner).__name__}. Drop ids={ids!r}."
            )
        _set_learner(learner, validate)
        return learner
    owner = f"Learner '{learner.id}'"
    validate = check_validate_value(validate, owner)
    if getattr(type(learner), "validate", None) is not GraphLearner.validate:
        # a graph learner that validates its own way (a torch network graph: its model
        # operator's 'validate')
        if ids is not None:
            raise ConfigError(
                f"{owner} (a {type(learner).__name__}) validates in its model operator only; "
                f"drop ids={ids!r}."
            )
        learner.validate = validate
        return learner
    ops = _chosen_ops(learner, validate, ids)
    for op in ops:  # all checked before any is changed
        _check_validates(op.learner, op.id)
    for op in ops:
        _set_learner(op.learner, None if validate is None else "predefined", op.id)
    learner.validate = validate
    return learner


def _chosen_ops(learner: GraphLearner, validate: Any, ids: str | Sequence[str] | None
                ) -> list[PipeOpLearner]:
    graph = learner.graph
    owner = f"Learner '{learner.id}'"
    learner_ops = [op for op in graph.pipeops.values() if isinstance(op, PipeOpLearner)]
    learner_ids = [op.id for op in learner_ops]
    if ids is None:
        if validate is None:
            return [op for op in learner_ops
                    if getattr(op.learner, "validate", None) is not None]
        finals = _final_learner_ops(graph)
        if not finals:
            raise ConfigError(
                f"{owner} has no learner operator feeding its output to validate. Name the "
                f"operators with ids= (its learner operators: {learner_ids or 'none'})."
            )
        return finals
    chosen = [ids] if isinstance(ids, str) else list(ids)
    out: list[PipeOpLearner] = []
    for op_id in chosen:
        op = graph.pipeops.get(op_id)
        if not isinstance(op, PipeOpLearner):
            what = "not an operator" if op is None else f"a {type(op).__name__}, not a learner"
            raise ConfigError(
                f"The id {op_id!r} given to set_validate() is {what} of {owner}. Give the "
                f"ids of learner operators: {', '.join(map(repr, learner_ids)) or 'none'}."
            )
        out.append(op)
    return out


def _check_validates(learner: Learner, op_id: str | None = None) -> None:
    where = f" (PipeOp '{op_id}')" if op_id is not None else ""
    if "validation" not in learner.properties or "validate" not in learner.param_set.params:
        raise ConfigError(
            f"Learner '{learner.id}'{where} has no internal validation (it lacks the property "
            "'validation'), so it cannot validate. Leave it out of ids=, or use a learner "
            "that validates, e.g. lrn('classif.xgboost', early_stopping_rounds=10)."
        )


def _set_learner(learner: Learner, validate: Any, op_id: str | None = None) -> None:
    _check_validates(learner, op_id)
    if validate is None:
        learner.param_set.values.pop("validate", None)
    else:
        learner.param_set.values["validate"] = validate
