"""Turning GraphQL input into engine values: uids to ids, with every problem reported at once."""

from __future__ import annotations

from collections.abc import Sequence

from engine.errors import DomainError, InputInvalid, Problem
from graph.common import FilterEqualTypeInput
from graph.uids import decode_uid


def decode_uids(uids: Sequence[str], path: str) -> list[int]:
    ids: list[int] = []
    problems: list[Problem] = []
    for index, uid in enumerate(uids):
        try:
            ids.append(decode_uid(uid, f"{path}.{index}"))
        except DomainError as error:
            problems.extend(error.problems)
    if problems:
        raise InputInvalid(problems)
    return ids


def uids_of_filter(filter_: FilterEqualTypeInput | None, path: str) -> list[int] | None:
    """`{eq}` / `{in}` of uids as ids; `None` when the filter is absent."""
    if filter_ is None:
        return None
    uids = [
        u for u in ([filter_.eq] if filter_.eq is not None else []) + list(filter_.in_ or []) if u
    ]
    return decode_uids(uids, path)
