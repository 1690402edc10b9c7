"""Newsletter subscriptions: Magento's `newsletter_subscriber`."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.customers import CustomerEntity
    from models.stores import Store


class SubscriberStatus(IntEnum):
    """Magento's `Subscriber::STATUS_*` values."""

    SUBSCRIBED = 1
    NOT_ACTIVE = 2
    UNSUBSCRIBED = 3
    UNCONFIRMED = 4


class NewsletterSubscriber(Model):
    """`newsletter_subscriber`. Guests have no customer (Magento stores customer_id 0)."""

    subscriber_id = fields.IntField(primary_key=True)
    store: fields.ForeignKeyRelation[Store] = fields.ForeignKeyField(
        "models.Store", related_name="subscribers", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyNullableRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="subscriptions", null=True, on_delete=fields.CASCADE
    )
    change_status_at = fields.DatetimeField(null=True)
    subscriber_email = fields.CharField(max_length=150)
    subscriber_status = fields.IntEnumField(
        SubscriberStatus, db_default=SubscriberStatus.NOT_ACTIVE
    )
    subscriber_confirm_code = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "newsletter_subscriber"
        indexes = (("customer_id",),)
        unique_together = (("subscriber_email", "store"),)
