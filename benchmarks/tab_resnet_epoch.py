"""One tabular ResNet epoch: ``classif.tab_resnet`` against a hand-written torch loop.

Data: N x 20 synthetic standard-normal features, a two-class target from a
noisy linear signal (N = 1,000,000; 200,000 with ``--quick``). Both sides use
the same network (``TabResNet``: 20 -> 64, two residual blocks of width 64 with
hidden width 128, batch norm, ReLU, dropout 0.25 / 0, head BN-ReLU-Linear to 1),
built under the same torch seed, Adam (lr 1e-3), BCE-with-logits, one thread,
CPU, and the same index batches of 100 rows (one permutation, split; the learner
gets them through ``batch_sampler``).

The learner's time is the whole ``learner.train(task)`` call: task -> tensors,
network and optimizer set-up, the epoch and the history. The hand loop's time
covers network and optimizer set-up and the epoch over tensors that already
exist. Runs alternate; medians are reported. Goal: ratio <= 1.10.

A second learner run uses the default batching (``randperm`` split in the
learner) instead of the batch sampler, for reference.

Usage: ``python benchmarks/tab_resnet_epoch.py [--quick] [--reps 5] [--rows N]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator

import numpy as np
import pandas as pd
import torch
from torch import nn

from mlr3py import lrn
from mlr3py.tasks import as_task_classif
from mlr3py.torch import TabResNet

N_FEATURES = 20
BATCH_SIZE = 100
NET = {"n_blocks": 2, "d_block": 64, "d_hidden_multiplier": 2.0, "dropout1": 0.25,
       "dropout2": 0.0}
LR = 1e-3


def make_data(n: int, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, N_FEATURES), dtype=np.float32)
    w = rng.standard_normal(N_FEATURES).astype(np.float32)
    y = (x @ w + rng.standard_normal(n).astype(np.float32) > 0)
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(N_FEATURES)])
    # "pos" first: the positive class, target 1.0 for the single logit
    frame.insert(0, "y", pd.Categorical(np.where(y, "pos", "neg"), categories=["pos", "neg"]))
    return frame, x, y.astype(np.float32)


class FixedBatches:
    """A batch sampler that yields a fixed list of index tensors."""

    def __init__(self, batches: list[torch.Tensor]) -> None:
        self.batches = batches

    def __call__(self, dataset: object) -> FixedBatches:
        return self

    def __len__(self) -> int:
        return len(self.batches)

    def __iter__(self) -> Iterator[torch.Tensor]:
        return iter(self.batches)


def hand_loop(x: torch.Tensor, y: torch.Tensor, batches: list[torch.Tensor]) -> float:
    start = time.perf_counter()
    torch.manual_seed(1)
    net = TabResNet(N_FEATURES, 1, **NET)
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    loss_fn = nn.BCEWithLogitsLoss()
    net.train()
    for idx in batches:
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return time.perf_counter() - start


def learner_run(task: object, batch_sampler: object | None) -> float:
    args = dict(epochs=1, lr=LR, seed=1, num_threads=1, **NET)
    if batch_sampler is None:
        args["batch_size"] = BATCH_SIZE
    else:
        args["batch_sampler"] = batch_sampler
    learner = lrn("classif.tab_resnet", **args)
    start = time.perf_counter()
    learner.train(task)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200,000 rows instead of 1e6")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    n = args.rows or (200_000 if args.quick else 1_000_000)
    torch.set_num_threads(1)
    frame, x_np, y_np = make_data(n)
    task = as_task_classif(frame, target="y", id="synthetic", positive="pos")
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    g = torch.Generator().manual_seed(42)
    batches = list(torch.randperm(n, generator=g).split(BATCH_SIZE))
    sampler = FixedBatches(batches)

    hand_loop(x, y, batches[:50])  # warm-up
    learner_run(task.clone().filter(task.row_ids[:5000]), None)
    runs = {
        "hand": lambda: hand_loop(x, y, batches),
        "same": lambda: learner_run(task, sampler),
        "default": lambda: learner_run(task, None),
    }
    times: dict[str, list[float]] = {k: [] for k in runs}
    for rep in range(args.reps):  # alternate the order to spread drift over all three
        for key in list(runs) if rep % 2 == 0 else reversed(list(runs)):
            times[key].append(runs[key]())
    med = {k: statistics.median(v) for k, v in times.items()}
    best = {k: min(v) for k, v in times.items()}
    h = med["hand"]
    print(f"TabResNet epoch: {n:,} rows x {N_FEATURES} features, batch size {BATCH_SIZE}, "
          f"{NET['n_blocks']} blocks of width {NET['d_block']}, {len(batches):,} batches, "
          f"1 thread, CPU, {args.reps} reps")
    print("                                 median      min   ratio(median)  ratio(min)")
    labels = {"hand": "hand-written torch loop", "same": "learner, same batches",
              "default": "learner, default batching"}
    for key, label in labels.items():
        print(f"  {label:27s} {med[key]:8.3f} s {best[key]:8.3f} s   "
              f"{med[key] / h:10.3f}  {best[key] / best['hand']:10.3f}")
    print(f"  hand loop per batch: {1e6 * h / len(batches):.1f} us")
    ratio = med["same"] / h
    print(f"  goal: median ratio <= 1.10 -> {'met' if ratio <= 1.10 else 'NOT met'} ({ratio:.3f})")


if __name__ == "__main__":
    main()
