"""Reward points: Adobe Commerce's `magento_reward`, `magento_reward_history` and
`magento_reward_rate` (`Magento_Reward`)."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.customers import CustomerEntity
    from models.stores import Store, StoreWebsite


class RewardAction(IntEnum):
    """`magento_reward_history.action`: Magento's `Reward::REWARD_ACTION_*` (there is no 7)."""

    ADMIN = 0
    ORDER = 1
    REGISTER = 2
    NEWSLETTER = 3
    INVITATION_CUSTOMER = 4
    INVITATION_ORDER = 5
    REVIEW = 6
    ORDER_EXTRA = 8
    CREDITMEMO = 9
    SALESRULE = 10
    REVERT = 11
    CREDITMEMO_VOID = 12


class RateDirection(IntEnum):
    """`magento_reward_rate.direction`: 1 points to currency (spending), 2 currency to points
    (earning)."""

    TO_CURRENCY = 1
    TO_POINTS = 2


class MagentoReward(Model):
    """`magento_reward`: one points balance per customer and website."""

    reward_id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="rewards", on_delete=fields.CASCADE
    )
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="rewards", on_delete=fields.CASCADE
    )
    points_balance = fields.IntField(db_default=0)
    website_currency_code = fields.CharField(max_length=3, null=True)

    class Meta:
        table = "magento_reward"
        unique_together = (("customer", "website"),)


class MagentoRewardHistory(Model):
    """`magento_reward_history`: every change of a balance, its FIFO use and its expiry (an
    expired row is followed by a duplicate with `is_duplicate_of`, hidden from customers)."""

    history_id = fields.IntField(primary_key=True)
    reward: fields.ForeignKeyRelation[MagentoReward] = fields.ForeignKeyField(
        "models.MagentoReward", related_name="history", on_delete=fields.CASCADE
    )
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="reward_history", on_delete=fields.CASCADE
    )
    store: fields.ForeignKeyNullableRelation[Store] = fields.ForeignKeyField(
        "models.Store", related_name="reward_history", null=True, on_delete=fields.SET_NULL
    )
    action = fields.IntEnumField(RewardAction)
    entity = fields.IntField(null=True)
    points_balance = fields.IntField(db_default=0)
    points_delta = fields.IntField(db_default=0)
    points_used = fields.IntField(db_default=0)
    points_voided = fields.IntField(db_default=0)
    currency_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    currency_delta = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_currency_code = fields.CharField(max_length=5)
    additional_data = fields.TextField()
    comment = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    expired_at_static = fields.DatetimeField(null=True)
    expired_at_dynamic = fields.DatetimeField(null=True)
    is_expired = fields.BooleanField(db_default=False)
    is_duplicate_of = fields.IntField(null=True)
    notification_sent = fields.BooleanField(db_default=False)

    class Meta:
        table = "magento_reward_history"
        indexes = (("reward_id", "history_id"), ("entity",), ("website_id", "is_expired"))


class MagentoRewardRate(Model):
    """`magento_reward_rate`: an exchange rate for a website (0: all) and customer group (0:
    all), in one direction."""

    rate_id = fields.IntField(primary_key=True)
    website_id = fields.SmallIntField(db_default=0)
    customer_group_id = fields.IntField(db_default=0)
    direction = fields.IntEnumField(RateDirection, db_default=RateDirection.TO_CURRENCY)
    points = fields.IntField(db_default=0)
    currency_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)

    class Meta:
        table = "magento_reward_rate"
        unique_together = (("website_id", "customer_group_id", "direction"),)
