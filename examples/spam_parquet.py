"""The mlr3 book's section 10.4.2: a task on Parquet files, queried by DuckDB.

``tsk("spam")`` is written to a Parquet file; ``as_duckdb_backend(path)``
opens it as a DuckDB view without loading it, and
``as_task_classif(backend, target="type")`` builds the task (4601 x 58). The
same works on a directory of several Parquet files, which together form one
table (rows numbered across the files in path order).

Run: ``python examples/spam_parquet.py [--dir DIR]`` (needs the ``sql`` extra
and the spam data set in the OpenML cache, see ``MLR3PY_DATA_DIR``).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import mlr3py


def spam_frame() -> pd.DataFrame:
    """The spam task's data: the target ``type`` and 57 numeric features."""
    return mlr3py.tsk("spam").data().reset_index(drop=True)


def write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    """One Parquet file."""
    frame.to_parquet(path, index=False)
    return path


def write_parquet_dir(frame: pd.DataFrame, root: Path, parts: int = 4) -> Path:
    """A directory of ``parts`` Parquet files, consecutive rows in each."""
    root.mkdir(parents=True, exist_ok=True)
    for i, rows in enumerate(np.array_split(np.arange(len(frame)), parts)):
        frame.iloc[rows].to_parquet(root / f"part-{i:02d}.parquet", index=False)
    return root


def parquet_task(source: Path) -> mlr3py.TaskClassif:
    """The classification task on a Parquet file or directory."""
    backend = mlr3py.as_duckdb_backend(str(source))
    return mlr3py.as_task_classif(backend, target="type", id="spam")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="where to write the files")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.dir or Path(tmp)
        frame = spam_frame()
        single = write_parquet(frame, root / "spam.parquet")
        task = parquet_task(single)
        print(task)
        rr = mlr3py.resample(task, mlr3py.lrn("classif.rpart"), mlr3py.rsmp("cv", folds=3),
                             seed=1)
        print(f"3-fold CV of classif.rpart on the Parquet file: classif.ce "
              f"{rr.aggregate()['classif.ce']:.4f}")
        directory = write_parquet_dir(frame, root / "spam_parts")
        files = sorted(p.name for p in directory.iterdir())
        task_dir = parquet_task(directory)
        print(f"\nDirectory of {len(files)} Parquet files ({', '.join(files)}):")
        print(f"{task_dir.nrow} x {task_dir.ncol}, class counts "
              f"{pd.Series(np.asarray(task_dir.truth())).value_counts().to_dict()}")


if __name__ == "__main__":
    main()
