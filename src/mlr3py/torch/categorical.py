"""Categorical features as integer codes, and batches of several named tensors.

Networks with embeddings (FT-Transformer, TabNet, graphs with a categorical
ingress) take factor and ordered features as an ``int64`` code matrix instead of
one-hot columns:

- :class:`CategoricalLevels` holds the levels learnt at training, one tuple per
  factor / ordered feature (from the task's column info, so a level without rows
  in the training subset still gets its code). Level ``j`` (0-based) of a feature
  has code ``j + 1``.
- **Code 0 is "unknown"**: a missing value, or a level the training task did not
  have, gets code 0 at predict time. An embedding of size ``cardinality`` (the
  number of levels + 1) therefore has one row for the unknown code, which
  training rarely or never updates (training data without missing values never
  uses it). Learners that use these codes predict for unseen levels instead of
  refusing them.
- :class:`TensorBatch`: named tensors with a common number of rows, e.g.
  ``{"num": float32 [n, p], "categ": int64 [n, q]}``. Indexing with a string
  gives one tensor; indexing with rows (an index tensor, array or slice) gives a
  :class:`TensorBatch` of those rows. The epoch loop indexes the dataset's
  features with each batch's index vector, so a ``TensorBatch`` passes through
  it like a plain tensor, and the network's ``forward`` receives it.
- :class:`MixedEncoder`: a task's features as such a batch: numeric, integer
  and logical features in ``"num"`` (float32), factor and ordered features in
  ``"categ"`` (codes), with the cardinalities the embeddings need.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import torch

from mlr3py.errors import ConfigError, InputError
from mlr3py.learners._encode import level_codes
from mlr3py.learners._features import feature_info

if TYPE_CHECKING:
    from mlr3py.tasks import Task

__all__ = [
    "CATEGORICAL_TYPES",
    "NUMERIC_TYPES",
    "UNKNOWN_CODE",
    "CategoricalLevels",
    "MixedEncoder",
    "TensorBatch",
]

UNKNOWN_CODE = 0
"""The code of a missing value or a level unseen in training."""

CATEGORICAL_TYPES = ("factor", "ordered")
"""Feature types that become codes."""

NUMERIC_TYPES = ("numeric", "integer", "logical")
"""Feature types that become float columns (logicals as 0 / 1)."""


def numeric_block(data: pd.DataFrame, features: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """The columns ``features`` of ``data`` as one float32 array, and those with missing values.

    Parameters
    ----------
    data : pandas.DataFrame
        Holds at least ``features``.
    features : sequence of str
        Numeric columns, in the order of the array's columns.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(data), len(features))``, float32.
    list of str
        The features with a missing value (the caller raises, naming them).
    """
    num = np.empty((len(data), len(features)), dtype=np.float32)
    if not len(features):
        return num, []
    num[:] = data[list(features)].to_numpy(dtype=np.float64, na_value=np.nan)
    return num, [features[int(i)] for i in np.flatnonzero(np.isnan(num).any(axis=0))]


@dataclass(frozen=True)
class CategoricalLevels:
    """The training levels of factor / ordered features (see the module docstring).

    Attributes
    ----------
    features : tuple of str
        The features, in code-matrix column order.
    levels : tuple of tuple
        ``levels[k]`` are the training levels of ``features[k]``.
    """

    features: tuple[str, ...]
    levels: tuple[tuple[Any, ...], ...]

    def __post_init__(self) -> None:
        if len(self.features) != len(self.levels):
            raise ConfigError(
                f"CategoricalLevels needs one level tuple per feature; got "
                f"{len(self.features)} feature(s) and {len(self.levels)} level tuple(s)."
            )

    @classmethod
    def from_task(cls, task: Task, features: Sequence[str] | None = None) -> CategoricalLevels:
        """The levels of ``features`` (default: all factor and ordered features) of ``task``.

        Raises
        ------
        InputError
            If a named feature is not a factor or ordered feature of ``task``.
        """
        info = feature_info(task)
        if features is None:
            features = [f for f in info.names if info.types[f] in CATEGORICAL_TYPES]
        for f in features:
            if info.types.get(f) not in CATEGORICAL_TYPES:
                raise InputError(
                    f"Feature '{f}' of Task '{task.id}' is not a factor or ordered feature "
                    f"(type {info.types.get(f, 'absent')!r}); only those have level codes."
                )
        return cls(tuple(features), tuple(tuple(info.levels[f]) for f in features))

    @property
    def cardinalities(self) -> tuple[int, ...]:
        """Per feature, the number of codes: its levels + 1 (code 0, unknown)."""
        return tuple(len(lv) + 1 for lv in self.levels)

    @property
    def n_features(self) -> int:
        """The number of features (columns of the code matrix)."""
        return len(self.features)

    def codes(self, data: pd.DataFrame) -> np.ndarray:
        """The code matrix of ``data`` (which holds at least :attr:`features`).

        Returns
        -------
        numpy.ndarray
            ``int64``, shape ``(len(data), n_features)``; level ``j`` -> ``j + 1``,
            missing or unseen -> 0.
        """
        out = np.zeros((len(data), self.n_features), dtype=np.int64)
        for k, (name, levels) in enumerate(zip(self.features, self.levels, strict=True)):
            out[:, k] = level_codes(data[name], levels) + 1  # -1 (unknown) -> 0
        return out


class TensorBatch:
    """Named tensors sharing their first dimension (rows).

    Parameters
    ----------
    tensors : mapping of str to torch.Tensor
        At least one tensor; all with the same number of rows.

    Examples
    --------
    >>> b = TensorBatch({"num": torch.zeros(4, 2), "categ": torch.zeros(4, 1, dtype=torch.long)})
    >>> len(b), b["num"].shape, len(b[torch.tensor([0, 2])])
    (4, torch.Size([4, 2]), 2)
    """

    __slots__ = ("_tensors",)

    def __init__(self, tensors: Mapping[str, torch.Tensor]) -> None:
        if not tensors:
            raise ConfigError("A TensorBatch needs at least one named tensor; got none.")
        rows = {k: int(v.shape[0]) for k, v in tensors.items()}
        if len(set(rows.values())) > 1:
            raise ConfigError(
                f"The tensors of a TensorBatch must have the same number of rows; got {rows}."
            )
        self._tensors: dict[str, torch.Tensor] = dict(tensors)

    def __getitem__(self, key: Any) -> Any:
        """``batch["num"]`` -> a tensor; ``batch[idx]`` -> a :class:`TensorBatch` of rows."""
        if isinstance(key, str):
            try:
                return self._tensors[key]
            except KeyError:
                raise KeyError(
                    f"The TensorBatch has no tensor {key!r}; it has {list(self._tensors)}."
                ) from None
        return TensorBatch({k: v[key] for k, v in self._tensors.items()})

    def __len__(self) -> int:
        """The number of rows."""
        return int(next(iter(self._tensors.values())).shape[0])

    def __contains__(self, key: object) -> bool:
        return key in self._tensors

    def __iter__(self) -> Iterator[str]:
        return iter(self._tensors)

    def keys(self) -> list[str]:
        """The tensor names."""
        return list(self._tensors)

    def items(self) -> list[tuple[str, torch.Tensor]]:
        """``(name, tensor)`` pairs."""
        return list(self._tensors.items())

    def as_dict(self) -> dict[str, torch.Tensor]:
        """The tensors as a (new) dict."""
        return dict(self._tensors)

    @property
    def device(self) -> torch.device:
        """The device of the (first) tensor."""
        return next(iter(self._tensors.values())).device

    def to(self, device: str | torch.device, non_blocking: bool = False) -> TensorBatch:
        """The batch with every tensor moved to ``device``."""
        return TensorBatch(
            {k: v.to(device, non_blocking=non_blocking) for k, v in self._tensors.items()}
        )

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{k}: {str(v.dtype).removeprefix('torch.')} {list(v.shape)}"
            for k, v in self._tensors.items()
        )
        return f"<TensorBatch {len(self)} rows: {parts}>"


@dataclass(frozen=True)
class MixedEncoder:
    """A task's features as a :class:`TensorBatch` with ``"num"`` and ``"categ"``.

    Attributes
    ----------
    numeric : tuple of str
        Numeric, integer and logical features: the columns of ``"num"`` (float32).
    categorical : CategoricalLevels
        Factor and ordered features: the columns of ``"categ"`` (int64 codes).
    """

    numeric: tuple[str, ...]
    categorical: CategoricalLevels

    @classmethod
    def from_task(cls, task: Task) -> MixedEncoder:
        """Learn the encoding from a (training) task."""
        info = feature_info(task)
        numeric = tuple(f for f in info.names if info.types[f] not in CATEGORICAL_TYPES)
        return cls(numeric, CategoricalLevels.from_task(task))

    @property
    def feature_names(self) -> list[str]:
        """All encoded features: the numeric ones, then the categorical ones."""
        return [*self.numeric, *self.categorical.features]

    @property
    def n_numeric(self) -> int:
        """The number of columns of ``"num"``."""
        return len(self.numeric)

    @property
    def cardinalities(self) -> tuple[int, ...]:
        """Per column of ``"categ"``, the number of codes (levels + 1)."""
        return self.categorical.cardinalities

    @property
    def n_features(self) -> int:
        """The number of features (``"num"`` columns + ``"categ"`` columns)."""
        return len(self.numeric) + self.categorical.n_features

    def transform(self, data: pd.DataFrame, task_id: str = "?") -> TensorBatch:
        """Encode ``data`` (which holds at least :attr:`feature_names`).

        Raises
        ------
        InputError
            If a numeric feature has missing values (categorical ones get code 0).
        """
        num, missing = numeric_block(data, self.numeric)
        if missing:
            raise InputError(
                f"Task '{task_id}' has missing values in feature(s) {missing}; torch "
                f"learners need complete numeric data. Impute them or drop the rows first."
            )
        categ = self.categorical.codes(data)
        return TensorBatch({"num": torch.from_numpy(num), "categ": torch.from_numpy(categ)})

    def encode(self, task: Task) -> TensorBatch:
        """Encode the active rows of ``task``."""
        return self.transform(task.data(cols=self.feature_names), task.id)
