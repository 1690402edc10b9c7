"""Background refresh jobs: one interface, the segment row as the queue.

The durable job IS the segment row: `mark_queued` sets `refresh_status = queued` inside the
caller's transaction, so the job exists exactly when the mutation commits and no process death
can lose it. `notify_queued` (after commit) only shortens the wait: it wakes the runners of this
process and, on PostgreSQL, sends `NOTIFY mageseg_segment_refresh` to runners of other processes.

A `RefreshRunner` claims queued segments one at a time with a compare-and-set on the row
(`refresh.claim`), so any number of runners (in server processes, or `mageseg worker` processes
on other machines against the same PostgreSQL) never refresh one segment twice at once. It polls
every `poll_seconds` as well, so a lost notification costs latency, never the job.

Abandoned refreshes (their process died): a segment left `running` is queued again by
`requeue_abandoned`, which every runner calls at start and on each poll. An owner on this host
is dead when its pid is gone (or, for this process, when it is not refreshing the segment); on
PostgreSQL an owner elsewhere is dead when the segment's advisory lock is free and the refresh
started more than `grace` ago (the lock is held for the whole refresh transaction).

This is PostgreSQL-native (compare-and-set over the segment rows + LISTEN/NOTIFY) rather than
pgqueuer or procrastinate: the queued row is the source of truth the brief asks for anyway, a
second queue table would need its own schema outside our migrations and a sweeper to reconcile
it with the rows, and the same code then serves SQLite (in-process) and PostgreSQL (workers)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.transactions import in_transaction

from engine.cache import Cache
from engine.clock import Clock
from engine.invalidation import tracking
from engine.segments import refresh
from engine.segments.refresh import RefreshProgress, RefreshResult
from models.segments import ApplyTo, MagentoCustomersegmentSegment, RefreshStatus

logger = logging.getLogger("mageseg.segments.jobs")

CHANNEL = "mageseg_segment_refresh"
DEFAULT_GRACE = timedelta(seconds=60)

_runners: set[RefreshRunner] = set()
"""Runners started in this process; `notify_queued` wakes them."""


def _is_postgres(conn: Any) -> bool:
    return str(getattr(conn.capabilities, "dialect", "")) == "postgres"


async def mark_queued(segment_ids: Iterable[int], *, now: datetime | None = None) -> None:
    """Queue a full refresh of these segments. Call it INSIDE the mutation's transaction. A
    segment being refreshed stays `running` but gets a newer `refresh_queued_at`, so it is queued
    again when that refresh ends. VISITORS segments hold no members and are not queued: their
    status becomes `visitors_only` at once, a terminal status a waiting client can stop on."""
    ids = sorted(set(segment_ids))
    if not ids:
        return
    moment = now or datetime.now(UTC)
    await MagentoCustomersegmentSegment.filter(
        segment_id__in=ids, apply_to=ApplyTo.VISITORS
    ).update(
        refresh_status=RefreshStatus.VISITORS_ONLY,
        refresh_queued_at=None,
        matched_count=0,
        refresh_error=None,
    )
    queued = MagentoCustomersegmentSegment.filter(segment_id__in=ids).exclude(
        apply_to=ApplyTo.VISITORS
    )
    await queued.update(refresh_queued_at=moment)
    await queued.exclude(refresh_status=RefreshStatus.RUNNING).update(
        refresh_status=RefreshStatus.QUEUED
    )


async def notify_queued() -> None:
    """Wake the runners: call it AFTER the transaction that called `mark_queued` committed."""
    for runner in list(_runners):
        runner.wake()
    conn = connections.get("default")
    if _is_postgres(conn):
        await conn.execute_query("SELECT pg_notify($1, '')", [CHANNEL])


def _owner_is_dead(owner: str | None) -> bool | None:
    """True/False when this host can tell, None when the owner runs on another host."""
    if not owner:
        return True
    host, _, rest = owner.partition(":")
    pid_text, _, _ = rest.partition(":")
    if host != refresh.PROCESS.partition(":")[0] or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # checked against the segments this process runs, by the caller
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


async def requeue_abandoned(*, grace: timedelta = DEFAULT_GRACE) -> list[int]:
    """Queue again the segments left `running` by a dead process; returns their ids."""
    rows = await MagentoCustomersegmentSegment.filter(
        refresh_status=RefreshStatus.RUNNING
    ).values_list("segment_id", "refresh_owner", "refresh_started_at")
    conn = connections.get("default")
    postgres = _is_postgres(conn)
    now = datetime.now(UTC)
    requeued: list[int] = []
    for segment_id, owner, started_at in rows:
        dead = _owner_is_dead(owner)
        if dead is False and owner and owner.startswith(refresh.PROCESS + ":"):
            dead = not refresh.is_running_here(segment_id)
        async with in_transaction() as tx:
            if dead is None:
                if not postgres or (started_at is not None and now - started_at < grace):
                    continue
                locked = await tx.execute_query_dict(
                    "SELECT pg_try_advisory_xact_lock($1, $2) AS free",
                    [refresh.ADVISORY_NAMESPACE, segment_id],
                )
                dead = bool(locked[0]["free"])
            if not dead:
                continue
            changed = await MagentoCustomersegmentSegment.filter(
                segment_id=segment_id, refresh_status=RefreshStatus.RUNNING, refresh_owner=owner
            ).update(refresh_status=RefreshStatus.QUEUED, refresh_owner=None)
        if changed:
            logger.warning("segment %s was left running by %s: queued again", segment_id, owner)
            requeued.append(segment_id)
    return requeued


async def run_queued(
    *,
    owner: str | None = None,
    now: datetime | None = None,
    progress: Callable[[RefreshProgress], None] | None = None,
) -> list[RefreshResult]:
    """Claim and refresh queued segments, oldest request first, until none is left."""
    results: list[RefreshResult] = []
    tried: set[int] = set()
    while True:
        candidates: list[Any] = list(
            await MagentoCustomersegmentSegment.filter(refresh_status=RefreshStatus.QUEUED)
            .exclude(segment_id__in=list(tried) or [0])
            .order_by("refresh_queued_at", "segment_id")
            .limit(20)
            .values_list("segment_id", flat=True)
        )
        if not candidates:
            return results
        for segment_id in candidates:
            tried.add(int(segment_id))
            if refresh.is_running_here(int(segment_id)):
                continue
            job_owner = owner or refresh.new_owner()
            # Real time: compared with `refresh_queued_at`; `now` is the evaluation's instant.
            started = datetime.now(UTC)
            if not await refresh.claim(int(segment_id), job_owner, now=started, only_queued=True):
                continue
            try:
                result = await refresh.run_claimed(
                    int(segment_id), job_owner, started, now=now, progress=progress
                )
            except refresh.RefreshRunning:
                continue
            if result is not None:
                results.append(result)
                # Queued again while it ran: it may be taken once more in this pass.
                tried.discard(int(segment_id))
            break


class RefreshRunner:
    """Runs queued refreshes in the background of this process until `stop`."""

    def __init__(
        self,
        *,
        poll_seconds: float = 30.0,
        listen_dsn: str | None = None,
        grace: timedelta = DEFAULT_GRACE,
        cache: Cache | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.poll_seconds = poll_seconds
        # The refreshes' "now" (relative dates); None: the system clock at each claim.
        self.clock = clock
        # Each pass runs in its own tracking block on this cache (touches and after-commit
        # callbacks are flushed per pass, not when the process stops).
        self.cache = cache
        self.listen_dsn = listen_dsn
        self.grace = grace
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: Any = None

    def wake(self) -> None:
        self._wake.set()

    def _tracking(self) -> contextlib.AbstractAsyncContextManager[object]:
        if self.cache is None:
            return contextlib.nullcontext()
        return tracking(self.cache, join=False)

    async def start(self) -> None:
        await requeue_abandoned(grace=self.grace)
        if self.listen_dsn:
            await self._listen()
        _runners.add(self)
        self._wake.set()
        self._task = asyncio.create_task(self._loop(), name="segment-refresh-runner")

    async def _listen(self) -> None:
        import asyncpg  # type: ignore[import-untyped]

        dsn = self.listen_dsn
        assert dsn is not None
        self._listener = await asyncpg.connect(dsn)
        await self._listener.add_listener(CHANNEL, lambda *_: self._wake.set())

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                await requeue_abandoned(grace=self.grace)
                async with self._tracking():
                    now = self.clock.now() if self.clock is not None else None
                    results = await run_queued(now=now)
                for result in results:
                    logger.info(
                        "segment %s refreshed: %s, %s members in %s ms",
                        result.segment_id,
                        result.status,
                        result.matched_count,
                        result.duration_ms,
                    )
            except asyncio.CancelledError:
                raise
            except Exception:  # keep the runner alive; the rows keep the jobs
                logger.exception("segment refresh runner pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    async def run_forever(self) -> None:
        await self.start()
        assert self._task is not None
        try:
            await self._task
        finally:
            await self.stop()

    async def stop(self) -> None:
        _runners.discard(self)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._listener is not None:
            await self._listener.close()
            self._listener = None
        # A refresh cut short here rolled back: queue it again for the next runner.
        with contextlib.suppress(Exception):
            await requeue_abandoned(grace=self.grace)


def listen_dsn(database_url: str) -> str | None:
    """The asyncpg DSN runners LISTEN with, or None when the database is not PostgreSQL."""
    if not database_url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        return None
    rest = database_url.split("://", 1)[1].split("?", 1)[0]
    return f"postgresql://{rest}"
