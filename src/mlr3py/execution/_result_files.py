"""Large arrays of a unit's results travel back to the parent through a file.

A worker process's results reach the parent through the executor's pipe: pickled,
written in pieces of 64 KiB, read and unpickled by a thread of the parent that
competes with the workers for the cores. A prediction of ten million rows is 235
MB. :func:`ship` pickles a unit's results once, with pickle protocol 5: every
buffer of at least :data:`~mlr3py.execution._memmap.THRESHOLD` bytes (a numpy
array: a prediction's response, truth, row ids) is kept out of the pickle and
written to one file per unit in a memory-backed folder (``/dev/shm`` where there
is one), each buffer starting at a multiple of the page size, and only the small
pickle travels through the pipe. :meth:`ShippedResults.receive` maps each buffer
copy-on-write (:func:`~mlr3py.execution._memmap.map_pages`) and removes the file:
the parent's arrays are the pages the worker wrote, neither read nor copied
(reading the 705 MB of predicted parts of a 10,000,000-row resample into new memory
took the parent 0.9 s), and each buffer's pages are freed with the last array
viewing them.
Where pages cannot be mapped so, each buffer is read into an array of its own.

Results that plain pickle cannot handle (an object of a class defined in the
parent's ``__main__``, which the executor's pickler sends by value) travel the
usual way; so do results that hold no large buffer, as a pickle that the parent
loads (one pickling either way). A file whose results never arrive (the parent
gave up the run) is registered with loky's resource tracker, which removes it
when the processes end.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import tempfile
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlr3py.execution._memmap import (
    THRESHOLD,
    map_pages,
    pickle_out_of_band,
    shared_folder,
    tracker,
)

__all__ = ["RESULT_PREFIX", "ShippedResults", "ship"]

#: Prefix of the result files' names, followed by the pid of the worker that wrote them.
RESULT_PREFIX = "mlr3py-results-"


@dataclass(frozen=True)
class ShippedResults:
    """A unit's results as a pickle whose large buffers wait in a file.

    Attributes
    ----------
    data : bytes
        The pickle (protocol 5), the large buffers out of band.
    path : str or None
        The file holding the out-of-band buffers one after another (None: none).
    sizes : tuple of int
        The bytes of each buffer, in the pickle's order.
    """

    data: bytes
    path: str | None = None
    sizes: tuple[int, ...] = ()

    def receive(self) -> Any:
        """The results (in the parent); the file is removed."""
        if self.path is None:
            return pickle.loads(self.data)
        try:
            with open(self.path, "rb", buffering=0) as fh:
                buffers = _mapped(fh, self.sizes)
                if buffers is None:
                    buffers = _read(fh, self.path, self.sizes)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            tracker("unregister", self.path)
        return pickle.loads(self.data, buffers=buffers)


def _offsets(sizes: tuple[int, ...]) -> list[int]:
    """Where each buffer starts in a result file: at a multiple of the page size."""
    page = mmap.ALLOCATIONGRANULARITY
    offsets, at = [], 0
    for size in sizes:
        offsets.append(at)
        at += -(-size // page) * page
    return offsets


def _mapped(fh: Any, sizes: tuple[int, ...]) -> list[Any] | None:
    """Each buffer of the open result file mapped on its own (None: pages cannot be, or
    the file is shorter than its buffers: reading it raises the error)."""
    offsets = _offsets(sizes)
    if not sizes or os.fstat(fh.fileno()).st_size < offsets[-1] + sizes[-1]:
        return None  # a page mapped past the file's end would fault when read
    try:
        return [map_pages(fh.fileno(), offset, size)
                for offset, size in zip(offsets, sizes, strict=True)]
    except OSError:
        return None


def _read(fh: Any, path: str, sizes: tuple[int, ...]) -> list[np.ndarray]:
    """Each buffer of the open result file read into an array of its own."""
    buffers: list[np.ndarray] = []
    for offset, size in zip(_offsets(sizes), sizes, strict=True):
        fh.seek(offset)
        buffer = np.empty(size, dtype=np.uint8)
        view = buffer.data  # a memoryview of the array
        done = 0
        while done < size:
            got = fh.readinto(view[done:])
            if not got:
                raise EOFError(f"The result file {path} ended early.")
            done += got
        buffers.append(buffer)
    return buffers


def ship(results: Any, threshold: int = THRESHOLD) -> Any:
    """``results`` as :class:`ShippedResults` (in a worker), or as they are where plain
    pickle cannot handle them."""
    try:
        data, large = pickle_out_of_band(pickle.dumps, results, threshold)
    except Exception:
        return results  # the executor's pickler sends such objects by value
    if not large:
        return ShippedResults(data)
    total = sum(raw.nbytes for raw in large)
    fd, path = tempfile.mkstemp(prefix=f"{RESULT_PREFIX}{os.getpid()}-", suffix=".buffers",
                                dir=shared_folder(total))
    tracker("register", path)
    try:
        sizes = tuple(raw.nbytes for raw in large)
        with os.fdopen(fd, "wb", buffering=0) as fh:
            for raw, offset in zip(large, _offsets(sizes), strict=True):
                fh.seek(offset)
                view = raw.cast("B")
                done = 0
                while done < len(view):
                    done += fh.write(view[done:])
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        tracker("unregister", path)
        raise
    return ShippedResults(data, path, sizes)
