"""Tuning into a result store: the recorded run (:class:`TuningSpec`) and its fingerprint.

``tune(..., store=path)`` records the tuner and the instance before its first batch;
each batch's jobs go to the store as they finish (through ``benchmark(store=...)``),
and each evaluated batch's archive rows are kept as the object ``batch-NNNNN``. A
resumed run optimizes again from the start with the same seed: the tuner proposes
the same configurations (random search, grid search and design points draw from the
instance's seed; optuna's seeded sampler sees the same scores), each batch already
kept is read back instead of evaluated, and jobs of an interrupted batch that
finished are read from the store, so the tuner's state is rebuilt from the archive
and only what never finished runs. A run with another terminator (a larger
``term_evals``) on the same store continues it the same way: the batches kept are read
back, and the store records the new terminator for :func:`mlr3py.resume`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlr3py.evaluation._job_key import experiment_digest, stable_text

if TYPE_CHECKING:
    from mlr3py.tuning._instance import TuningInstance
    from mlr3py.tuning._tuner import Tuner

__all__ = ["TuningSpec", "tuning_fingerprint"]


@dataclass
class TuningSpec:
    """What a store records of a tuning run: the tuner and the instance before tuning."""

    tuner: Tuner
    instance: TuningInstance

    @property
    def root_seed(self) -> int:
        """The instance's seed."""
        return int(self.instance.seed)


def tuning_fingerprint(instance: TuningInstance, tuner: Tuner) -> str:
    """The hash of a tuning run: task, learner, resampling split, search space, measures,
    tuner and seed.

    Not the terminator: it only says when the run stops, and the tuner proposes the
    same batches whatever it says, so a run on the store with another terminator (a
    larger budget) reads the batches kept back and goes on from there.
    """
    resampling = instance.resampling
    splits = [stable_text((resampling.train_set(i), resampling.test_set(i)))
              for i in range(resampling.iters or 0)]
    text = "\n".join([
        experiment_digest(instance.task, instance.learner, resampling, instance.store_models),
        stable_text(splits),
        stable_text(instance.search_space),
        stable_text([m.id for m in instance.measures]),
        stable_text(tuner),
        str(instance.seed),
    ])
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
