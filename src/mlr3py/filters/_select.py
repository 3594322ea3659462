"""Choosing features from filter scores: by number, fraction or cutoff.

The three criteria of mlr3pipelines' ``PipeOpFilter`` (``filter.nfeat``,
``filter.frac``, ``filter.cutoff``), as one function.
"""

from __future__ import annotations

import math
from numbers import Real

import pandas as pd

from mlr3py.errors import ConfigError, InputError
from mlr3py.filters._filter import sort_scores

__all__ = ["select_features"]


def select_features(
    scores: pd.Series,
    nfeat: int | None = None,
    frac: float | None = None,
    cutoff: float | None = None,
) -> list[str]:
    """The best features by filter scores.

    Exactly one criterion is given:

    - ``nfeat``: the ``nfeat`` best features (``0 <= nfeat <= len(scores)``);
    - ``frac``: the ``round(frac * len(scores))`` best features, rounding half to
      even as R's ``round()`` (``0 < frac <= 1``);
    - ``cutoff``: every feature whose score is ``>= cutoff``.

    Parameters
    ----------
    scores : pandas.Series
        One score per feature (index: feature names), higher is better, as in
        ``Filter.scores``. Need not be sorted: it is sorted descending, ties keep
        their given order, NaN scores come last and never pass a cutoff.
    nfeat : int, optional
        Number of features.
    frac : float, optional
        Fraction of the features.
    cutoff : float, optional
        Lowest score kept.

    Returns
    -------
    list of str
        The selected feature names, best first.

    Raises
    ------
    ConfigError
        When none or several criteria are given, ``nfeat`` exceeds the number of
        scored features or is negative, ``frac`` is outside (0, 1], or ``cutoff``
        is not a number.
    InputError
        When ``scores`` is not a pandas Series or has duplicate feature names.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.Series({"a": 0.1, "b": 0.7, "c": 0.4})
    >>> select_features(scores, nfeat=2)
    ['b', 'c']
    >>> select_features(scores, frac=1 / 3)
    ['b']
    >>> select_features(scores, cutoff=0.2)
    ['b', 'c']
    """
    if not isinstance(scores, pd.Series):
        raise InputError(
            f"select_features() needs the scores as a pandas Series indexed by feature name "
            f"(filter.scores). Got {type(scores).__name__} instead."
        )
    if scores.index.has_duplicates:
        dups = sorted({str(x) for x in scores.index[scores.index.duplicated()]})
        raise InputError(f"The scores given to select_features() name features {dups} twice.")
    given = {k: v for k, v in (("nfeat", nfeat), ("frac", frac), ("cutoff", cutoff))
             if v is not None}
    if len(given) != 1:
        shown = ", ".join(f"{k}={v!r}" for k, v in given.items()) or "none"
        raise ConfigError(
            f"select_features() needs exactly one of 'nfeat', 'frac' or 'cutoff'. Got {shown}."
        )
    ordered = sort_scores(scores)
    n_all = len(ordered)
    if nfeat is not None:
        if isinstance(nfeat, bool) or not isinstance(nfeat, int) or nfeat < 0:
            raise ConfigError(
                f"The 'nfeat' argument of select_features() must be an int >= 0. Got "
                f"{nfeat!r} instead."
            )
        if nfeat > n_all:
            raise ConfigError(
                f"select_features() was asked for nfeat={nfeat} features, but only {n_all} "
                f"features have scores. Ask for at most {n_all}, or use frac=."
            )
        n = nfeat
    elif frac is not None:
        if (isinstance(frac, bool) or not isinstance(frac, Real) or math.isnan(frac)
                or not 0 < frac <= 1):
            raise ConfigError(
                f"The 'frac' argument of select_features() must be a number in (0, 1]. Got "
                f"{frac!r} instead."
            )
        n = round(n_all * float(frac))
    else:
        if isinstance(cutoff, bool) or not isinstance(cutoff, Real) or math.isnan(cutoff):
            raise ConfigError(
                f"The 'cutoff' argument of select_features() must be a number. Got "
                f"{cutoff!r} instead."
            )
        n = int((ordered >= float(cutoff)).sum())
    return [str(f) for f in ordered.index[:n]]
