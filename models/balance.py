"""Store credit: Adobe Commerce's `magento_customerbalance` and its history."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.customers import CustomerEntity
    from models.stores import StoreWebsite


class BalanceAction(IntEnum):
    """`magento_customerbalance_history.action` values from Adobe Commerce."""

    UPDATED = 1
    CREATED = 2
    USED = 3
    REFUNDED = 4
    REVERTED = 5


class MagentoCustomerbalance(Model):
    """`magento_customerbalance`: one store-credit balance per customer and website."""

    balance_id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="balances", on_delete=fields.CASCADE
    )
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="balances", on_delete=fields.CASCADE
    )
    amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_currency_code = fields.CharField(max_length=3, null=True)

    class Meta:
        table = "magento_customerbalance"
        unique_together = (("customer", "website"),)


class MagentoCustomerbalanceHistory(Model):
    """`magento_customerbalance_history`: every change to a balance, with its delta."""

    history_id = fields.IntField(primary_key=True)
    balance: fields.ForeignKeyRelation[MagentoCustomerbalance] = fields.ForeignKeyField(
        "models.MagentoCustomerbalance", related_name="history", on_delete=fields.CASCADE
    )
    updated_at = fields.DatetimeField(auto_now_add=True)
    action = fields.IntEnumField(BalanceAction)
    balance_amount = fields.DecimalField(max_digits=20, decimal_places=4)
    balance_delta = fields.DecimalField(max_digits=20, decimal_places=4)
    additional_info = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "magento_customerbalance_history"
        indexes = (("balance_id",),)
