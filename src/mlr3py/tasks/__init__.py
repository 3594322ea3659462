"""Tasks: data with column roles (mlr3's ``Task``, ``TaskClassif``, ``TaskRegr``).

Build them with :func:`as_task_classif` / :func:`as_task_regr` from pandas,
polars or pyarrow tables, or take a built-in one from :data:`mlr_tasks`
(``tsk("sonar")``).
"""

from mlr3py.data.openml import load_dataset
from mlr3py.tasks.builtin import mlr_tasks
from mlr3py.tasks.col_roles import COL_ROLES, ColRoles
from mlr3py.tasks.convert import as_task_classif, as_task_regr
from mlr3py.tasks.supervised import TaskClassif, TaskRegr, TaskSupervised
from mlr3py.tasks.task import Task

__all__ = [
    "COL_ROLES",
    "ColRoles",
    "Task",
    "TaskClassif",
    "TaskRegr",
    "TaskSupervised",
    "as_task_classif",
    "as_task_regr",
    "load_dataset",
    "mlr_tasks",
]
