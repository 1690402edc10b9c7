"""The webhook outbox: claiming due deliveries with a lease, building their payload, recording
each attempt and scheduling the next one.

A delivery row is written by `history.record` in the transaction that changed membership. A
deliverer claims due rows by setting `claimed_by` and `claimed_until` in one statement
(`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers, so the same UPDATE is a
compare-and-set there). A deliverer that dies keeps its rows only until the lease expires; the
next claim takes them. Results are written only while the claim is still ours, so a deliverer
whose lease ran out cannot overwrite the newer owner's outcome."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from engine.segments.sql import Dialect, dialect_of, placeholders
from engine.uids import encode_uid
from models import (
    DeliveryStatus,
    MagentoCustomersegmentSegment,
    MagesegCustomersegmentWebhookAttempt,
    MagesegCustomersegmentWebhookDelivery,
    MembershipChangeKind,
    StoreWebsite,
)

_DELIVERY = "mageseg_customersegment_webhook_delivery"
_ERROR_CHARS = 1000

EVENT_NAMES = {
    MembershipChangeKind.ENTERED: "segment.member.entered",
    MembershipChangeKind.EXITED: "segment.member.exited",
}


@dataclass(frozen=True)
class RetryPolicy:
    """How long a claim lasts and when a failed attempt is retried: the n-th retry waits
    `base * 2**(n-1)` seconds (at most `cap`), stretched by up to `jitter` of itself; after
    `max_attempts` attempts the delivery is FAILED."""

    lease_seconds: float = 60.0
    max_attempts: int = 8
    base_seconds: float = 10.0
    cap_seconds: float = 3600.0
    jitter: float = 0.2

    def delay(self, attempts: int, rand: random.Random | None = None) -> timedelta:
        """The wait before the next attempt after `attempts` attempts failed."""
        raw = min(self.cap_seconds, self.base_seconds * 2 ** max(attempts - 1, 0))
        spread = (rand or random).uniform(0.0, self.jitter) if self.jitter > 0 else 0.0
        return timedelta(seconds=raw * (1.0 + spread))


@dataclass(frozen=True)
class Job:
    """One claimed delivery, ready to send."""

    delivery_id: int
    webhook_id: int
    url: str
    secret: str
    event: str
    body: bytes
    attempts: int


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


async def claim(
    owner: str, *, now: datetime | None = None, limit: int = 50, lease_seconds: float = 60.0
) -> list[Job]:
    """Claim up to `limit` due deliveries for `owner` until `now + lease`, oldest first, and
    load what sending them needs. Rows of inactive webhooks stay pending, unclaimed."""
    moment = _utc(now or datetime.now(UTC))
    until = moment + timedelta(seconds=lease_seconds)
    conn: Any = MagesegCustomersegmentWebhookDelivery._meta.db
    dialect = dialect_of(conn)
    lock = " FOR UPDATE OF d SKIP LOCKED" if dialect is Dialect.POSTGRES else ""
    # The locking CTE is evaluated once (an IN (subquery ... LIMIT) was not, on PostgreSQL).
    sql = (
        f"WITH picked AS (SELECT d.delivery_id FROM {_DELIVERY} d "
        "JOIN mageseg_customersegment_webhook w ON w.webhook_id = d.webhook_id "
        "WHERE d.status = ? AND w.is_active AND d.next_attempt_at <= ? "
        "AND (d.claimed_until IS NULL OR d.claimed_until <= ?) "
        f"ORDER BY d.delivery_id LIMIT ?{lock}) "
        f"UPDATE {_DELIVERY} SET claimed_by = ?, claimed_until = ? "
        "WHERE delivery_id IN (SELECT delivery_id FROM picked) "
        "AND status = ? AND (claimed_until IS NULL OR claimed_until <= ?) "
        "RETURNING delivery_id"
    )
    pending = str(DeliveryStatus.PENDING)
    rows = await conn.execute_query_dict(
        placeholders(sql, dialect),
        [pending, moment, moment, limit, owner, until, pending, moment],
    )
    ids = sorted(int(r["delivery_id"]) for r in rows)
    if not ids:
        return []
    return await load_jobs(ids)


async def load_jobs(delivery_ids: list[int]) -> list[Job]:
    deliveries = (
        await MagesegCustomersegmentWebhookDelivery.filter(delivery_id__in=delivery_ids)
        .order_by("delivery_id")
        .prefetch_related("webhook", "history")
    )
    segment_ids = {d.history.segment_id for d in deliveries}  # type: ignore[attr-defined]
    website_ids = {d.history.website_id for d in deliveries}
    websites = dict(
        await StoreWebsite.filter(website_id__in=website_ids).values_list("website_id", "code")
    )
    known: set[Any] = set(
        await MagentoCustomersegmentSegment.filter(segment_id__in=segment_ids).values_list(
            "segment_id", flat=True
        )
    )
    jobs: list[Job] = []
    for delivery in deliveries:
        history = delivery.history
        segment_id: int = history.segment_id  # type: ignore[attr-defined]
        event = EVENT_NAMES[MembershipChangeKind(history.change)]
        payload = {
            "id": str(delivery.delivery_id),
            "type": event,
            "segment_uid": encode_uid(segment_id) if segment_id in known else None,
            "customer_uid": encode_uid(history.customer_id),
            "website_code": websites.get(history.website_id),
            "trigger": history.trigger,
            "occurred_at": _utc(history.created_at).isoformat(),
        }
        jobs.append(
            Job(
                delivery_id=delivery.delivery_id,
                webhook_id=delivery.webhook.webhook_id,
                url=delivery.webhook.url,
                secret=delivery.webhook.secret,
                event=event,
                body=json.dumps(payload, separators=(",", ":")).encode(),
                attempts=delivery.attempts,
            )
        )
    return jobs


@dataclass(frozen=True)
class Outcome:
    """What one HTTP attempt gave: a status code, or an error (timeout, refused, ...)."""

    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def finish(
    job: Job,
    owner: str,
    outcome: Outcome,
    policy: RetryPolicy,
    *,
    now: datetime | None = None,
    rand: random.Random | None = None,
) -> DeliveryStatus | None:
    """Log the attempt and move the delivery on: DELIVERED on 2xx, else PENDING with the next
    attempt after the backoff, or FAILED once `max_attempts` are spent. Returns the new status,
    or None when the claim was no longer ours (the attempt is still logged)."""
    moment = _utc(now or datetime.now(UTC))
    error = None if outcome.error is None else outcome.error[:_ERROR_CHARS]
    if error is None and not outcome.ok:
        error = f"HTTP {outcome.status_code}"
    async with in_transaction():
        await MagesegCustomersegmentWebhookAttempt.create(
            delivery_id=job.delivery_id,
            attempted_at=moment,
            status_code=outcome.status_code,
            error=None if outcome.ok else error,
            duration_ms=outcome.duration_ms,
        )
        delivery = (
            await MagesegCustomersegmentWebhookDelivery.filter(delivery_id=job.delivery_id)
            .select_for_update()
            .first()
        )
        if delivery is None or delivery.claimed_by != owner:
            return None
        attempts = delivery.attempts + 1
        changes: dict[str, Any] = {
            "attempts": attempts,
            "last_status_code": outcome.status_code,
            "claimed_by": None,
            "claimed_until": None,
        }
        if outcome.ok:
            status = DeliveryStatus.DELIVERED
            changes.update(last_error=None, delivered_at=moment)
        elif attempts >= policy.max_attempts:
            status = DeliveryStatus.FAILED
            changes.update(last_error=error)
        else:
            status = DeliveryStatus.PENDING
            changes.update(last_error=error, next_attempt_at=moment + policy.delay(attempts, rand))
        changes["status"] = status
        await MagesegCustomersegmentWebhookDelivery.filter(
            delivery_id=job.delivery_id, claimed_by=owner
        ).update(**changes)
        return status


async def next_due() -> datetime | None:
    """When the earliest pending delivery of an active webhook can be claimed (None: none)."""
    row = (
        await MagesegCustomersegmentWebhookDelivery.filter(
            status=DeliveryStatus.PENDING, webhook__is_active=True
        )
        .order_by("next_attempt_at")
        .first()
    )
    if row is None:
        return None
    due = _utc(row.next_attempt_at)
    if row.claimed_until is not None:
        due = max(due, _utc(row.claimed_until))
    return due
