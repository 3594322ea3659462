"""A task's rows as tensors: :class:`TaskDataset`.

The features become one float32 matrix per training call (factor features
one-hot encoded, ordered features as level indices, logicals as 0 / 1; see
:mod:`mlr3py.learners._encode`) and the target one tensor. A batch is taken by
indexing both with the batch's index vector, ``dataset[idx]``, so no per-row
Python code runs. Position ``i`` of the tensors is row id ``row_ids[i]``.

With a :class:`~mlr3py.torch.categorical.MixedEncoder` the features are a
:class:`~mlr3py.torch.categorical.TensorBatch` instead (``"num"``: float32,
``"categ"``: int64 level codes for embeddings); it is indexed the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from mlr3py.errors import ConfigError, InputError
from mlr3py.learners._encode import FeatureEncoder
from mlr3py.learners._features import feature_info
from mlr3py.tasks import TaskClassif
from mlr3py.torch.categorical import MixedEncoder, TensorBatch

if TYPE_CHECKING:
    from mlr3py.tasks import Task

__all__ = ["TARGET_KINDS", "TaskDataset", "as_index"]

TARGET_KINDS = ("auto", "codes", "binary", "numeric", None)
"""How the target is encoded: ``"codes"`` (int64 class codes in ``class_names``
order), ``"binary"`` (float32, 1 = positive class ``class_names[0]``),
``"numeric"`` (float32), ``None`` (no target); ``"auto"`` picks ``"binary"``
for two classes, ``"codes"`` for more, ``"numeric"`` for regression."""


class TaskDataset(torch.utils.data.Dataset):
    """The active rows of a task as a feature matrix and a target vector.

    Parameters
    ----------
    task : Task
        The rows to hold (typically the training task view).
    encoder : FeatureEncoder or MixedEncoder, optional
        The feature encoding; a ``FeatureEncoder`` built from ``task`` when
        omitted (pass the training encoder when encoding prediction data).
    target : {"auto", "codes", "binary", "numeric", None}
        How to encode the target (see :data:`TARGET_KINDS`).
    device : str or torch.device
        Where the tensors live.

    Attributes
    ----------
    task : Task
        The task the rows come from (samplers read its strata).
    row_ids : numpy.ndarray
        ``row_ids[i]`` is the task row id at position ``i``.
    x : torch.Tensor or TensorBatch
        Features, float32, shape ``(n, n_features)``; a ``TensorBatch`` with a
        ``MixedEncoder``.
    y : torch.Tensor or None
        Target, shape ``(n,)``; ``None`` when ``target=None``.
    encoder : FeatureEncoder or MixedEncoder
        The feature encoding.
    target_kind : str or None
        The resolved target encoding.

    Raises
    ------
    InputError
        If a feature has missing values.
    """

    def __init__(
        self,
        task: Task,
        *,
        encoder: FeatureEncoder | MixedEncoder | None = None,
        target: str | None = "auto",
        device: str | torch.device = "cpu",
    ) -> None:
        if target not in TARGET_KINDS:
            raise ConfigError(
                f"The target encoding of a TaskDataset must be one of {list(TARGET_KINDS)}. "
                f"Got {target!r} instead."
            )
        if encoder is None:
            info = feature_info(task)
            encoder = FeatureEncoder(list(info.names), dict(info.types), dict(info.levels))
        self.task = task
        self.encoder = encoder
        self.row_ids = np.array(task.row_ids, dtype=np.int64)
        self.target_kind = _target_kind(task, target)
        cols = list(encoder.feature_names)
        if self.target_kind is not None:
            cols = [task.target_names[0], *cols]
        frame = task.data(rows=self.row_ids, cols=cols)
        features = frame.iloc[:, 1:] if self.target_kind is not None else frame
        self.x: torch.Tensor | TensorBatch
        if isinstance(encoder, MixedEncoder):
            self.x = encoder.transform(features, task.id).to(device)
        else:
            x = encoder.transform(features)
            _check_missing(x, encoder, task)
            self.x = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)).to(device)
        self.y: torch.Tensor | None = None
        if self.target_kind is not None:
            self.y = torch.from_numpy(_encode_target(frame.iloc[:, 0], self.target_kind))
            self.y = self.y.to(device)

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, idx: Any) -> Any:
        """``(x[idx], y[idx])``, or ``x[idx]`` without a target; ``idx`` may be a vector."""
        if self.y is None:
            return self.x[idx]
        return self.x[idx], self.y[idx]

    @property
    def n_features(self) -> int:
        """The number of columns of the feature matrix (of all tensors of a batch)."""
        if isinstance(self.x, TensorBatch):
            return sum(int(v.shape[1]) if v.dim() > 1 else 1 for _, v in self.x.items())
        return int(self.x.shape[1])

    @property
    def device(self) -> torch.device:
        """The device the tensors live on."""
        return self.x.device

    def __repr__(self) -> str:
        return (
            f"<TaskDataset: {len(self)} rows x {self.n_features} features of Task "
            f"'{self.task.id}', target {self.target_kind!r}, device {self.device}>"
        )


def as_index(batch: Any) -> torch.Tensor:
    """A batch of row positions (tensor, array or list) as an int64 tensor."""
    if isinstance(batch, torch.Tensor):
        return batch if batch.dtype == torch.int64 else batch.long()
    if isinstance(batch, np.ndarray):
        return torch.from_numpy(batch.astype(np.int64, copy=False))
    return torch.as_tensor(batch, dtype=torch.int64)


def _target_kind(task: Task, target: str | None) -> str | None:
    if target != "auto":
        if target in ("codes", "binary") and task.task_type != "classif":
            raise ConfigError(
                f"Target encoding {target!r} needs a classification task; Task '{task.id}' "
                f"is of type '{task.task_type}'."
            )
        if target == "binary" and n_classes(task) != 2:
            raise ConfigError(
                f"Target encoding 'binary' needs two classes; Task '{task.id}' has "
                f"{n_classes(task)}."
            )
        return target
    if task.task_type == "classif":
        return "binary" if n_classes(task) == 2 else "codes"
    return "numeric"


def n_classes(task: Task) -> int:
    """The number of classes of a classification task (0 for other tasks)."""
    return len(task.class_names) if isinstance(task, TaskClassif) else 0


def _encode_target(col: Any, kind: str) -> np.ndarray:
    if kind == "numeric":
        return col.to_numpy(dtype=np.float32)
    codes = np.asarray(col.cat.codes, dtype=np.int64)
    if kind == "binary":
        return (codes == 0).astype(np.float32)  # class_names[0] is the positive class
    return codes


def _check_missing(x: np.ndarray, encoder: FeatureEncoder, task: Task) -> None:
    bad_cols = np.flatnonzero(np.isnan(x).any(axis=0)) if x.size else np.zeros(0, np.int64)
    if len(bad_cols):
        features = list(dict.fromkeys(encoder.output_features[i] for i in bad_cols))
        raise InputError(
            f"Task '{task.id}' has missing values in feature(s) {features}; torch learners "
            f"need complete data. Impute them or drop the rows first."
        )
