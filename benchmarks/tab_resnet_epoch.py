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

from _epoch_vs_loop import N_FEATURES, compare_epoch

from mlr3py.torch import TabResNet

NET = {"n_blocks": 2, "d_block": 64, "d_hidden_multiplier": 2.0, "dropout1": 0.25,
       "dropout2": 0.0}


def main() -> None:
    compare_epoch(
        __doc__ or "",
        f"TabResNet epoch, {NET['n_blocks']} blocks of width {NET['d_block']}",
        "classif.tab_resnet", dict(NET),
        lambda: TabResNet(N_FEATURES, 1, **NET),
    )


if __name__ == "__main__":
    main()
