"""Data sets from OpenML with a local CSV cache.

``load_dataset(name)`` reads ``<cache>/<name>.csv``. The cache directory is the
environment variable ``MLR3PY_DATA_DIR`` when set, else
``$XDG_CACHE_HOME/mlr3py`` (default ``~/.cache/mlr3py``). A missing file of a
known OpenML data set is downloaded (the data set's ARFF file, converted to
CSV) and written to the cache; without a connection the error names the exact
file to provide.
"""

from __future__ import annotations

import csv
import io
import json
import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mlr3py.errors import InputError
from mlr3py.log import logger
from mlr3py.registry import did_you_mean

__all__ = ["DATA_DIR_ENV", "OPENML_DATASETS", "data_dir", "dataset_path", "load_dataset",
           "parse_arff"]

#: Environment variable that overrides the cache directory.
DATA_DIR_ENV = "MLR3PY_DATA_DIR"
_API = "https://www.openml.org/api/v1/json/data/{id}"
_TIMEOUT = 30.0


@dataclass(frozen=True)
class OpenMLDataset:
    """An OpenML data set mlr3py knows by name."""

    name: str
    data_id: int
    openml_name: str


#: Known data sets: mlr3py name -> OpenML data set.
OPENML_DATASETS: dict[str, OpenMLDataset] = {
    d.name: d
    for d in (
        OpenMLDataset("sonar", 40, "sonar"),
        OpenMLDataset("spam", 44, "spambase"),
        OpenMLDataset("german_credit", 31, "credit-g"),
        OpenMLDataset("pimaindiansdiabetes2", 37, "diabetes"),
    )
}


def data_dir() -> Path:
    """The cache directory (not created here)."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser().resolve() / "mlr3py"


def dataset_path(name: str) -> Path:
    """The cache file of data set ``name``: ``<data_dir()>/<name>.csv``."""
    return data_dir() / f"{name}.csv"


def load_dataset(name: str) -> pd.DataFrame:
    """Read data set ``name`` from the cache, downloading it from OpenML when missing.

    Parameters
    ----------
    name : str
        The data set, e.g. ``"sonar"``; the cache file is ``<cache>/<name>.csv``.
        Any CSV file in the cache directory can be read this way; only the
        data sets in :data:`OPENML_DATASETS` can be downloaded.

    Returns
    -------
    pandas.DataFrame
        The table as read by :func:`pandas.read_csv` (empty fields are missing).

    Raises
    ------
    InputError
        When the file is missing and cannot be downloaded; the message names the
        file to provide and the environment variable that moves the cache.
    """
    path = dataset_path(name)
    if path.is_file():
        return pd.read_csv(path)
    spec = OPENML_DATASETS.get(name)
    if spec is None:
        raise InputError(
            f"Data set '{name}' is not in the data cache and is not a known OpenML data set "
            f"(known: {', '.join(sorted(OPENML_DATASETS))}).{did_you_mean(name, OPENML_DATASETS)} "
            f"Provide the file '{path}', or set the environment variable {DATA_DIR_ENV} to a "
            f"directory that holds '{name}.csv'."
        )
    try:
        frame = _download(spec)
    except (OSError, ValueError) as err:  # URLError and timeouts are OSErrors
        raise InputError(
            f"Data set '{name}' is not in the data cache and could not be downloaded from "
            f"OpenML (data id {spec.data_id}): {err}. Provide the file '{path}' (the OpenML data "
            f"set {spec.data_id} '{spec.openml_name}' as CSV with a header row), or set the "
            f"environment variable {DATA_DIR_ENV} to a directory that holds '{name}.csv'."
        ) from err
    _write_cache(frame, path)
    return frame


def _fetch(url: str) -> bytes:
    """GET ``url`` (the seam tests replace)."""
    request = urllib.request.Request(url, headers={"User-Agent": "mlr3py"})
    with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
        return response.read()


def _download(spec: OpenMLDataset) -> pd.DataFrame:
    meta = json.loads(_fetch(_API.format(id=spec.data_id)).decode("utf-8"))
    try:
        url = meta["data_set_description"]["url"]
    except (KeyError, TypeError) as err:
        raise ValueError(f"unexpected OpenML answer for data id {spec.data_id}") from err
    logger.info("Downloading OpenML data set %d from %s", spec.data_id, url)
    return parse_arff(_fetch(url).decode("utf-8"))


def _write_cache(frame: pd.DataFrame, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        frame.to_csv(tmp, index=False)
        tmp.replace(path)
    except OSError as err:
        logger.warning("Could not write the data cache file %s: %s", path, err)


def _unquote(token: str) -> str:
    token = token.strip()
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        return token[1:-1].replace("\\'", "'").replace('\\"', '"')
    return token


def _split_attribute(line: str) -> tuple[str, str]:
    rest = line[len("@attribute"):].strip()
    if rest[0] in "'\"":
        end = rest.index(rest[0], 1)
        return rest[1:end], rest[end + 1:].strip()
    name, _, kind = rest.partition(" ")
    if not kind:
        name, _, kind = rest.partition("\t")
    return name, kind.strip()


def parse_arff(text: str) -> pd.DataFrame:
    """Parse a dense ARFF file into a DataFrame.

    Numeric attributes become numbers, nominal and string attributes strings,
    ``?`` a missing value.

    Parameters
    ----------
    text : str
        The ARFF file's content.

    Returns
    -------
    pandas.DataFrame
    """
    names: list[str] = []
    numeric: list[bool] = []
    lines = iter(text.splitlines())
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        lower = line.lower()
        if lower.startswith("@attribute"):
            name, kind = _split_attribute(line)
            names.append(name)
            numeric.append(kind.lower().split()[0] in ("numeric", "real", "integer"))
        elif lower.startswith("@data"):
            break
    if not names:
        raise ValueError("the ARFF file declares no attributes")
    body = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("%")]
    rows = list(csv.reader(io.StringIO("\n".join(body)), quotechar="'", skipinitialspace=True,
                           escapechar="\\"))
    for i, row in enumerate(rows):
        if len(row) != len(names):
            raise ValueError(f"ARFF data line {i + 1} has {len(row)} values, expected {len(names)}")
    columns: dict[str, pd.Series] = {}
    for j, name in enumerate(names):
        values = [None if v.strip() == "?" else _unquote(v) for v in (r[j] for r in rows)]
        if numeric[j]:
            columns[name] = pd.to_numeric(pd.Series(values, dtype=object))
        else:
            columns[name] = pd.Series(values, dtype="str")
    return pd.DataFrame(columns)
