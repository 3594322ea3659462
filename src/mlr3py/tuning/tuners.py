"""The built-in tuners: ``random_search``, ``grid_search`` and ``design_points``
(mlr3tuning's ``TunerBatchRandomSearch``, ``...GridSearch``, ``...DesignPoints``).

A second ``optimize()`` on an instance continues the search: random search draws the
points after those archived, grid search skips the grid points already in the archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from mlr3py.errors import ConfigError
from mlr3py.evaluation._job_key import stable_text
from mlr3py.params import Design, generate_design_grid, generate_design_random, p_int, p_uty, ps
from mlr3py.tuning._instance import TuningInstance
from mlr3py.tuning._tuner import Tuner, mlr_tuners

__all__ = ["TunerDesignPoints", "TunerGridSearch", "TunerRandomSearch"]

_SAMPLABLE = ("ParamInt", "ParamDbl", "ParamFct", "ParamLgl")


def _eval_in_chunks(instance: TuningInstance, data: pd.DataFrame, batch_size: int) -> None:
    instance.eval_batches(data.iloc[start:start + batch_size].reset_index(drop=True)
                          for start in range(0, len(data), batch_size))


def _random_batches(instance: TuningInstance, batch_size: int) -> Iterator[pd.DataFrame]:
    # one stream for the whole search, drawn point after point (a batch of 20 draws what
    # 20 batches of one draw): the same seed gives the same points whatever the batch
    # size; a search continued by a second optimize() first skips the draws of the
    # points already archived, so one run in two calls equals one run in one call
    # (points are drawn in blocks of at least _BLOCK_POINTS and handed out batch by batch:
    # the same points, without the cost of a design per batch of one)
    space = instance.search_space
    rng = instance.tuner_rng(after=0)
    rng.random((instance.archive.n_evals, len(space)))
    block = batch_size * max(1, -(-_BLOCK_POINTS // batch_size))
    while True:
        data = generate_design_random(space, block, seed=rng).data
        for start in range(0, block, batch_size):
            yield data.iloc[start:start + batch_size].reset_index(drop=True)


_BLOCK_POINTS = 64


def _not_evaluated(instance: TuningInstance, data: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``data`` whose configurations are not in the archive yet."""
    if instance.archive.n_evals == 0:
        return data
    space = instance.search_space
    archived = instance.archive.data[list(space.ids())]
    seen = {stable_text(p) for p in Design(space, archived).transpose(trafo=False)}
    keep = [stable_text(p) not in seen for p in Design(space, data).transpose(trafo=False)]
    return data.loc[keep]


class TunerRandomSearch(Tuner):
    """Random search: each batch is ``batch_size`` points drawn uniformly
    (:func:`~mlr3py.params.generate_design_random`) from one generator derived from the
    instance's seed, so the same seed draws the same points whatever the batch size (a
    second ``optimize()`` draws the points after those archived). Runs until the
    terminator fires."""

    def __init__(self) -> None:
        super().__init__(
            "random_search",
            ps(batch_size=p_int(1, None, init=1, tags="required")),
            param_classes=_SAMPLABLE,
            label="Random Search",
        )

    def _optimize(self, instance: TuningInstance) -> None:
        instance.eval_batches(_random_batches(instance, int(self._values()["batch_size"])))


class TunerGridSearch(Tuner):
    """Grid search: the grid (:func:`~mlr3py.params.generate_design_grid` with
    ``resolution`` / ``param_resolutions``) is shuffled with the instance's seed and
    evaluated ``batch_size`` points at a time, until it is done or the terminator fires.
    A second ``optimize()`` evaluates only the grid points not in the archive yet."""

    ends_by_itself = True

    def __init__(self) -> None:
        super().__init__(
            "grid_search",
            ps(resolution=p_int(1, None, init=10),
               param_resolutions=p_uty(_check_resolutions),
               batch_size=p_int(1, None, init=1, tags="required")),
            param_classes=_SAMPLABLE,
            label="Grid Search",
        )

    def _grid(self, instance: TuningInstance) -> Design:
        values = self._values()
        return generate_design_grid(instance.search_space, values.get("resolution"),
                                    param_resolutions=values.get("param_resolutions"))

    def _check_instance(self, instance: TuningInstance) -> None:
        self._grid(instance)  # resolutions fit the search space

    def _optimize(self, instance: TuningInstance) -> None:
        data = self._grid(instance).data
        order = instance.tuner_rng(after=0).permutation(len(data))
        # a grid search continued by a second optimize() goes on where it stopped
        data = _not_evaluated(instance, data.iloc[order])
        if len(data):
            _eval_in_chunks(instance, data, int(self._values()["batch_size"]))


def _check_resolutions(value: Any) -> bool | str:
    if value is None:
        return True
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return True
    return f"must be a dict of parameter id -> int resolution, got {value!r}"


def _check_design(value: Any) -> bool | str:
    if isinstance(value, Design | pd.DataFrame):
        return True
    return f"must be a Design or a pandas DataFrame, got {type(value).__name__}"


class TunerDesignPoints(Tuner):
    """Evaluate the given points (``design``: a :class:`~mlr3py.params.Design` or a
    DataFrame with one column per search-space parameter) in order, ``batch_size`` at a
    time."""

    ends_by_itself = True
    needs_bounds = False

    def __init__(self) -> None:
        super().__init__(
            "design_points",
            ps(design=p_uty(_check_design, tags="required"),
               batch_size=p_int(1, None, init=1, tags="required")),
            label="Design Points",
        )

    def _design_data(self, instance: TuningInstance) -> pd.DataFrame:
        design = self._values().get("design")
        if design is None:
            raise ConfigError("Tuner 'design_points' has no design. Set it: "
                              "tnr('design_points', design=pd.DataFrame({...})).")
        data = design.data if isinstance(design, Design) else design
        unknown = [c for c in data.columns if c not in instance.search_space.params]
        missing = [k for k in instance.search_space.ids() if k not in data.columns]
        if unknown or missing:
            raise ConfigError(
                f"The design of Tuner 'design_points' must have one column per search-space "
                f"parameter {instance.search_space.ids()}; unknown columns {unknown}, "
                f"missing {missing}."
            )
        if data.empty:
            raise ConfigError("The design of Tuner 'design_points' has no rows; give at "
                              "least one point.")
        return data

    def _check_instance(self, instance: TuningInstance) -> None:
        self._design_data(instance)

    def _optimize(self, instance: TuningInstance) -> None:
        _eval_in_chunks(instance, self._design_data(instance), int(self._values()["batch_size"]))


mlr_tuners.add("random_search", TunerRandomSearch)
mlr_tuners.add("grid_search", TunerGridSearch)
mlr_tuners.add("design_points", TunerDesignPoints)
