"""Category permissions: Adobe Commerce's `magento_catalogpermissions`."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.catalog import CatalogCategoryEntity


class Grant(IntEnum):
    """`Magento\\CatalogPermissions\\Model\\Permission::PERMISSION_*`."""

    ALLOW = -1
    DENY = -2
    PARENT = 0


class MagentoCatalogpermissions(Model):
    """`magento_catalogpermissions`: what one customer group (NULL: all) may do in one category
    on one website (NULL: all): browse it, see prices, add to cart."""

    permission_id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[CatalogCategoryEntity] = fields.ForeignKeyField(
        "models.CatalogCategoryEntity", related_name="permissions", on_delete=fields.CASCADE
    )
    website_id = fields.SmallIntField(null=True)
    customer_group_id = fields.IntField(null=True)
    grant_catalog_category_view = fields.IntEnumField(Grant, db_default=Grant.PARENT)
    grant_catalog_product_price = fields.IntEnumField(Grant, db_default=Grant.PARENT)
    grant_checkout_items = fields.IntEnumField(Grant, db_default=Grant.PARENT)

    class Meta:
        table = "magento_catalogpermissions"
        unique_together = (("category", "website_id", "customer_group_id"),)
