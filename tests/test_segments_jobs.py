"""Background refresh jobs: durable queue rows, runners in the server and in `mageseg worker`,
abandoned refreshes queued again, and the `mageseg refresh` command."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from engine.segments import jobs, refresh
from engine.uids import encode_uid
from models.segments import ApplyTo, MagentoCustomersegmentSegment, RefreshStatus
from tests.factories import make_customer
from tests.test_cli import run
from tests.test_segments_refresh import customer_is, make_segment, members

T1 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def postgres() -> bool:
    return bool(connections.get("default").capabilities.dialect == "postgres")


async def status_of(segment_id: int) -> RefreshStatus:
    segment = await MagentoCustomersegmentSegment.get(segment_id=segment_id)
    return segment.refresh_status


async def wait_for_status(segment_id: int, status: RefreshStatus, seconds: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while await status_of(segment_id) is not status:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"segment {segment_id} is {await status_of(segment_id)}")
        await asyncio.sleep(0.05)


async def test_mark_queued_queues_in_the_callers_transaction(db: Any) -> None:
    both = await make_segment(customer_is("firstname", "Ann"))
    visitors = await make_segment(customer_is("firstname", "Ann"), apply_to=ApplyTo.VISITORS)

    async def failing_mutation() -> None:
        async with in_transaction():
            await jobs.mark_queued([both.segment_id], now=T1)
            raise RuntimeError("the mutation failed")

    with pytest.raises(RuntimeError):
        await failing_mutation()
    assert await status_of(both.segment_id) is RefreshStatus.NEVER

    async with in_transaction():
        await jobs.mark_queued([both.segment_id, visitors.segment_id], now=T1)
    stored = await MagentoCustomersegmentSegment.get(segment_id=both.segment_id)
    assert (stored.refresh_status, stored.refresh_queued_at) == (RefreshStatus.QUEUED, T1)
    # Nothing to run for a visitors-only segment: it ends at once, in a status that says why.
    assert await status_of(visitors.segment_id) is RefreshStatus.VISITORS_ONLY


async def test_a_job_committed_before_a_crash_is_run_by_the_next_runner(db: Any) -> None:
    ann = await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"))
    async with in_transaction():
        await jobs.mark_queued([segment.segment_id])
    # The process "dies" here: no runner was running, notify_queued never ran.
    assert await status_of(segment.segment_id) is RefreshStatus.QUEUED

    runner = jobs.RefreshRunner(poll_seconds=60)
    await runner.start()
    try:
        await wait_for_status(segment.segment_id, RefreshStatus.DONE)
    finally:
        await runner.stop()
    assert set(await members(segment.segment_id)) == {(ann.entity_id, 1)}


async def test_a_refresh_left_running_by_a_dead_process_is_queued_again(db: Any) -> None:
    ann = await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"))
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await process.wait()
    dead_pid = process.pid
    owner = f"{refresh.PROCESS.partition(':')[0]}:{dead_pid}:dead"
    await MagentoCustomersegmentSegment.filter(segment_id=segment.segment_id).update(
        refresh_status=RefreshStatus.RUNNING, refresh_owner=owner, refresh_started_at=T1
    )

    assert await jobs.requeue_abandoned() == [segment.segment_id]
    results = await jobs.run_queued()

    assert [(r.segment_id, r.status, r.matched_count) for r in results] == [
        (segment.segment_id, RefreshStatus.DONE, 1)
    ]
    assert set(await members(segment.segment_id)) == {(ann.entity_id, 1)}


async def test_a_live_refresh_is_not_queued_again(db: Any) -> None:
    segment = await make_segment(customer_is("firstname", "Ann"))
    # A live process on this host: the one that started the tests.
    owner = f"{refresh.PROCESS.partition(':')[0]}:{os.getppid()}:live"
    await MagentoCustomersegmentSegment.filter(segment_id=segment.segment_id).update(
        refresh_status=RefreshStatus.RUNNING,
        refresh_owner=owner,
        refresh_started_at=datetime.now(UTC),
    )
    assert await jobs.requeue_abandoned() == []
    assert await status_of(segment.segment_id) is RefreshStatus.RUNNING


async def test_an_owner_on_another_host_is_dead_when_its_lock_is_free(db: Any) -> None:
    segment = await make_segment(customer_is("firstname", "Ann"))
    await MagentoCustomersegmentSegment.filter(segment_id=segment.segment_id).update(
        refresh_status=RefreshStatus.RUNNING,
        refresh_owner="other-host:4242:abcd",
        refresh_started_at=datetime.now(UTC) - timedelta(minutes=5),
    )
    # Only PostgreSQL can tell (its advisory lock); an SQLite file has no other host.
    expected = [segment.segment_id] if postgres() else []
    assert await jobs.requeue_abandoned() == expected
    # Within the grace period after the claim, it is left alone.
    recent = await make_segment(customer_is("firstname", "Ann"), name="recent")
    await MagentoCustomersegmentSegment.filter(segment_id=recent.segment_id).update(
        refresh_status=RefreshStatus.RUNNING,
        refresh_owner="other-host:4242:efgh",
        refresh_started_at=datetime.now(UTC),
    )
    assert await jobs.requeue_abandoned() == []


async def test_the_app_runs_queued_refreshes_in_process(client: Any, db: Any) -> None:
    ann = await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"))
    async with in_transaction():
        await refresh.mark_queued([segment.segment_id])
    await refresh.notify_queued()

    await wait_for_status(segment.segment_id, RefreshStatus.DONE)
    assert set(await members(segment.segment_id)) == {(ann.entity_id, 1)}


async def test_a_postgres_notification_wakes_a_listening_runner(db: Any, database_url: str) -> None:
    if not postgres():
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"))
    runner = jobs.RefreshRunner(poll_seconds=600, listen_dsn=jobs.listen_dsn(database_url))
    await runner.start()
    try:
        await asyncio.sleep(0.2)  # its first pass found nothing queued
        jobs._runners.discard(runner)  # only the notification may wake it
        async with in_transaction():
            await jobs.mark_queued([segment.segment_id])
        await jobs.notify_queued()
        await wait_for_status(segment.segment_id, RefreshStatus.DONE)
    finally:
        await runner.stop()


async def test_worker_once_runs_what_is_queued(database_url: str, db: Any) -> None:
    ann = await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"))
    async with in_transaction():
        await jobs.mark_queued([segment.segment_id])

    result = await run("worker", "--once", "--database-url", database_url)

    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        rf'segment {segment.segment_id} "Anns": 1 matched \(website 1: 1\) in \d+ ms\n'
        r"Worker pass done: 1 queued refresh\(es\) \(0 failed\), 0 website day\(s\) "
        r"re-evaluated, 0 reward earning\(s\) expired, 0 webhook delivery attempt\(s\)\.\n",
        result.stdout,
    ), result.stdout
    assert await status_of(segment.segment_id) is RefreshStatus.DONE
    assert set(await members(segment.segment_id)) == {(ann.entity_id, 1)}


async def test_refresh_command_refreshes_one_segment(database_url: str, db: Any) -> None:
    await make_customer("ann@example.com")
    await make_customer("ann2@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"))
    other = await make_segment(customer_is("firstname", "Bob"), name="Bobs")

    result = await run(
        "refresh", "--segment", encode_uid(segment.segment_id), "--database-url", database_url
    )

    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        rf'segment {segment.segment_id} "Anns": 2 matched \(website 1: 2\) in \d+ ms\n'
        r"Refreshed 1 of 1 segment\(s\), 0 failed\.\n",
        result.stdout,
    ), result.stdout
    # Not a terminal: no progress bar (tqdm would draw "1/1", one website of one segment).
    assert "1/1" not in result.stderr
    assert await status_of(other.segment_id) is RefreshStatus.NEVER


async def test_refresh_command_all(database_url: str, db: Any) -> None:
    await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"))
    broken = await make_segment("{", name="Broken")
    await make_segment(customer_is("firstname", "Ann"), name="Guests", apply_to=ApplyTo.VISITORS)

    result = await run("refresh", "--all", "--database-url", database_url)

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[2] == "Refreshed 1 of 2 segment(s), 1 failed."
    assert re.fullmatch(
        rf'segment {segment.segment_id} "Anns": 1 matched \(website 1: 1\) in \d+ ms', lines[0]
    )
    assert lines[1].startswith(f'segment {broken.segment_id} "Broken": failed: CorruptTree: ')


async def test_refresh_command_needs_a_segment() -> None:
    result = await run("refresh")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: refresh needs --segment UID or --all"


async def test_refresh_command_unknown_segment(database_url: str, db: Any) -> None:
    result = await run("refresh", "--segment", "77", "--database-url", database_url)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("error: no segment with id 77")
