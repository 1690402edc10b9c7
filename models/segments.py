"""Customer segments: Adobe Commerce's `magento_customersegment_*` tables, plus the refresh status
Magento keeps only in its message queue."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.customers import CustomerEntity
    from models.stores import StoreWebsite


class ApplyTo(IntEnum):
    """Magento's Segment::APPLY_TO_* constants: fixed once a segment is first saved."""

    BOTH = 0
    REGISTERED = 1
    VISITORS = 2


class RefreshStatus(StrEnum):
    """Where the last full refresh of a segment stands."""

    NEVER = "never"
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    VISITORS_ONLY = "visitors_only"
    """Terminal: the segment applies to visitors only, whose membership is never stored."""


class MagentoCustomersegmentSegment(Model):
    """`magento_customersegment_segment`: one segment and its JSON condition tree."""

    segment_id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255)
    description = fields.TextField(null=True)
    is_active = fields.BooleanField(db_default=True)
    conditions_serialized = fields.TextField(null=True)
    processing_frequency = fields.IntField(db_default=1)
    condition_sql = fields.TextField(null=True)
    apply_to = fields.IntEnumField(ApplyTo, db_default=ApplyTo.BOTH)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    refresh_status = fields.CharEnumField(
        RefreshStatus, max_length=16, db_default=RefreshStatus.NEVER
    )
    refresh_queued_at = fields.DatetimeField(null=True)
    refresh_started_at = fields.DatetimeField(null=True)
    refresh_finished_at = fields.DatetimeField(null=True)
    refresh_duration_ms = fields.IntField(null=True)
    refresh_error = fields.TextField(null=True)
    refresh_owner = fields.CharField(max_length=64, null=True)
    matched_count = fields.IntField(null=True)

    class Meta:
        table = "magento_customersegment_segment"


class MagentoCustomersegmentWebsite(Model):
    """`magento_customersegment_website`: the websites a segment is assigned to."""

    id = fields.IntField(primary_key=True)
    segment: fields.ForeignKeyRelation[MagentoCustomersegmentSegment] = fields.ForeignKeyField(
        "models.MagentoCustomersegmentSegment", related_name="websites", on_delete=fields.CASCADE
    )
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="segments", on_delete=fields.CASCADE
    )

    class Meta:
        table = "magento_customersegment_website"
        unique_together = (("segment", "website"),)


class MagentoCustomersegmentCustomer(Model):
    """`magento_customersegment_customer`: materialized membership of registered customers."""

    id = fields.BigIntField(primary_key=True)
    segment: fields.ForeignKeyRelation[MagentoCustomersegmentSegment] = fields.ForeignKeyField(
        "models.MagentoCustomersegmentSegment", related_name="members", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="segment_memberships", on_delete=fields.CASCADE
    )
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="segment_memberships", on_delete=fields.CASCADE
    )
    added_date = fields.DatetimeField()
    updated_date = fields.DatetimeField()

    class Meta:
        table = "magento_customersegment_customer"
        unique_together = (("segment", "website", "customer"),)
        indexes = (("customer_id", "website_id"),)


class MagentoCustomersegmentEvent(Model):
    """`magento_customersegment_event`: the events whose data a segment's conditions read."""

    id = fields.IntField(primary_key=True)
    segment: fields.ForeignKeyRelation[MagentoCustomersegmentSegment] = fields.ForeignKeyField(
        "models.MagentoCustomersegmentSegment", related_name="events", on_delete=fields.CASCADE
    )
    event = fields.CharField(max_length=255, db_index=True)

    class Meta:
        table = "magento_customersegment_event"
        unique_together = (("segment", "event"),)
