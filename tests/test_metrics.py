"""`/metrics`: requests and latency per operation, errors by category, response-cache hits,
backlogs read at scrape time; and `mageseg serve --workers 2` (two processes on one port whose
scrapes add up, restarted gracefully on HUP, stopped on TERM)."""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from models.segments import MagentoCustomersegmentSegment, RefreshStatus
from tests.conftest import PG_URL, REDIS_URL
from tests.graphql import gql
from tests.test_live_processes import MAGESEG, free_port, ready
from tests.test_segments_support import combine, create_segment

STORE_CODE = "query StoreCode { storeConfig { store_code } }"
MISSING_CART = 'query MissingCart { cart(cart_id: "nosuchcartnosuchcartnosuchcart00") { id } }'


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def scrape(client: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return scraped(await response.text())


async def test_requests_errors_and_cache_hits_are_counted(client: Any) -> None:
    ok = sample("mageseg_graphql_requests_total", operation="StoreCode", outcome="ok")
    cached = sample("mageseg_graphql_requests_total", operation="StoreCode", outcome="cached")
    failed = sample("mageseg_graphql_requests_total", operation="MissingCart", outcome="error")
    timed = sample("mageseg_graphql_request_seconds_count", operation="StoreCode")
    not_found = sample("mageseg_graphql_errors_total", category="graphql-no-such-entity")
    hits = sample("mageseg_response_cache_lookups_total", result="hit")
    misses = sample("mageseg_response_cache_lookups_total", result="miss")

    for _ in range(3):
        assert (await gql(client, STORE_CODE)).errors == []
    assert (await gql(client, MISSING_CART)).categories == ["graphql-no-such-entity"]

    # The first storeConfig ran GraphQL (a miss, stored); the next two came from the cache.
    assert sample("mageseg_graphql_requests_total", operation="StoreCode", outcome="ok") == ok + 1
    assert (
        sample("mageseg_graphql_requests_total", operation="StoreCode", outcome="cached")
        == cached + 2
    )
    assert sample("mageseg_graphql_request_seconds_count", operation="StoreCode") == timed + 3
    assert (
        sample("mageseg_graphql_requests_total", operation="MissingCart", outcome="error")
        == failed + 1
    )
    assert (
        sample("mageseg_graphql_errors_total", category="graphql-no-such-entity") == not_found + 1
    )
    assert sample("mageseg_response_cache_lookups_total", result="hit") == hits + 2
    # Every POST looks first: the first storeConfig and the cart query missed.
    assert sample("mageseg_response_cache_lookups_total", result="miss") == misses + 2

    metrics = await scrape(client)
    key = ("mageseg_graphql_requests_total", (("operation", "StoreCode"), ("outcome", "cached")))
    assert metrics[key] == cached + 2


async def test_anonymous_and_unbounded_names_are_labelled_safely(client: Any) -> None:
    anonymous = sample("mageseg_graphql_requests_total", operation="anonymous", outcome="ok")
    assert (await gql(client, "{ __typename }")).errors == []
    assert (
        sample("mageseg_graphql_requests_total", operation="anonymous", outcome="ok")
        == anonymous + 1
    )


def test_operation_names_past_the_limit_count_as_other() -> None:
    from mageseg.metrics import OperationLabels

    labels = OperationLabels(limit=2)
    assert [labels.label(n) for n in ["A", "B", "C", "A", None, ""]] == [
        "A",
        "B",
        "other",
        "A",
        "anonymous",
        "anonymous",
    ]


async def test_backlogs_are_read_at_scrape_time(client: Any, admin_token: str) -> None:
    segment = await create_segment(client, admin_token, combine(), name="Scraped")
    segment_id = int(base64.b64decode(segment["uid"]))
    await MagentoCustomersegmentSegment.filter(segment_id=segment_id).update(
        refresh_status=RefreshStatus.QUEUED
    )
    metrics = await scrape(client)
    assert metrics[("mageseg_segment_refreshes_queued", ())] == 1.0
    assert metrics[("mageseg_webhook_backlog", ())] == 0.0


def test_several_workers_need_redis() -> None:
    from mageseg.settings import Settings
    from mageseg.workers import default_workers, refusal

    sqlite = Settings(database_url="sqlite://x.sqlite3")
    postgres = Settings(database_url="postgres://u@h/db")
    shared = Settings(database_url="postgres://u@h/db", redis_url="redis://h:6379/0")
    assert default_workers(sqlite) == 1
    assert default_workers(postgres) == 1
    assert default_workers(shared) == len(os.sched_getaffinity(0))
    assert refusal(postgres, 2) == (
        "2 workers need a shared cache: set MAGESEG_REDIS_URL (or --redis-url), "
        "or run one worker (--workers 1)."
    )
    assert refusal(shared, 2) is None
    assert refusal(shared, 0) == "--workers must be 1 or more."


def workers_of(master: int) -> set[int]:
    children = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.add(int(entry.name))
    return children


async def wait_for_workers(master: int, count: int, other_than: set[int] = frozenset()) -> set[int]:
    for _ in range(200):
        found = workers_of(master)
        if len(found) == count and not found & other_than:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} new workers of {master}, found {workers_of(master)}")


@pytest.mark.skipif(
    PG_URL is None or REDIS_URL is None,
    reason="several workers need PostgreSQL and Redis (CI's second run)",
)
async def test_two_workers_serve_one_port_and_their_metrics_add_up(
    database_url: str, db: Any
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "MAGESEG_DATABASE_URL": database_url,
        "MAGESEG_REDIS_URL": REDIS_URL or "",
        "MAGESEG_CACHE_NAMESPACE": f"test-{uuid.uuid4().hex[:12]}",
        "MAGESEG_PORT": str(port),
        "MAGESEG_LOG_LEVEL": "WARNING",
        "MAGESEG_WEBHOOKS_IN_PROCESS": "0",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    master = await asyncio.create_subprocess_exec(
        str(MAGESEG),
        "serve",
        "--no-seed",
        "--workers",
        "2",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession(base_url=base) as session:
            await ready(session, base)
            first = await wait_for_workers(master.pid, 2)
            answered_by: set[str] = set()
            sent = 0
            # At least 40 requests, and on until both workers have answered: a worker still
            # starting up on a loaded machine leaves the first ones to the other.
            while sent < 40 or (len(answered_by) < 2 and sent < 400):
                # A new connection each time, so the kernel hands requests to both workers.
                async with aiohttp.ClientSession(base_url=base) as one:
                    query = {"query": "query Probe { __typename }", "operationName": "Probe"}
                    async with one.post("/graphql", json=query) as response:
                        assert (await response.json()) == {"data": {"__typename": "Query"}}
                    sent += 1
                    async with one.get("/metrics") as response:
                        answered_by.add(response.headers.get("X-Mageseg-Worker", ""))
            async with session.get("/metrics") as response:
                metrics = scraped(await response.text())
            # Answered (`ok`) or from the shared response cache (`cached`): both workers' counts
            # add up to the requests sent.
            probes = {
                outcome: metrics.get(
                    (
                        "mageseg_graphql_requests_total",
                        (("operation", "Probe"), ("outcome", outcome)),
                    ),
                    0.0,
                )
                for outcome in ("ok", "cached", "error")
            }
            assert probes["ok"] >= 1.0
            assert probes["error"] == 0.0
            assert probes["ok"] + probes["cached"] == float(sent)
            assert answered_by == {str(pid) for pid in first}

            master.send_signal(signal.SIGHUP)  # graceful restart: new workers, same port
            await wait_for_workers(master.pid, 2, other_than=first)
            await ready(session, base)
            async with session.post("/graphql", json=query) as response:
                assert response.status == 200
        master.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(master.wait(), 20) == 0
    finally:
        if master.returncode is None:
            master.kill()
            await master.wait()
