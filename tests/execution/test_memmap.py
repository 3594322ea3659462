"""Large arrays of shared objects reach worker processes through memory-mapped files.

The workers' arrays view the files' pages (one copy in memory for all workers), the
data is the same as in the main process, results are those of a sequential run, and
the files are gone when the run ends: normally, after a worker's death, and after
the main process itself was killed. (An autouse fixture of ``tests/conftest.py``
checks after every test of the suite that no files are left.)
"""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _helper_shared import (
    Holder,
    Item,
    LearnerClassifMapped,
    die_on_one,
    inspect,
    mapped_file,
    write_first,
)

from mlr3py.evaluation import resample
from mlr3py.execution import _memmap, plan
from mlr3py.execution._deaths import WorkerDied
from mlr3py.execution._map import map_items, map_outcomes
from mlr3py.execution._memmap import ArrayFiles, file_prefix, shared_folder
from mlr3py.options import options
from mlr3py.sugar import lrn, rsmp
from mlr3py.tasks import as_task_classif

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc/<pid>/maps")


def _leftovers(pid: int | None = None) -> list[str]:
    return glob.glob(os.path.join(shared_folder(), file_prefix(pid) + "*"))


def test_pack_writes_large_buffers_once_and_close_removes_them() -> None:
    big, small = np.arange(300_000, dtype=np.float64), np.arange(10.0)
    files = ArrayFiles(threshold=1 << 20)
    try:
        first = files.pack({"big": big, "small": small})
        again = files.pack({"same": big})
        assert len(first.files) == 1 and again.files == first.files  # one file per array
        assert os.path.basename(first.files[0]).startswith(file_prefix())
        assert os.path.getsize(first.files[0]) == big.nbytes
        assert len(first.data) < 10_000  # the pickle holds the small array only
        back = first.unpack()
        np.testing.assert_array_equal(back["big"], big)
        np.testing.assert_array_equal(back["small"], small)
        assert mapped_file(back["big"]) == first.files[0]
        assert mapped_file(back["small"]) != first.files[0]  # in the pickle: not mapped
        more = [first.unpack() for _ in range(20)]
        assert first.files[0] not in _open_files()  # a mapping holds no open file
        del more
        # copy-on-write: writing changes this copy only, not the file nor the next reader
        back["big"][0] = -1.0
        assert first.unpack()["big"][0] == 0.0 and big[0] == 0.0
    finally:
        files.close()
    assert not os.path.exists(first.files[0])
    assert back["big"][1] == 1.0  # the mapping outlives the file


def _open_files() -> list[str]:
    """The paths this process holds open (other tests' pipes may close meanwhile: the
    count of descriptors would not do)."""
    paths = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            paths.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # closed since the listing
            continue
    return paths


def test_small_objects_travel_in_the_pickle() -> None:
    files = ArrayFiles()
    packed = files.pack({1: np.zeros(100), 2: pd.DataFrame({"x": range(5)})})
    assert packed.files == () and files.paths == []
    assert packed.unpack()[2]["x"].tolist() == [0, 1, 2, 3, 4]


def test_a_pandas_frame_views_the_file() -> None:
    frame = pd.DataFrame(np.random.default_rng(1).standard_normal((20_000, 10)),
                         columns=[f"x{i}" for i in range(10)])
    frame["y"] = pd.Categorical(np.where(frame["x0"] > 0, "a", "b"))
    frame["s"] = [f"v{i}" for i in range(len(frame))]
    frame["n"] = np.arange(len(frame))
    frame["b"] = frame["n"] % 3 == 0
    frame["t"] = pd.date_range("2020-01-01", periods=len(frame), freq="s")
    files = ArrayFiles(threshold=1 << 14)
    packed = files.pack(frame)
    back = packed.unpack()
    pd.testing.assert_frame_equal(back, frame)
    assert mapped_file(back["x3"].to_numpy()) in packed.files
    assert mapped_file(back["n"].to_numpy()) in packed.files
    back.loc[0, "x3"] = 99.0  # a copy on write, as for any frame
    assert frame.loc[0, "x3"] != 99.0 and packed.unpack().loc[0, "x3"] == frame.loc[0, "x3"]
    files.close()


def _holder(n: int = 200_000) -> Holder:
    return Holder(np.random.default_rng(3).standard_normal(n))  # 1.6 MB: above the threshold


@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", ["processes", "multicore"])
def test_workers_map_the_same_data(strategy: str) -> None:
    holder = _holder()
    items = [Item(holder, i) for i in range(6)]
    with plan(strategy, workers=2):
        out = map_items(inspect, items, chunk_size=1)
    pids = {pid for pid, *_ in out}
    assert os.getpid() not in pids and len(pids) == 2
    assert all(total == float(holder.data.sum()) for _, total, _, _ in out)
    files = {file for _, _, file, _ in out}
    assert len(files) == 1  # both workers map the one file the run wrote
    (file,) = files
    assert file is not None and os.path.basename(file).startswith(file_prefix())
    for pid in pids:  # one holder per worker, as without the files
        assert len({h for p, _, _, h in out if p == pid}) == 1


@pytest.mark.subprocess
def test_small_arrays_stay_private() -> None:
    holder = Holder(np.arange(1000.0))
    with plan("processes", workers=2):
        out = map_items(inspect, [Item(holder, i) for i in range(4)], chunk_size=1)
    assert all(file is None or "mlr3py-shared" not in file for _, _, file, _ in out)
    assert all(total == float(holder.data.sum()) for _, total, _, _ in out)


@pytest.mark.subprocess
def test_a_worker_writes_into_its_own_copy() -> None:
    holder = _holder()
    first = float(holder.data[0])
    with plan("processes", workers=2):
        out = map_items(write_first, [Item(holder, i) for i in range(4)], chunk_size=1)
    assert holder.data[0] == first  # the main process's array is untouched
    assert sorted(out)[0] == first + 1.0  # each worker started from the original value


@pytest.mark.subprocess
def test_files_are_removed_after_a_worker_died() -> None:
    holder = _holder()
    options.exec_chunk_size = 1
    with plan("processes", workers=2):
        out = map_outcomes(die_on_one, [Item(holder, i) for i in range(4)])
        assert isinstance(out[1], WorkerDied)
        assert [out[i] for i in (0, 2, 3)] == [float(holder.data.sum())] * 3
        assert _leftovers() == []
        # the replaced worker gets the next run's files
        again = map_items(inspect, [Item(holder, i) for i in range(4)], chunk_size=1)
    assert all(total == float(holder.data.sum()) for _, total, _, _ in again)


@pytest.mark.slow
@pytest.mark.subprocess
def test_files_are_removed_when_the_main_process_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent("""
        import sys
        import numpy as np
        from _helper_shared import Holder, Item, sleep_long
        from mlr3py.execution import plan
        from mlr3py.execution._map import map_items
        from mlr3py.execution._memmap import ArrayFiles

        pack = ArrayFiles.pack
        def announce(self, obj):
            packed = pack(self, obj)
            print(*packed.files, flush=True)
            return packed
        ArrayFiles.pack = announce
        holder = Holder(np.ones(300_000))
        with plan("processes", workers=2):
            map_items(sleep_long, [Item(holder, i) for i in range(4)], chunk_size=1)
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).parent), *sys.path])}
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                            env=env)
    try:
        assert proc.stdout is not None
        path = proc.stdout.readline().split()[0]
        assert os.path.exists(path)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 30
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not os.path.exists(path)  # loky's resource tracker removed it


def _task(n: int = 3000) -> object:
    rng = np.random.default_rng(7)
    x = rng.standard_normal((n, 8))
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(8)])
    noisy = x[:, 0] + x[:, 1] + rng.standard_normal(n)
    frame["y"] = pd.Categorical(np.where(noisy > 0, "a", "b"))
    return as_task_classif(frame, target="y", id="noisy")


@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", ["processes", "multicore"])
def test_resample_in_workers_reads_the_task_from_the_file(
    strategy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_memmap, "THRESHOLD", 1 << 14)  # this small task's columns: 24 KB
    task = _task()
    cv = rsmp("cv", folds=4).instantiate(task)
    options.exec_chunk_size = 1
    with plan(strategy, workers=2):
        rr = resample(task, LearnerClassifMapped(), cv, store_models=True)
        tree = resample(task, lrn("classif.rpart"), cv, seed=3)
    models = [learner.model for learner in rr.learners]
    assert all(m["pid"] != os.getpid() for m in models)
    assert all(m["file"] is not None and "mlr3py-shared" in m["file"] for m in models)
    sequential = resample(task, LearnerClassifMapped(), cv, store_models=True)
    assert [m["sum"] for m in models] == [lrn_.model["sum"] for lrn_ in sequential.learners]
    assert not any("mlr3py-shared" in (lrn_.model["file"] or "") for lrn_ in sequential.learners)
    reference = resample(task, lrn("classif.rpart"), cv, seed=3)
    assert tree.score()["classif.ce"].tolist() == reference.score()["classif.ce"].tolist()
    assert tree.prediction().response.tolist() == reference.prediction().response.tolist()


def test_an_instantiated_resampling_pickles_to_a_size_independent_of_the_table() -> None:
    """What a worker receives per run for the resampling: a pickle of a fixed size, the
    row ids and the training sets (bits) in the run's files (written once, mapped by all)."""
    from mlr3py import as_task_regr, rsmp

    sizes = []
    for n in (3_000_000, 6_000_000):
        frame = pd.DataFrame({"x": np.zeros(2 * n), "y": np.zeros(2 * n)})
        task = as_task_regr(frame, target="y").filter(np.arange(0, 2 * n, 2))  # ids built
        resampling = rsmp("subsampling", ratio=0.02, repeats=3).instantiate(task, seed=1)
        files = ArrayFiles()
        try:
            packed = files.pack(resampling)
            mapped = sum(os.path.getsize(p) for p in files.paths)
            clone = packed.unpack()
            np.testing.assert_array_equal(clone.test_set(2), resampling.test_set(2))
        finally:
            files.close()
        sizes.append(len(packed.data))
        assert mapped >= n * 8 + n * 3 // 8  # row ids (int64) and training sets (a bit each)
    assert abs(sizes[1] - sizes[0]) < 100, sizes


def test_a_resampling_of_all_rows_sends_them_as_a_range() -> None:
    """A task's rows 0 .. n-1 travel as a range, the training sets as bits: no row ids."""
    from mlr3py import as_task_regr, rsmp

    n = 4_000_000
    task = as_task_regr(pd.DataFrame({"x": np.zeros(n), "y": np.zeros(n)}), target="y")
    resampling = rsmp("subsampling", ratio=0.02, repeats=3).instantiate(task, seed=1)
    files = ArrayFiles()
    try:
        packed = files.pack(resampling)
        shipped = len(packed.data) + sum(os.path.getsize(p) for p in files.paths)
        clone = packed.unpack()
        np.testing.assert_array_equal(clone.instance.row_ids, np.arange(n))
        np.testing.assert_array_equal(clone.train_set(1), resampling.train_set(1))
    finally:
        files.close()
    assert shipped < n * 3 // 8 + 100_000  # the bits and a fixed rest
