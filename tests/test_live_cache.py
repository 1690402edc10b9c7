"""The shared cache (`engine/cache.py`): versions per scope, one round trip per check, and what
happens when Redis is away: every operation degrades (answers come from the database), the outage
is logged once, and bumps lost meanwhile are made up by an epoch bump when it is back."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import socket
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiocache import Cache as CacheFactory
from aiocache.serializers import NullSerializer
from tortoise.context import TortoiseContext

from engine.cache import EPOCH_FACTOR, Cache, Family
from engine.clock import ManualClock
from engine.invalidation import Topic, read, touch, tracking
from mageseg.app import create_app
from mageseg.settings import Settings
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_live_response_cache import UPDATE_NAME, data, post
from tests.test_live_time import CHICAGO, CHICAGO_MIDNIGHT, ORDERED_WITHIN_30_DAYS, T0, order_on
from tests.test_segments_storefront import CUSTOMER_SEGMENTS, given_segments
from tests.test_segments_support import create_segment

ANN = ("customer", "1")
BOB = ("customer", "2")


class Flaky:
    """A backend that fails every call while `down` (Redis unreachable from one process)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.down = False
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.backend, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.down:
                raise ConnectionError("connection refused")
            return await method(*args, **kwargs)

        return call


def memory() -> Any:
    # No per-call timeout: aiocache wraps each call in asyncio.wait_for, which on Python 3.11
    # can swallow a cancellation that arrives as the call completes (a cancelled `watch` then
    # never ends). The Redis backend is created with timeout=None for the same reason.
    return CacheFactory(CacheFactory.MEMORY, serializer=NullSerializer(), timeout=None)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_bump_changes_only_its_scope() -> None:
    cache = Cache(memory(), "t")
    before = await cache.versions([ANN, BOB])

    await cache.bump_versions([ANN])
    after = await cache.versions([ANN, BOB])

    assert after[0] != before[0]
    assert after[1] == before[1]
    assert after[0] > before[0]


async def test_a_value_and_its_versions_come_in_one_round_trip() -> None:
    backend = Flaky(memory())
    cache = Cache(backend, "t")
    versions = await cache.versions([ANN])
    await cache.put("answer", (versions, "42"))
    backend.calls = 0

    found, current = await cache.get_checked("answer", [ANN])

    assert backend.calls == 1
    assert found == (versions, "42")
    assert current == versions


async def test_tracking_bumps_what_was_touched_when_the_block_ends() -> None:
    cache = Cache(memory(), "t")
    async with tracking(cache) as tracker:
        (seen,) = await read((Topic.CUSTOMER, 1))
        touch(Topic.CUSTOMER, 1)
        assert await cache.versions([ANN]) == (seen,)

    assert tracker.reads == {ANN: seen}
    assert (await cache.versions([ANN]))[0] > seen


REDIS_URL = os.environ.get("MAGESEG_TEST_REDIS_URL")


@pytest.mark.skipif(REDIS_URL is None, reason="needs MAGESEG_TEST_REDIS_URL")
async def test_concurrent_checks_share_one_redis_mget() -> None:
    """The MGETs of concurrent requests (one event-loop turn) leave as ONE MGET of the union of
    their keys, and each caller gets its own answer, in its keys' order; a lone MGET is sent
    alone, as it is."""
    assert REDIS_URL is not None
    cache = Cache.create(REDIS_URL, f"t-{uuid.uuid4().hex[:8]}")
    assert cache._mget is not None
    client = cache._mget.__self__._client  # type: ignore[attr-defined]  # the batched reads' client
    sent: list[tuple[Any, ...]] = []
    original = client.execute_command

    async def counted(*args: Any, **kwargs: Any) -> Any:
        sent.append(args)
        return await original(*args, **kwargs)

    client.execute_command = counted
    ns = cache._namespace
    try:
        await cache.bump_versions([ANN])
        await cache.put("answer", ("42",))
        await cache.versions([ANN])  # the epoch exists from here on
        sent.clear()
        alone = await cache.versions([ANN, BOB])
        assert sent == [("MGET", f"{ns}:epoch", f"{ns}:v:customer:1", f"{ns}:v:customer:2")]
        sent.clear()

        together = await asyncio.gather(
            *(cache.versions([ANN, BOB]) for _ in range(5)),
            cache.get_checked("answer", [BOB]),
            cache.versions([BOB]),
        )

        assert sent == [
            (
                "MGET",
                f"{ns}:epoch",
                f"{ns}:v:customer:1",
                f"{ns}:v:customer:2",
                f"{ns}:val:answer",
            )
        ]
        assert together[:5] == [alone] * 5
        assert together[5] == (("42",), (alone[1],))
        assert together[6] == (alone[1],)
        assert alone[0] > alone[1] > 0
    finally:
        client.execute_command = original
        keys = [key async for key in client.scan_iter(match=f"{ns}:*")]
        if keys:
            await client.delete(*keys)
        await cache.close()


async def test_redis_on_a_closed_port_degrades_and_logs_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache = Cache.create(f"redis://127.0.0.1:{closed_port()}/0", "t", timeout=0.2, retry_after=0)
    loads = 0

    async def load() -> str:
        nonlocal loads
        loads += 1
        return "from the database"

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="engine.cache"):
        first = await cache.versions([ANN, BOB])
        second = await cache.versions([ANN, BOB])
        values = [await cache.get_or_load(Family.STORES, "x", load, memo=True) for _ in range(3)]
        await cache.put("answer", "42")
        await cache.bump_versions([ANN])
        found, _ = await cache.get_checked("answer", [ANN])
    elapsed = time.monotonic() - started
    await cache.close()

    assert len(set(first + second)) == 4
    assert max(first + second) < 0
    assert values == ["from the database"] * 3
    assert loads == 3
    assert found is None
    assert [r.message.split(" (")[0] for r in caplog.records] == ["cache backend unavailable"]
    assert elapsed < 3


async def test_bumps_lost_in_an_outage_are_made_up_when_redis_is_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    shared = memory()
    writer_link = Flaky(shared)
    writer = Cache(writer_link, "t", retry_after=0)  # the process whose link to Redis breaks
    reader = Cache(shared, "t")  # another process, still connected
    versions = await reader.versions([ANN, BOB])
    await reader.put("ann-answer", (versions, "old"))

    writer_link.down = True
    await writer.bump_versions([ANN])  # the customer changed; the bump is lost
    stale, during = await reader.get_checked("ann-answer", [ANN, BOB])
    writer_link.down = False
    with caplog.at_level(logging.WARNING, logger="engine.cache"):
        await writer.versions([BOB])  # the writer's first operation after the outage
    _, after = await reader.get_checked("ann-answer", [ANN, BOB])

    assert during == versions  # the other process could not know meanwhile
    assert stale == (versions, "old")
    assert after[0] != versions[0]
    assert after[1] != versions[1]  # everything, not just the lost scope
    assert "epoch bumped" in caplog.records[-1].message


async def test_memos_miss_during_an_outage_and_after_it() -> None:
    link = Flaky(memory())
    cache = Cache(link, "t", retry_after=0)
    loads = 0

    async def load() -> int:
        nonlocal loads
        loads += 1
        return loads

    first = await cache.get_or_load(Family.STORES, "snapshot", load, memo=True)
    link.down = True
    during = [await cache.get_or_load(Family.STORES, "snapshot", load, memo=True) for _ in range(2)]
    link.down = False
    after = [await cache.get_or_load(Family.STORES, "snapshot", load, memo=True) for _ in range(2)]

    assert first == 1
    assert during == [2, 3]
    # Another process may have written meanwhile, its bumps lost: nothing from before is trusted.
    assert after == [4, 4]


async def test_a_process_that_only_saw_an_outage_distrusts_entries_from_before_it() -> None:
    """Process B lost no bump of its own (it was idle: its watch saw the outage); process A
    lost one and has not made it up yet. B's first operation once Redis answers bumps the
    epoch, so the entry cached before the outage is not served."""
    shared = memory()
    b_link = Flaky(shared)
    b = Cache(b_link, "t", retry_after=0)
    versions = await b.versions([ANN])
    await b.put("ann-answer", (versions, "old"))
    watching = asyncio.create_task(b.watch(every=0.01))
    b_link.down = True
    await asyncio.sleep(0.05)  # the outage; A's bump of ANN is lost meanwhile
    b_link.down = False
    stored, now = await b.get_checked("ann-answer", [ANN])
    watching.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watching

    assert stored == (versions, "old")
    assert now != versions


async def test_concurrent_operations_after_an_outage_bump_the_epoch_once() -> None:
    shared = memory()
    link = Flaky(shared)
    cache = Cache(link, "t", retry_after=0)
    (before,) = await cache.versions([ANN])
    link.down = True
    await cache.versions([ANN])
    link.down = False

    seen = await asyncio.gather(*(cache.versions([ANN]) for _ in range(5)))

    assert {v for (v,) in seen} == {before + EPOCH_FACTOR}


async def test_a_redis_that_lost_its_data_gives_larger_versions() -> None:
    backend = memory()
    cache = Cache(backend, "t")
    await cache.bump_versions([ANN, ANN, ANN])
    before = await cache.versions([ANN, BOB])

    await backend.clear()
    await asyncio.sleep(0.002)
    after = await cache.versions([ANN, BOB])

    assert after[0] > before[0]
    assert after[1] > before[1]


async def test_answers_stay_right_with_redis_down(
    aiohttp_client: Any, settings: Settings, db: TortoiseContext, admin_token: str
) -> None:
    down = dataclasses.replace(settings, redis_url=f"redis://127.0.0.1:{closed_port()}/0")
    client = await aiohttp_client(create_app(down, manage_database=False))
    uids = await given_segments(client, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))

    before = [await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann) for _ in range(2)]
    renamed = await gql(client, UPDATE_NAME, {"name": "Bob"}, token=ann)
    after = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, ann)
    health = await client.get("/healthz")

    assert [b[0] for b in before] == ["MISS", "MISS"]
    assert [data(b[1]) for b in before] == [
        {"data": {"customerSegments": [{"uid": uids["ann"]}, {"uid": uids["everyone"]}]}}
    ] * 2
    assert renamed.errors == []
    assert data(after[1]) == {"data": {"customerSegments": [{"uid": uids["everyone"]}]}}
    assert health.status == 503


async def test_a_relative_date_answer_expires_at_the_websites_local_midnight(
    aiohttp_client: Any, settings: Settings, db: TortoiseContext, admin_token: str
) -> None:
    """Website 1 is in America/Chicago; Ann last ordered 30 days ago (local), so she is
    "ordered within the last 30 days" until Chicago's midnight, with no write at all."""
    clock = ManualClock(T0)
    quiet = dataclasses.replace(settings, time_in_process=False)
    client = await aiohttp_client(create_app(quiet, manage_database=False, clock=clock))
    ann = await make_customer(email="ann@example.com", firstname="Ann")
    await order_on(ann.entity_id, 1, datetime(2026, 5, 16, 10, tzinfo=CHICAGO), "A1")
    token = await token_for(ann)
    recent = await create_segment(client, admin_token, ORDERED_WITHIN_30_DAYS)

    before = [await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, token) for _ in range(2)]
    clock.set(CHICAGO_MIDNIGHT - timedelta(seconds=1))
    last_second = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, token)
    clock.set(CHICAGO_MIDNIGHT + timedelta(seconds=1))
    after = await post(client, CUSTOMER_SEGMENTS, {"cart": ""}, token)

    assert [b[0] for b in before] == ["MISS", "HIT"]
    assert data(before[1][1]) == {"data": {"customerSegments": [{"uid": recent["uid"]}]}}
    assert last_second[0] == "HIT"
    assert after[0] == "MISS"
    assert data(after[1]) == {"data": {"customerSegments": []}}
