"""Magento_Security's `password_reset_request_event`: one row per accepted password reset
request, what the frequency and hourly limits count."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

# `request_type`: Magento's PasswordResetRequestEvent::CUSTOMER_PASSWORD_RESET_REQUEST.
CUSTOMER_PASSWORD_RESET_REQUEST = 0


class PasswordResetRequestEvent(Model):
    """`password_reset_request_event`. `account_reference` is the e-mail asked for."""

    id = fields.IntField(primary_key=True)
    request_type = fields.SmallIntField(db_default=CUSTOMER_PASSWORD_RESET_REQUEST)
    account_reference = fields.CharField(max_length=255, null=True)
    created_at = fields.DatetimeField()
    ip = fields.CharField(max_length=45)

    class Meta:
        table = "password_reset_request_event"
        indexes = (("account_reference",), ("created_at",), ("ip",))
