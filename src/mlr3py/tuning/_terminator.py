"""Terminator base class, its registry ``mlr_terminators`` and the sugar ``trm()``.

A terminator decides, between batches, whether an optimization stops (bbotk's
``Terminator``). It reads only the archive: the number of evaluations, the
scores, the batches and the time the optimization started.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, overload

from mlr3py.errors import ConfigError
from mlr3py.params import ParamSet, ps
from mlr3py.registry import Dictionary

if TYPE_CHECKING:
    from mlr3py.tuning._archive import ArchiveTuning

__all__ = ["TERMINATOR_PROPERTIES", "Terminator", "mlr_terminators", "trm", "trms"]

TERMINATOR_PROPERTIES = frozenset({"single-crit", "multi-crit"})


class Terminator:
    """Base class of terminators.

    A subclass implements :meth:`_is_terminated` (and, where it can say more,
    :meth:`_reason`); its control parameters live in :attr:`param_set`.

    Parameters
    ----------
    id : str
        Key of the terminator, e.g. ``"evals"``.
    param_set : ParamSet, optional
        The terminator's control parameters.
    properties : iterable of str
        ``"single-crit"`` and/or ``"multi-crit"``: which optimizations it can stop.
    label : str
        A short description.

    Attributes
    ----------
    can_terminate : bool
        False for a terminator that never fires on its own (``none``): an
        optimization whose design has no end then runs forever.
    """

    can_terminate: bool = True

    def __init__(
        self,
        id: str,  # noqa: A002 - bbotk's name
        param_set: ParamSet | None = None,
        properties: Iterable[str] = ("single-crit", "multi-crit"),
        label: str = "",
    ) -> None:
        self.id = id
        self.param_set = param_set if param_set is not None else ps()
        self.param_set.context = f"Terminator '{id}'"
        self.properties = set(properties)
        unknown = self.properties - TERMINATOR_PROPERTIES
        if unknown:
            raise ConfigError(
                f"Terminator '{id}' has unknown properties {sorted(unknown)}; "
                f"allowed are {sorted(TERMINATOR_PROPERTIES)}."
            )
        self.label = label

    def is_terminated(self, archive: ArchiveTuning) -> bool:
        """Whether the optimization that filled ``archive`` has to stop.

        Parameters
        ----------
        archive : ArchiveTuning
            The evaluations so far.

        Returns
        -------
        bool
        """
        return bool(self._is_terminated(archive))

    def allows(self, archive: ArchiveTuning, n_more: int) -> bool:
        """Whether this terminator certainly does not fire once ``n_more`` evaluations
        still running are added to ``archive``, whatever their scores and however long
        they take.

        A tuner whose next batch does not depend on the running batches' scores may then
        start it before they are done
        (:meth:`~mlr3py.tuning.TuningInstance.eval_batches`). The base class cannot tell
        and answers False (the next batch waits for the archive, as without streaming);
        terminators that can, such as ``evals`` and ``none``, say so.

        Parameters
        ----------
        archive : ArchiveTuning
            The evaluations so far.
        n_more : int
            Evaluations running and not archived yet.

        Returns
        -------
        bool
        """
        return False

    def _is_terminated(self, archive: ArchiveTuning) -> bool:
        raise NotImplementedError(f"Terminator '{self.id}' does not implement _is_terminated().")

    def reason(self, archive: ArchiveTuning) -> str:
        """A sentence saying why this terminator fired (or would fire) on ``archive``."""
        return self._reason(archive)

    def _reason(self, archive: ArchiveTuning) -> str:
        values = self.param_set.get_values()
        shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
        return f"Terminator '{self.id}' ({shown})" if shown else f"Terminator '{self.id}'"

    def _values(self) -> dict[str, Any]:
        """The control parameters with defaults filled in."""
        values = dict(self.param_set.default)
        values.update(self.param_set.get_values())
        return values

    def clone(self) -> Terminator:
        """An independent deep copy."""
        import copy

        return copy.deepcopy(self)

    def _dict_row(self) -> dict[str, Any]:
        return {"label": self.label, "properties": sorted(self.properties)}

    def __repr__(self) -> str:
        values = self.param_set.get_values()
        shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
        return f"<{type(self).__name__}> {self.id}({shown})"


mlr_terminators: Dictionary[Terminator] = Dictionary("mlr_terminators", "Terminator")


@overload
def trm() -> Dictionary[Terminator]: ...
@overload
def trm(key: str, **kwargs: Any) -> Terminator: ...
def trm(key: str | None = None, **kwargs: Any) -> Terminator | Dictionary[Terminator]:
    """Build the terminator registered under ``key`` in ``mlr_terminators``; without a key, the
    registry itself (as mlr3's ``trm()``: ``trm().keys()``, ``trm().as_table()``).

    Examples
    --------
    >>> from mlr3py.tuning import trm
    >>> terminator = trm("evals", n_evals=20)
    """
    if key is None:
        if kwargs:
            raise ConfigError(f"trm() got settings ({', '.join(kwargs)}) but no key; "
                              f"name the terminator: trm(\"<key>\", ...). "
                              f"Keys: {mlr_terminators.keys()}.")
        return mlr_terminators
    return mlr_terminators.get(key, **kwargs)


def trms(keys: Iterable[str], **kwargs: Any) -> list[Terminator]:
    """Build one terminator per key."""
    return mlr_terminators.mget(keys, **kwargs)
