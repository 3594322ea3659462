"""``store_benchmark_result=False``: the archive keeps scores, not ResampleResults."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest

from mlr3py import lrn, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.params import to_tune
from mlr3py.tuning import _batch_stream, _instance, auto_tuner, callback_batch_tuning, ti, tnr, tune


def _tune(**kwargs: Any) -> Any:
    learner = lrn("classif.rpart", max_depth=to_tune(1, 6))
    return tune(tnr("random_search", batch_size=2), tsk("sonar"), learner,
                rsmp("cv", folds=3), "classif.ce", term_evals=6, seed=3, **kwargs)


def test_the_archive_keeps_the_scores_and_drops_each_batchs_results() -> None:
    seen: list[weakref.ref[Any]] = []  # the resample results of every batch

    def watch(callback: Any, context: Any) -> None:
        results = context.benchmark_result.resample_results
        assert all(len(rr.predictions()) == 3 for rr in results)  # callbacks see them
        gc.collect()
        assert all(ref() is None for ref in seen)  # earlier batches' are gone already
        seen.extend(weakref.ref(rr) for rr in results)

    dropped = _tune(store_benchmark_result=False,
                    callbacks=callback_batch_tuning("test.watch", on_eval_after_benchmark=watch))
    kept = _tune()
    assert len(seen) == 6
    cols = ["max_depth", "classif.ce", "batch_nr", "warnings", "errors"]
    assert dropped.archive.data[cols].equals(kept.archive.data[cols])
    assert dropped.result[["max_depth", "classif.ce"]].equals(
        kept.result[["max_depth", "classif.ce"]])
    assert dropped.archive.data["resample_result"].isna().all()
    with pytest.raises(ConfigError, match="store_benchmark_result=True"):
        dropped.archive.resample_result(0)
    with pytest.raises(ConfigError, match="store_benchmark_result=True"):
        dropped.archive.benchmark_result  # noqa: B018
    assert len(kept.archive.resample_result(0).predictions()) == 3


def test_an_auto_tuner_tunes_without_keeping_results_unless_asked() -> None:
    def tuned(**kwargs: Any) -> Any:
        learner = auto_tuner(tnr("random_search", batch_size=2),
                             lrn("classif.rpart", max_depth=to_tune(1, 6)), rsmp("holdout"),
                             "classif.ce", term_evals=4, **kwargs)
        learner.train(tsk("sonar"))
        return learner.tuning_instance

    assert tuned().archive.data["resample_result"].isna().all()
    assert tuned().store_benchmark_result is False
    kept = tuned(store_benchmark_result=True)
    assert kept.archive.data["resample_result"].notna().all()


def test_a_value_that_is_not_a_bool_is_refused() -> None:
    with pytest.raises(ConfigError, match="'store_benchmark_result'.*'yes'"):
        ti(tsk("sonar"), lrn("classif.rpart", max_depth=to_tune(1, 3)), rsmp("holdout"),
           store_benchmark_result="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize("stored", [False, True])
def test_without_callbacks_the_jobs_keep_scores_only_and_score_the_same(
    stored: bool, tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = {"store": tmp_path / "store"} if stored else {}
    scored: list[bool] = []  # per batch: whether its jobs keep scores only
    if stored:  # batches evaluated one by one, each a benchmark() into the store
        run = _instance.benchmark

        def recorded(*args: Any, **kwargs: Any) -> Any:
            scored.append(kwargs["store_predictions"] is False)
            return run(*args, **kwargs)

        monkeypatch.setattr(_instance, "benchmark", recorded)
    else:  # batches streamed as designs
        more = _batch_stream.BatchSource.more

        def recorded_more(self: Any, busy: bool) -> Any:
            design = more(self, busy)
            if design is not None:
                scored.append(design.measures is not None)
            return design

        monkeypatch.setattr(_batch_stream.BatchSource, "more", recorded_more)
    dropped = _tune(store_benchmark_result=False, **store)
    assert scored == [True, True, True]
    monkeypatch.undo()
    assert dropped.kept_scores() is not None  # no callback reads a prediction
    kept = _tune()
    assert kept.kept_scores() is None
    cols = ["max_depth", "classif.ce", "batch_nr", "warnings", "errors"]
    assert dropped.archive.data[cols].equals(kept.archive.data[cols])
    assert dropped.archive.data["resample_result"].isna().all()
