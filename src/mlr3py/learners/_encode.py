"""Turn task features into the float matrix scikit-learn estimators take.

- numeric and integer features: as floats (missing values become NaN);
- logical features: 0 / 1;
- factor features: one-hot encoded, one column per level of the *training*
  task (so data with fewer levels still encodes to the same columns; a level
  unseen in training encodes to all zeros, a missing value to NaN);
- ordered features: their level index (0, 1, ...; missing -> NaN).

Learners never get that far with an unseen level: ``Learner.predict`` and
``predict_newdata`` refuse a value of a factor or ordered feature that is not a
training level with an :class:`~mlr3py.errors.InputError` naming the level and
the column (:func:`check_unseen_levels`), for every learner alike. Map such
values to a training level, or to a missing value for a learner with property
``"missings"``, before predicting.

When every feature is numeric the data frame converts in one step, without a
per-column copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mlr3py.errors import InputError

if TYPE_CHECKING:
    from mlr3py.tasks import Task

__all__ = ["FeatureEncoder", "check_unseen_levels", "level_codes"]


@dataclass(frozen=True)
class FeatureEncoder:
    """Encoding of a training task's features (see the module docstring).

    Attributes
    ----------
    feature_names : list of str
        The features, in model order.
    feature_types : dict
        Feature name -> mlr3 type.
    levels : dict
        Factor / ordered feature name -> training levels.
    """

    feature_names: list[str]
    feature_types: dict[str, str]
    levels: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def is_plain(self) -> bool:
        """Whether all features are numeric or integer (a direct conversion)."""
        return all(t in ("numeric", "integer") for t in self.feature_types.values())

    @property
    def output_names(self) -> list[str]:
        """Column names of the encoded matrix (``"feature.level"`` for one-hot columns)."""
        names: list[str] = []
        for f in self.feature_names:
            if self.feature_types[f] == "factor":
                names.extend(f"{f}.{level}" for level in self.levels[f])
            else:
                names.append(f)
        return names

    @property
    def output_features(self) -> list[str]:
        """For each encoded column, the feature it came from."""
        out: list[str] = []
        for f in self.feature_names:
            width = len(self.levels[f]) if self.feature_types[f] == "factor" else 1
            out.extend([f] * width)
        return out

    def encode(self, task: Task) -> np.ndarray:
        """Encode the active rows of ``task`` (which has at least ``feature_names``).

        Plain (all numeric) features come from :meth:`Task.data_matrix
        <mlr3py.tasks.Task.data_matrix>` without building a DataFrame; others go
        through :meth:`transform`.

        Parameters
        ----------
        task : Task
            The task.

        Returns
        -------
        numpy.ndarray
            Shape ``(task.nrow, len(output_names))``, dtype float64.
        """
        if self.is_plain:
            return task.data_matrix(cols=self.feature_names)
        return self.transform(task.data(cols=self.feature_names))

    def transform(self, data: pd.DataFrame) -> np.ndarray:
        """Encode ``data`` (which holds at least ``feature_names``) as a float matrix.

        Parameters
        ----------
        data : pandas.DataFrame
            The features.

        Returns
        -------
        numpy.ndarray
            Shape ``(len(data), len(output_names))``, dtype float64.
        """
        if list(data.columns) != self.feature_names:
            data = data[self.feature_names]
        if self.is_plain:
            return data.to_numpy(dtype=np.float64, na_value=np.nan)
        blocks = [self._encode_column(f, data[f]) for f in self.feature_names]
        if not blocks:
            return np.empty((len(data), 0))
        return np.column_stack(blocks)

    def _encode_column(self, name: str, col: pd.Series) -> np.ndarray:
        kind = self.feature_types[name]
        if kind == "factor":
            codes = level_codes(col, self.levels[name])
            out = np.zeros((len(codes), len(self.levels[name])))
            known = codes >= 0
            out[np.flatnonzero(known), codes[known]] = 1.0
            out[col.isna().to_numpy()] = np.nan
            return out
        if kind == "ordered":
            codes = level_codes(col, self.levels[name]).astype(np.float64)
            codes[codes < 0] = np.nan
            return codes
        return col.to_numpy(dtype=np.float64, na_value=np.nan)


def level_codes(col: pd.Series, levels: Sequence[Any]) -> np.ndarray:
    """Level indices of ``col`` with respect to ``levels`` (-1: missing or unknown level).

    Parameters
    ----------
    col : pandas.Series
        Categorical or plain values.
    levels : sequence
        The levels, e.g. of the training task.

    Returns
    -------
    numpy.ndarray
        int64 codes.
    """
    index = pd.Index(list(levels), dtype=object)
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = np.asarray(col.cat.codes, dtype=np.int64)
        cats = list(col.cat.categories)
        if cats == list(levels):
            return codes
        mapping = np.append(index.get_indexer(pd.Index(cats, dtype=object)), -1)
        return mapping[codes]  # code -1 picks the appended -1
    return np.asarray(index.get_indexer(pd.Index(col.to_numpy(dtype=object))), dtype=np.int64)



def check_unseen_levels(
    name: str, col: pd.Series, codes: np.ndarray, levels: Sequence[Any], owner: str = "The learner"
) -> None:
    """Raise :class:`InputError` if ``col`` holds values that are not training ``levels``.

    Parameters
    ----------
    name : str
        The column (feature) name, for the message.
    col : pandas.Series
        The values.
    codes : numpy.ndarray
        ``level_codes(col, levels)`` (-1: missing or unseen).
    levels : sequence
        The training levels.
    owner : str
        Who was trained, for the message (``"Learner 'classif.rpart'"``).
    """
    unknown = codes < 0
    if not unknown.any():
        return
    unseen_mask = unknown & col.notna().to_numpy()
    if not unseen_mask.any():
        return
    unseen = list(dict.fromkeys(col.to_numpy(dtype=object)[unseen_mask].tolist()))
    shown = ", ".join(repr(str(v)) for v in unseen[:5]) + (" ..." if len(unseen) > 5 else "")
    known = ", ".join(repr(str(v)) for v in list(levels)[:10]) + (
        " ..." if len(levels) > 10 else ""
    )
    word = "level" if len(unseen) == 1 else "levels"
    raise InputError(
        f"Unseen {word} {shown} in column '{name}' ({int(unseen_mask.sum())} row(s)): "
        f"{owner} was trained with the levels {known}. Map these values to a training level, "
        f"or to a missing value if the learner supports missing values, before predicting."
    )
