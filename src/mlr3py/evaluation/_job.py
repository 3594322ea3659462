"""Jobs and job results: the unit of work of resample() and benchmark().

An experiment (task, learner, resampling) is flattened into one :class:`Job` per
resampling iteration. Running a job gives one :class:`JobResult`. Both are plain
dataclasses that pickle, so execution plans can ship them to other processes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlr3py.execution._threads import learner_threads

if TYPE_CHECKING:
    from mlr3py._rng import JobSeed
    from mlr3py.learners import Learner, LearnerState
    from mlr3py.measures import Measure
    from mlr3py.predictions import Prediction
    from mlr3py.resamplings import Resampling
    from mlr3py.tasks import TaskSupervised

__all__ = ["Experiment", "Job", "JobResult"]


@dataclass
class Experiment:
    """One design row, validated: task, learner and an instantiated resampling.

    ``measures``: where not None, each job scores its predictions with these measures
    where it runs and keeps the scores instead of the predictions
    (``resample(..., store_predictions=False)``).
    """

    task: TaskSupervised
    learner: Learner
    resampling: Resampling
    measures: tuple[Measure, ...] | None = None


@dataclass
class Job:
    """One resampling iteration of one experiment.

    Attributes
    ----------
    task : TaskSupervised
        The task (shared by all jobs of the experiment; never modified).
    learner : Learner
        The experiment's untrained learner, shared by all its jobs and never modified:
        :func:`~mlr3py.evaluation._worker.run_job` trains a clone of it.
    resampling : Resampling
        The instantiated resampling (shared by all jobs of the experiment).
    iteration : int
        The resampling iteration, 0-based: the job trains on
        ``resampling.train_set(iteration)`` and predicts
        ``resampling.test_set(iteration)``.
    seed : int or numpy.random.SeedSequence
        The job's seed, spawned from the run's root seed.
    store_models : bool
        Keep the trained learner (with its model) in the result.
    experiment : int
        Index of the experiment (design row) the job belongs to.
    key : str
        The job's hash (:func:`~mlr3py.evaluation._job_key.job_key`) when the run keeps
        its results in a store; empty otherwise.
    measures : tuple of Measure or None
        The experiment's measures where its jobs keep scores instead of predictions
        (:attr:`Experiment.measures`); None keeps the predictions.
    """

    task: TaskSupervised
    learner: Learner
    resampling: Resampling
    iteration: int
    seed: JobSeed
    store_models: bool = False
    experiment: int = 0
    key: str = ""
    measures: tuple[Measure, ...] | None = None

    def shared_parts(self) -> dict[str, Any]:
        """The objects every job of the experiment holds: its task, learner and resampling."""
        return {"task": self.task, "learner": self.learner, "resampling": self.resampling}

    def with_parts(self, parts: dict[str, Any]) -> Job:
        """This job with its shared parts replaced (by references, or back by the objects)."""
        return dataclasses.replace(self, **parts)

    def log_fields(self) -> dict[str, Any]:
        """The job context stamped on the log records the job emits."""
        return {"task_id": self.task.id, "learner_id": self.learner.id,
                "iteration": self.iteration, "resampling_id": self.resampling.id}

    def threads(self) -> int:
        """How many threads the job's learner asks for."""
        return learner_threads(self.learner)


@dataclass
class JobResult:
    """The record one job produces.

    Attributes
    ----------
    prediction : Prediction or None
        Predictions on the iteration's test set; None when the learner's
        ``predict_sets`` lack ``"test"`` (the test set was not predicted).
    state : LearnerState
        The learner's state after training and predicting; its ``model`` is
        ``None`` unless the job stored models.
    log : list
        The learner's log entries (``LogEntry(stage, cls, msg)``) for this job.
    train_time : float
        Seconds spent training.
    predict_time : float
        Seconds spent predicting.
    iteration : int
        The resampling iteration (0-based).
    seed : int or numpy.random.SeedSequence
        The seed the job ran with.
    learner : Learner or None
        The trained learner, model included, when the job stored models.
    experiment : int
        Index of the experiment (design row) the job belongs to.
    train_prediction : Prediction or None
        Predictions on the iteration's training set, when the learner's
        ``predict_sets`` include ``"train"``; None otherwise.
    scores : dict of str to float, or None
        Measure id -> the iteration's score, for a job that kept scores instead of its
        predictions (:attr:`Job.measures`; ``prediction`` and ``train_prediction``
        are then None); None otherwise.
    """

    prediction: Prediction | None
    state: LearnerState
    log: list[Any] = field(default_factory=list)
    train_time: float = 0.0
    predict_time: float = 0.0
    iteration: int = 0
    seed: JobSeed = 0
    learner: Learner | None = None
    experiment: int = 0
    train_prediction: Prediction | None = None
    scores: dict[str, float] | None = None
