"""Resampling strategies and their registry ``mlr_resamplings`` (mlr3's ``mlr_resamplings``).

Keys: ``holdout``, ``cv``, ``repeated_cv``, ``subsampling``, ``bootstrap``,
``insample``, ``loo``, ``custom``, ``custom_cv``.

Examples
--------
>>> from mlr3py.resamplings import mlr_resamplings
>>> cv = mlr_resamplings.get("cv", folds=3)
>>> cv.iters
3
"""

from __future__ import annotations

from mlr3py.registry import Dictionary
from mlr3py.resamplings._base import Resampling, row_hash
from mlr3py.resamplings._counts import CountInstance
from mlr3py.resamplings.custom import CustomInstance, ResamplingCustom, ResamplingCustomCV
from mlr3py.resamplings.cv import ResamplingCV, ResamplingRepeatedCV
from mlr3py.resamplings.holdout import ResamplingHoldout
from mlr3py.resamplings.loo import ResamplingInsample, ResamplingLOO
from mlr3py.resamplings.partition import Partition, partition
from mlr3py.resamplings.subsampling import ResamplingBootstrap, ResamplingSubsampling

__all__ = [
    "CountInstance",
    "CustomInstance",
    "Partition",
    "Resampling",
    "ResamplingBootstrap",
    "ResamplingCV",
    "ResamplingCustom",
    "ResamplingCustomCV",
    "ResamplingHoldout",
    "ResamplingInsample",
    "ResamplingLOO",
    "ResamplingRepeatedCV",
    "ResamplingSubsampling",
    "mlr_resamplings",
    "partition",
    "row_hash",
]

mlr_resamplings: Dictionary[Resampling] = Dictionary("mlr_resamplings", "Resampling")
mlr_resamplings.add("holdout", ResamplingHoldout)
mlr_resamplings.add("cv", ResamplingCV)
mlr_resamplings.add("repeated_cv", ResamplingRepeatedCV)
mlr_resamplings.add("subsampling", ResamplingSubsampling)
mlr_resamplings.add("bootstrap", ResamplingBootstrap)
mlr_resamplings.add("insample", ResamplingInsample)
mlr_resamplings.add("loo", ResamplingLOO)
mlr_resamplings.add("custom", ResamplingCustom)
mlr_resamplings.add("custom_cv", ResamplingCustomCV)
