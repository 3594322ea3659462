"""Command line entry point ``mlr3py``.

Commands::

    mlr3py list tasks|learners|measures|resamplings|filters|tuners|terminators
    mlr3py resample --task sonar --learner classif.rpart:max_depth=3 \\
        --resampling cv:folds=5 --measures classif.ce,classif.auc [--scores] [--seed 1]
    mlr3py benchmark --tasks sonar,penguins \\
        --learners classif.featureless,classif.rpart:max_depth=3 \\
        --resampling cv:folds=3 --measures classif.ce,classif.auc [--seed 1] [--json]
    mlr3py tune --task sonar --learner classif.rpart \\
        --search-space "max_depth=int(1,20);ccp_alpha=dbl(1e-4,0.1,log)" \\
        --tuner random_search --evals 50 --resampling cv:folds=3 --measure classif.ce --seed 1
    mlr3py tune --task sonar --learner classif.ranger \\
        --search-space "n_estimators=int(1,16,budget);max_depth=int(1,10)" \\
        --tuner hyperband --resampling holdout --measure classif.ce --seed 1
    mlr3py status PATH                      # a result store's jobs per task and learner
    mlr3py resume PATH [--plan processes --workers 4] [--retry-errors]
    mlr3py results PATH [--measures classif.ce]   # the aggregate table of what is done

``resample``, ``benchmark`` and ``tune`` take ``--store PATH`` to keep every finished job on
disk.

Objects are named by *specs* ``key`` or ``key:param=value,param=value``; values
are read as int, float, bool (``true``/``false``), ``None`` or, failing those,
a string. Bad input prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

from mlr3py.cli._commands import COMMANDS, EXIT_FAILURE, EXIT_USAGE
from mlr3py.cli._parser import build_parser
from mlr3py.cli._spec import Spec, parse_spec, parse_spec_list, parse_value
from mlr3py.cli._tables import format_table, table_records
from mlr3py.errors import ConfigError, InputError, Mlr3pyError
from mlr3py.registry import did_you_mean

#: the exit status of a command whose reader closed the pipe early (128 + SIGPIPE,
#: as a shell reports it)
EXIT_BROKEN_PIPE = 141

__all__ = [
    "Spec",
    "format_table",
    "main",
    "parse_spec",
    "parse_spec_list",
    "parse_value",
    "table_records",
]


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the ``mlr3py`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments without the program name; ``sys.argv[1:]`` when omitted.
    out, err : text stream, optional
        Where results and error messages go; ``sys.stdout`` / ``sys.stderr``.

    Returns
    -------
    int
        The exit status: 0 on success, 2 on bad input, 1 when a learner fails.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    parser = build_parser()
    words = list(argv) if argv is not None else sys.argv[1:]
    if words and not words[0].startswith("-") and words[0] not in COMMANDS:
        print(f"mlr3py: error: unknown command '{words[0]}'; the commands are "
              f"{', '.join(COMMANDS)}.{did_you_mean(words[0], COMMANDS)} "
              "See mlr3py --help.", file=err)
        return EXIT_USAGE
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:  # argparse has printed usage and the message
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help(err)
        return EXIT_USAGE
    if args.command in ("benchmark", "resample") and args.resampling is None:
        args.resampling = ["cv:folds=3"]
    if args.command == "tune":
        args.resampling = args.resampling or ["cv:folds=3"]
        args.tuner = args.tuner or ["random_search"]
    handler = COMMANDS[args.command]
    try:
        status = handler(args, out, err)
        out.flush()  # a closed pipe shows here, not at the interpreter's exit
        return status
    except BrokenPipeError:  # the reader went away (``mlr3py ... | head``): stop quietly
        if out is sys.stdout:
            # Python flushes stdout at exit, which would raise again: point it at devnull
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (ConfigError, InputError) as exc:
        print(f"mlr3py {args.command}: error: {exc}", file=err)
        return EXIT_USAGE
    except Mlr3pyError as exc:
        print(f"mlr3py {args.command}: error: {type(exc).__name__}: {exc}", file=err)
        return EXIT_FAILURE
