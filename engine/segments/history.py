"""Membership changes become durable events: a history row each, and an outbox row for every
active webhook of the segment, written in the caller's transaction so a change is never recorded
without its deliveries, or delivered without being recorded.

Two statements whatever the number of changes: one multi-row INSERT ... RETURNING for the
history, one INSERT ... SELECT that pairs the new rows with the segments' active webhooks. After
commit, `feed.announce` wakes the subscription tails and the webhook deliverers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from engine import invalidation
from engine.segments import feed
from engine.segments.changes import MembershipChange
from engine.segments.sql import dialect_of, placeholders
from models import DeliveryStatus, MagesegCustomersegmentHistory

# Rows per INSERT statement: far below both backends' parameter limits (6 parameters a row).
_CHUNK = 500

_HISTORY = "mageseg_customersegment_history"
_WEBHOOK = "mageseg_customersegment_webhook"
_DELIVERY = "mageseg_customersegment_webhook_delivery"


async def record(changes: Sequence[MembershipChange]) -> None:
    """Write `changes` (history and outbox). Call inside the transaction that changed membership."""
    if not changes:
        return
    conn: Any = MagesegCustomersegmentHistory._meta.db
    dialect = dialect_of(conn)
    for start in range(0, len(changes), _CHUNK):
        chunk = changes[start : start + _CHUNK]
        values = ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(chunk))
        params: list[Any] = []
        for change in chunk:
            params += [
                change.segment_id,
                change.customer_id,
                change.website_id,
                str(change.change),
                change.trigger,
                # UTC: SQLite compares the stored text (next_attempt_at starts as this moment).
                change.at.astimezone(UTC),
            ]
        rows = await conn.execute_query_dict(
            placeholders(
                f"INSERT INTO {_HISTORY} "
                '(segment_id, customer_id, website_id, "change", "trigger", created_at) '
                f"VALUES {values} RETURNING history_id",
                dialect,
            ),
            params,
        )
        ids = [int(row["history_id"]) for row in rows]
        marks = ", ".join(["?"] * len(ids))
        await conn.execute_query(
            placeholders(
                f"INSERT INTO {_DELIVERY} "
                "(webhook_id, history_id, status, attempts, next_attempt_at, created_at) "
                f"SELECT w.webhook_id, h.history_id, ?, 0, h.created_at, h.created_at "
                f"FROM {_HISTORY} h JOIN {_WEBHOOK} w ON w.segment_id = h.segment_id "
                f"WHERE w.is_active AND h.history_id IN ({marks}) "
                "ORDER BY h.history_id, w.webhook_id",
                dialect,
            ),
            [str(DeliveryStatus.PENDING), *ids],
        )
    invalidation.after_commit(feed.announce)
