"""Access tokens: Magento's `integration` and `oauth_token`, with tokens stored only as hashes."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.customers import CustomerEntity


class UserType(IntEnum):
    """Magento's `UserContextInterface::USER_TYPE_*`."""

    INTEGRATION = 1
    ADMIN = 2
    CUSTOMER = 3
    GUEST = 4


class Integration(Model):
    """`integration`: a named admin API client whose tokens carry admin rights."""

    integration_id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255, unique=True)
    status = fields.SmallIntField(db_default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "integration"


class OauthToken(Model):
    """`oauth_token`. Only the SHA-256 of a token is stored, the token itself is shown once."""

    entity_id = fields.IntField(primary_key=True)
    user_type = fields.IntEnumField(UserType)
    customer: fields.ForeignKeyNullableRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="tokens", null=True, on_delete=fields.CASCADE
    )
    integration: fields.ForeignKeyNullableRelation[Integration] = fields.ForeignKeyField(
        "models.Integration", related_name="tokens", null=True, on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    revoked = fields.BooleanField(db_default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(null=True)

    class Meta:
        table = "oauth_token"
        indexes = (("customer_id",),)
