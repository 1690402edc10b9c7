"""Time passes: memberships that depend on the date change at each website's local midnight.

Only `UpToDate` ("Period >= 30 Days Up To Date") reads the clock: its threshold is the start of
(today - N days) in the website's timezone, so its answer changes when the local date changes and
at no other moment. `DateRange` compares with fixed days and never changes without an event, so a
segment is time-dependent exactly when its tree, or the tree of a segment it refers to (directly or
through others), holds an `UpToDate` node (`TIME_NODES`).

`run_due(now)` is the nightly job, per website (the admin website 0 holds no customers):
1. Its local date in its timezone (`compare.today`). The row of `mageseg_customersegment_time_run`
   says which local date was done last; a website seen for the first time is due at once.
2. When that date is before today, the day is claimed with a compare-and-set UPDATE inside the
   transaction that does the work (on PostgreSQL over `FOR UPDATE SKIP LOCKED`, so a second
   process skips the website instead of waiting, and a process that dies rolls its claim back).
3. The active time-dependent segments of that website that hold stored members (not VISITORS)
   are re-evaluated for that website only: the compiled member query fills the staging table and
   `refresh.apply_stage` swaps the difference in, recording each entry and exit as history with
   trigger `time` and an outbox row per active webhook, set-based, as a full refresh does.
   `updated_date` of the rows that stay is not touched (that would rewrite every row each night).
4. A segment whose full refresh is running is left for the next pass: the day is then not
   marked done (the other segments' diffs are committed; redoing them is a no-op diff).
Nothing else is refreshed at night. After commit, the feed is announced. (Cached storefront
answers are evaluated live and keyed by the website's local date, see `eligibility.py`; stored
membership is not what they read.)

`TimeRunner` calls `run_due` at the earliest next local midnight of the websites, and at least
every `poll_seconds` (a missed midnight, a clock jump, a deferred segment). Its clock is
`services.clock`, so tests move time with a `ManualClock`, which wakes the runner."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from engine.metrics import metrics
from engine.midnight import MidnightRunner, as_date, customer_websites
from engine.segments import compare, feed, refresh, stored
from engine.segments.catalog import load_catalog
from engine.segments.catalog_types import Catalog
from engine.segments.changes import TRIGGER_TIME
from engine.segments.refresh import MembershipDiff
from engine.segments.scope_loader import build_scope
from engine.segments.sql import Dialect, dialect_of, placeholders
from engine.segments.tree import AnyNode, Combine, UpToDate
from engine.segments.validate import referenced_segment_ids
from engine.stores import StoresSnapshot, WebsiteView, load_snapshot
from models import ApplyTo, MagentoCustomersegmentSegment, MagentoCustomersegmentWebsite
from models.segments import RefreshStatus

logger = logging.getLogger("mageseg.segments.timeline")

TIME_NODES: tuple[type, ...] = (UpToDate,)
"""Node types whose answer depends on the current date."""

TIME_RUN = "mageseg_customersegment_time_run"


def reads_clock(node: AnyNode) -> bool:
    """Whether `node` or anything below it is a `TIME_NODES` node (references not followed)."""
    if isinstance(node, TIME_NODES):
        return True
    children: tuple[AnyNode, ...] = getattr(node, "conditions", ())
    return any(reads_clock(child) for child in children)


def time_dependent(trees: dict[int, Combine]) -> set[int]:
    """The ids among `trees` whose answer depends on the date: their own tree reads the clock, or
    a segment they refer to (transitively) does. `trees` should hold every segment a tree may
    refer to; a reference to a segment missing from it counts as not reading the clock."""
    direct = {segment_id for segment_id, tree in trees.items() if reads_clock(tree)}
    refs = {segment_id: referenced_segment_ids(tree) for segment_id, tree in trees.items()}
    found = set(direct)
    changed = True
    while changed:
        changed = False
        for segment_id, targets in refs.items():
            if segment_id not in found and targets & found:
                found.add(segment_id)
                changed = True
    return found


@dataclass(frozen=True)
class WebsiteRun:
    """One website's time-driven pass."""

    website_id: int
    local_date: date
    segment_ids: tuple[int, ...]
    """Segments re-evaluated."""
    entered: int
    exited: int
    deferred: tuple[int, ...] = ()
    """Segments skipped because their full refresh was running: the day stays due."""
    duration_ms: int = 0


@dataclass
class _Segments:
    """The active time-dependent segments holding stored members, with their trees and
    websites, loaded once per pass."""

    catalog: Catalog
    trees: dict[int, Combine] = field(default_factory=dict)
    websites: dict[int, set[int]] = field(default_factory=dict)

    def of_website(self, website_id: int) -> list[int]:
        return sorted(s for s, sites in self.websites.items() if website_id in sites)


async def _time_segments() -> _Segments:
    catalog = await load_catalog()
    references = await stored.reference_graph()
    trees: dict[int, Combine] = {}
    candidates: set[int] = set()
    for segment in await MagentoCustomersegmentSegment.all().order_by("segment_id"):
        try:
            trees[segment.segment_id] = await stored.load_tree(
                segment, catalog, references=references
            )
        except stored.CorruptTree as error:
            logger.error("segment %s has a corrupt stored tree: %s", segment.segment_id, error)
            continue
        if segment.is_active and segment.apply_to != ApplyTo.VISITORS:
            candidates.add(segment.segment_id)
    chosen = time_dependent(trees) & candidates
    found = _Segments(catalog, trees={s: trees[s] for s in chosen})
    rows: list[Any] = list(
        await MagentoCustomersegmentWebsite.filter(
            segment_id__in=sorted(chosen) or [0]
        ).values_list("segment_id", "website_id")
    )
    for segment_id, website_id in rows:
        found.websites.setdefault(int(segment_id), set()).add(int(website_id))
    return found


async def _ensure_rows(websites: Sequence[WebsiteView], now: datetime, dialect: Dialect) -> None:
    """A website seen for the first time gets a row dated yesterday: its day is due now."""
    conn = connections.get("default")
    rows = await conn.execute_query_dict(f"SELECT website_id FROM {TIME_RUN}")
    known = {int(r["website_id"]) for r in rows}
    for website in websites:
        if website.website_id in known:
            continue
        yesterday = compare.today(now, website.timezone) - timedelta(days=1)
        # Another process may insert it first (unique website_id): theirs stands.
        with contextlib.suppress(IntegrityError):
            await conn.execute_query(
                placeholders(
                    f"INSERT INTO {TIME_RUN} (website_id, last_local_date, ran_at) "
                    f"SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM {TIME_RUN} "
                    "WHERE website_id = ?)",
                    dialect,
                ),
                [website.website_id, yesterday, now, website.website_id],
            )


async def _due(websites: Sequence[WebsiteView], now: datetime) -> list[tuple[WebsiteView, date]]:
    conn = connections.get("default")
    rows = await conn.execute_query_dict(f"SELECT website_id, last_local_date FROM {TIME_RUN}")
    last = {int(r["website_id"]): as_date(r["last_local_date"]) for r in rows}
    due: list[tuple[WebsiteView, date]] = []
    for website in websites:
        today = compare.today(now, website.timezone)
        done = last.get(website.website_id)
        if done is None or done < today:
            due.append((website, today))
    return due


async def run_due(now: datetime) -> list[WebsiteRun]:
    """Re-evaluate the time-dependent segments of every website whose local date changed since
    its last run (see the module docstring). Returns what was done, one entry per website run."""
    stores = await load_snapshot()
    websites = customer_websites(stores)
    dialect = dialect_of(connections.get("default"))
    await _ensure_rows(websites, now, dialect)
    due = await _due(websites, now)
    if not due:
        return []
    segments = await _time_segments()
    runs: list[WebsiteRun] = []
    for website, today in due:
        run = await _run_website(website, today, now, segments, stores, dialect)
        if run is not None:
            runs.append(run)
    if any(run.entered or run.exited for run in runs):
        await feed.announce()
    return runs


async def _run_website(
    website: WebsiteView,
    today: date,
    now: datetime,
    segments: _Segments,
    stores: StoresSnapshot,
    dialect: Dialect,
) -> WebsiteRun | None:
    started = time.monotonic()
    website_id = website.website_id
    diff = MembershipDiff()
    done: list[int] = []
    deferred: list[int] = []
    async with in_transaction() as conn:

        async def rows(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
            result: list[dict[str, Any]] = await conn.execute_query_dict(
                placeholders(sql, dialect), list(params)
            )
            return result

        lock = " FOR UPDATE SKIP LOCKED" if dialect is Dialect.POSTGRES else ""
        claimed = await rows(
            f"SELECT last_local_date FROM {TIME_RUN} "
            f"WHERE website_id = ? AND last_local_date < ?{lock}",
            [website_id, today],
        )
        if not claimed:
            return None  # done already, or another process is doing it now
        previous = as_date(claimed[0]["last_local_date"])
        changed = await conn.execute_query(
            placeholders(
                f"UPDATE {TIME_RUN} SET last_local_date = ?, ran_at = ? "
                "WHERE website_id = ? AND last_local_date < ?",
                dialect,
            ),
            [today, now, website_id, today],
        )
        if not _count(changed):
            return None
        for segment_id in segments.of_website(website_id):
            if not await _may_touch(conn, dialect, segment_id):
                deferred.append(segment_id)
                continue
            tree = segments.trees[segment_id]
            scope = await build_scope(
                website_id, tree, now=now, catalog=segments.catalog, stores=stores
            )
            await refresh.open_stage(conn, dialect)
            await refresh.stage_website(conn, dialect, tree, scope)
            diff = diff + await refresh.apply_stage(
                conn,
                dialect,
                segment_id,
                now=now,
                trigger=TRIGGER_TIME,
                website_id=website_id,
                touch_kept=False,
            )
            await refresh.close_stage(conn, dialect)
            done.append(segment_id)
        if deferred:  # retried on the next pass
            await conn.execute_query(
                placeholders(
                    f"UPDATE {TIME_RUN} SET last_local_date = ? WHERE website_id = ?", dialect
                ),
                [previous, website_id],
            )
    run = WebsiteRun(
        website_id=website_id,
        local_date=today,
        segment_ids=tuple(done),
        entered=diff.entered,
        exited=diff.exited,
        deferred=tuple(deferred),
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    metrics().time_run_seconds.observe(time.monotonic() - started)
    logger.info(
        "time run of website %s for %s: %s segments, %s entered, %s exited, %s deferred in %s ms",
        website_id,
        today,
        len(done),
        run.entered,
        run.exited,
        len(deferred),
        run.duration_ms,
    )
    return run


def _count(result: Any) -> int:
    """Rows changed, from tortoise's `execute_query` result (a (count, rows) pair)."""
    if isinstance(result, tuple) and result and isinstance(result[0], int):
        return result[0]
    return int(result or 0)


async def _may_touch(conn: Any, dialect: Dialect, segment_id: int) -> bool:
    """False when the segment's full refresh is running (claimed, or holding its lock)."""
    if refresh.is_running_here(segment_id):
        return False
    if dialect is Dialect.POSTGRES:
        locked = await conn.execute_query_dict(
            "SELECT pg_try_advisory_xact_lock($1, $2) AS locked",
            [refresh.ADVISORY_NAMESPACE, segment_id],
        )
        if not locked[0]["locked"]:
            return False
    status = await conn.execute_query_dict(
        placeholders(
            "SELECT refresh_status FROM magento_customersegment_segment WHERE segment_id = ?",
            dialect,
        ),
        [segment_id],
    )
    return bool(status) and str(status[0]["refresh_status"]) != str(RefreshStatus.RUNNING)


class TimeRunner(MidnightRunner[WebsiteRun]):
    """Re-evaluates the time-dependent segments at each website's local midnight (`run_due`)."""

    task_name = "segment-time-runner"
    failure_message = "time-driven re-evaluation failed"
    logger = logger

    async def due(self, now: datetime) -> list[WebsiteRun]:
        return await run_due(now)
