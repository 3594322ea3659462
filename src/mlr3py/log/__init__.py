"""Loggers of mlr3py (``mlr3py``, ``mlr3py.tuning``), job context, JSON lines and replay.

- :func:`set_threshold` changes a logger's threshold by name (``"warn"``,
  ``"info"``, ``"debug"``).
- :func:`add_json_handler` writes every record as one JSON object per line:
  ``level``, ``timestamp``, ``logger``, ``message`` and, for records emitted
  while a job runs, the job context ``task_id``, ``learner_id``, ``iteration``,
  ``resampling_id``.
- :func:`job_context` sets that context (the job runner does, per job); the
  records emitted meanwhile in the same thread or task by mlr3py's loggers, and
  every record that reaches a handler of mlr3py (JSON lines, capture, forwarding
  from workers) or a handler carrying a :class:`JobContextFilter`, are stamped
  with it. The global log record factory is left alone.
- :func:`capture_records` collects the records emitted in a block (e.g. inside an
  encapsulated child or a worker process) in a picklable form, and
  :func:`replay_records` hands them to the main process's handlers, job context
  included.
- :func:`log_forwarding` and :func:`forward_records` carry the records of jobs
  run in worker processes (plans "processes", "multicore", "dask") back to the
  main process, which replays them in design order.

One module per concept: :mod:`._levels`, :mod:`._context`, :mod:`._json`,
:mod:`._records` (capture and replay) and :mod:`._forward`; this package holds
the loggers and the public names.
"""

from __future__ import annotations

import logging

from mlr3py.log._context import (
    CONTEXT_FIELDS,
    JOB_CONTEXT_FILTER,
    JobContextFilter,
    current_job_context,
    job_context,
)
from mlr3py.log._forward import LogForwarding, forward_records, log_forwarding
from mlr3py.log._json import JsonFormatter, add_json_handler
from mlr3py.log._levels import set_threshold
from mlr3py.log._records import capture_records, replay_records
from mlr3py.log._records import portable_record as portable_record

__all__ = [
    "CONTEXT_FIELDS",
    "JobContextFilter",
    "JsonFormatter",
    "LogForwarding",
    "add_json_handler",
    "capture_records",
    "current_job_context",
    "forward_records",
    "job_context",
    "log_forwarding",
    "logger",
    "replay_records",
    "set_threshold",
    "tuning_logger",
]

logger = logging.getLogger("mlr3py")
tuning_logger = logging.getLogger("mlr3py.tuning")
logger.addHandler(logging.NullHandler())
logger.addFilter(JOB_CONTEXT_FILTER)
tuning_logger.addFilter(JOB_CONTEXT_FILTER)
