"""Managing segment webhooks, reading their delivery log and the membership history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from tortoise.transactions import in_transaction

from engine.errors import NoSuchEntity, Problem, ProblemCode, Problems
from engine.pagination import Page, PageRequest, paginate
from engine.segments import feed
from engine.webhooks.signing import new_secret
from models import (
    DeliveryStatus,
    MagentoCustomersegmentSegment,
    MagesegCustomersegmentHistory,
    MagesegCustomersegmentWebhook,
    MagesegCustomersegmentWebhookAttempt,
    MagesegCustomersegmentWebhookDelivery,
    StoreWebsite,
)

MAX_URL = 2048
MIN_SECRET = 16
MAX_SECRET = 128


def check_url(url: str | None, path: str, problems: Problems) -> None:
    """An absolute http(s) URL with a host, at most 2048 characters."""
    if url is None or not url.strip():
        problems.add(ProblemCode.REQUIRED, "A webhook URL is required.", path)
        return
    if len(url) > MAX_URL:
        problems.add(ProblemCode.TOO_LONG, f"The URL is longer than {MAX_URL} characters.", path)
        return
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme.lower() not in {"http", "https"} or not host:
        problems.add(
            ProblemCode.INVALID,
            f'"{url}" is not an absolute http:// or https:// URL.',
            path,
        )


def check_secret(secret: str | None, path: str, problems: Problems) -> None:
    if secret is None:
        return
    if not MIN_SECRET <= len(secret) <= MAX_SECRET or secret != secret.strip():
        problems.add(
            ProblemCode.INVALID,
            f"A secret has {MIN_SECRET} to {MAX_SECRET} characters, without surrounding spaces.",
            path,
        )


async def _segment(segment_id: int, path: str) -> MagentoCustomersegmentSegment:
    segment = await MagentoCustomersegmentSegment.get_or_none(segment_id=segment_id)
    if segment is None:
        raise NoSuchEntity(
            Problem(ProblemCode.NOT_FOUND, f'No segment with id "{segment_id}".', path)
        )
    return segment


async def get(webhook_id: int, path: str = "uid") -> MagesegCustomersegmentWebhook:
    webhook = await MagesegCustomersegmentWebhook.get_or_none(webhook_id=webhook_id)
    if webhook is None:
        raise NoSuchEntity(
            Problem(ProblemCode.NOT_FOUND, f'No segment webhook with id "{webhook_id}".', path)
        )
    return webhook


@dataclass(frozen=True)
class Created:
    webhook: MagesegCustomersegmentWebhook
    secret: str


async def create(segment_id: int, url: str, secret: str | None, is_active: bool) -> Created:
    """A new webhook; the secret is generated unless given, and returned this once."""
    problems = Problems()
    check_url(url, "input.url", problems)
    check_secret(secret, "input.secret", problems)
    problems.raise_if_any()
    async with in_transaction():
        await _segment(segment_id, "input.segment_uid")
        key = secret or new_secret()
        webhook = await MagesegCustomersegmentWebhook.create(
            segment_id=segment_id, url=url.strip(), secret=key, is_active=is_active
        )
    return Created(webhook, key)


async def update(
    webhook_id: int, *, url: str | None, secret: str | None, is_active: bool | None
) -> MagesegCustomersegmentWebhook:
    """Change the URL, the secret or the active flag; omitted values stay."""
    problems = Problems()
    if url is not None:
        check_url(url, "input.url", problems)
    check_secret(secret, "input.secret", problems)
    problems.raise_if_any()
    async with in_transaction():
        webhook = await get(webhook_id)
        if url is not None:
            webhook.url = url.strip()
        if secret is not None:
            webhook.secret = secret
        if is_active is not None:
            webhook.is_active = is_active
        await webhook.save()
    return webhook


async def delete(webhook_id: int) -> int:
    """Delete a webhook with its deliveries and their log."""
    async with in_transaction():
        webhook = await get(webhook_id)
        await webhook.delete()
    return webhook_id


async def of_segment(segment_id: int) -> list[MagesegCustomersegmentWebhook]:
    await _segment(segment_id, "segment_uid")
    return await MagesegCustomersegmentWebhook.filter(segment_id=segment_id).order_by("webhook_id")


async def deliveries(
    webhook_id: int, status: DeliveryStatus | None, request: PageRequest
) -> Page[MagesegCustomersegmentWebhookDelivery]:
    """The webhook's deliveries, newest first, optionally of one status."""
    await get(webhook_id, "webhook_uid")
    query = MagesegCustomersegmentWebhookDelivery.filter(webhook_id=webhook_id)
    if status is not None:
        query = query.filter(status=status)
    return await paginate(
        query.order_by("-delivery_id").prefetch_related("history", "webhook"), request
    )


async def attempts_of(
    delivery_ids: list[int],
) -> dict[int, list[MagesegCustomersegmentWebhookAttempt]]:
    found: dict[int, list[MagesegCustomersegmentWebhookAttempt]] = {d: [] for d in delivery_ids}
    rows = await MagesegCustomersegmentWebhookAttempt.filter(delivery_id__in=delivery_ids).order_by(
        "attempt_id"
    )
    for row in rows:
        found[row.delivery_id].append(row)  # type: ignore[attr-defined]
    return found


async def redeliver(delivery_id: int) -> MagesegCustomersegmentWebhookDelivery:
    """Put a FAILED delivery back in the outbox, due now, with a fresh count of attempts."""
    async with in_transaction():
        delivery = (
            await MagesegCustomersegmentWebhookDelivery.filter(delivery_id=delivery_id)
            .select_for_update()
            .first()
        )
        if delivery is None:
            raise NoSuchEntity(
                Problem(
                    ProblemCode.NOT_FOUND, f'No webhook delivery with id "{delivery_id}".', "uid"
                )
            )
        if delivery.status != DeliveryStatus.FAILED:
            problems = Problems()
            problems.add(
                ProblemCode.INVALID,
                f"Only a failed delivery can be sent again; this one is {delivery.status.value}.",
                "uid",
            )
            problems.raise_if_any()
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = datetime.now(UTC)
        delivery.claimed_by = None
        delivery.claimed_until = None
        await delivery.save()
    await feed.announce()
    return await MagesegCustomersegmentWebhookDelivery.get(
        delivery_id=delivery_id
    ).prefetch_related("history", "webhook")


async def history(
    segment_id: int | None, customer_id: int | None, request: PageRequest
) -> Page[MagesegCustomersegmentHistory]:
    """Entries and exits, newest first."""
    query = MagesegCustomersegmentHistory.all()
    if segment_id is not None:
        query = query.filter(segment_id=segment_id)
    if customer_id is not None:
        query = query.filter(customer_id=customer_id)
    return await paginate(query.order_by("-history_id"), request)


async def website_codes() -> dict[int, str]:
    rows: list[Any] = await StoreWebsite.all().values_list("website_id", "code")
    return {int(website_id): str(code) for website_id, code in rows}


async def segments_exist(segment_ids: list[int]) -> set[int]:
    rows: list[Any] = await MagentoCustomersegmentSegment.filter(
        segment_id__in=segment_ids
    ).values_list("segment_id", flat=True)
    return {int(r) for r in rows}
