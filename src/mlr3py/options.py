"""Global options of mlr3py (``mlr3py.options``)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from mlr3py.errors import ConfigError

__all__ = ["Options", "options"]


@dataclass
class Options:
    """Process-wide settings.

    Attributes
    ----------
    exec_random : bool
        Start jobs in random order (results still come back in design order).
    exec_chunk_size : int or None
        Number of jobs per submitted unit of work. None (the default): plans with
        worker processes or a cluster split each run into units of decreasing size
        (a quarter of the jobs left per unit on two workers, down to a sixteenth of
        all), so that many tiny jobs pay a few submissions and the workers finish
        together; 1 submits each job on its own (the most even spread of long jobs
        of unequal length).
    debug : bool
        Debug mode: sequential execution, no process encapsulation, immediate
        log output. Not for production: random streams differ.
    progress : bool or None
        Show a progress bar over the jobs of resample() / benchmark(). None (the
        default): only when running in a terminal or a notebook.
    predict_chunk_size : int
        Rows per chunk when a learner predicts a task whose data stays in a
        database or in files: each chunk is read in one query and predicted, so
        only one chunk's data is in memory at a time (50,000: a few copies of
        50,000 rows are the memory a prediction needs besides its result).
    predict_split_rows : int or None
        Under a process plan whose workers the jobs of a run do not divide evenly
        among (three subsampling iterations on two workers), a job that predicts at
        least twice this many rows of a task whose data stays in a database or in
        files, with a learner that predicts row by row
        (:attr:`~mlr3py.learners.Learner.rowwise_predict`, no fallback) runs in
        steps: its learner is trained, then its test set is predicted in parts of at
        least this many rows on all workers, queued as soon as the model is back
        (200,000 by default). The results equal those of the jobs run whole. None:
        jobs always run whole.
    """

    exec_random: bool = True
    exec_chunk_size: int | None = None
    debug: bool = False
    progress: bool | None = None
    predict_chunk_size: int = 50_000
    predict_split_rows: int | None = 200_000

    def __setattr__(self, name: str, value: object) -> None:
        known = {f.name: f for f in fields(self)}
        if name not in known:
            raise ConfigError(
                f"mlr3py.options has no option '{name}'. Known options: {', '.join(known)}."
            )
        nullable = ("exec_chunk_size", "predict_split_rows")
        if name in ("exec_chunk_size", "predict_chunk_size", "predict_split_rows") and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ) and not (name in nullable and value is None):
            also = " or None" if name in nullable else ""
            raise ConfigError(
                f"The option '{name}' must be an int >= 1{also}. Got {value!r} instead."
            )
        if name == "progress" and value is not None and not isinstance(value, bool):
            raise ConfigError(
                f"The option 'progress' must be a bool or None. Got {value!r} instead."
            )
        if name in ("exec_random", "debug") and not isinstance(value, bool):
            raise ConfigError(f"The option '{name}' must be a bool. Got {value!r} instead.")
        object.__setattr__(self, name, value)


options = Options()
