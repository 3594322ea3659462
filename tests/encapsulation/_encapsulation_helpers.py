"""Small callables for the method tests (module level, so that they pickle by reference)."""

from __future__ import annotations

import logging
import os
import sys
import time
import warnings

import numpy as np


class Calls:
    """Methods that misbehave in one way each."""

    def ok(self, x: int) -> int:
        return x + 1

    def fail(self, x: int) -> int:
        raise KeyError(f"no key {x}")

    def warn(self, x: int) -> int:
        warnings.warn(f"careful with {x}", RuntimeWarning, stacklevel=2)
        return x

    def talk(self, x: int) -> int:
        print(f"out {x}")
        print(f"err {x}", file=sys.stderr)
        return x

    def c_level(self, x: int) -> int:
        os.write(1, b"written by C\n")
        return x

    def log(self, x: int) -> int:
        logging.getLogger("thirdparty").warning("third party says %d", x)
        logging.getLogger("mlr3py").info("mlr3py says %d", x)
        return x

    def sleep(self, secs: float) -> float:
        time.sleep(secs)
        return secs

    def spin(self, secs: float) -> float:
        end = time.perf_counter() + secs
        while time.perf_counter() < end:
            pass
        return secs

    def draw(self, n: int) -> list[float]:
        return list(np.random.random_sample(n))  # noqa: NPY002 - the global stream is the point

    def bad_config(self, x: int) -> int:
        from mlr3py.errors import ConfigError

        raise ConfigError("The 'x' parameter is wrong.")

    def crash(self, x: int) -> int:
        import ctypes

        ctypes.string_at(0)
        return x

    def exit(self, code: int) -> int:
        os._exit(code)

    def swallow(self, secs: float) -> str:
        try:
            time.sleep(secs)
        except Exception:
            return "swallowed"
        return "slept"

    def pid(self, x: int) -> int:
        return os.getpid()
