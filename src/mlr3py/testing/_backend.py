"""Conformance checks for data backends (mlr3's ``expect_backend``)."""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from mlr3py.data.backend import ROW_ID, DataBackend, column_type
from mlr3py.errors import InputError
from mlr3py.reflections import FEATURE_TYPES
from mlr3py.testing._base import Check, checking, require, require_raises, run_checks

__all__ = ["check_data_backend", "data_backend_checks"]


def _same_values(got: pd.Series, want: pd.Series) -> bool:
    """Equal values, missing values in the same places (dtypes are not compared)."""
    a = got.astype(object).to_numpy()
    b = want.astype(object).to_numpy()
    if len(a) != len(b):
        return False
    na_a, na_b = pd.isna(a), pd.isna(b)
    if not np.array_equal(na_a, na_b):
        return False
    keep = ~na_a
    return all(x == y for x, y in zip(a[keep], b[keep], strict=True))


def _sample_rows(backend: DataBackend, seed: int) -> np.ndarray:
    ids = np.asarray(backend.rownames)
    rng = np.random.default_rng(seed)
    n = min(len(ids), 7)
    picked = rng.choice(ids, size=n, replace=False) if n else ids[:0]
    return np.concatenate([picked, picked[:2]]).astype(np.int64)  # shuffled, with duplicates


def data_backend_checks(backend: DataBackend, *, seed: int = 1) -> Iterator[Check]:
    """Yield the named conformance checks of ``backend`` (for ``pytest.mark.parametrize``).

    Parameters
    ----------
    backend : DataBackend
        A backend with at least two rows; it is only read.
    seed : int
        Seed for choosing rows.
    """
    subject = f"DataBackend {type(backend).__name__}"

    def reference() -> pd.DataFrame:
        return backend.data(None, backend.colnames)

    def metadata() -> None:
        with checking(subject, "check_data_backend_metadata"):
            ids = np.asarray(backend.rownames)
            require(ids.dtype == np.int64, f"rownames must be int64, got {ids.dtype}")
            require(len(np.unique(ids)) == len(ids), "rownames must be unique")
            require(backend.nrow == len(ids), f"nrow {backend.nrow} != {len(ids)} rownames")
            require(backend.ncol == len(backend.colnames),
                    f"ncol {backend.ncol} != {len(backend.colnames)} colnames")
            require(isinstance(backend.primary_key, str), "primary_key must be a str")
            infos = backend.col_info()
            require([i.name for i in infos] == backend.colnames,
                    "col_info() must list the columns in colnames order")
            for info in infos:
                require(info.type in FEATURE_TYPES,
                        f"column '{info.name}' has type {info.type!r}, not a feature type")
                require((info.levels is not None) == (info.type in ("factor", "ordered")),
                        f"column '{info.name}': levels go with factor / ordered columns only")
            require(isinstance(backend.hash, str) and backend.hash, "hash must be a str")

    def data_in_order() -> None:
        with checking(subject, "check_data_backend_data"):
            ref = reference()
            require(list(ref.columns) == backend.colnames, "data(None, colnames) columns")
            require(ref.index.name == ROW_ID, f"the index must be named '{ROW_ID}'")
            require(np.array_equal(ref.index.to_numpy(), backend.rownames),
                    "data(None, ...) must return all rows in rownames order")
            rows = _sample_rows(backend, seed)
            cols = list(reversed(backend.colnames))
            got = backend.data(rows, cols)
            require(list(got.columns) == cols, "data() must return the columns asked for, in order")
            require(np.array_equal(got.index.to_numpy(), rows),
                    "data() must return rows in the order asked for, duplicates kept")
            want = ref.loc[rows]
            for col in cols:
                require(_same_values(got[col], want[col]),
                        f"column '{col}' differs between data(rows) and data(None)")
            backwards = np.asarray(backend.rownames)[::-1]
            most = backend.data(backwards, cols)  # all rows, reversed
            require(np.array_equal(most.index.to_numpy(), backwards),
                    "data() must return all rows in the order asked for")
            for col in cols:
                require(_same_values(most[col], ref.loc[backwards][col]),
                        f"column '{col}' differs when all rows are asked for in reverse")
            empty = backend.data(np.empty(0, dtype=np.int64), cols)
            require(empty.shape == (0, len(cols)), "data() of no rows must have 0 rows")

    def types() -> None:
        with checking(subject, "check_data_backend_types"):
            frame = backend.head(3)
            declared = backend.dtypes
            rows = _sample_rows(backend, seed)
            for ask in (None, rows):  # the dtype must not depend on the rows read
                other = backend.data(ask, backend.colnames)
                for col in backend.colnames:
                    require(other[col].dtype == frame[col].dtype == declared[col],
                            f"column '{col}': dtypes gives {declared[col]}, but data() gives "
                            f"{frame[col].dtype} for the first rows and {other[col].dtype} "
                            f"for {'all rows' if ask is None else 'rows ' + str(list(ask))}")
            for info in backend.col_info():
                values = frame[info.name]
                if info.type in ("factor", "ordered"):
                    dtype = values.dtype
                    require(isinstance(dtype, pd.CategoricalDtype),
                            f"factor column '{info.name}' must be categorical")
                    assert isinstance(dtype, pd.CategoricalDtype)
                    require(list(dtype.categories) == list(info.levels or ()),
                            f"categories of '{info.name}' must equal its levels")
                else:
                    got = column_type(values.dtype)
                    require(got == info.type,
                            f"column '{info.name}' is {info.type} but data() gives {got}")

    def head() -> None:
        with checking(subject, "check_data_backend_head"):
            frame = backend.head(2)
            require(frame.shape == (min(2, backend.nrow), backend.ncol), "head(2) shape")
            require(np.array_equal(frame.index.to_numpy(), backend.rownames[:2]),
                    "head() must return the first rows")

    def distinct_missings() -> None:
        with checking(subject, "check_data_backend_distinct_missings"):
            ref = reference()
            cols = backend.colnames
            found = backend.distinct(None, cols)
            counts = backend.missings(None, cols)
            for col in cols:
                want = set(ref[col].dropna().astype(object).tolist())
                require(set(found[col]) == want, f"distinct values of '{col}' differ")
                require(counts[col] == int(ref[col].isna().sum()),
                        f"missings of '{col}': {counts[col]} != {int(ref[col].isna().sum())}")
            rows = _sample_rows(backend, seed)[:3]
            some = backend.missings(rows, cols)
            sub = ref.loc[np.unique(rows)]
            for col in cols:
                require(some[col] == int(sub[col].isna().sum()),
                        f"missings(rows) of '{col}' differ")
            part = backend.distinct(rows, cols)
            for col in cols:
                require(set(part[col]) == set(sub[col].dropna().astype(object).tolist()),
                        f"distinct(rows) of '{col}' differ")

    def bad_input() -> None:
        with checking(subject, "check_data_backend_bad_input"):
            unknown = int(np.max(backend.rownames)) + 1000
            err = require_raises(lambda: backend.data([unknown], backend.colnames[:1]),
                                 InputError, "an unknown row id")
            require(str(unknown) in str(err), "the error must name the unknown row id")
            err = require_raises(lambda: backend.data(backend.rownames[:1], ["no such col;--"]),
                                 InputError, "an unknown column")
            require("no such col;--" in str(err), "the error must name the unknown column")

    def matrix() -> None:
        with checking(subject, "check_data_backend_matrix"):
            cols = [i.name for i in backend.col_info()
                    if i.type in ("numeric", "integer", "logical")]
            if not cols:
                return
            rows = _sample_rows(backend, seed)
            for ask in (rows, None, np.asarray(backend.rownames)[::-1]):
                got = backend.matrix(ask, cols)
                frame = backend.data(ask, cols)
                want = np.column_stack([
                    frame[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in cols
                ])
                require(got.dtype == np.float64 and got.shape == want.shape,
                        f"matrix() shape {got.shape} != {want.shape}")
                require(np.array_equal(got, want, equal_nan=True),
                        "matrix() differs from data() of the same rows")
            require_raises(lambda: backend.matrix([int(np.max(backend.rownames)) + 1000], cols),
                           InputError, "matrix() of an unknown row id")

    def row_codes() -> None:
        with checking(subject, "check_data_backend_row_codes"):
            infos = backend.col_info()
            cols = [i.name for i in infos if i.type in ("factor", "logical", "integer")][:2]
            if not cols:
                return
            rows = _sample_rows(backend, seed)
            for ask in (None, rows, np.asarray(backend.rownames)[::-1]):
                got = backend.row_codes(ask, cols)
                frame = backend.data(backend.rownames if ask is None else ask, cols)
                require(len(got.codes) == len(frame), "row_codes(): one code per row")
                values = got.combos.take(got.codes).reset_index(drop=True)
                for col in cols:
                    require(_same_values(values[col], frame[col].reset_index(drop=True)),
                            f"row_codes(): the combinations of the rows differ in '{col}'")
                seen = pd.unique(got.codes)
                require(np.array_equal(seen, np.arange(len(got.combos))),
                        "row_codes(): combinations must be numbered by first appearance, "
                        "each once")

    def picklable() -> None:
        with checking(subject, "check_data_backend_pickle"):
            clone = pickle.loads(pickle.dumps(backend))
            rows = _sample_rows(backend, seed)
            a = backend.data(rows, backend.colnames)
            b = clone.data(rows, backend.colnames)
            for col in backend.colnames:
                require(_same_values(a[col], b[col]), f"'{col}' differs after pickling")

    yield "check_data_backend_metadata", metadata
    yield "check_data_backend_data", data_in_order
    yield "check_data_backend_types", types
    yield "check_data_backend_head", head
    yield "check_data_backend_distinct_missings", distinct_missings
    yield "check_data_backend_bad_input", bad_input
    yield "check_data_backend_matrix", matrix
    yield "check_data_backend_row_codes", row_codes
    yield "check_data_backend_pickle", picklable


def check_data_backend(
    backend: DataBackend, *, seed: int = 1, exclude: Iterable[str] = ()
) -> None:
    """Run every data backend conformance check; raise on the first failure.

    Checks the contract tasks rely on: ``col_info()`` (names, feature types,
    levels), ``data(rows, cols)`` in the requested row order with duplicates,
    ``head``, ``distinct``, ``missings``, typed errors for unknown rows and
    columns, and that the backend pickles (as it must for process plans).

    Parameters
    ----------
    backend : DataBackend
        The backend (at least two rows; small, as the checks read it whole).
    seed : int
        Seed for choosing rows.
    exclude : iterable of str
        Skip checks whose name contains one of these substrings.

    Raises
    ------
    ConformanceError
        Naming the backend and the check that failed.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlr3py.data import as_data_backend
    >>> check_data_backend(as_data_backend(pd.DataFrame({"x": [1.0, 2.0, None]})))
    """
    run_checks(data_backend_checks(backend, seed=seed), exclude)
