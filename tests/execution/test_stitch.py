"""Arrays in mapped pages put end to end by moving their pages (execution._stitch)."""

from __future__ import annotations

import gc
import mmap
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from mlr3py.execution._memmap import map_pages, mapped_bytes
from mlr3py.execution._stitch import stitch, stitchable

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="pages are moved with Linux's mremap")

PAGE_ROWS = mmap.PAGESIZE // 8  # float64 rows that fill one page


def _mapped(values: np.ndarray, folder: Path) -> np.ndarray:
    """``values`` written to a file and read back as a copy-on-write mapping of it (the
    file removed, as a result file is once received)."""
    path = folder / f"part-{len(os.listdir(folder))}.bin"
    path.write_bytes(values.tobytes())
    with open(path, "rb") as fh:
        raw = map_pages(fh.fileno(), 0, values.nbytes)
    path.unlink()
    return raw.view(values.dtype).reshape(values.shape)


def test_stitched_parts_equal_their_concatenation_and_stay_as_they_were(
    tmp_path: Path,
) -> None:
    rng = np.random.default_rng(1)
    values = [rng.normal(size=3 * PAGE_ROWS), rng.normal(size=PAGE_ROWS),
              rng.normal(size=1000)]
    parts = [_mapped(v, tmp_path) for v in values]
    joined = stitch(parts)
    assert joined is not None
    np.testing.assert_array_equal(joined, np.concatenate(values))
    for part, want in zip(parts, values, strict=True):  # the parts read what they read
        np.testing.assert_array_equal(part, want)
    joined[0] = 42.0  # the stitched pages are its own: copy-on-write
    assert parts[0][0] == values[0][0]
    del parts
    gc.collect()  # the parts' own mappings go; the stitched array keeps its pages
    np.testing.assert_array_equal(joined[1:], np.concatenate(values)[1:])


def test_rows_of_several_columns_and_other_dtypes(tmp_path: Path) -> None:
    prob = np.arange(PAGE_ROWS * 3, dtype=np.float64).reshape(PAGE_ROWS, 3)
    last = np.ones((5, 3))
    joined = stitch([_mapped(prob, tmp_path), _mapped(last, tmp_path)])
    assert joined is not None and joined.shape == (PAGE_ROWS + 5, 3)
    np.testing.assert_array_equal(joined, np.concatenate([prob, last]))
    codes = np.arange(mmap.PAGESIZE, dtype=np.int8)
    joined = stitch([_mapped(codes, tmp_path), _mapped(codes[:7], tmp_path)])
    assert joined is not None and joined.dtype == np.int8
    np.testing.assert_array_equal(joined, np.concatenate([codes, codes[:7]]))


def test_parts_that_cannot_be_stitched_give_none(tmp_path: Path) -> None:
    whole = _mapped(np.arange(PAGE_ROWS, dtype=np.float64), tmp_path)
    short = _mapped(np.arange(10, dtype=np.float64), tmp_path)
    assert stitchable(whole, last=False) and stitchable(short, last=True)
    assert not stitchable(short, last=False)  # a part before the last fills whole pages
    assert stitch([short, whole]) is None
    in_memory = np.arange(PAGE_ROWS, dtype=np.float64)  # not a mapping of a file
    assert mapped_bytes(in_memory.__array_interface__["data"][0]) == 0
    assert stitch([in_memory, short]) is None
    assert stitch([whole[1:], short]) is None  # does not start its mapping
    assert stitch([whole, short.astype(np.float32)]) is None  # other dtype
    assert stitch([whole]) is whole  # one part is the whole
    np.testing.assert_array_equal(in_memory, np.arange(PAGE_ROWS))  # nothing was moved
    np.testing.assert_array_equal(whole, np.arange(PAGE_ROWS))


class _FailingSecondMove:
    """The C library, whose second ``mremap`` fails (as a kernel that refuses a move)."""

    def __init__(self, libc: object) -> None:
        self._libc = libc
        self.moves = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._libc, name)

    def mremap(self, *args: object) -> int:
        self.moves += 1
        if self.moves == 2:
            return -1 & 0xFFFFFFFFFFFFFFFF  # MAP_FAILED
        return self._libc.mremap(*args)  # type: ignore[attr-defined, no-any-return]


def test_a_move_that_fails_midway_leaves_the_parts_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mlr3py.execution import _stitch

    values = [np.arange(PAGE_ROWS, dtype=np.float64), np.arange(PAGE_ROWS, 2.0 * PAGE_ROWS),
              np.ones(10)]
    parts = [_mapped(v, tmp_path) for v in values]
    parts[0][1] = 77.0  # a page this process wrote into: its own copy, not the file's
    failing = _FailingSecondMove(_stitch._libc())
    monkeypatch.setattr(_stitch, "_libc", lambda: failing)
    assert stitch(parts) is None
    assert failing.moves > 2  # the first part's pages were moved, and moved back
    assert parts[0][1] == 77.0  # the written page came back with them
    values[0][1] = 77.0
    for part, want in zip(parts, values, strict=True):
        np.testing.assert_array_equal(part, want)
    monkeypatch.undo()
    joined = stitch(parts)  # the parts can still be stitched (or copied) afterwards
    assert joined is not None
    np.testing.assert_array_equal(joined, np.concatenate(values))
