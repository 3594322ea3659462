"""Shared parts of the epoch benchmarks: a torch learner against a hand-written loop.

``mlp_epoch.py``, ``tab_resnet_epoch.py`` and ``torch_graph_epoch.py`` compare one
training epoch of a learner with a plain torch loop over the same network and the
same index batches. This module holds what they share: the synthetic data, a batch
sampler that replays fixed batches, the hand loop, and the alternating timing of a
learner against that loop.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from mlr3py import lrn
from mlr3py.tasks import as_task_classif

N_FEATURES = 20
BATCH_SIZE = 100
LR = 1e-3


def make_data(n: int, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """``n`` x 20 standard-normal features and a two-class target from a noisy linear signal."""
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


def hand_loop(make_net: Callable[[], nn.Module], x: torch.Tensor, y: torch.Tensor,
              batches: list[torch.Tensor]) -> float:
    """Seconds of set-up and one epoch of Adam and BCE-with-logits over ``batches``."""
    start = time.perf_counter()
    torch.manual_seed(1)
    net = make_net()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    loss_fn = nn.BCEWithLogitsLoss()
    net.train()
    for idx in batches:
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[idx]), y[idx])  # one output unit gives shape (n,)
        loss.backward()
        opt.step()
    return time.perf_counter() - start


def learner_run(key: str, params: dict[str, Any], task: object,
                batch_sampler: object | None) -> float:
    """Seconds of ``lrn(key, **params).train(task)`` for one epoch."""
    args = dict(epochs=1, lr=LR, seed=1, num_threads=1, **params)
    if batch_sampler is None:
        args["batch_size"] = BATCH_SIZE
    else:
        args["batch_sampler"] = batch_sampler
    learner = lrn(key, **args)
    start = time.perf_counter()
    learner.train(task)
    return time.perf_counter() - start


def compare_epoch(doc: str, title: str, key: str, params: dict[str, Any],
                  make_net: Callable[[], nn.Module]) -> None:
    """Parse the command line, time learner and hand loop alternately, print the table."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
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

    hand_loop(make_net, x, y, batches[:50])  # warm-up
    learner_run(key, params, task.clone().filter(task.row_ids[:5000]), None)
    runs = {
        "hand": lambda: hand_loop(make_net, x, y, batches),
        "same": lambda: learner_run(key, params, task, sampler),
        "default": lambda: learner_run(key, params, task, None),
    }
    times: dict[str, list[float]] = {k: [] for k in runs}
    for rep in range(args.reps):  # alternate the order to spread drift over all three
        for name in list(runs) if rep % 2 == 0 else reversed(list(runs)):
            times[name].append(runs[name]())
    med = {k: statistics.median(v) for k, v in times.items()}
    best = {k: min(v) for k, v in times.items()}
    h = med["hand"]
    print(f"{title}: {n:,} rows x {N_FEATURES} features, batch size {BATCH_SIZE}, "
          f"{len(batches):,} batches, 1 thread, CPU, {args.reps} reps")
    print("                                 median      min   ratio(median)  ratio(min)")
    labels = {"hand": "hand-written torch loop", "same": "learner, same batches",
              "default": "learner, default batching"}
    for name, label in labels.items():
        print(f"  {label:27s} {med[name]:8.3f} s {best[name]:8.3f} s   "
              f"{med[name] / h:10.3f}  {best[name] / best['hand']:10.3f}")
    print(f"  hand loop per batch: {1e6 * h / len(batches):.1f} us")
    ratio = med["same"] / h
    print(f"  goal: median ratio <= 1.10 -> {'met' if ratio <= 1.10 else 'NOT met'} ({ratio:.3f})")
