"""A learner whose training runs a resample() (the inner plan level), for the nested-plan tests.

It lives in its own module so that worker processes can import it by reference.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

import numpy as np

from mlr3py.learners import LearnerClassif
from mlr3py.predictions import PredictionDataClassif
from mlr3py.tasks import Task


class LearnerClassifNested(LearnerClassif):
    """Trains by resampling ``classif.debug`` with 2-fold cv; records the processes involved.

    The model holds the pid of the process that trained it (``outer_pid``), the pids
    of the inner jobs (``inner_pids``) and the inner resampling's scores.
    """

    def __init__(self) -> None:
        super().__init__("classif.nested", predict_types=("response",),
                         properties={"twoclass", "multiclass"})

    def _train(self, task: Task) -> dict[str, Any]:
        from mlr3py.evaluation import resample
        from mlr3py.sugar import lrn, rsmp

        rr = resample(task, lrn("classif.debug"), rsmp("cv", folds=2), store_models=True)
        return {
            "outer_pid": os.getpid(),
            "inner_pids": [learner.model.pid for learner in rr.learners],
            "inner_ce": rr.score()["classif.ce"].tolist(),
            "label": rr.learners[0].model.response,
        }

    def _predict(self, task: Task) -> PredictionDataClassif:
        label = self.model["label"]
        codes = np.full(task.nrow, self.state.class_names.index(label))
        import pandas as pd

        return PredictionDataClassif(
            response=pd.Categorical.from_codes(codes, self.state.class_names)
        )


class LearnerClassifThreadInfo(LearnerClassif):
    """Records the BLAS / OpenMP thread-pool sizes it sees while training.

    Parameter ``threads`` (tag ``threads``) is how many threads it asks for.
    """

    def __init__(self) -> None:
        from mlr3py.params import p_int, ps

        super().__init__("classif.threadinfo", param_set=ps(threads=p_int(1, tags={"train",
                                                                                   "threads"})),
                         predict_types=("response",), properties={"twoclass", "multiclass"})

    def _train(self, task: Task) -> dict[str, Any]:
        from threadpoolctl import threadpool_info

        return {
            "pid": os.getpid(),
            "num_threads": sorted({int(i["num_threads"]) for i in threadpool_info()}),
            "duckdb_threads": os.environ.get("MLR3PY_DB_THREADS"),
            "label": task.class_names[0],
        }

    def _predict(self, task: Task) -> PredictionDataClassif:
        import pandas as pd

        codes = np.zeros(task.nrow, dtype=np.int64)
        return PredictionDataClassif(
            response=pd.Categorical.from_codes(codes, self.state.class_names)
        )


class LearnerClassifLogging(LearnerClassif):
    """Logs through a third-party logger ("mylib") while it trains: a warning and a debug line.

    The warning reads ``"trained on <n> rows in pid <pid>"``; the model is the pid.
    With ``fail = True`` training raises ``RuntimeError("mylib failed")`` after logging.
    """

    fail = False

    def __init__(self) -> None:
        super().__init__("classif.logging", predict_types=("response",),
                         properties={"twoclass", "multiclass"})

    def _train(self, task: Task) -> dict[str, Any]:
        log = logging.getLogger("mylib")
        log.debug("about to train on %d rows", task.nrow)
        log.warning("trained on %d rows in pid %d", task.nrow, os.getpid())
        if self.fail:
            raise RuntimeError("mylib failed")
        return {"pid": os.getpid(), "label": task.class_names[0]}

    def _predict(self, task: Task) -> PredictionDataClassif:
        import pandas as pd

        codes = np.zeros(task.nrow, dtype=np.int64)
        return PredictionDataClassif(
            response=pd.Categorical.from_codes(codes, self.state.class_names)
        )


def sleep_and_record(directory: str = "", seconds: float = 0.4) -> float:
    """A ``sleep_train`` callable: writes this process's pid to ``directory``, returns seconds."""
    path = os.environ.get("MLR3PY_TEST_PID_DIR", directory)
    if path:
        with open(os.path.join(path, str(os.getpid())), "w") as fh:
            fh.write("running")
    return seconds


class LearnerClassifVisits(LearnerClassif):
    """Counts, on the task's data backend, the trainings that used it; the model is the count.

    Jobs that receive the same task object see the count go up; jobs that receive
    a copy each see 1.
    """

    def __init__(self) -> None:
        super().__init__("classif.visits", predict_types=("response",),
                         properties={"twoclass", "multiclass"})

    def _train(self, task: Task) -> dict[str, Any]:
        visits = getattr(task.backend, "_test_visits", 0) + 1
        task.backend._test_visits = visits
        return {"pid": os.getpid(), "visits": visits, "label": task.class_names[0]}

    def _predict(self, task: Task) -> PredictionDataClassif:
        import pandas as pd

        codes = np.zeros(task.nrow, dtype=np.int64)
        return PredictionDataClassif(
            response=pd.Categorical.from_codes(codes, self.state.class_names)
        )


def raise_timeout(item: Any) -> Any:
    """Raise :class:`TimeoutError`, as a call to a service that does not answer would."""
    raise TimeoutError(f"service did not answer for item {item}")


class SlowToUnpickle:
    """A value whose unpickling takes 1.5 s (a large result fetched from a remote worker)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickle_slowly, (self.value,))


def _unpickle_slowly(value: Any) -> SlowToUnpickle:
    time.sleep(1.5)
    return SlowToUnpickle(value)


def make_slow_to_unpickle(item: Any) -> SlowToUnpickle:
    """``item`` wrapped in a :class:`SlowToUnpickle` (made at once; unpickled slowly)."""
    return SlowToUnpickle(item)
