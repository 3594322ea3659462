"""Streaming the rows of a :class:`~mlr3py.data.sql.DataBackendIbis` in Arrow batches.

:class:`IbisStreams` reads rows by id from one query and hands them on as they
arrive: :meth:`~IbisStreams.stream_frames` as pandas frames of a fixed number of
rows, :meth:`~IbisStreams.matrix` straight into one float64 array. Only a batch or
two is held besides the result, except where a SQLite scan is read in key ranges
by parallel threads (:mod:`mlr3py.data._sqlite_ranges`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mlr3py.data._ibis_queries import IbisQueries, sorted_unique
from mlr3py.data.backend import ROW_ID, as_row_ids, unknown_rows_error
from mlr3py.data.key_positions import KeyPositions

__all__ = ["IbisStreams"]


class IbisStreams(IbisQueries):
    """Rows streamed from one query (a base of :class:`~mlr3py.data.sql.DataBackendIbis`)."""

    #: Rows per Arrow batch that :meth:`stream_frames` reads; a frame collects several.
    #: The engine holds about a batch per thread besides the one handed over, so small
    #: batches keep a stream's memory low (benchmarks/backend_parquet.py, 2,000,000 rows
    #: x 20 float64 columns: 40 MiB less peak memory than batches of 100,000 rows).
    stream_batch_rows: int = 16_384

    def stream_frames(
        self, rows: Any, cols: Sequence[str], chunk_rows: int,
        consume: Callable[[pd.DataFrame], None],
    ) -> None:
        """Rows ``rows`` (duplicates read once) and columns ``cols`` from one query, handed
        to ``consume`` as frames of at most ``chunk_rows`` rows as they arrive.

        Each frame is indexed by its row ids (in the engine's order). Only the
        frame being handed over and the Arrow batches behind it are in memory,
        except where a SQLite scan is read in key ranges by parallel threads
        (:attr:`parallel_read_max_cells`): there the ranges after the first wait
        in memory, and the frames come range by range (the one query's order where
        the table's scan order is the key's). ``consume`` must not query this
        backend (a second query on the connection would end the stream).

        Raises
        ------
        InputError
            After the stream, for row ids that are not in the data.
        """
        import pyarrow as pa

        cols = self._check_cols(cols)
        self._all_levels()  # no other query on the connection while the stream is open
        uniq = sorted_unique(as_row_ids(rows))
        where = KeyPositions(uniq)
        found = np.zeros(len(uniq), dtype=bool)
        pending: list[Any] = []
        query = self._query_sorted(uniq, cols) if len(uniq) else None
        batch_rows = max(1, min(self.stream_batch_rows, chunk_rows))

        def emit(table: Any) -> None:
            frame = self._convert(table, cols)
            frame.index = pd.Index(table.column(0).to_numpy().astype(np.int64, copy=False),
                                   name=ROW_ID)
            consume(frame)

        def take(batch: Any) -> None:
            keys = batch.column(0).to_numpy().astype(np.int64, copy=False)
            at, keep = where.find(keys)
            found[at[keep]] = True
            if not keep.all():
                batch = batch.filter(pa.array(keep))
            if batch.num_rows:
                pending.append(batch)
            while sum(b.num_rows for b in pending) >= chunk_rows:
                table = pa.Table.from_batches(pending)
                pending[:] = table.slice(chunk_rows).to_batches()
                emit(table.slice(0, chunk_rows))

        if query is not None:
            self._each_batch(query, batch_rows, take, self._key_ranges(uniq, cols))
            if pending:
                emit(pa.Table.from_batches(pending))
        if not found.all():
            raise unknown_rows_error(uniq[~found],
                                     f"the values of the primary key '{self._key}'")

    def matrix(self, rows: Any, cols: Sequence[str]) -> np.ndarray:
        """Rows ``rows`` and numeric columns ``cols`` as one float64 array.

        The result streams from one query in Arrow batches of :attr:`chunk_rows`
        rows straight into the array (no DataFrame), so only one batch is held
        twice.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        cols = self._check_matrix_cols(cols)
        wanted = np.asarray(self.rownames) if rows is None else as_row_ids(rows)
        uniq = sorted_unique(wanted)
        values = np.empty((len(uniq), len(cols)), dtype=np.float64)
        found = np.zeros(len(uniq), dtype=bool)
        where = KeyPositions(uniq)
        if len(uniq):
            query = self._query_sorted(uniq, cols)

            def fill(batch: Any) -> None:
                keys = batch.column(0).to_numpy().astype(np.int64, copy=False)
                at, keep = where.find(keys)
                at = at[keep]
                found[at] = True
                for j, col in enumerate(cols):
                    column = pc.cast(batch.column(col if col != self._key else 0),
                                     pa.float64())
                    values[at, j] = column.to_numpy(zero_copy_only=False)[keep]

            self._each_batch(query, self.chunk_rows, fill, self._key_ranges(uniq, cols))
        if not found.all():
            raise unknown_rows_error(uniq[~found],
                                     f"the values of the primary key '{self._key}'")
        if uniq is wanted:
            return values  # the ids were sorted and distinct already
        return values[where.positions(wanted)]

