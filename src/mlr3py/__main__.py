"""``python -m mlr3py``: the ``mlr3py`` command (the same entry point as the console script)."""

import sys

from mlr3py.cli import main

if __name__ == "__main__":
    sys.exit(main())
