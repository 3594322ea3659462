"""One epoch of a graph-built MLP against a hand-written torch loop; the cost of several ingresses.

Part 1 (goal: ratio <= 1.10). Data: N x 20 synthetic standard-normal features, a
two-class target (N = 1,000,000; 200,000 with ``--quick``). The network
``po("torch_ingress_num") >> nn("linear", out_features=64) >> nn("relu") >>
nn("linear_2", out_features=64) >> nn("relu_2") >> nn("head")`` with
``po("torch_optimizer", "adam", lr=1e-3)`` and ``po("torch_model_classif")``,
made a learner by ``as_learner_torch``; the hand loop trains the same modules
(``build_mlp``: 20 -> 64 -> 64 -> 1, ReLU), Adam, BCE-with-logits, one thread, CPU,
over the same index batches of 100 rows (the learner gets them through
``batch_sampler``). The learner's time is its whole ``train(task)`` call (the
graph, task -> tensors, set-up, the epoch, the history); the hand loop's covers
set-up and the epoch over tensors that already exist. ``classif.mlp`` runs
too, for reference. Runs alternate; medians are reported.

Part 2: the per-batch cost of a network with two ingresses (16 numeric features
as one float tensor, 4 factors as int64 codes -> ``nn("embedding",
embedding_dim=1)`` -> ``nn("flatten")``, joined by ``nn("merge_cat")`` into the
same 20 -> 64 -> 64 -> 1 MLP) against the one-tensor graph MLP of part 1, both
as learners over the same batches (N / 5 rows), and against a hand-written loop
over the same two-ingress modules and the same two tensors.

Usage: ``python benchmarks/torch_graph_epoch.py [--quick] [--reps 5] [--rows N] [--part 1|2]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import torch
from _epoch_vs_loop import BATCH_SIZE, LR, N_FEATURES, FixedBatches, hand_loop
from torch import nn as tnn

from mlr3py import lrn, po
from mlr3py.pipelines import gunion
from mlr3py.tasks import as_task_classif
from mlr3py.torch import as_learner_torch, build_mlp, nn
from mlr3py.torch.graph import GraphNetwork

N_FACTORS = 4


def make_mlp() -> tnn.Module:
    """The modules of the graph MLP: 20 -> 64 -> 64 -> 1, ReLU (one output flattened)."""
    return build_mlp(N_FEATURES, 1, (64, 64), p=0.0)


def make_frame(n: int, factors: int = 0, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, N_FEATURES - factors), dtype=np.float32)
    w = rng.standard_normal(N_FEATURES - factors).astype(np.float32)
    signal = x @ w + rng.standard_normal(n).astype(np.float32)
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(N_FEATURES - factors)])
    for j in range(factors):
        codes = rng.integers(0, 5, size=n)
        signal += (codes - 2) * 0.3
        frame[f"f{j}"] = pd.Categorical.from_codes(codes, categories=list("abcde"))
    frame.insert(0, "y", pd.Categorical(np.where(signal > 0, "pos", "neg"),
                                        categories=["pos", "neg"]))
    return frame


def mlp_graph(sampler: FixedBatches) -> object:
    return (po("torch_ingress_num") >> nn("linear", out_features=64) >> nn("relu")
            >> nn("linear_2", out_features=64) >> nn("relu_2") >> nn("head")
            >> po("torch_optimizer", "adam", lr=LR)
            >> po("torch_model_classif", epochs=1, seed=1, num_threads=1, batch_sampler=sampler))


def two_ingress_graph(sampler: FixedBatches) -> object:
    categ = (po("torch_ingress_categ") >> nn("embedding", embedding_dim=1) >> nn("flatten"))
    return (po("copy", outnum=2) >> gunion([po("torch_ingress_num"), categ])
            >> nn("merge_cat") >> nn("linear", out_features=64) >> nn("relu")
            >> nn("linear_2", out_features=64) >> nn("relu_2") >> nn("head")
            >> po("torch_optimizer", "adam", lr=LR)
            >> po("torch_model_classif", epochs=1, seed=1, num_threads=1, batch_sampler=sampler))


def hand_loop_two(network: GraphNetwork, num: torch.Tensor, categ: torch.Tensor,
                  y: torch.Tensor, batches: list[torch.Tensor]) -> float:
    """The two-ingress modules, called by hand (no TensorBatch, no graph dispatch)."""
    layers = network.layers
    emb, flat = layers["embedding"], layers["flatten"]
    mlp = tnn.Sequential(layers["linear"], layers["relu"], layers["linear_2"], layers["relu_2"],
                         layers["head"])
    start = time.perf_counter()
    opt = torch.optim.Adam(network.parameters(), lr=LR)
    loss_fn = tnn.BCEWithLogitsLoss()
    network.train()
    for idx in batches:
        opt.zero_grad(set_to_none=True)
        h = torch.cat([num[idx], flat(emb(categ[idx]))], dim=-1)
        loss = loss_fn(mlp(h).squeeze(1), y[idx])
        loss.backward()
        opt.step()
    return time.perf_counter() - start


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_alternating(runs: dict[str, Callable[[], float]], reps: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {k: [] for k in runs}
    for rep in range(reps):  # alternate the order to spread drift over all runs
        for key in list(runs) if rep % 2 == 0 else reversed(list(runs)):
            times[key].append(runs[key]())
    return times


def report(title: str, times: dict[str, list[float]], labels: dict[str, str], base: str,
           n_batches: int) -> dict[str, float]:
    med = {k: statistics.median(v) for k, v in times.items()}
    print(title)
    print("                                       median   per batch   ratio to "
          f"{labels[base]!r}")
    for key, label in labels.items():
        print(f"  {label:34s} {med[key]:7.3f} s {1e6 * med[key] / n_batches:8.1f} us"
              f"   {med[key] / med[base]:7.3f}")
    return med


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200,000 rows instead of 1e6")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--part", choices=["1", "2", "both"], default="both")
    args = parser.parse_args()
    n = args.rows or (200_000 if args.quick else 1_000_000)
    torch.set_num_threads(1)

    g = torch.Generator().manual_seed(42)
    if args.part in ("1", "both"):
        part1(n, args.reps, g)
    if args.part in ("2", "both"):
        part2(n // 5, args.reps, g)


def part1(n: int, reps: int, g: torch.Generator) -> None:
    """The graph MLP's epoch against the hand loop."""
    frame = make_frame(n)
    task = as_task_classif(frame, target="y", id="synthetic", positive="pos")
    x = torch.from_numpy(frame.iloc[:, 1:].to_numpy(np.float32).copy())
    y = torch.from_numpy((frame["y"] == "pos").to_numpy(np.float32).copy())
    batches = list(torch.randperm(n, generator=g).split(BATCH_SIZE))
    sampler = FixedBatches(batches)
    small = task.clone().filter(task.row_ids[:5000])
    hand_loop(make_mlp, x, y, batches[:50])  # warm-up
    as_learner_torch(mlp_graph(FixedBatches(list(torch.arange(5000).split(100))))).train(small)
    mlp_args = dict(epochs=1, neurons=[64, 64], p=0.0, lr=LR, seed=1, num_threads=1,
                    batch_sampler=sampler)
    runs = {
        "hand": lambda: hand_loop(make_mlp, x, y, batches),
        "graph": lambda: timed(lambda: as_learner_torch(mlp_graph(sampler)).train(task)),
        "mlp": lambda: timed(lambda: lrn("classif.mlp", **mlp_args).train(task)),
    }
    times = run_alternating(runs, reps)
    print(f"Part 1: one epoch, {n:,} rows x {N_FEATURES} features, batch size {BATCH_SIZE}, "
          f"net 20-64-64-1, {len(batches):,} batches, 1 thread, CPU, {reps} reps")
    med = report("", times, {"hand": "hand-written torch loop",
                             "graph": "graph learner (as_learner_torch)",
                             "mlp": "classif.mlp, same batches"}, "hand", len(batches))
    ratio = med["graph"] / med["hand"]
    print(f"  goal: median ratio <= 1.10 -> {'met' if ratio <= 1.10 else 'NOT met'} "
          f"({ratio:.3f})")


def part2(m: int, reps: int, g: torch.Generator) -> None:
    """Two ingresses against one tensor."""
    frame2 = make_frame(m, factors=N_FACTORS, seed=2)
    task2 = as_task_classif(frame2, target="y", id="mixed", positive="pos")
    task1 = as_task_classif(make_frame(m, seed=2), target="y", id="numeric", positive="pos")
    batches2 = list(torch.randperm(m, generator=g).split(BATCH_SIZE))
    sampler2 = FixedBatches(batches2)
    trained = as_learner_torch(two_ingress_graph(FixedBatches(batches2[:50]))).train(task2)
    data = trained.dataset(task2)
    num, categ, y2 = data.x["torch_ingress_num"], data.x["torch_ingress_categ"], data.y
    assert y2 is not None
    runs2 = {
        "one": lambda: timed(lambda: as_learner_torch(mlp_graph(sampler2)).train(task1)),
        "two": lambda: timed(lambda: as_learner_torch(two_ingress_graph(sampler2)).train(task2)),
        "hand2": lambda: hand_loop_two(trained.network, num, categ, y2, batches2),
    }
    times2 = run_alternating(runs2, reps)
    print(f"\nPart 2: one epoch, {m:,} rows, {len(batches2):,} batches of {BATCH_SIZE}; two "
          f"ingresses = {N_FEATURES - N_FACTORS} numeric + {N_FACTORS} factor features "
          f"(embedding_dim 1, merge_cat), {reps} reps")
    med2 = report("", times2, {"one": "graph learner, one tensor (20 num)",
                               "two": "graph learner, two ingresses",
                               "hand2": "hand loop, same two tensors"}, "one", len(batches2))
    extra = 1e6 * (med2["two"] - med2["one"]) / len(batches2)
    print(f"  two ingresses cost {extra:+.1f} us per batch over one tensor "
          f"(ratio {med2['two'] / med2['one']:.3f}); the learner over the hand loop of the same "
          f"two-ingress network: {med2['two'] / med2['hand2']:.3f}")


if __name__ == "__main__":
    main()
