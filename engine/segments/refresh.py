"""Full refresh of a segment's materialized membership (`magento_customersegment_customer`).

As Magento's `aggregateMatchedCustomers` / `LinksMatcher` (reference §3.7), one refresh replaces a
segment's rows for every website it is assigned to in ONE transaction, so readers see the old set
or the new one and a crash leaves the old set intact. The work is set-based: the compiled member
query of each website fills a staging table (`INSERT ... SELECT`), then three statements delete
the rows no longer matching, touch `updated_date` of the ones that stay, and insert the new
members with `added_date = updated_date = now`. No customer is loaded into Python.

Every change is an event (`apply_stage`): in the same transaction and still set-based, each row
removed becomes an `exited` history row and each row added an `entered` one (trigger
`refresh`, or the caller's), and each new history row gets one outbox row per active webhook of
the segment (`INSERT ... SELECT`; on PostgreSQL the DELETE/INSERT feed the history through
`RETURNING` in one statement each). After commit `feed.announce()` wakes subscribers and
deliverers. The time-driven re-evaluation (`timeline.py`) uses the same staging and swap,
restricted to one website.

Decisions kept from Magento:
- Segments that apply to VISITORS only hold no stored members: they are skipped (status
  `visitors_only`, terminal, matched count 0, rows of the segment left as they are, which is none).
- Inactive segments are refreshed like active ones (Magento's `matchCustomers` does not look at
  `is_active`; only the per-event processing does).
- `matched_count` is the number of stored rows, one per (customer, website).

Never twice at once for one segment: a refresh first claims the segment row with a compare-and-set
of `refresh_status` to `running` (committed, so every process sees it), and a process also keeps
the ids it is refreshing so a second call in the same process answers at once (on SQLite the
connection is shared and a transaction holds it). On PostgreSQL the refresh transaction also holds
a transaction-level advisory lock keyed by the segment, which lets `jobs.requeue_abandoned` tell a
dead owner from a live one on any machine, and which a time-driven re-evaluation of the segment
also takes (a refresh waits for it; it skips a segment whose refresh holds it). A second
request while one runs raises `RefreshRunning`; it does not wait.

Status: `queued` (jobs.mark_queued) -> `running` -> `done` (matched count, duration, finish time)
or `failed` (the error; old members kept). When the segment was queued again while it ran (its
conditions changed), it goes back to `queued` instead, so the newer request is not lost."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from engine.errors import DomainError, NoSuchEntity
from engine.metrics import metrics
from engine.segments import feed
from engine.segments.catalog import load_catalog
from engine.segments.changes import TRIGGER_REFRESH
from engine.segments.scope import Scope
from engine.segments.scope_loader import build_scope
from engine.segments.sql import Dialect, compile_members, dialect_of, placeholders
from engine.segments.stored import load_tree
from engine.segments.tree import Combine
from models import DeliveryStatus, MembershipChangeKind
from models.segments import (
    ApplyTo,
    MagentoCustomersegmentSegment,
    MagentoCustomersegmentWebsite,
    RefreshStatus,
)

logger = logging.getLogger("mageseg.segments.refresh")

MEMBERS = "magento_customersegment_customer"
HISTORY = "mageseg_customersegment_history"
WEBHOOK = "mageseg_customersegment_webhook"
DELIVERY = "mageseg_customersegment_webhook_delivery"
STAGE = "mageseg_refresh_stage"
ADVISORY_NAMESPACE = 0x6D736567  # "mseg": first key of pg_*advisory_xact_lock(int, int)
PROCESS = f"{socket.gethostname()[:40]}:{os.getpid()}"
"""This process, as written in `refresh_owner` (`host:pid:token`)."""

_active: set[int] = set()
"""Segments this process is refreshing right now."""


class RefreshRunning(DomainError):
    """The segment is being refreshed already (by this or another process)."""


@dataclass(frozen=True)
class RefreshProgress:
    """Reported after each website of a segment is computed."""

    segment_id: int
    website_id: int
    websites_done: int
    websites_total: int
    matched: int


@dataclass(frozen=True)
class RefreshResult:
    segment_id: int
    status: RefreshStatus
    """`done` or `failed`; `visitors_only` with `skipped` for VISITORS segments."""
    matched_count: int
    duration_ms: int
    matched_by_website: dict[int, int] = field(default_factory=dict)
    error: str | None = None
    skipped: bool = False
    entered: int = 0
    """Rows added (customer, website), each recorded as an `entered` history row."""
    exited: int = 0
    """Rows removed, each recorded as an `exited` history row."""


def new_owner() -> str:
    return f"{PROCESS}:{uuid.uuid4().hex[:8]}"


def is_running_here(segment_id: int) -> bool:
    return segment_id in _active


async def claim(segment_id: int, owner: str, *, now: datetime, only_queued: bool) -> bool:
    """Compare-and-set the segment to `running` for `owner`: True when this call won. The update
    commits on its own (call it outside any transaction) so other processes see it."""
    query = MagentoCustomersegmentSegment.filter(segment_id=segment_id)
    if only_queued:
        query = query.filter(refresh_status=RefreshStatus.QUEUED)
    else:
        query = query.exclude(refresh_status=RefreshStatus.RUNNING)
    changed = await query.update(
        refresh_status=RefreshStatus.RUNNING, refresh_owner=owner, refresh_started_at=now
    )
    return bool(changed)


async def refresh_segment(
    segment_id: int,
    *,
    now: datetime | None = None,
    progress: Callable[[RefreshProgress], None] | None = None,
    trigger: str = TRIGGER_REFRESH,
) -> RefreshResult:
    """Refresh one segment now, in the foreground. Raises `NoSuchEntity` for an unknown id and
    `RefreshRunning` when it is being refreshed already; a failure of the refresh itself is
    recorded on the segment and returned as a `failed` result."""
    started = now or datetime.now(UTC)
    if segment_id in _active:
        raise RefreshRunning(f"Segment {segment_id} is being refreshed already.")
    owner = new_owner()
    _active.add(segment_id)
    try:
        if not await claim(segment_id, owner, now=started, only_queued=False):
            if not await MagentoCustomersegmentSegment.exists(segment_id=segment_id):
                raise NoSuchEntity(f'No segment with id "{segment_id}".')
            raise RefreshRunning(f"Segment {segment_id} is being refreshed already.")
        return await _run(segment_id, owner, started, now, progress, trigger)
    finally:
        _active.discard(segment_id)


async def run_claimed(
    segment_id: int,
    owner: str,
    started: datetime,
    *,
    now: datetime | None = None,
    progress: Callable[[RefreshProgress], None] | None = None,
    trigger: str = TRIGGER_REFRESH,
) -> RefreshResult | None:
    """Run a refresh `owner` has claimed (`claim`); None when this process runs it already."""
    if segment_id in _active:
        return None
    _active.add(segment_id)
    try:
        return await _run(segment_id, owner, started, now, progress, trigger)
    finally:
        _active.discard(segment_id)


async def _run(
    segment_id: int,
    owner: str,
    started: datetime,
    now: datetime | None,
    progress: Callable[[RefreshProgress], None] | None,
    trigger: str,
) -> RefreshResult:
    clock = time.monotonic()
    try:
        async with in_transaction() as conn:
            dialect = dialect_of(conn)
            if dialect is Dialect.POSTGRES:
                # Waits (briefly) for a time-driven re-evaluation of this segment to commit; the
                # claim above already keeps a second refresh out.
                await conn.execute_query(
                    "SELECT pg_advisory_xact_lock($1, $2)", [ADVISORY_NAMESPACE, segment_id]
                )
            segment = await MagentoCustomersegmentSegment.get(segment_id=segment_id)
            diff = MembershipDiff()
            if segment.apply_to == ApplyTo.VISITORS:
                matched: dict[int, int] = {}
                skipped = True
            else:
                skipped = False
                matched, diff = await _replace_members(
                    conn, dialect, segment, now or started, progress, trigger
                )
            duration_ms = int((time.monotonic() - clock) * 1000)
            total = sum(matched.values())
            status = RefreshStatus.VISITORS_ONLY if skipped else RefreshStatus.DONE
            await _finish(
                segment_id,
                started,
                status,
                matched_count=total,
                refresh_duration_ms=duration_ms,
                refresh_error=None,
            )
    except RefreshRunning:
        raise
    except Exception as error:  # recorded on the segment, members untouched (rolled back)
        logger.warning("refresh of segment %s failed", segment_id, exc_info=True)
        message = f"{type(error).__name__}: {error}"[:2000]
        duration_ms = int((time.monotonic() - clock) * 1000)
        async with in_transaction():
            await _finish(
                segment_id,
                started,
                RefreshStatus.FAILED,
                refresh_duration_ms=duration_ms,
                refresh_error=message,
            )
        metrics().refresh_seconds.labels("failed").observe(time.monotonic() - clock)
        return RefreshResult(segment_id, RefreshStatus.FAILED, 0, duration_ms, error=message)
    metrics().refresh_seconds.labels("done").observe(time.monotonic() - clock)
    if diff.changed:
        await feed.announce()
    return RefreshResult(
        segment_id,
        status,
        total,
        duration_ms,
        matched_by_website=matched,
        skipped=skipped,
        entered=diff.entered,
        exited=diff.exited,
    )


async def _finish(segment_id: int, started: datetime, status: RefreshStatus, **values: Any) -> None:
    """Record the outcome; back to `queued` when a newer request arrived while this one ran."""
    segment = (
        await MagentoCustomersegmentSegment.filter(segment_id=segment_id)
        .select_for_update()
        .only("segment_id", "refresh_queued_at")
        .first()
    )
    if segment is None:  # deleted meanwhile
        return
    queued_again = segment.refresh_queued_at is not None and segment.refresh_queued_at > started
    await MagentoCustomersegmentSegment.filter(segment_id=segment_id).update(
        refresh_status=RefreshStatus.QUEUED if queued_again else status,
        refresh_finished_at=datetime.now(UTC),
        refresh_owner=None,
        **values,
    )


async def _replace_members(
    conn: Any,
    dialect: Dialect,
    segment: MagentoCustomersegmentSegment,
    now: datetime,
    progress: Callable[[RefreshProgress], None] | None,
    trigger: str,
) -> tuple[dict[int, int], MembershipDiff]:
    """Stage every website's members, then swap them into the members table set-based."""
    segment_id = segment.segment_id
    website_rows: list[Any] = list(
        await MagentoCustomersegmentWebsite.filter(segment_id=segment_id)
        .order_by("website_id")
        .values_list("website_id", flat=True)
    )
    website_ids = [int(w) for w in website_rows]
    catalog = await load_catalog()
    tree = await load_tree(segment, catalog)

    await open_stage(conn, dialect)
    matched: dict[int, int] = {}
    for done, website_id in enumerate(website_ids, start=1):
        scope = await build_scope(website_id, tree, now=now, catalog=catalog)
        matched[website_id] = await stage_website(conn, dialect, tree, scope)
        if progress is not None:
            progress(
                RefreshProgress(segment_id, website_id, done, len(website_ids), matched[website_id])
            )
    diff = await apply_stage(conn, dialect, segment_id, now=now, trigger=trigger)
    await close_stage(conn, dialect)
    return matched, diff


@dataclass(frozen=True)
class MembershipDiff:
    """What one set-based swap changed: the rows entered and exited (one per customer and
    website), each recorded as a history row with its outbox rows."""

    entered: int = 0
    exited: int = 0

    def __add__(self, other: MembershipDiff) -> MembershipDiff:
        return MembershipDiff(self.entered + other.entered, self.exited + other.exited)

    @property
    def changed(self) -> int:
        return self.entered + self.exited


async def _execute(conn: Any, dialect: Dialect, sql: str, params: Sequence[Any] = ()) -> None:
    await conn.execute_query(placeholders(sql, dialect), list(params))


async def open_stage(conn: Any, dialect: Dialect) -> None:
    """Create (or empty) this transaction's staging table of (website_id, customer_id)."""
    on_commit = " ON COMMIT DROP" if dialect is Dialect.POSTGRES else ""
    await _execute(
        conn,
        dialect,
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (website_id INTEGER NOT NULL, "
        f"customer_id INTEGER NOT NULL, PRIMARY KEY (website_id, customer_id)){on_commit}",
    )
    await _execute(conn, dialect, f"DELETE FROM {STAGE}")


async def close_stage(conn: Any, dialect: Dialect) -> None:
    if dialect is not Dialect.POSTGRES:
        await _execute(conn, dialect, f"DROP TABLE temp.{STAGE}")


async def stage_website(conn: Any, dialect: Dialect, tree: Combine, scope: Scope) -> int:
    """Add the members of `tree` on the scope's website to the staging table; returns how many."""
    website_id = scope.website_id
    query = compile_members(tree, scope, dialect)
    await conn.execute_query(
        f"INSERT INTO {STAGE} (website_id, customer_id) "
        f"SELECT DISTINCT {int(website_id)}, q.customer_id FROM ({query.sql}) AS q",
        list(query.params),
    )
    rows = await conn.execute_query_dict(
        placeholders(f"SELECT COUNT(*) AS n FROM {STAGE} WHERE website_id = ?", dialect),
        [website_id],
    )
    return int(rows[0]["n"])


async def apply_stage(
    conn: Any,
    dialect: Dialect,
    segment_id: int,
    *,
    now: datetime,
    trigger: str,
    website_id: int | None = None,
    touch_kept: bool = True,
) -> MembershipDiff:
    """Make the segment's stored members equal to the staging table, recording every exit and
    entry as history (with `trigger`, at `now`) and one outbox row per active webhook of the
    segment, all set-based in the caller's transaction. With `website_id`, only that website's
    rows are compared and changed (the staging table holds that website only). `touch_kept` sets
    `updated_date` of the rows that stay (a full refresh confirms every row)."""
    if dialect is Dialect.POSTGRES:
        await _execute(conn, dialect, f"ANALYZE {STAGE}")  # autovacuum skips temporary tables
    rows = await conn.execute_query_dict(f"SELECT COALESCE(MAX(history_id), 0) AS n FROM {HISTORY}")
    before = int(rows[0]["n"])
    only = "" if website_id is None else f" AND m.website_id = {int(website_id)}"
    staged = "" if website_id is None else f" AND s.website_id = {int(website_id)}"
    gone_where = (
        f"m.segment_id = ?{only} AND NOT EXISTS (SELECT 1 FROM {STAGE} s "
        "WHERE s.website_id = m.website_id AND s.customer_id = m.customer_id)"
    )
    gone = f"FROM {MEMBERS} m WHERE {gone_where}"
    new = (
        f"FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM {MEMBERS} m WHERE m.segment_id = ? "
        f"AND m.website_id = s.website_id AND m.customer_id = s.customer_id){staged}"
    )
    history = (
        f"INSERT INTO {HISTORY} "
        '(segment_id, customer_id, website_id, "change", "trigger", created_at)'
    )
    exited, entered = str(MembershipChangeKind.EXITED), str(MembershipChangeKind.ENTERED)
    if dialect is Dialect.POSTGRES:
        # One pass each: the rows deleted / inserted are the history rows.
        await _execute(
            conn,
            dialect,
            f"WITH gone AS (DELETE FROM {MEMBERS} m WHERE {gone_where} "
            f"RETURNING m.customer_id, m.website_id) {history} "
            "SELECT ?, customer_id, website_id, ?, ?, ? FROM gone",
            [segment_id, segment_id, exited, trigger, now],
        )
        if touch_kept:
            await _execute(
                conn,
                dialect,
                f"UPDATE {MEMBERS} m SET updated_date = ? WHERE m.segment_id = ?{only}",
                [now, segment_id],
            )
        await _execute(
            conn,
            dialect,
            f"WITH added AS (INSERT INTO {MEMBERS} "
            "(segment_id, customer_id, website_id, added_date, updated_date) "
            f"SELECT ?, s.customer_id, s.website_id, ?, ? {new} "
            f"RETURNING customer_id, website_id) {history} "
            "SELECT ?, customer_id, website_id, ?, ?, ? FROM added",
            [segment_id, now, now, segment_id, segment_id, entered, trigger, now],
        )
    else:
        await _execute(
            conn,
            dialect,
            f"{history} SELECT ?, m.customer_id, m.website_id, ?, ?, ? {gone}",
            [segment_id, exited, trigger, now, segment_id],
        )
        await _execute(
            conn,
            dialect,
            f"{history} SELECT ?, s.customer_id, s.website_id, ?, ?, ? {new}",
            [segment_id, entered, trigger, now, segment_id],
        )
        await _execute(
            conn,
            dialect,
            f"DELETE FROM {MEMBERS} WHERE id IN (SELECT m.id {gone})",
            [segment_id],
        )
        if touch_kept:
            await _execute(
                conn,
                dialect,
                f"UPDATE {MEMBERS} SET updated_date = ? WHERE segment_id = ?"
                + ("" if website_id is None else f" AND website_id = {int(website_id)}"),
                [now, segment_id],
            )
        await _execute(
            conn,
            dialect,
            f"INSERT INTO {MEMBERS} "
            "(segment_id, customer_id, website_id, added_date, updated_date) "
            f"SELECT ?, s.customer_id, s.website_id, ?, ? {new}",
            [segment_id, now, now, segment_id],
        )
    # The outbox: one delivery per new history row and active webhook of the segment.
    await _execute(
        conn,
        dialect,
        f"INSERT INTO {DELIVERY} (webhook_id, history_id, status, attempts, next_attempt_at, "
        f"created_at) SELECT w.webhook_id, h.history_id, ?, 0, ?, ? FROM {HISTORY} h "
        f"JOIN {WEBHOOK} w ON w.segment_id = h.segment_id WHERE w.is_active = ? "
        'AND h.segment_id = ? AND h.history_id > ? AND h."trigger" = ?',
        [str(DeliveryStatus.PENDING), now, now, True, segment_id, before, trigger],
    )
    counts = await conn.execute_query_dict(
        placeholders(
            f'SELECT "change" AS kind, COUNT(*) AS n FROM {HISTORY} WHERE segment_id = ? '
            'AND history_id > ? AND "trigger" = ? GROUP BY "change"',
            dialect,
        ),
        [segment_id, before, trigger],
    )
    by_kind = {str(row["kind"]): int(row["n"]) for row in counts}
    return MembershipDiff(entered=by_kind.get(entered, 0), exited=by_kind.get(exited, 0))


async def segment_ids_to_refresh(segment_uid: int | None = None) -> list[int]:
    """Every segment that holds stored members (not VISITORS), or the one given."""
    query = MagentoCustomersegmentSegment.exclude(apply_to=ApplyTo.VISITORS)
    if segment_uid is not None:
        query = MagentoCustomersegmentSegment.filter(segment_id=segment_uid)
    ids: list[Any] = list(await query.order_by("segment_id").values_list("segment_id", flat=True))
    return [int(i) for i in ids]


async def mark_queued(segment_ids: Iterable[int], *, now: datetime | None = None) -> None:
    """`jobs.mark_queued` (call INSIDE the mutation's transaction), importable from here too."""
    from engine.segments import jobs

    await jobs.mark_queued(segment_ids, now=now)


async def notify_queued() -> None:
    """`jobs.notify_queued` (call AFTER the commit), importable from here too."""
    from engine.segments import jobs

    await jobs.notify_queued()
