"""TuningInstance: the tuning problem (task, learner, resampling, measures, search space,
terminator) and its archive (mlr3tuning's ``TuningInstanceBatchSingleCrit`` /
``...MultiCrit`` in one class).

A batch of configurations is evaluated as ONE :func:`~mlr3py.evaluation.benchmark`
call: every configuration (transformed with the search space's trafos and set on a
clone of the learner) x every iteration of the resampling, which is instantiated
once so all configurations see the same folds. Each batch's seed is derived from
the instance's seed and the batch number, so the same seed gives the same archive
under every plan and worker count.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from mlr3py._rng import instantiation_rng, make_root_seed
from mlr3py.errors import ConfigError, TerminatedError, UnknownKeyError
from mlr3py.evaluation import BenchmarkResult, benchmark
from mlr3py.evaluation._resample import (
    check_instance_fits,
    check_learner,
    check_resampling,
    check_task,
)
from mlr3py.evaluation._stream import benchmark_stream
from mlr3py.learners import Learner
from mlr3py.log import tuning_logger
from mlr3py.measures import Measure, resolve_measures
from mlr3py.params import Design, ParamSet, TuneToken
from mlr3py.registry import did_you_mean
from mlr3py.resamplings import Resampling
from mlr3py.tasks import Task
from mlr3py.tuning._archive import ArchiveTuning
from mlr3py.tuning._batch import (
    Batch,
    batch_name,
    batch_rows,
    configured,
    make_batch,
    point_text,
    same_points,
)
from mlr3py.tuning._batch_stream import BatchSource
from mlr3py.tuning._callbacks import (
    ContextBatchTuning,
    archive_stages,
    check_callbacks,
    run_stage,
)
from mlr3py.tuning._instance_result import InstanceResult
from mlr3py.tuning._internal_tuning import (
    INTERNAL_COLUMN,
    aggregate_internal_tuned_values,
    internal_search_space,
    set_internal_upper,
)
from mlr3py.tuning._measures_fit import check_measures_fit
from mlr3py.tuning._search_space_fit import check_search_space_fits
from mlr3py.tuning._terminator import Terminator

__all__ = ["TuningInstance", "check_measures_fit"]

# Spawn-key branches of the instance seed (batches use (batch_nr,)).
_TUNER_BRANCH = 2**32 + 1
_RESAMPLING_BRANCH = 2**32 + 2


def _token_example(param_set: ParamSet) -> str:
    """``learner.param_set.values[...] = to_tune(...)`` for one of ``param_set``'s
    bounded numeric parameters (the text of an error's hint)."""
    for pid, domain in param_set.params.items():
        if domain.cls in ("ParamInt", "ParamDbl") and domain.is_bounded:
            return (f"learner.param_set.values['{pid}'] = "
                    f"to_tune({domain.lower!r}, {domain.upper!r})")
    return "learner.param_set.values['<parameter>'] = to_tune(lower, upper)"


class TuningInstance(InstanceResult):
    """A tuning problem and its evaluations.

    Parameters
    ----------
    task : Task
    learner : Learner
        Its values may hold :func:`~mlr3py.params.to_tune` tokens, which then give the
        search space.
    resampling : Resampling
        Instantiated once on ``task`` (a clone, unless already instantiated on it).
    measures : Measure, str, list of those, or None
        None: the task type's default measure. Several measures make a multi-criteria
        problem whose result is the Pareto front.
    terminator : Terminator
        When to stop (checked before each batch).
    search_space : ParamSet, optional
        The space to search; default: built from the learner's tuning tokens.
    store_models : bool
        Keep the trained models in the archive's resample results.
    seed : int, optional
        Root seed; None draws one from numpy's global generator.
    callbacks : CallbackBatchTuning or list of those, optional
        Called at the stages of the run (:mod:`mlr3py.tuning._callbacks`), e.g.
        ``clbk("mlr3tuning.measures", measures=["classif.acc"])``.
    store_benchmark_result : bool
        Keep each evaluation's ResampleResult (its predictions, and its models with
        ``store_models``) in the archive (default). False: the archive keeps the scores,
        condition counts and configurations only; a batch's results are dropped once
        it is archived (its callbacks see them), so a run holds the predictions of one
        batch at a time, not of every evaluation (mlr3tuning's
        ``store_benchmark_result``).

    Attributes
    ----------
    task, learner, resampling, measures, search_space, terminator, archive, seed, callbacks
    result : pandas.DataFrame or None
        The best configuration(s) once assigned: search-space columns,
        ``learner_param_vals``, ``x_domain`` and one column per measure.
    """

    def __init__(
        self,
        task: Task,
        learner: Learner,
        resampling: Resampling,
        measures: Any = None,
        terminator: Terminator | None = None,
        search_space: ParamSet | None = None,
        store_models: bool = False,
        seed: int | None = None,
        callbacks: Any = None,
        store_benchmark_result: bool = True,
    ) -> None:
        self.task = check_task(task, "task")
        self.learner = check_learner(learner, self.task, "learner").clone()
        self.resampling = check_resampling(resampling, "resampling")
        self.measures: list[Measure] = resolve_measures(measures, self.task.task_type,
                                                        f"Task '{self.task.id}'")
        check_measures_fit(self.measures, self.task, self.learner)
        if terminator is None:
            from mlr3py.tuning.terminators import TerminatorNone

            terminator = TerminatorNone()
        if not isinstance(terminator, Terminator):
            raise ConfigError(f"The 'terminator' argument must be a Terminator, e.g. "
                              f"trm('evals', n_evals=20). Got {terminator!r} instead.")
        terminator.param_set.get_values(check_required=True)
        crit = "multi-crit" if len(self.measures) > 1 else "single-crit"
        if crit not in terminator.properties:
            raise ConfigError(f"Terminator '{terminator.id}' does not support {crit} "
                              f"optimization (it supports {sorted(terminator.properties)}).")
        self.terminator = terminator
        #: Parameters the learner tunes itself (``to_tune(..., internal=True)``), or None.
        self.internal_search_space = internal_search_space(self.learner)
        self.search_space = self._resolve_search_space(search_space)
        if not isinstance(store_models, bool):
            raise ConfigError(f"The 'store_models' argument must be a bool. "
                              f"Got {store_models!r} instead.")
        self.store_models = store_models
        if not isinstance(store_benchmark_result, bool):
            raise ConfigError(f"The 'store_benchmark_result' argument must be a bool. "
                              f"Got {store_benchmark_result!r} instead.")
        self.store_benchmark_result = store_benchmark_result
        self.seed = make_root_seed(seed)
        if self.resampling.is_instantiated:
            check_instance_fits(self.resampling, self.task)
        else:
            self.resampling = self.resampling.clone().instantiate(
                self.task, seed=instantiation_rng(self.seed, _RESAMPLING_BRANCH))
        self.archive = ArchiveTuning(self.search_space, self.measures)
        if self.internal_search_space is not None:
            self.archive.cols_extra.append(INTERNAL_COLUMN)
        self.result: pd.DataFrame | None = None
        self.store: Any = None  # a JobStore while tune(..., store=) runs
        self.callbacks = check_callbacks(callbacks)

    def run_callbacks(self, stage: str, **fields: Any) -> ContextBatchTuning:
        """Call ``stage`` of the callbacks with a context of this instance and ``fields``;
        the context, as the callbacks left it."""
        context = ContextBatchTuning(self, **fields)
        run_stage(self.callbacks, stage, context)
        return context

    # ---- setup ----------------------------------------------------------------------------
    def _resolve_search_space(self, search_space: ParamSet | None) -> ParamSet:
        tokens = {k: v for k, v in self.learner.param_set.tune_tokens().items()
                  if not v.internal}
        if search_space is None:
            if not tokens:
                raise ConfigError(
                    f"Learner '{self.learner.id}' has no parameter set to to_tune() and no "
                    "search_space was given: there is nothing to tune. Set e.g. "
                    f"{_token_example(self.learner.param_set)} or pass search_space=ps(...)."
                )
            return self.learner.param_set.search_space()
        if not isinstance(search_space, ParamSet):
            raise ConfigError(f"The 'search_space' argument must be a ParamSet, e.g. "
                              f"ps(cp=p_dbl(1e-4, 0.1)). Got {search_space!r} instead.")
        if tokens:
            raise ConfigError(
                f"Learner '{self.learner.id}' has to_tune() values ({sorted(tokens)}) and a "
                "search_space was given as well. Use one of the two."
            )
        if len(search_space) == 0:
            raise ConfigError("The search_space is empty: there is nothing to tune. "
                              "Give it at least one parameter.")
        if not search_space.has_trafo:  # a trafo may rename, add or drop parameters
            known = list(self.learner.param_set.ids())
            for key in search_space.ids():
                if key not in known:
                    raise UnknownKeyError(
                        f"The search space has the parameter '{key}', which Learner "
                        f"'{self.learner.id}' does not have." + did_you_mean(key, known))
        check_search_space_fits(search_space, self.learner)
        return search_space

    @property
    def is_multi_crit(self) -> bool:
        """Whether several measures are optimized (the result is a Pareto front)."""
        return len(self.measures) > 1

    @property
    def is_terminated(self) -> bool:
        """Whether the terminator has fired on the archive."""
        return self.terminator.is_terminated(self.archive)

    def tuner_rng(self, after: int | None = None) -> np.random.Generator:
        """A generator for a tuner's draws after ``after`` batches, derived from :attr:`seed`.

        Parameters
        ----------
        after : int, optional
            The number of batches evaluated before the draws; default: the archive's
            (:attr:`ArchiveTuning.n_batch`). So a second ``optimize()`` on the same
            instance continues the search with new draws instead of repeating the first
            call's, and the same seed still gives the same archive.

        Returns
        -------
        numpy.random.Generator
            A fresh generator; the same ``after`` gives the same stream.
        """
        nr = self.archive.n_batch if after is None else int(after)
        return np.random.default_rng(np.random.SeedSequence(self.seed,
                                                            spawn_key=(_TUNER_BRANCH, nr)))

    def batch_seed(self, batch_nr: int) -> int:
        """The root seed of the benchmark of batch ``batch_nr``."""
        sequence = np.random.SeedSequence(self.seed, spawn_key=(int(batch_nr),))
        return int(sequence.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))

    # ---- evaluation -----------------------------------------------------------------------
    def _as_points(self, xs: pd.DataFrame | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        if isinstance(xs, Design):
            xs = xs.data
        if isinstance(xs, pd.DataFrame):
            points = Design(self.search_space, xs).transpose(trafo=False)
        elif isinstance(xs, Sequence) and not isinstance(xs, str) and all(
                isinstance(x, Mapping) for x in xs):
            points = [dict(x) for x in xs]
        else:
            raise ConfigError("eval_batch() takes a DataFrame (one column per search-space "
                              f"parameter) or a list of dicts. Got {xs!r:.80} instead.")
        if not points:
            raise ConfigError("eval_batch() got no configuration; pass at least one.")
        for point in points:
            problems = self.search_space.check(point, check_required=False)
            if problems is not True:
                raise ConfigError(f"The configuration {point_text(point)} does not fit the "
                                  f"search space: {problems}")
        return points

    def configure_learner(self, x_domain: Mapping[str, Any]) -> Learner:
        """A clone of the learner with the transformed configuration ``x_domain`` set
        (tuning tokens removed)."""
        return configured(self._untuned_learner(), x_domain)

    def _untuned_learner(self) -> Learner:
        """A clone of the learner without its tuning tokens: each configuration of a batch
        is set on a clone of it."""
        learner = self.learner.clone()
        param_set = learner.param_set
        tokens = [k for k, v in param_set.values.items() if isinstance(v, TuneToken)]
        if tokens:
            param_set.values = {k: v for k, v in param_set.values.items() if k not in tokens}
        set_internal_upper(learner, self.internal_search_space)
        return learner

    def eval_batch(self, xs: pd.DataFrame | Sequence[Mapping[str, Any]],
                   extra: pd.DataFrame | None = None) -> pd.DataFrame:
        """Evaluate configurations (untransformed search-space values) as one batch.

        Parameters
        ----------
        xs : pandas.DataFrame or list of dict
            One row / dict per configuration; NaN / None (DataFrame) marks an inactive
            parameter.

        Returns
        -------
        pandas.DataFrame
            The new rows of the archive (the measure columns hold the scores).

        Raises
        ------
        TerminatedError
            If the terminator fired before this batch.
        ConfigError
            If a configuration does not fit the search space or its transformed values
            are rejected by the learner (naming it and the batch); earlier batches stay
            in the archive.
        """
        if self.is_terminated:
            self.stop()
        batch = self.prepare_batch(xs, extra, self.archive.n_batch + 1)
        if self.store is not None:
            kept = self.store.get_object(batch_name(batch.nr))
            if kept is not None and same_points(kept, batch.x_domains):
                tuning_logger.info("Batch %d is in the store: read, not evaluated", batch.nr)
                new = self.archive.add_rows(kept).copy()
                self.run_callbacks("on_optimizer_after_eval", batch=batch)
                return new
        design = pd.DataFrame(batch.cells(), columns=["task", "learner", "resampling"])
        measures = self.kept_scores()
        bmr = benchmark(design, store_models=self.store_models, seed=self.batch_seed(batch.nr),
                        store=self.store, store_predictions=measures is None,
                        measures=measures)
        return self.archive_batch(batch, bmr)

    def kept_scores(self) -> list[Measure] | None:
        """The measures a batch's jobs score and keep instead of their predictions, or None
        (the predictions are kept).

        Without ``store_benchmark_result`` no one reads a prediction after its batch is
        scored, unless a callback does (its ``benchmark_result``): each job then keeps
        the instance's scores only, and a test set on files or in a database is scored
        as it streams (:func:`~mlr3py.evaluation.resample`'s ``store_predictions=False``).
        """
        if getattr(self, "store_benchmark_result", True) or self.callbacks:
            return None
        return list(self.measures)

    def stop(self) -> NoReturn:
        """Record why the terminator fired and raise :class:`~mlr3py.errors.TerminatedError`."""
        self.archive.stop_reason = self.terminator.reason(self.archive)
        raise TerminatedError(f"Tuning stopped: {self.archive.stop_reason}")

    def prepare_batch(self, xs: pd.DataFrame | Sequence[Mapping[str, Any]],
                      extra: pd.DataFrame | None, batch_nr: int) -> Batch:
        """Check and transform the configurations of batch ``batch_nr`` and set each on a
        clone of the learner (:func:`~mlr3py.tuning._batch.make_batch`).

        Raises
        ------
        ConfigError
            If a configuration does not fit the search space or the learner rejects its
            transformed values (naming it and the batch).
        """
        if self.callbacks:
            xs = self.run_callbacks("on_optimizer_before_eval", xs=xs).xs
        points = self._as_points(xs)
        extras = self.archive.check_extra(extra, len(points))
        if self.archive.start_time is None:
            self.archive.start_time = time.time()
        batch = make_batch(batch_nr, points, extras, self.search_space,
                           self._untuned_learner(), self.task, self.resampling)
        self.run_callbacks("on_eval_after_design", batch=batch)
        return batch

    def archive_batch(self, batch: Batch, bmr: BenchmarkResult) -> pd.DataFrame:
        """Score the batch's resample results and add them to the archive; its new rows."""
        new = self._archive(batch, bmr, frame=True)
        assert new is not None
        return new.copy()

    def archive_batch_rows(self, batch: Batch, bmr: BenchmarkResult) -> None:
        """As :meth:`archive_batch`, without a frame of the new rows: they become part of
        one frame with the other batches' when the archive's data is read."""
        self._archive(batch, bmr, frame=False)

    def _archive(self, batch: Batch, bmr: BenchmarkResult, frame: bool) -> pd.DataFrame | None:
        rows = batch_rows(batch, bmr, self.measures, self.archive.cols_x)
        if self.internal_search_space is not None:
            for row in rows:
                row[INTERNAL_COLUMN] = aggregate_internal_tuned_values(
                    row["resample_result"], self.internal_search_space)
        if self.callbacks:
            archive_stages(self.callbacks, self, batch, bmr, rows)
        if not getattr(self, "store_benchmark_result", True):  # absent: pickled before
            for row in rows:
                row["resample_result"] = None
        if self.store is not None:
            self.store.put_object(batch_name(batch.nr), rows)
        new: pd.DataFrame | None = None
        if not frame and not tuning_logger.isEnabledFor(20):
            self.archive.append_rows(rows)
        else:
            new = self.archive.add_rows(rows)
        if new is not None and tuning_logger.isEnabledFor(20):
            shown = new[[*self.archive.cols_x, *self.archive.cols_y, "warnings", "errors"]]
            tuning_logger.info("Result of batch %d:\n%s", batch.nr, shown.to_string(index=False))
        self.run_callbacks("on_optimizer_after_eval", batch=batch)
        return new

    def eval_batches(self, proposals: Iterable[pd.DataFrame | Sequence[Mapping[str, Any]]]
                     ) -> None:
        """Evaluate batch after batch of configurations that do not depend on each other's
        scores (a random search, a grid, a given design), until the proposals or the
        terminator end.

        The archive grows batch by batch exactly as with one :meth:`eval_batch` call per
        proposal (the same batches, seeds and scores), but under the process plans a
        batch's jobs are queued behind the running batch's whenever the terminator
        cannot fire before it (:meth:`~mlr3py.tuning.Terminator.allows`), so the workers
        do not wait while the main process builds a batch or scores the last one.

        Parameters
        ----------
        proposals : iterable of pandas.DataFrame or list of dict
            The batches, in order; drawn one at a time, one ahead of the batch being evaluated.

        Raises
        ------
        TerminatedError
            When the terminator fired (the archive's ``stop_reason`` says why).
        ConfigError
            As :meth:`eval_batch`; the batches before the offending one are evaluated
            and archived first.
        """
        if isinstance(proposals, pd.DataFrame | Mapping | str) or not isinstance(
                proposals, Iterable):
            raise ConfigError(
                "eval_batches() takes an iterable of batches (each a DataFrame or a list of "
                f"dicts), e.g. a generator. Got {proposals!r:.80} instead; pass one batch to "
                "eval_batch().")
        if self.store is not None:  # batches read back from a store: one at a time
            for xs in proposals:
                self.eval_batch(xs)
            return
        source = BatchSource(self, iter(proposals))
        benchmark_stream(source, store_models=self.store_models)
        source.finish()

    def __repr__(self) -> str:
        head = (f"<TuningInstance> Task '{self.task.id}', Learner '{self.learner.id}', "
                f"Resampling '{self.resampling.id}', measures {self.archive.cols_y}, "
                f"{self.terminator!r}\nSearch space:\n{self.search_space!r}\n"
                f"Evaluations: {self.archive.n_evals}")
        if self.callbacks:
            head += "\nCallbacks: " + ", ".join(c.id for c in self.callbacks)
        if self.result is not None:
            head += "\nResult:\n" + self.result.drop(columns=["x_domain"]).to_string(index=False)
        return head
