"""Visitors and what they viewed: Magento's `customer_visitor` and `report_viewed_product_index`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.catalog import CatalogProductEntity
    from models.customers import CustomerEntity
    from models.stores import Store


class CustomerVisitor(Model):
    """`customer_visitor`: a storefront visitor, a guest until it signs in as `customer`."""

    visitor_id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyNullableRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="visitors", null=True, on_delete=fields.SET_NULL
    )
    session_id = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_visit_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customer_visitor"
        indexes = (("customer_id",),)


class ReportViewedProductIndex(Model):
    """`report_viewed_product_index`: one row per viewer and product, `added_at` the last view."""

    index_id = fields.IntField(primary_key=True)
    visitor: fields.ForeignKeyNullableRelation[CustomerVisitor] = fields.ForeignKeyField(
        "models.CustomerVisitor", related_name="views", null=True, on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyNullableRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="views", null=True, on_delete=fields.CASCADE
    )
    product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="views", on_delete=fields.CASCADE
    )
    store: fields.ForeignKeyNullableRelation[Store] = fields.ForeignKeyField(
        "models.Store", related_name="views", null=True, on_delete=fields.SET_NULL
    )
    added_at = fields.DatetimeField()

    class Meta:
        table = "report_viewed_product_index"
        unique_together = (("visitor", "product"), ("customer", "product"))
        indexes = (("customer_id", "added_at"), ("product_id",))
