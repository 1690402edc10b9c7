"""GraphQL request latency through the real aiohttp app, against a bare aiohttp JSON handler.

Both servers run as subprocesses on loopback; one client sends requests one at a time over a
kept-alive connection, so a sample is one request's full round trip. The cases take turns within
each round, so a noisy moment of the machine hits them all alike."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
from tortoise.context import TortoiseContext

from bench.seeding import CHEAP_HASHER
from bench.stats import median, percentile
from mageseg.database import tortoise_config
from models import CustomerEntity
from models.stores import BASE_WEBSITE_ID
from seeds.loader import DEMO_PASSWORD, DEMO_SIZE, load

STORE_CONFIG = "{ storeConfig { store_code } }"
CUSTOMER_GROUP = "{ customerGroup { uid } }"
SIGN_IN = """
mutation ($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }
"""
START_TIMEOUT_S = 30.0
WARMUP_REQUESTS = 50


@dataclass(frozen=True)
class Case:
    label: str
    server: str  # "app" or "bare"
    query: str
    authenticated: bool = False


CASES = (
    Case("bare aiohttp JSON handler (baseline)", "bare", STORE_CONFIG),
    Case("`{ storeConfig { store_code } }`", "app", STORE_CONFIG),
    Case("`{ customerGroup { uid } }` with a customer token", "app", CUSTOMER_GROUP, True),
)


@dataclass(frozen=True)
class LatencyResult:
    label: str
    backend: str
    median_ms: float
    p95_ms: float
    ratio: float
    samples: int


@asynccontextmanager
async def _server(kind: str, database_url: str) -> AsyncIterator[str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.server",
        kind,
        database_url,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT_S)
        base = f"http://127.0.0.1:{int(line)}"
        deadline = time.monotonic() + START_TIMEOUT_S
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    async with session.get(f"{base}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the {kind} server did not start")
                await asyncio.sleep(0.05)
        yield f"{base}/graphql"
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


async def _post(
    session: aiohttp.ClientSession, url: str, query: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with session.post(
        url, json={"query": query, "variables": variables}, headers=headers
    ) as response:
        body: dict[str, Any] = await response.json()
    if response.status != 200 or body.get("errors"):
        raise RuntimeError(f"{query!r} answered {response.status}: {body}")
    return body


async def _seeded_email(database_url: str) -> str:
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(database_url))
        await load(DEMO_SIZE, progress=False, hasher=CHEAP_HASHER)
        customer = (
            await CustomerEntity.filter(website_id=BASE_WEBSITE_ID).order_by("entity_id").first()
        )
        assert customer is not None
        return customer.email


async def measure_latency(
    database_url: str, backend: str, rounds: int, requests: int
) -> list[LatencyResult]:
    """`database_url` is a fresh migrated database; the demo seed is loaded into it first."""
    email = await _seeded_email(database_url)
    async with (
        _server("app", database_url) as app_url,
        _server("bare", database_url) as bare_url,
        aiohttp.ClientSession() as session,
    ):
        urls = {"app": app_url, "bare": bare_url}
        signed_in = await _post(session, app_url, SIGN_IN, e=email, p=DEMO_PASSWORD)
        token = signed_in["data"]["generateCustomerToken"]["token"]
        tokens = {case: token if case.authenticated else None for case in CASES}
        for case in CASES:
            for _ in range(WARMUP_REQUESTS):
                await _post(session, urls[case.server], case.query, tokens[case])
        samples: dict[Case, list[float]] = {case: [] for case in CASES}
        round_medians: dict[Case, list[float]] = {case: [] for case in CASES}
        for _ in range(rounds):
            for case in CASES:
                timings = []
                for _ in range(requests):
                    started = time.perf_counter()
                    await _post(session, urls[case.server], case.query, tokens[case])
                    timings.append(time.perf_counter() - started)
                samples[case].extend(timings)
                round_medians[case].append(median(timings))
    baseline = median(round_medians[CASES[0]])
    return [
        LatencyResult(
            label=case.label,
            backend=backend,
            median_ms=median(round_medians[case]) * 1000,
            p95_ms=percentile(samples[case], 0.95) * 1000,
            ratio=median(round_medians[case]) / baseline,
            samples=len(samples[case]),
        )
        for case in CASES
    ]
