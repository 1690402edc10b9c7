"""Two processes agree after a change: two real `mageseg serve` processes share one PostgreSQL
database and one Redis; process 2's caches are warm, the data changes through process 1, and
process 2's very next answer is the new one. Needs MAGESEG_TEST_DATABASE_URL and
MAGESEG_TEST_REDIS_URL (CI's second run)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.conftest import PG_URL, REDIS_URL
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_carts import make_product
from tests.test_live_response_cache import UPDATE_NAME
from tests.test_segments_storefront import ADD, CUSTOMER_SEGMENTS, given_segments, guest_cart
from tests.test_segments_support import combine, create_segment

pytestmark = pytest.mark.skipif(
    PG_URL is None or REDIS_URL is None,
    reason="needs MAGESEG_TEST_DATABASE_URL and MAGESEG_TEST_REDIS_URL",
)

MAGESEG = Path(sys.executable).with_name("mageseg")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def start(
    database_url: str, namespace: str, redis_url: str | None = REDIS_URL
) -> tuple[asyncio.subprocess.Process, str]:
    port = free_port()
    env = {
        **os.environ,
        "MAGESEG_DATABASE_URL": database_url,
        "MAGESEG_REDIS_URL": redis_url or "",
        "MAGESEG_CACHE_NAMESPACE": namespace,
        "MAGESEG_PORT": str(port),
        "MAGESEG_LOG_LEVEL": "WARNING",
        "MAGESEG_PASSWORD_TIME_COST": "1",
        "MAGESEG_PASSWORD_MEMORY_KIB": "1024",
        "MAGESEG_WEBHOOKS_IN_PROCESS": "0",
    }
    process = await asyncio.create_subprocess_exec(
        str(MAGESEG),
        "serve",
        "--no-seed",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


async def ready(session: aiohttp.ClientSession, base: str, seconds: float = 60) -> None:
    for _ in range(int(seconds * 10)):
        try:
            async with session.get(f"{base}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"{base} did not come up")


@contextlib.asynccontextmanager
async def two_servers(
    database_url: str, redis_url: str | None = REDIS_URL
) -> AsyncIterator[tuple[aiohttp.ClientSession, aiohttp.ClientSession]]:
    """Two server processes on one database and one Redis namespace, as HTTP clients."""
    namespace = f"test-{uuid.uuid4().hex[:12]}"
    started = [await start(database_url, namespace, redis_url) for _ in range(2)]
    sessions = [aiohttp.ClientSession(base_url=base) for _, base in started]
    try:
        for session, (_, base) in zip(sessions, started, strict=True):
            await ready(session, base)
        yield sessions[0], sessions[1]
    finally:
        for session in sessions:
            await session.close()
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            try:
                await asyncio.wait_for(process.wait(), 2)
            except TimeoutError:
                process.kill()
                await process.wait()


@pytest.fixture
async def servers(database_url: str, db: Any) -> AsyncIterator[tuple[Any, Any]]:
    async with two_servers(database_url) as sessions:
        yield sessions


async def segments_of(client: Any, token: str | None = None, cart: str = "") -> tuple[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with client.post(
        "/graphql", json={"query": CUSTOMER_SEGMENTS, "variables": {"cart": cart}}, headers=headers
    ) as response:
        body = await response.json()
        return response.headers.get("X-Mageseg-Cache", ""), body


async def test_changes_through_one_process_are_seen_by_the_other_at_once(
    servers: tuple[Any, Any], admin_token: str
) -> None:
    """One test, so the two processes start once: a customer change, a cart change and a
    segment change, each made through process 1 while process 2's caches are warm."""
    one, two = servers
    uids = await given_segments(one, admin_token)
    ann = await token_for(await make_customer(email="ann@example.com", firstname="Ann"))
    await make_product("mug", "20.00")
    cart_id = await guest_cart(one, "mug", 2)
    for _ in range(2):
        await segments_of(two, ann)
        await segments_of(two, cart=cart_id)
    warm_ann = await segments_of(two, ann)
    warm_cart = await segments_of(two, cart=cart_id)

    renamed = await gql(one, UPDATE_NAME, {"name": "Bob"}, token=ann)
    after_rename = await segments_of(two, ann)
    await gql(one, ADD, {"id": cart_id, "sku": "mug", "qty": 1})
    after_cart = await segments_of(two, cart=cart_id)
    added = await create_segment(one, admin_token, combine(), apply_to="BOTH")
    after_segment = (await segments_of(two, ann), await segments_of(two, cart=cart_id))

    everyone, big_cart, new = (
        {"uid": uids["everyone"]},
        {"uid": uids["big_cart"]},
        {"uid": added["uid"]},
    )
    assert warm_ann == ("HIT", {"data": {"customerSegments": [{"uid": uids["ann"]}, everyone]}})
    assert warm_cart == ("HIT", {"data": {"customerSegments": [everyone]}})
    assert renamed.errors == []
    assert after_rename == ("MISS", {"data": {"customerSegments": [everyone]}})
    assert after_cart == ("MISS", {"data": {"customerSegments": [big_cart, everyone]}})
    assert after_segment == (
        ("MISS", {"data": {"customerSegments": [everyone, new]}}),
        ("MISS", {"data": {"customerSegments": [big_cart, everyone, new]}}),
    )
