"""What the process counts and times, for Prometheus (`/metrics`, served by the wiring).

The metrics are created on first use, not at import: prometheus_client decides when it is first
imported whether values live in this process or in files shared by the workers of one server
(`PROMETHEUS_MULTIPROC_DIR`, set by `mageseg serve --workers N` before any worker imports it).
Call `metrics()` where something happens; it returns the same `Metrics` every time."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import Counter, Gauge, Histogram

# Seconds: from a cache hit (~0.1 ms) to a slow mutation.
REQUEST_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
# Seconds: a refresh or a midnight run takes from milliseconds to minutes.
JOB_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 1800.0)


@dataclass(frozen=True)
class Metrics:
    requests: Counter
    request_seconds: Histogram
    errors: Counter
    response_cache: Counter
    cache: Counter
    database_connections: Gauge
    refresh_seconds: Histogram
    refreshes_queued: Gauge
    time_run_seconds: Histogram
    live_evaluations: Counter
    webhook_attempts: Counter
    webhook_backlog: Gauge
    mail_messages: Counter


@functools.cache
def metrics() -> Metrics:
    from prometheus_client import Counter, Gauge, Histogram

    return Metrics(
        requests=Counter(
            "mageseg_graphql_requests",
            "GraphQL requests answered, by operation name (`anonymous` without one, `other` past "
            "the first 200 names a process saw) and outcome (ok, error, cached).",
            ["operation", "outcome"],
        ),
        request_seconds=Histogram(
            "mageseg_graphql_request_seconds",
            "Time from the request's arrival to its answer, by operation name.",
            ["operation"],
            buckets=REQUEST_BUCKETS,
        ),
        errors=Counter(
            "mageseg_graphql_errors",
            "GraphQL errors returned, by Magento category (graphql-input, graphql-authorization, "
            "graphql-no-such-entity, ..., internal).",
            ["category"],
        ),
        response_cache=Counter(
            "mageseg_response_cache_lookups",
            "Full-response cache lookups of cacheable storefront queries, by result (hit, miss).",
            ["result"],
        ),
        cache=Counter(
            "mageseg_cache_lookups",
            "Lookups of cached values (eligibility, stores, memos), by result (hit, miss).",
            ["result"],
        ),
        database_connections=Gauge(
            "mageseg_database_connections",
            "Database connections of the pool, by state (in_use, idle); summed over live workers.",
            ["state"],
            multiprocess_mode="livesum",
        ),
        refresh_seconds=Histogram(
            "mageseg_segment_refresh_seconds",
            "Duration of segment refreshes, by outcome (done, failed).",
            ["outcome"],
            buckets=JOB_BUCKETS,
        ),
        refreshes_queued=Gauge(
            "mageseg_segment_refreshes_queued",
            "Segments whose refresh is queued, read from the database at scrape time.",
            multiprocess_mode="mostrecent",
        ),
        time_run_seconds=Histogram(
            "mageseg_segment_time_run_seconds",
            "Duration of a website's midnight re-evaluation of date-relative segments.",
            buckets=JOB_BUCKETS,
        ),
        live_evaluations=Counter(
            "mageseg_live_evaluations",
            "Customers re-evaluated against their listening segments after a write (rate() of "
            "it is evaluations per second).",
        ),
        webhook_attempts=Counter(
            "mageseg_webhook_attempts",
            "Webhook delivery attempts, by outcome (delivered, failed).",
            ["outcome"],
        ),
        webhook_backlog=Gauge(
            "mageseg_webhook_backlog",
            "Webhook deliveries waiting (pending), read from the database at scrape time.",
            multiprocess_mode="mostrecent",
        ),
        mail_messages=Counter(
            "mageseg_mail_messages",
            "E-mails handed to the mail transport, by Magento template (welcome, password reset, "
            "contact form, ...) and outcome (sent, failed).",
            ["template", "outcome"],
        ),
    )
