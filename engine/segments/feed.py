"""The live feed of membership changes: wake-ups for whoever tails the history table.

The history table is the feed; this module only shortens the wait. `announce()` (registered by
`history.record` with `after_commit`, so it runs once the rows are visible) wakes every waiter of
this process and, on PostgreSQL, sends `NOTIFY mageseg_membership_feed` to the other processes,
whose `Listener` wakes their waiters. Waiters also wake on a short poll, so a lost notification
(or another process on SQLite) delays an event but never drops it: readers tail by `history_id`,
and nothing between two wake-ups is missed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import connections

from models import MagesegCustomersegmentHistory, MembershipChangeKind

logger = logging.getLogger("mageseg.segments.feed")

CHANNEL = "mageseg_membership_feed"
DEFAULT_POLL_SECONDS = 1.0
DEFAULT_BATCH = 500
# How long an id skipped over is re-read, waiting for its transaction to commit.
GAP_SECONDS = 30.0
# Skips wider than this are other segments' rows, not transactions in flight.
MAX_GAP = 1000

_waiters: set[asyncio.Event] = set()
_poll_seconds = DEFAULT_POLL_SECONDS


def configure(poll_seconds: float) -> None:
    """Set the fallback poll of the tails of this process (settings.feed_poll_seconds)."""
    global _poll_seconds
    _poll_seconds = poll_seconds


def poll_seconds() -> float:
    return _poll_seconds


def _is_postgres(conn: Any) -> bool:
    return str(getattr(conn.capabilities, "dialect", "")) == "postgres"


def wake_local() -> None:
    """Wake every waiter of this process."""
    for event in list(_waiters):
        event.set()


async def announce() -> None:
    """New history rows are committed: wake the tails here and in other processes."""
    wake_local()
    try:
        conn = connections.get("default")
        if _is_postgres(conn):
            await conn.execute_query("SELECT pg_notify($1, '')", [CHANNEL])
    except Exception:  # waiters poll anyway; a failed notify only delays them
        logger.exception("membership feed notify failed")


class Waiter:
    """One consumer's wake-up: `wait(seconds)` returns when announced or after that long."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def __enter__(self) -> Waiter:
        _waiters.add(self._event)
        return self

    def __exit__(self, *exc: object) -> None:
        _waiters.discard(self._event)

    def wake(self) -> None:
        self._event.set()

    async def wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)
        self._event.clear()


class Listener:
    """LISTENs on PostgreSQL for `announce` of other processes and wakes this process's waiters."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._conn: Any = None

    async def start(self) -> None:
        import asyncpg  # type: ignore[import-untyped]

        self._conn = await asyncpg.connect(self.dsn)
        await self._conn.add_listener(CHANNEL, lambda *_: wake_local())

    async def stop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()
            self._conn = None


@dataclass(frozen=True)
class FeedEntry:
    """One history row as the feed hands it out."""

    history_id: int
    segment_id: int
    customer_id: int
    website_id: int
    change: MembershipChangeKind
    trigger: str
    created_at: datetime


async def last_id() -> int:
    """The newest history id (0 when empty): a tail started now reports what comes after it."""
    row = await MagesegCustomersegmentHistory.all().order_by("-history_id").first()
    return 0 if row is None else row.history_id


async def read_after(
    after_id: int, segment_ids: Sequence[int] | None = None, *, limit: int = DEFAULT_BATCH
) -> list[FeedEntry]:
    """History rows with an id above `after_id`, oldest first, optionally of some segments."""
    query = MagesegCustomersegmentHistory.filter(history_id__gt=after_id)
    if segment_ids is not None:
        query = query.filter(segment_id__in=list(segment_ids))
    rows = await query.order_by("history_id").limit(limit)
    return [_entry(row) for row in rows]


def _entry(row: MagesegCustomersegmentHistory) -> FeedEntry:
    return FeedEntry(
        history_id=row.history_id,
        segment_id=row.segment_id,  # type: ignore[attr-defined]
        customer_id=row.customer_id,
        website_id=row.website_id,
        change=row.change,
        trigger=row.trigger,
        created_at=row.created_at,
    )


async def tail(
    segment_ids: Sequence[int],
    *,
    after_id: int | None = None,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    gap_seconds: float = GAP_SECONDS,
) -> AsyncIterator[FeedEntry]:
    """Every history row of `segment_ids` committed after the tail started (or after `after_id`),
    in id order, forever. Durable: it reads by id, so rows committed between wake-ups are read at
    the next one. On PostgreSQL ids are taken before commit, so a lower id can become visible
    after a higher one: ids skipped over are re-read for `gap_seconds` (a rolled-back insert
    leaves a gap forever)."""
    wanted = list(segment_ids)
    wanted_set = set(wanted)
    loop = asyncio.get_running_loop()
    with Waiter() as waiter:
        cursor = await last_id() if after_id is None else after_id
        gaps: dict[int, float] = {}
        while True:
            now = loop.time()
            gaps = {i: until for i, until in gaps.items() if until > now}
            # A committed row closes its gap whatever its segment; ours are reported.
            late = await _read_ids(sorted(gaps)) if gaps else []
            for entry in late:
                gaps.pop(entry.history_id, None)
                if entry.segment_id in wanted_set:
                    yield entry
            entries = await read_after(cursor, wanted)
            for entry in entries:
                if entry.history_id - cursor <= MAX_GAP:
                    gaps.update((i, now + gap_seconds) for i in range(cursor + 1, entry.history_id))
                cursor = entry.history_id
                yield entry
            if len(entries) < DEFAULT_BATCH:
                await waiter.wait(poll_seconds)


async def _read_ids(history_ids: list[int]) -> list[FeedEntry]:
    rows = await MagesegCustomersegmentHistory.filter(history_id__in=history_ids).order_by(
        "history_id"
    )
    return [_entry(row) for row in rows]
