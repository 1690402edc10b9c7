"""No process serves an answer older than a write it missed: two real `mageseg serve` processes
share one PostgreSQL database and a Redis of the test's own, which the test pauses (SIGSTOP) and
resumes (SIGCONT). A cart changes through process 1 while Redis is paused (the version bump is
lost); process 2, idle meanwhile, answers with the change as soon as Redis answers again, not
from the entry it cached before the outage. Needs MAGESEG_TEST_DATABASE_URL (two processes on one
database) and `redis-server` on the PATH."""

from __future__ import annotations

import asyncio
import shutil
import signal
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import redis.asyncio

from tests.conftest import PG_URL
from tests.test_carts import make_product
from tests.test_live_processes import free_port, segments_of, two_servers
from tests.test_segments_storefront import ADD, given_segments, guest_cart

REDIS_SERVER = shutil.which("redis-server")

pytestmark = pytest.mark.skipif(
    PG_URL is None or REDIS_SERVER is None,
    reason="needs MAGESEG_TEST_DATABASE_URL and redis-server",
)


@pytest.fixture
async def own_redis() -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """A Redis of this test's own (no persistence), and its URL."""
    assert REDIS_SERVER is not None
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        REDIS_SERVER,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    probe = redis.asyncio.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                if await probe.ping():
                    break
            except redis.exceptions.ConnectionError:
                await asyncio.sleep(0.05)
        yield process, url
    finally:
        await probe.aclose()
        process.send_signal(signal.SIGCONT)
        process.terminate()
        await process.wait()


@pytest.fixture
async def servers_on_own_redis(
    database_url: str, db: Any, own_redis: tuple[asyncio.subprocess.Process, str]
) -> AsyncIterator[tuple[aiohttp.ClientSession, aiohttp.ClientSession]]:
    async with two_servers(database_url, own_redis[1]) as sessions:
        yield sessions


async def test_a_cart_changed_during_an_outage_is_seen_by_the_other_process_once_redis_answers(
    servers_on_own_redis: tuple[aiohttp.ClientSession, aiohttp.ClientSession],
    own_redis: tuple[asyncio.subprocess.Process, str],
    admin_token: str,
) -> None:
    one, two = servers_on_own_redis
    redis_process, _ = own_redis
    uids = await given_segments(one, admin_token)
    await make_product("mug", "20.00")
    cart_id = await guest_cart(one, "mug", 2)
    for _ in range(2):
        await segments_of(two, cart=cart_id)
    warm = await segments_of(two, cart=cart_id)

    redis_process.send_signal(signal.SIGSTOP)
    try:
        added = await one.post(
            "/graphql", json={"query": ADD, "variables": {"id": cart_id, "sku": "mug", "qty": 1}}
        )
        added_body = await added.json()
        # Longer than a retry window: both processes are past "answer from the database".
        await asyncio.sleep(1.5)
    finally:
        redis_process.send_signal(signal.SIGCONT)
    # Every answer from process 2 from now on, until it answers from the cache again.
    answers = [await segments_of(two, cart=cart_id)]
    for _ in range(50):
        if answers[-1][0] == "HIT":
            break
        await asyncio.sleep(0.1)
        answers.append(await segments_of(two, cart=cart_id))

    everyone, big_cart = {"uid": uids["everyone"]}, {"uid": uids["big_cart"]}
    assert warm == ("HIT", {"data": {"customerSegments": [everyone]}})
    assert added_body["data"]["addProductsToCart"]["user_errors"] == []
    new = {"data": {"customerSegments": [big_cart, everyone]}}
    assert [body for _, body in answers] == [new] * len(answers)
    assert answers[0][0] == "MISS"
    assert answers[-1][0] == "HIT"  # trusted again, at the new versions
