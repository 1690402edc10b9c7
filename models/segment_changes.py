"""What happens to segment membership after it is computed: the history of entries and exits,
outbound webhooks with their outbox and delivery log, and the per-website clock of time-driven
re-evaluation. Magento has none of these tables, hence the `mageseg_` prefix."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.segments import MagentoCustomersegmentSegment
    from models.stores import StoreWebsite


class MembershipChangeKind(StrEnum):
    """Whether a customer entered or left a segment."""

    ENTERED = "entered"
    EXITED = "exited"


class DeliveryStatus(StrEnum):
    """Where one webhook delivery stands: pending until a receiver answers 2xx, failed once the
    retries are spent."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class MagesegCustomersegmentHistory(Model):
    """`mageseg_customersegment_history`: one entry or exit of a registered customer. The customer
    id is kept without a foreign key, so the history outlives a deleted customer."""

    history_id = fields.BigIntField(primary_key=True)
    segment: fields.ForeignKeyRelation[MagentoCustomersegmentSegment] = fields.ForeignKeyField(
        "models.MagentoCustomersegmentSegment", related_name="history", on_delete=fields.CASCADE
    )
    customer_id = fields.IntField(db_index=True)
    website_id = fields.IntField()
    change = fields.CharEnumField(MembershipChangeKind, max_length=8)
    # The Magento event name that caused it, or refresh / time / segment_saved.
    trigger = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    class Meta:
        table = "mageseg_customersegment_history"
        indexes = (("segment_id", "history_id"),)


class MagesegCustomersegmentWebhook(Model):
    """`mageseg_customersegment_webhook`: a receiver of one segment's entries and exits, signed
    with its own secret."""

    webhook_id = fields.IntField(primary_key=True)
    segment: fields.ForeignKeyRelation[MagentoCustomersegmentSegment] = fields.ForeignKeyField(
        "models.MagentoCustomersegmentSegment", related_name="webhooks", on_delete=fields.CASCADE
    )
    url = fields.CharField(max_length=2048)
    secret = fields.CharField(max_length=128)
    is_active = fields.BooleanField(db_default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "mageseg_customersegment_webhook"
        indexes = (("segment_id",),)


class MagesegCustomersegmentWebhookDelivery(Model):
    """`mageseg_customersegment_webhook_delivery`: the outbox. Written in the transaction that
    changes membership, so a change is never lost, and claimed by a deliverer with a lease."""

    delivery_id = fields.BigIntField(primary_key=True)
    webhook: fields.ForeignKeyRelation[MagesegCustomersegmentWebhook] = fields.ForeignKeyField(
        "models.MagesegCustomersegmentWebhook", related_name="deliveries", on_delete=fields.CASCADE
    )
    history: fields.ForeignKeyRelation[MagesegCustomersegmentHistory] = fields.ForeignKeyField(
        "models.MagesegCustomersegmentHistory", related_name="deliveries", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(DeliveryStatus, max_length=16, db_default=DeliveryStatus.PENDING)
    attempts = fields.IntField(db_default=0)
    next_attempt_at = fields.DatetimeField()
    claimed_until = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=64, null=True)
    last_status_code = fields.IntField(null=True)
    last_error = fields.TextField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "mageseg_customersegment_webhook_delivery"
        unique_together = (("webhook", "history"),)
        indexes = (("status", "next_attempt_at"), ("history_id",))


class MagesegCustomersegmentWebhookAttempt(Model):
    """`mageseg_customersegment_webhook_attempt`: the delivery log, one row per HTTP attempt."""

    attempt_id = fields.BigIntField(primary_key=True)
    delivery: fields.ForeignKeyRelation[MagesegCustomersegmentWebhookDelivery] = (
        fields.ForeignKeyField(
            "models.MagesegCustomersegmentWebhookDelivery",
            related_name="log",
            on_delete=fields.CASCADE,
        )
    )
    attempted_at = fields.DatetimeField()
    status_code = fields.IntField(null=True)
    error = fields.TextField(null=True)
    duration_ms = fields.IntField()

    class Meta:
        table = "mageseg_customersegment_webhook_attempt"
        indexes = (("delivery_id",),)


class MagesegCustomersegmentTimeRun(Model):
    """`mageseg_customersegment_time_run`: the last local date (in the website's timezone) whose
    time-driven re-evaluation has run, so each day is done once across processes."""

    id = fields.IntField(primary_key=True)
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite",
        related_name="segment_time_runs",
        on_delete=fields.CASCADE,
        unique=True,
    )
    last_local_date = fields.DateField()
    ran_at = fields.DatetimeField()

    class Meta:
        table = "mageseg_customersegment_time_run"
        unique_together = (("website",),)
