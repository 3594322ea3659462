"""JSON lines: every record of an mlr3py logger as one JSON object per line.

:func:`add_json_handler` appends to a file; :class:`JsonFormatter` writes the
fields ``level``, ``timestamp``, ``logger``, ``message`` and the job context.
"""

from __future__ import annotations

import datetime
import json
import logging
from pathlib import Path
from typing import Any

from mlr3py.errors import ConfigError
from mlr3py.log._context import CONTEXT_FIELDS, JOB_CONTEXT_FILTER
from mlr3py.log._levels import level_number

__all__ = ["JsonFormatter", "add_json_handler"]


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object: level, timestamp, logger, message, job context."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "level": record.levelname,
            "timestamp": datetime.datetime.fromtimestamp(
                record.created, tz=datetime.timezone.utc
            ).isoformat(timespec="milliseconds"),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in CONTEXT_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str)


def add_json_handler(
    path: str | Path, level: str | int = "info", name: str = "mlr3py"
) -> logging.FileHandler:
    """Append the records of an mlr3py logger to ``path`` as JSON lines.

    Each line holds ``level``, ``timestamp`` (ISO 8601, UTC), ``logger``,
    ``message`` and, when the record was emitted while a job ran (in this process,
    a worker or an encapsulated child process), ``task_id``, ``learner_id``,
    ``iteration`` (0-based) and ``resampling_id``.

    Parameters
    ----------
    path : str or Path
        The file (appended to).
    level : str or int
        Threshold of the handler (``"info"``, ``"debug"``, ...). The logger's own
        threshold must let the records through too (see :func:`set_threshold`).
    name : str
        The logger to attach to.

    Returns
    -------
    logging.FileHandler
        The handler; remove it with ``logging.getLogger(name).removeHandler(h)``
        and ``h.close()``.

    Raises
    ------
    ConfigError
        If the file's directory does not exist, ``path`` is a directory, or the
        file cannot be opened for appending.
    """
    number = level_number(level)
    _check_log_path(Path(path))
    try:
        handler = logging.FileHandler(path, mode="a", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"add_json_handler() cannot open the log file '{path}': {exc.strerror or exc}. "
            f"Pass a writable file path."
        ) from exc
    handler.setLevel(number)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(JOB_CONTEXT_FILTER)
    logging.getLogger(name).addHandler(handler)
    return handler


def _check_log_path(path: Path) -> None:
    """Raise :class:`ConfigError` unless a log file can be created at ``path``."""
    if path.is_dir():
        raise ConfigError(
            f"add_json_handler() needs a file path, but '{path}' is a directory. "
            f"Pass a file inside it, e.g. '{path / 'mlr3py.jsonl'}'."
        )
    parent = path.parent
    if not parent.is_dir():
        raise ConfigError(
            f"add_json_handler() cannot create '{path}': the directory '{parent}' does not "
            f"exist. Create it first (Path('{parent}').mkdir(parents=True)) or pass another path."
        )
