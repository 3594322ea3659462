"""``python -m mlr3py.cli``: the ``mlr3py`` command."""

import sys

from mlr3py.cli import main

sys.exit(main())
