"""Encapsulation and fallback learners (the mlr3 book, sections 10.2 and 10.3).

1. A debug learner that always fails to train: without encapsulation the error
   stops the program; with ``"evaluate"`` it is logged; with ``"process"`` even a
   segmentation fault is only a log entry.
2. Timeouts: a learner sleeping longer than its limit is stopped and logged.
3. Missing predictions: ``predict_missing = 0.5`` gives 75 missing responses on
   iris, none with a featureless fallback.
4. The book's comparison: a debug learner failing half of its trainings, with a
   featureless fallback, against rpart in a 20-fold cross-validation; the failed
   iterations are counted, and no score is missing.
5. Logging: a JSON-lines log of the run, each record tagged with its job.

Run: ``.venv/bin/python examples/encapsulation.py``
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from mlr3py import benchmark, benchmark_grid, lrn, msr, rsmp, tsk
from mlr3py.errors import LearnerTrainError
from mlr3py.log import add_json_handler, set_threshold


def section(title: str) -> None:
    print(f"\n## {title}")


task = tsk("iris")

section("1. Errors and crashes")
learner = lrn("classif.debug", error_train=1)
try:
    learner.train(task)
except LearnerTrainError as exc:
    print(f"without encapsulation: {type(exc).__name__}: {exc}")
learner.encapsulate("evaluate")
learner.train(task)
print("with 'evaluate':")
print(learner.log.to_string(index=False))
crasher = lrn("classif.debug", segfault_train=1).encapsulate("process")
crasher.train(task)
print("a segfault with 'process':")
print(crasher.errors.to_string(index=False))

section("2. Timeouts")
sleeper = lrn("classif.debug", sleep_train=5).encapsulate("process", lrn("classif.featureless"))
sleeper.timeout = {"train": 0.5, "predict": float("inf")}
sleeper.train(task)
print(sleeper.errors.to_string(index=False))
print("train time (s):", round(sleeper.state.train_time, 2))

section("3. Missing predictions")
missing = lrn("classif.debug", predict_missing=0.5)
prediction = missing.train(task).predict(task)
print("missing responses without fallback:", int(prediction.response.isna().sum()))
missing.fallback = lrn("classif.featureless")
prediction = missing.train(task).predict(task)
print("missing responses with fallback:   ", int(prediction.response.isna().sum()))
print("encapsulation switched to:", missing.encapsulation)

section("4. The book's comparison")
log_path = Path(tempfile.mkdtemp()) / "mlr3py.jsonl"
handler = add_json_handler(log_path, level="debug")
set_threshold("debug")
debug = lrn("classif.debug", error_train=0.5)
debug.encapsulate("evaluate", lrn("classif.featureless"))
design = benchmark_grid(task, [debug, lrn("classif.rpart")], rsmp("cv", folds=20))
bmr = benchmark(design, seed=1)
table = bmr.aggregate(msr("classif.ce"), conditions=True)
print(table[["learner_id", "iters", "warnings", "errors", "classif.ce"]].to_string(index=False))
scores = bmr.score(msr("classif.ce"))
print("missing scores:", int(scores["classif.ce"].isna().sum()))
rr = bmr.resample_result(0)
print("first errors of the debug learner:")
print(rr.errors.head(3).to_string(index=False))

section("5. The JSON-lines log")
handler.close()
for line in log_path.read_text().splitlines()[:3]:  # start, then one line per iteration
    print(json.dumps(json.loads(line)))
