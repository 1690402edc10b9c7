"""Membership changes become durable events: a history row each, and an outbox row for every
active webhook of the segment, written in the caller's transaction so a change is never recorded
without its deliveries, or delivered without being recorded."""

from __future__ import annotations

from collections.abc import Sequence

from engine.segments.changes import MembershipChange
from models import (
    MagesegCustomersegmentHistory,
    MagesegCustomersegmentWebhook,
    MagesegCustomersegmentWebhookDelivery,
)


async def record(changes: Sequence[MembershipChange]) -> None:
    """Write `changes` (history and outbox). Call inside the transaction that changed membership."""
    if not changes:
        return
    for change in changes:
        entry = await MagesegCustomersegmentHistory.create(
            segment_id=change.segment_id,
            customer_id=change.customer_id,
            website_id=change.website_id,
            change=change.change,
            trigger=change.trigger,
            created_at=change.at,
        )
        webhooks = await MagesegCustomersegmentWebhook.filter(
            segment_id=change.segment_id, is_active=True
        ).values_list("webhook_id", flat=True)
        for webhook_id in webhooks:
            await MagesegCustomersegmentWebhookDelivery.create(
                webhook_id=webhook_id, history=entry, next_attempt_at=change.at, created_at=change.at
            )
