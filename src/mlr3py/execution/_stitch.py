"""Arrays in mapped pages put end to end by moving their pages, not copying their bytes.

Under a process plan, a job whose test set is predicted in parts gets each part's
prediction back as arrays viewing the pages of a result file
(:mod:`mlr3py.execution._result_files`). Copying the parts into one array of all
the test rows writes every byte once more, into memory the main process touches
for the first time: with ten million rows on two workers, 0.67 s of the main
process's time for the three jobs of ``benchmarks/backend_parquet.py``, taken from
the workers it shares the cores with. :func:`stitch` moves the parts' pages instead,
next to each other into one range of addresses reserved for the whole array, with
Linux's ``mremap`` (``MREMAP_DONTUNMAP``: the parts' own ranges stay mapped, so
their own unmapping, when they are collected, touches nothing else). No byte is
copied and no page is faulted in. An array still viewing a part afterwards reads the
file's bytes (what the worker wrote); a page of it that this process wrote into moved
with the stitched array, which holds the written bytes: a part is meant to be dropped
once stitched. Should a move fail midway, the pages moved so far are moved back, so
that the parts are as they were for the caller to copy.

A part qualifies where it starts a mapping of
:func:`~mlr3py.execution._memmap.map_pages` and, unless it is the last, fills whole
pages; :func:`stitchable` says so before the parts are all in. Anything else (another
platform, a part read into memory of its own, a failed ``mremap``) returns None:
the caller copies, as before.
"""

from __future__ import annotations

import ctypes
import math
import mmap
import sys
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from mlr3py.execution._memmap import c_library, mapped_bytes

__all__ = ["stitch", "stitchable"]

_PROT_NONE = 0
_MREMAP_MAYMOVE = 1
_MREMAP_FIXED = 2
_MREMAP_DONTUNMAP = 4  # Linux 5.7; for mappings of files since Linux 5.13
_MADV_NORMAL = 0


def _libc() -> Any:
    """The C library with ``mremap`` (None where there is none: not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = c_library()
    except OSError:
        return None
    has = [getattr(getattr(libc, name, None), "argtypes", None) for name in ("mremap", "madvise")]
    return libc if all(has) else None


def _address(array: np.ndarray) -> int:
    return int(array.__array_interface__["data"][0])


def _pages(nbytes: int) -> int:
    """``nbytes`` rounded up to whole pages."""
    return -(-nbytes // mmap.PAGESIZE) * mmap.PAGESIZE


def stitchable(array: np.ndarray, last: bool) -> bool:
    """Whether ``array`` can be a part of :func:`stitch` (``last``: as the last part).

    It must be C-contiguous, start a mapping of
    :func:`~mlr3py.execution._memmap.map_pages` and lie within it, and fill whole
    pages unless it is the last part.
    """
    if not isinstance(array, np.ndarray) or not array.flags.c_contiguous or not array.nbytes:
        return False
    mapped = mapped_bytes(_address(array))
    return (0 < array.nbytes <= mapped
            and (last or array.nbytes % mmap.PAGESIZE == 0))


def stitch(parts: Sequence[np.ndarray]) -> np.ndarray | None:
    """``parts`` end to end along their first axis, as :func:`numpy.concatenate` would
    put them, in the parts' own pages moved next to each other (see the module's
    docstring); None where they cannot be (the caller concatenates).

    The array is writable; writing changes its own pages only (the mappings are
    copy-on-write), never the files or the parts.
    """
    if len(parts) == 1:
        return parts[0]
    libc = _libc()
    if libc is None or not parts:
        return None
    dtype, tail = parts[0].dtype, parts[0].shape[1:]
    if any(p.dtype != dtype or p.shape[1:] != tail
           or not stitchable(p, last=k == len(parts) - 1) for k, p in enumerate(parts)):
        return None
    sizes = [_pages(p.nbytes) for p in parts]
    total = sum(sizes)
    base = libc.mmap(None, total, _PROT_NONE, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS,
                     -1, 0)
    if base is None or base == ctypes.c_void_p(-1).value:
        return None
    at = base
    moved: list[tuple[int, int, int]] = []  # per part moved: its address, bytes, new address
    for part, size in zip(parts, sizes, strict=True):
        old = _address(part)
        got = libc.mremap(old, size, size, _MREMAP_MAYMOVE | _MREMAP_FIXED | _MREMAP_DONTUNMAP,
                          at)
        if got is not None and got == at:
            moved.append((old, size, at))
        # a kernel that took the move but dropped the part's own range (ignoring
        # MREMAP_DONTUNMAP) would leave the part viewing nothing
        if got is None or got != at or libc.madvise(old, size, _MADV_NORMAL) != 0:
            for back, nbytes, now in reversed(moved):  # the parts as they were
                libc.mremap(now, nbytes, nbytes, _MREMAP_MAYMOVE | _MREMAP_FIXED, back)
            libc.munmap(base, total)
            return None
        at += size
    raw = (ctypes.c_ubyte * total).from_address(base)
    weakref.finalize(raw, libc.munmap, base, total).atexit = False
    rows = sum(len(p) for p in parts)
    count = rows * math.prod(tail)
    return np.frombuffer(memoryview(raw), dtype=dtype, count=count).reshape((rows, *tail))
