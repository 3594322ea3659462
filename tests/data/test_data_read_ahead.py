"""A stream read ahead in a thread: the same items in order, errors in their place, and
the thread gone once the reader stops."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from mlr3py.data._read_ahead import read_ahead


def _threads() -> int:
    return sum(t.name == "mlr3py-read-ahead" for t in threading.enumerate())


def test_items_come_in_order_and_ahead() -> None:
    produced: list[int] = []

    def stream() -> Iterator[int]:
        for i in range(50):
            produced.append(i)
            yield i

    reader = read_ahead(stream(), depth=2)
    assert next(reader) == 0
    deadline = time.monotonic() + 5
    while len(produced) < 3 and time.monotonic() < deadline:  # the thread works ahead
        time.sleep(0.001)
    assert 3 <= len(produced) <= 4  # the item taken, two waiting, one being put
    assert list(reader) == list(range(1, 50))


def test_an_error_comes_after_the_items_before_it() -> None:
    def stream() -> Iterator[int]:
        yield 1
        yield 2
        raise ConnectionError("the database went away")

    got: list[int] = []
    with pytest.raises(ConnectionError, match="went away"):
        for item in read_ahead(stream()):
            got.append(item)
    assert got == [1, 2]


def test_stopping_early_ends_the_thread() -> None:
    before = _threads()
    produced: list[int] = []

    def stream() -> Iterator[int]:
        for i in range(10_000):
            produced.append(i)
            yield i

    reader = read_ahead(stream(), depth=1)
    assert next(reader) == 0
    reader.close()
    assert _threads() == before
    assert len(produced) <= 3  # it stopped instead of reading the stream to its end
