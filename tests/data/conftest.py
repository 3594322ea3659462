"""A PostgreSQL server for the database backend tests (fixture ``postgres_url``).

The server runs from Debian's ``postgresql`` binaries (``scripts/test.sh``
installs the package when ``initdb`` is missing and it runs as root) in a
temporary directory, listening on 127.0.0.1 only, for the whole test session.
``initdb`` refuses to run as root, so as root the server runs as the
``postgres`` user. Tests that use the fixture skip, naming the reason, only
when no server can be started.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd)]


def _start(root: Path, bindir: Path, port: int) -> None:
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres")
    subprocess.run(
        _as_server_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U",
                         "postgres", "--no-sync", "-E", "UTF8"]),
        check=True, capture_output=True, timeout=120,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -F"
    subprocess.run(
        _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                         str(root / "server.log"), "-w", "-t", "60", "start"]),
        check=True, capture_output=True, timeout=120,
    )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a fresh PostgreSQL server on localhost (database ``postgres``)."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'mlr3py[sql]')")
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb); scripts/test.sh installs "
                    "Debian's postgresql package when run as root")
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root but there is no 'postgres' user to run initdb as")
    root = Path(tempfile.mkdtemp(prefix="mlr3py-pg-"))
    port = _free_port()
    try:
        _start(root, bindir, port)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as err:
        out = getattr(err, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"cannot start a PostgreSQL server: {err} {out.decode(errors='replace')}")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate",
                             "-w", "stop"]),
            capture_output=True, timeout=60, check=False,
        )
        time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)
