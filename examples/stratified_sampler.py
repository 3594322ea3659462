"""The stratified batch sampler: reproductions 1 and 2 of the blog posts.

1. Simulated data, 20,050 rows with the first 602 positive (3%). A default
   shuffled loader (``BatchSampler(RandomSampler(...), 100)``) leaves some
   batches without any positive; a loss computed from a ROC curve, such as AUM,
   has no gradient on such a batch. The stratified sampler with
   ``min_samples_per_stratum = 3`` gives 200 batches, each with at least 3
   positives, and every row once per epoch.
2. Sonar with stratum ``Class``, filtered to rows 86..208 (row ids 85..207: 111 M
   and 12 R). ``m = 1`` gives 12 batches of 10 or 11 rows with exactly one R each;
   batch size grows about 10x ``m``; ``m >= 7`` gives a single batch;
   ``shuffle=False`` gives the same batches every epoch, ``shuffle=True`` new
   ones with the same counts. Finally the sampler drives ``classif.mlp`` trained
   with the AUM loss.

Run it with ``.venv/bin/python examples/stratified_sampler.py``; the task
``sonar`` is read through the local data cache (``MLR3PY_DATA_DIR`` pointing at a
directory with ``sonar.csv``).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import torch
from torch.utils.data import BatchSampler, RandomSampler

from mlr3py import lrn, msr, tsk
from mlr3py.torch.diagnostics import batch_diagnostics
from mlr3py.torch.losses import AUMLoss
from mlr3py.torch.samplers import BatchSamplerStratified, batch_sampler_stratified


def section(title: str) -> None:
    """Print a section heading."""
    print(f"\n{'=' * 78}\n{title}\n{'=' * 78}")


def show(table: pd.DataFrame, rows: int = 8) -> None:
    """Print the first rows of a diagnostics table (row ids shortened)."""
    shown = table.head(rows).copy()
    shown["row_ids"] = [
        " ".join(str(i) for i in ids[:6]) + (" ..." if len(ids) > 6 else "")
        for ids in shown["row_ids"]
    ]
    print(shown.to_string(index=False))
    if len(table) > rows:
        print(f"... ({len(table)} batches)")


def simulated() -> None:
    """Reproduction 1: 20,050 rows, 602 positive."""
    section("1. Simulated data: 20,050 rows, the first 602 positive")
    labels = np.zeros(20_050, dtype=np.int64)
    labels[:602] = 1

    default = BatchSampler(
        RandomSampler(range(len(labels)), generator=torch.Generator().manual_seed(1)),
        batch_size=100,
        drop_last=False,
    )
    table = batch_diagnostics(default, labels)
    print("torch's default: BatchSampler(RandomSampler(...), batch_size=100)")
    show(table.sort_values("1").rename(columns={"0": "negative", "1": "positive"}))
    print(
        f"batches: {len(table)}; without a positive: {(table['1'] == 0).sum()}; "
        f"fewest positives: {table['1'].min()}"
    )

    sampler = BatchSamplerStratified(labels, 3, generator=torch.Generator().manual_seed(1))
    print(f"\n{sampler!r}")
    table = batch_diagnostics(sampler, labels)
    show(table.rename(columns={"0": "negative", "1": "positive"}))
    all_rows = np.sort(np.concatenate(table["row_ids"].to_list()))
    print(
        f"batches: {len(table)}; fewest positives: {table['1'].min()}; "
        f"every row once: {np.array_equal(all_rows, np.arange(len(labels)))}"
    )
    print("positives per batch:", table["1"].value_counts().sort_index().to_dict())


def sonar() -> None:
    """Reproduction 2: the last 123 rows of sonar (111 M, 12 R)."""
    section("2. Sonar, stratum Class, rows 86..208 (111 M, 12 R)")
    task = tsk("sonar")
    task.col_roles["stratum"] = ["Class"]
    task.filter(range(85, 208))
    print(task.data(cols="Class")["Class"].value_counts().to_string())
    # what a torch learner hands the factory: its training dataset (task + row ids)
    dataset = SimpleNamespace(task=task, row_ids=np.asarray(task.row_ids))

    for shuffle in (False, True):
        sampler = batch_sampler_stratified(1, shuffle=shuffle)(
            dataset, generator=torch.Generator().manual_seed(2)
        )
        print(f"\nmin_samples_per_stratum=1, shuffle={shuffle}: {sampler!r}")
        show(batch_diagnostics(sampler, task), rows=12)

    print("\nbatch size against min_samples_per_stratum:")
    rows = []
    for m in range(1, 13):
        sampler = batch_sampler_stratified(m)(dataset)
        rows.append(
            {"m": m, "batches": len(sampler), "batch_size": sampler.batch_size,
             "sizes": sorted(set(sampler.batch_sizes))}
        )
    print(pd.DataFrame(rows).to_string(index=False))

    for shuffle in (False, True):
        sampler = batch_sampler_stratified(1, shuffle=shuffle)(
            dataset, generator=torch.Generator().manual_seed(3)
        )
        epochs = [batch_diagnostics(sampler, task) for _ in range(3)]
        first = [[ids.tolist() for ids in t["row_ids"]] for t in epochs]
        counts = [t[["size", "M", "R"]].to_numpy().tolist() for t in epochs]
        print(
            f"\nshuffle={shuffle}, three epochs: same batches {first[0] == first[1] == first[2]}, "
            f"same counts {counts[0] == counts[1] == counts[2]}; "
            f"first batch per epoch: {[f[0] for f in first]}"
        )

    section("classif.mlp with AUM loss and the stratified sampler")
    learner = lrn(
        "classif.mlp",
        epochs=20,
        neurons=[],
        lr=0.01,
        loss=AUMLoss(),
        batch_sampler=batch_sampler_stratified(1),
        seed=1,
        predict_type="prob",
    )
    print(learner.param_set.values)
    learner.train(task)
    # AUM optimises the ranking (the ROC curve), not the 0.5 threshold: the AUC on the
    # training rows
    print(learner.predict(task).score(msr("classif.auc")))


def main() -> None:
    """Run both reproductions."""
    simulated()
    sonar()


if __name__ == "__main__":
    main()
