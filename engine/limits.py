"""Counted limits claimed where they are spent: a coupon's uses, a customer's uses of a rule, a
balance. A check at read time (the cart's totals) is not a claim: two orders placed at once both
pass it. Claiming is one conditional UPDATE inside the spending transaction, and the number of
rows it changed is the answer, so whichever transaction commits second sees the first one's
count (PostgreSQL re-reads a row locked by another writer before applying the condition; SQLite
runs one writer at a time). The loser raises and its whole transaction rolls back.

Use `claim` for a counter that grows up to a limit (`times_used < usage_limit`) and `spend` for
a balance that must not go below zero (reward points, store credit). Both work the same on SQLite
and PostgreSQL. Claim rows in a fixed order (sorted ids) so two transactions never wait on each
other in a circle."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tortoise.expressions import F
from tortoise.models import Model


async def claim(
    model: type[Model],
    key: Mapping[str, Any],
    column: str,
    *,
    limit: int | None,
    amount: int = 1,
    create: bool = False,
) -> bool:
    """Add `amount` to `column` of the row `key` identifies when the result stays within
    `limit` (None or 0: unlimited, the use is only counted). False when the limit is reached or
    the row does not exist; then nothing was written. With `create`, a missing row is first
    inserted with 0 (`key` must be a unique key of the table: two first uses at once insert one
    row, and the second waits for the first and counts on top of it)."""
    if create:
        await _insert_missing(model, key, column)
    query = model.filter(**key)
    if limit:
        query = query.filter(**{f"{column}__lte": limit - amount})
    changed = await query.update(**{column: F(column) + amount})
    return bool(changed)


async def spend(
    model: type[Model], key: Mapping[str, Any], column: str, amount: Decimal | int
) -> bool:
    """Take `amount` from the balance in `column` of the row `key` identifies when it holds at
    least that much. False (nothing written) when it does not, or the row does not exist."""
    changed = await model.filter(**key, **{f"{column}__gte": amount}).update(
        **{column: F(column) - amount}
    )
    return bool(changed)


async def _insert_missing(model: type[Model], key: Mapping[str, Any], column: str) -> None:
    meta = model._meta
    names = [meta.fields_db_projection.get(name, name) for name in key]
    columns = ", ".join(f'"{name}"' for name in [*names, column])
    conflict = ", ".join(f'"{name}"' for name in names)
    db = meta.db
    if str(getattr(db.capabilities, "dialect", "")) == "postgres":
        marks = ", ".join(f"${i}" for i in range(1, len(names) + 2))
    else:
        marks = ", ".join("?" for _ in range(len(names) + 1))
    await db.execute_query(
        f'INSERT INTO "{meta.db_table}" ({columns}) VALUES ({marks}) '
        f"ON CONFLICT ({conflict}) DO NOTHING",
        [*key.values(), 0],
    )
