"""Column roles of a task: a dict-like view that validates every assignment.

``task.col_roles["stratum"] = ["Class"]`` checks the new roles against the
task's data before it changes anything, exactly as mlr3's active binding does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

from mlr3py.errors import ConfigError, InputError, UnknownKeyError
from mlr3py.registry import did_you_mean

if TYPE_CHECKING:
    from mlr3py.tasks.task import Task

__all__ = [
    "COL_ROLES",
    "SINGLE_COL_ROLES",
    "ColRoles",
    "as_col_list",
    "check_role",
    "moved_roles",
    "normalize_roles",
]

#: All column roles, in mlr3's order.
COL_ROLES: tuple[str, ...] = (
    "feature",
    "target",
    "name",
    "order",
    "stratum",
    "group",
    "weights_learner",
    "weights_measure",
)
#: Roles that take at most one column.
SINGLE_COL_ROLES: tuple[str, ...] = ("name", "group", "weights_learner", "weights_measure")


def check_role(role: Any) -> str:
    """Return ``role`` if it is a known column role, else raise :class:`UnknownKeyError`."""
    if role not in COL_ROLES:
        raise UnknownKeyError(
            f"'{role}' is not a column role. Known roles: {', '.join(COL_ROLES)}."
            + did_you_mean(str(role), COL_ROLES)
        )
    return role


def as_col_list(cols: Any, what: str) -> list[str]:
    """Normalise ``cols`` (a name, ``None`` or names) to a list without duplicates."""
    if cols is None:
        return []
    if isinstance(cols, str):
        return [cols]
    # the common case, a list of distinct names, without the loop below
    if type(cols) is list and all(type(c) is str for c in cols) and len(set(cols)) == len(cols):
        return list(cols)
    if not isinstance(cols, Iterable):
        raise InputError(f"The columns for {what} must be column names. Got {cols!r} instead.")
    out: list[str] = []
    seen: set[str] = set()
    for col in cols:
        if not isinstance(col, str):
            raise InputError(
                f"The columns for {what} must be column names (str). Got {col!r} instead."
            )
        if col not in seen:
            seen.add(col)
            out.append(col)
    return out


def normalize_roles(
    roles: Mapping[str, Any], known: Sequence[str], owner: str
) -> dict[str, list[str]]:
    """Check role names, column names and single-column roles; return all roles as lists.

    Parameters
    ----------
    roles : mapping
        Role -> column name(s); missing roles are empty.
    known : sequence of str
        The columns that may take roles.
    owner : str
        How to name the task in messages, e.g. ``"Task 'sonar'"``.

    Returns
    -------
    dict
        Every role of :data:`COL_ROLES` -> list of columns.
    """
    out: dict[str, list[str]] = {role: [] for role in COL_ROLES}
    for role, cols in roles.items():
        out[check_role(role)] = as_col_list(cols, f"role '{role}'")
    known_set = set(known)
    for role, cols in out.items():
        for col in cols:
            if col not in known_set:
                raise InputError(
                    f"Column '{col}' given for role '{role}' is not in the data of {owner}."
                    f"{did_you_mean(col, sorted(known_set))} "
                    "The columns are listed in task.backend.colnames."
                )
    for role in SINGLE_COL_ROLES:
        if len(out[role]) > 1:
            raise InputError(
                f"Role '{role}' of {owner} takes at most one column. Got {out[role]} instead."
            )
    return out


def moved_roles(
    current: Mapping[str, list[str]], cols: Any, roles: Any, add_to: Any, remove_from: Any
) -> dict[str, list[str]]:
    """The roles after mlr3's ``set_col_roles(cols, roles, add_to, remove_from)``.

    ``roles`` replaces all roles of ``cols``; ``add_to`` / ``remove_from`` add or
    remove them from the given roles only. Nothing is validated against data here.
    """
    cols = as_col_list(cols, "set_col_roles()")
    new = {role: list(c) for role, c in current.items()}
    if roles is not None:
        keep = {check_role(r) for r in as_col_list(roles, "roles")}
        for role in COL_ROLES:
            new[role] = [c for c in new[role] if c not in cols]
            if role in keep:
                new[role] += cols
    for role in as_col_list(add_to, "add_to"):
        new[check_role(role)] += [c for c in cols if c not in new[role]]
    for role in as_col_list(remove_from, "remove_from"):
        new[check_role(role)] = [c for c in new[role] if c not in cols]
    return new


class ColRoles(MutableMapping):
    """Role name -> list of column names of one task.

    Reading gives a copy of the list (mutate through assignment, not
    ``append``). Assigning validates all roles together and raises before
    anything changes. Deleting a role empties it.
    """

    def __init__(self, task: Task) -> None:
        self._task = task

    def __getitem__(self, role: str) -> list[str]:
        check_role(role)
        return list(self._task._state.roles[role])

    def __setitem__(self, role: str, cols: Any) -> None:
        check_role(role)
        roles = {r: list(c) for r, c in self._task._state.roles.items()}
        roles[role] = as_col_list(cols, f"role '{role}'")
        self._task._set_roles(roles)

    def __delitem__(self, role: str) -> None:
        if check_role(role) == "target" and self._task.task_type != "unsupervised":
            raise ConfigError(
                f"The target role of Task '{self._task.id}' cannot be removed. "
                "Assign another column to col_roles['target'] instead."
            )
        self[role] = []

    def __iter__(self) -> Iterator[str]:
        return iter(COL_ROLES)

    def __len__(self) -> int:
        return len(COL_ROLES)

    def __repr__(self) -> str:
        return repr({role: self[role] for role in COL_ROLES})
