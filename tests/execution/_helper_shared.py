"""Items whose shared part holds a large array, and functions workers run on them."""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlr3py.learners import LearnerClassif
from mlr3py.predictions import PredictionDataClassif


@dataclass
class Holder:
    """The object all items share: an array and a name."""

    data: np.ndarray
    name: str = "holder"


@dataclass
class Item:
    """An item of a parallel map whose shared part is ``holder``."""

    holder: Any
    i: int

    def shared_parts(self) -> dict[str, Any]:
        return {"holder": self.holder}

    def with_parts(self, parts: dict[str, Any]) -> Item:
        return dataclasses.replace(self, **parts)


def mapped_file(arr: np.ndarray) -> str | None:
    """The file whose mapping holds ``arr``'s first byte in this process (``/proc/self/maps``)."""
    address = arr.__array_interface__["data"][0]
    with open("/proc/self/maps") as fh:
        for line in fh:
            fields = line.split(maxsplit=5)
            start, end = (int(v, 16) for v in fields[0].split("-"))
            if start <= address < end:
                return fields[5].strip() if len(fields) == 6 else None
    return None


def inspect(item: Item) -> tuple[int, float, str | None, int]:
    """pid, the sum of the data, the file the data is mapped from, id of the holder."""
    data = item.holder.data
    return os.getpid(), float(data.sum()), mapped_file(data), id(item.holder)


def write_first(item: Item) -> float:
    """Add 1 to the first value of the data (in the worker's copy) and return it."""
    item.holder.data.flat[0] += 1.0
    return float(item.holder.data.flat[0])


def die_on_one(item: Item) -> float:
    """SIGKILL this process for item 1; the sum of the data for the others."""
    if item.i == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return float(item.holder.data.sum())


def sleep_long(item: Item) -> float:
    """Sleep a few seconds (a run that is in progress when its main process is killed)."""
    time.sleep(3.0)
    return float(item.holder.data.sum())


class LearnerClassifMapped(LearnerClassif):
    """Its model says where the task's data lives in the process that trained it.

    The model: the pid, the file the first feature's column is mapped from (None for
    private memory), and the sum of the features over the training rows.
    """

    def __init__(self) -> None:
        super().__init__("classif.mapped", predict_types=("response",),
                         properties={"twoclass", "multiclass"})

    def _train(self, task: Any) -> dict[str, Any]:
        column = task.backend._df[task.feature_names[0]].to_numpy()
        return {"pid": os.getpid(), "file": mapped_file(column),
                "sum": float(task.data_matrix().sum())}

    def _predict(self, task: Any) -> PredictionDataClassif:
        import pandas as pd

        codes = np.zeros(task.nrow, dtype=np.int64)
        return PredictionDataClassif(
            response=pd.Categorical.from_codes(codes, self.state.class_names)
        )
