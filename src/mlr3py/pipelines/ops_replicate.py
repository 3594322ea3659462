"""``po("replicate", reps=n)``: its input, ``n`` times (mlr3pipelines' ``PipeOpReplicate``).

mlr3pipelines' replicate emits one *multiplicity* holding ``reps`` copies, which
the operators after it process copy by copy. mlr3py's graphs have no
multiplicities: the copies are ``reps`` output channels (``output1`` ...), and a
graph that each copy goes through is replicated with ``ppl("greplicate", graph,
n)``. ``ppl("bagging", ...)`` builds the two together.
"""

from __future__ import annotations

from mlr3py.errors import ConfigError
from mlr3py.pipelines.ops_basic import PipeOpCopy

__all__ = ["PipeOpReplicate"]


class PipeOpReplicate(PipeOpCopy):
    """Passes its input on ``reps`` times, to outputs ``output1``, ..., ``output<reps>``.

    Tasks are cloned, so the copies never share a mutable task.

    Parameters
    ----------
    reps : int
        The number of copies (>= 1), default 1.
    id : str

    Examples
    --------
    >>> from mlr3py import tsk
    >>> outs = PipeOpReplicate(reps=3).train([tsk("iris")])
    >>> len(outs)
    3
    """

    def __init__(self, reps: int = 1, id: str = "replicate") -> None:  # noqa: A002
        if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
            raise ConfigError(f"The 'reps' of PipeOp '{id}' must be an int >= 1. "
                              f"Got {reps!r} instead.")
        super().__init__(outnum=reps, id=id)
        self.label = "Replicate the Input as a Multiplicity"

    @property
    def reps(self) -> int:
        """The number of copies."""
        return self.outnum
