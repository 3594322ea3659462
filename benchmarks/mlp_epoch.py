"""One MLP epoch: the ``classif.mlp`` learner against a hand-written torch loop.

Data: N x 20 synthetic standard-normal features, a two-class target from a
noisy linear signal (N = 1,000,000; 200,000 with ``--quick``). Both sides use
the same network (``build_mlp``: 20 -> 64 -> 64 -> 1, ReLU, no dropout), Adam
(lr 1e-3), BCE-with-logits, one thread, CPU, and the same index batches of 100
rows (one permutation, split; the learner gets them through ``batch_sampler``).

The learner's time is the whole ``learner.train(task)`` call: task -> tensors,
network and optimizer set-up, the epoch and the history. The hand loop's time
covers network and optimizer set-up and the epoch over tensors that already
exist. Runs alternate; medians are reported. Goal: ratio <= 1.10.

A second learner run uses the default batching (``randperm`` split in the
learner) instead of the batch sampler, for reference.

Usage: ``python benchmarks/mlp_epoch.py [--quick] [--reps 5] [--rows N]``
"""

from __future__ import annotations

from _epoch_vs_loop import N_FEATURES, compare_epoch

from mlr3py.torch import build_mlp

NEURONS = (64, 64)


def main() -> None:
    compare_epoch(
        __doc__ or "", f"MLP epoch, net {N_FEATURES}-{'-'.join(map(str, NEURONS))}-1",
        "classif.mlp", {"neurons": list(NEURONS), "p": 0.0},
        lambda: build_mlp(N_FEATURES, 1, NEURONS, p=0.0),
    )


if __name__ == "__main__":
    main()
