"""`/metrics` in Prometheus' text format, and the middleware that times GraphQL requests.

With several workers (`mageseg serve --workers N`) every worker writes its values to files in
`PROMETHEUS_MULTIPROC_DIR` and whichever worker answers a scrape adds them up
(prometheus_client's multiprocess mode), so a scrape sees the whole server."""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from tortoise import Tortoise

from engine.metrics import metrics
from models.segment_changes import DeliveryStatus, MagesegCustomersegmentWebhookDelivery
from models.segments import MagentoCustomersegmentSegment, RefreshStatus

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
# Distinct operation names a process labels; the rest count as `other`, so clients inventing
# names cannot grow the series without bound.
MAX_OPERATION_NAMES = 200
# How often a worker writes its pool's state (it changes with every request).
POOL_SAMPLE_SECONDS = 1.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# What the view learnt of a request's operation: (name, outcome: ok, error or cached), or None
# when the request ran no operation (the GraphiQL page, a WebSocket, a body that was not GraphQL).
OperationOf = Callable[[web.Request], tuple[str | None, str] | None]


class OperationLabels:
    """Operation names as metric labels, bounded in number."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self._limit = limit
        self._seen: set[str] = set()

    def label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if name in self._seen:
            return name
        if len(self._seen) >= self._limit:
            return "other"
        self._seen.add(name)
        return name


@dataclass(frozen=True)
class _Series:
    counters: tuple[Any, ...]
    latency: Any


def _series(label: str, outcome: str, looked_up: bool) -> _Series:
    found = metrics()
    counters = [found.requests.labels(label, outcome)]
    if looked_up:
        counters.append(found.response_cache.labels("hit" if outcome == "cached" else "miss"))
    return _Series(tuple(counters), found.request_seconds.labels(label))


def middleware(operation_of: OperationOf, cache_header: str) -> Any:
    labels = OperationLabels()
    # The labelled children a request updates, looked up once per (operation, outcome, cached?):
    # `labels()` takes a lock and builds a key on every call.
    children: dict[tuple[str, str, bool], _Series] = {}
    sampled_at = 0.0

    @web.middleware
    async def measure(request: web.Request, handler: Handler) -> web.StreamResponse:
        nonlocal sampled_at
        if request.path != "/graphql":
            return await handler(request)
        started = time.perf_counter()
        response = await handler(request)
        elapsed = time.perf_counter() - started
        operation = operation_of(request)
        if operation is None:
            return response
        name, outcome = operation
        key = (labels.label(name), outcome, cache_header in response.headers)
        series = children.get(key)
        if series is None:
            series = children[key] = _series(*key)
        for counter in series.counters:
            counter.inc()
        series.latency.observe(elapsed)
        if started - sampled_at >= POOL_SAMPLE_SECONDS:
            sampled_at = started
            sample_pool()
        return response

    return measure


def sample_pool() -> None:
    """The connection pool's state, when the database has a pool (PostgreSQL)."""
    try:
        pool = getattr(Tortoise.get_connection("default"), "_pool", None)
    except Exception:  # no ORM in this process (yet): nothing to report
        return
    if pool is None or not hasattr(pool, "get_size"):
        return
    size, idle = pool.get_size(), pool.get_idle_size()
    gauge = metrics().database_connections
    gauge.labels("in_use").set(size - idle)
    gauge.labels("idle").set(idle)


async def _sample_backlogs() -> None:
    found = metrics()
    found.refreshes_queued.set(
        await MagentoCustomersegmentSegment.filter(refresh_status=RefreshStatus.QUEUED).count()
    )
    found.webhook_backlog.set(
        await MagesegCustomersegmentWebhookDelivery.filter(status=DeliveryStatus.PENDING).count()
    )


async def serve_metrics(request: web.Request) -> web.Response:
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
    from prometheus_client.multiprocess import MultiProcessCollector

    await _sample_backlogs()
    sample_pool()
    registry = REGISTRY
    if os.environ.get(MULTIPROCESS_DIRECTORY):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    # Which worker answered (with several, each scrape is answered by one of them).
    headers = {"Content-Type": CONTENT_TYPE_LATEST, "X-Mageseg-Worker": str(os.getpid())}
    return web.Response(body=generate_latest(registry), headers=headers)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/metrics", serve_metrics)
