"""The dask plan's setup: bad clients and unreachable schedulers, workers without __main__."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mlr3py.errors import ConfigError
from mlr3py.execution import plan, tweak
from mlr3py.execution._map import map_items

pytest.importorskip("distributed")

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_a_client_that_is_not_a_dask_client_is_refused_at_plan_time() -> None:
    with pytest.raises(ConfigError, match=r"'client'.*Got 42 \(of type int\)"):
        plan("dask", client=42)
    with pytest.raises(ConfigError, match="dask.distributed.Client"):
        tweak("dask", client="tcp://127.0.0.1:8786")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_scheduler_is_named_with_its_timeout(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import dask

    address = f"tcp://127.0.0.1:{_closed_port()}"
    start = time.monotonic()
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), \
            caplog.at_level(logging.INFO, logger="mlr3py"), plan("dask", address=address), \
            pytest.raises(ConfigError, match=f"dask scheduler at '{address}' within 2 s"):
        map_items(abs, [-1, -2])
    assert time.monotonic() - start < 20
    said = [r.getMessage() for r in caplog.records if r.name == "mlr3py"]
    assert any(address in m and "2 s" in m and "Connecting" in m for m in said)


def test_dask_plan_workers_do_not_run_a_script_without_main_guard(tmp_path: Path) -> None:
    script = tmp_path / "no_guard.py"
    script.write_text(textwrap.dedent("""
        import mlr3py
        from mlr3py import lrn, resample, rsmp, tsk

        print("TOP-LEVEL OF THE SCRIPT", flush=True)
        with mlr3py.plan("dask", workers=2):
            rr = resample(tsk("iris"), lrn("classif.featureless"), rsmp("cv", folds=4), seed=1)
        print("ITERATIONS", rr.iters, flush=True)
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [SRC, *filter(None, [os.environ.get("PYTHONPATH")])])}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=180, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.count("TOP-LEVEL OF THE SCRIPT") == 1, out.stdout
    assert "ITERATIONS 4" in out.stdout
