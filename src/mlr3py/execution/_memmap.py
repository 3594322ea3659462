"""Large arrays of a run's shared objects reach the workers through memory-mapped files.

A task pickled to each worker process would be a copy per worker of its data.
Instead, the process plans pickle the shared objects (:mod:`mlr3py.execution._shared`)
once, with pickle protocol 5: every buffer of at least :data:`THRESHOLD` bytes
(a numpy array, a column block of a pandas frame) is kept out of the pickle and
written once per run to a file in a memory-backed folder (``/dev/shm`` where
there is one, as joblib does), and the worker maps that file instead of receiving
a copy. The arrays it unpickles view the mapping: the pages are the same memory
in every worker. The mapping is copy-on-write (:func:`map_pages`, which the
results sent back use as well): a worker that writes into such an array changes
its own private page, never the file, so the arrays behave as the private copies
they replace.

Lifetime: the files belong to the run (:class:`ArrayFiles`); the run removes them
when it ends, however it ends (a worker that still maps one keeps its pages until
it drops its objects, and a worker's death frees its mappings). They are also
registered with loky's resource tracker, a separate process that removes them if
this process dies before it could.
"""

from __future__ import annotations

import contextlib
import ctypes
import mmap
import os
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

__all__ = ["PREFIX", "THRESHOLD", "ArrayFiles", "Packed", "c_library", "file_prefix",
           "map_pages", "mapped_bytes", "pickle_out_of_band", "shared_folder", "tracker"]

#: Buffers of at least this many bytes travel through a memory-mapped file.
THRESHOLD = 1 << 20

#: Prefix of the files' names, followed by the pid of the process that wrote them.
PREFIX = "mlr3py-shared-"


def file_prefix(pid: int | None = None) -> str:
    """The names of the files process ``pid`` (default: this one) writes start with this."""
    return f"{PREFIX}{os.getpid() if pid is None else pid}-"


def shared_folder(nbytes: int = 0) -> str:
    """Where the files go: ``/dev/shm`` if it exists and has room, else the temp folder."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        with contextlib.suppress(OSError):
            if shutil.disk_usage(shm).free > 2 * nbytes:
                return shm
    return tempfile.gettempdir()


def tracker(action: str, path: str) -> None:
    """Register ``path`` with loky's resource tracker, or unregister it."""
    with contextlib.suppress(Exception):
        from joblib.externals.loky.backend import resource_tracker

        getattr(resource_tracker, action)(path, "file")


def pickle_out_of_band(
    dumps: Callable[..., bytes], obj: Any, threshold: int
) -> tuple[bytes, list[memoryview]]:
    """``obj`` pickled by ``dumps`` with protocol 5, and the buffers of at least
    ``threshold`` bytes it kept out of the pickle (in the pickle's order)."""
    large: list[memoryview] = []

    def keep(buffer: pickle.PickleBuffer) -> bool:
        raw = buffer.raw()
        if raw.nbytes < max(threshold, 1):
            return True  # in band
        large.append(raw)
        return False

    return dumps(obj, protocol=5, buffer_callback=keep), large


@cache
def c_library() -> Any:
    """The C library's ``mmap`` and ``munmap``, and ``mremap`` and ``madvise`` where it has
    them (raises OSError where there are no ``mmap`` and ``munmap``)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.mmap.restype = ctypes.c_void_p
        libc.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                              ctypes.c_int, ctypes.c_int64)
        libc.munmap.restype = ctypes.c_int
        libc.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
    except (AttributeError, OSError, TypeError) as err:
        raise OSError("No mmap in the C library.") from err
    if not hasattr(mmap, "MAP_PRIVATE"):
        raise OSError("No private mappings on this platform.")
    with contextlib.suppress(AttributeError):  # Linux only; variadic: its fifth argument
        libc.mremap.restype = ctypes.c_void_p  # (the new address) goes as a pointer
        libc.mremap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t,
                                ctypes.c_int, ctypes.c_void_p)
    with contextlib.suppress(AttributeError):
        libc.madvise.restype = ctypes.c_int
        libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    return libc


def map_pages(fd: int, offset: int, size: int) -> np.ndarray:
    """``size`` bytes of the file ``fd`` from ``offset`` (a multiple of the page size),
    mapped copy-on-write: writing changes this process's pages, never the file.

    Unlike :class:`mmap.mmap`, which keeps a copy of the file descriptor open for as
    long as it maps the file, the mapping holds no descriptor: results kept by the
    thousand do not run into the limit on open files. The pages are unmapped when the
    array and every view of it are gone.

    Returns
    -------
    numpy.ndarray
        The bytes (uint8, writable).

    Raises
    ------
    OSError
        Where the pages cannot be mapped.
    """
    libc = c_library()
    addr = libc.mmap(None, size, mmap.PROT_READ | mmap.PROT_WRITE, mmap.MAP_PRIVATE, fd,
                     offset)
    if addr is None or addr == ctypes.c_void_p(-1).value:
        err = ctypes.get_errno()
        raise OSError(err, f"mmap of {size} bytes failed: {os.strerror(err)}")
    raw = (ctypes.c_ubyte * size).from_address(addr)
    _MAPPED[addr] = size
    # the process's exit unmaps everything: unmapping earlier, at the interpreter's
    # shutdown, could pull pages from under objects that are not collected yet
    weakref.finalize(raw, _unmap, addr, size).atexit = False
    return np.frombuffer(memoryview(raw), dtype=np.uint8)


# start address -> bytes of each mapping of map_pages that is still mapped
_MAPPED: dict[int, int] = {}


def _unmap(addr: int, size: int) -> None:
    _MAPPED.pop(addr, None)
    c_library().munmap(addr, size)


def mapped_bytes(addr: int) -> int:
    """The bytes of the file mapping of :func:`map_pages` that starts at address ``addr``
    (0: none starts there)."""
    return _MAPPED.get(addr, 0)


@dataclass(frozen=True)
class Packed:
    """An object pickled with its large buffers left in memory-mapped files.

    Attributes
    ----------
    data : bytes
        The pickle (protocol 5), the large buffers out of band.
    files : tuple of str
        The file holding each out-of-band buffer, in the pickle's order.
    """

    data: bytes
    files: tuple[str, ...] = ()

    def unpack(self) -> Any:
        """The object, its large arrays viewing the files' pages (in a worker)."""
        maps: dict[str, Any] = {}
        for path in self.files:
            if path not in maps:
                maps[path] = _map_file(path)
        return pickle.loads(self.data, buffers=[maps[path] for path in self.files])


def _map_file(path: str) -> Any:
    """The whole file at ``path`` mapped copy-on-write (:func:`map_pages`; through
    :class:`mmap.mmap` where the C library's ``mmap`` cannot be called)."""
    with open(path, "rb") as fh:
        try:
            return map_pages(fh.fileno(), 0, os.fstat(fh.fileno()).st_size)
        except OSError:
            return memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_COPY))


class ArrayFiles:
    """The files of one run: each large buffer written once, removed by :meth:`close`.

    Parameters
    ----------
    threshold : int, optional
        Buffers of at least this many bytes go to files (default :data:`THRESHOLD`).
    """

    def __init__(self, threshold: int | None = None) -> None:
        self.threshold = THRESHOLD if threshold is None else threshold
        # (address, nbytes) of a buffer -> (the buffer, kept alive so the key stays unique; file)
        self._files: dict[tuple[int, int], tuple[memoryview, str]] = {}

    @property
    def paths(self) -> list[str]:
        """The files written so far."""
        return [path for _, path in self._files.values()]

    def pack(self, obj: Any) -> Packed:
        """``obj`` pickled once; its large buffers written to files (once per run each).

        An object that cannot be pickled out of band (a buffer that is not contiguous
        is pickled in band by its owner) loses nothing: only the buffers pickle hands
        out go to files.
        """
        import cloudpickle

        data, large = pickle_out_of_band(cloudpickle.dumps, obj, self.threshold)
        return Packed(data, tuple(self._file(raw) for raw in large))

    def _file(self, raw: memoryview) -> str:
        address = np.frombuffer(raw, dtype=np.uint8).__array_interface__["data"][0]
        key = (int(address), raw.nbytes)
        known = self._files.get(key)
        if known is not None:
            return known[1]
        fd, path = tempfile.mkstemp(prefix=file_prefix(), suffix=".buffer",
                                    dir=shared_folder(raw.nbytes))
        tracker("register", path)
        self._files[key] = (raw, path)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
        except BaseException:
            self.close()
            raise
        return path

    def close(self) -> None:
        """Remove the files (workers still mapping one keep their pages until they let go)."""
        files, self._files = self._files, {}
        for _, path in files.values():
            with contextlib.suppress(OSError):
                os.unlink(path)
            tracker("unregister", path)
