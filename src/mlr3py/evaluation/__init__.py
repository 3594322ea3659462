"""Evaluation: resample(), benchmark(), benchmark_grid() and their result objects."""

from mlr3py.evaluation._benchmark import benchmark, benchmark_grid
from mlr3py.evaluation._benchmark_result import BenchmarkResult, as_benchmark_result
from mlr3py.evaluation._resample import resample
from mlr3py.evaluation._resample_result import ResampleResult

__all__ = [
    "BenchmarkResult",
    "ResampleResult",
    "as_benchmark_result",
    "benchmark",
    "benchmark_grid",
    "resample",
]
