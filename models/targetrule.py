"""Product relations: Magento Open Source's manual product links (`catalog_product_link*`) and
Adobe Commerce's related product rules (`magento_targetrule*`, `Magento_TargetRule`)."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.catalog import CatalogProductEntity
    from models.segments import MagentoCustomersegmentSegment


class LinkType(IntEnum):
    """`catalog_product_link_type.link_type_id` as Magento installs them (3, `super`, is the old
    grouped-product link and not kept here)."""

    RELATED = 1
    UP_SELL = 4
    CROSS_SELL = 5


class ApplyTo(IntEnum):
    """`magento_targetrule.apply_to` (`TargetRule\\Model\\Rule::RELATED_PRODUCTS` ...)."""

    RELATED = 1
    UP_SELLS = 2
    CROSS_SELLS = 3


class CatalogProductLinkType(Model):
    """`catalog_product_link_type`: relation, up_sell, cross_sell."""

    link_type_id = fields.SmallIntField(primary_key=True)
    code = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "catalog_product_link_type"


class CatalogProductLinkAttribute(Model):
    """`catalog_product_link_attribute`: the attributes a link type carries (`position`)."""

    product_link_attribute_id = fields.SmallIntField(primary_key=True)
    link_type: fields.ForeignKeyRelation[CatalogProductLinkType] = fields.ForeignKeyField(
        "models.CatalogProductLinkType", related_name="attributes", on_delete=fields.CASCADE
    )
    product_link_attribute_code = fields.CharField(max_length=32, null=True)
    data_type = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "catalog_product_link_attribute"
        indexes = (("link_type_id",),)


class CatalogProductLink(Model):
    """`catalog_product_link`: product `product_id` shows `linked_product_id` in the list of
    `link_type_id`."""

    link_id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="product_links_out", on_delete=fields.CASCADE
    )
    linked_product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="product_links_in", on_delete=fields.CASCADE
    )
    link_type: fields.ForeignKeyRelation[CatalogProductLinkType] = fields.ForeignKeyField(
        "models.CatalogProductLinkType", related_name="links", on_delete=fields.CASCADE
    )

    class Meta:
        table = "catalog_product_link"
        unique_together = (("link_type", "product", "linked_product"),)
        indexes = (("product_id",), ("linked_product_id",))


class CatalogProductLinkAttributeInt(Model):
    """`catalog_product_link_attribute_int`: a link's integer attribute values (its position)."""

    value_id = fields.IntField(primary_key=True)
    product_link_attribute: fields.ForeignKeyRelation[CatalogProductLinkAttribute] = (
        fields.ForeignKeyField(
            "models.CatalogProductLinkAttribute",
            related_name="int_values",
            on_delete=fields.CASCADE,
        )
    )
    link: fields.ForeignKeyRelation[CatalogProductLink] = fields.ForeignKeyField(
        "models.CatalogProductLink", related_name="int_values", on_delete=fields.CASCADE
    )
    value = fields.IntField(db_default=0)

    class Meta:
        table = "catalog_product_link_attribute_int"
        unique_together = (("product_link_attribute", "link"),)
        indexes = (("link_id",),)


class MagentoTargetrule(Model):
    """`magento_targetrule`: a related product rule. `conditions_serialized` (products to match)
    and `actions_serialized` (products to display) are Magento's JSON trees, `positions_limit`
    0 means 20, and a lower `sort_order` is a higher priority."""

    rule_id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255, null=True)
    from_date = fields.DateField(null=True)
    to_date = fields.DateField(null=True)
    is_active = fields.BooleanField(db_default=False)
    conditions_serialized = fields.TextField(null=True)
    actions_serialized = fields.TextField(null=True)
    positions_limit = fields.IntField(db_default=0)
    apply_to = fields.IntEnumField(ApplyTo, db_default=ApplyTo.RELATED)
    sort_order = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "magento_targetrule"
        indexes = (("is_active",), ("apply_to",), ("sort_order",), ("from_date", "to_date"))


class MagentoTargetruleCustomersegment(Model):
    """`magento_targetrule_customersegment`: the segments a rule is shown to (no rows: All)."""

    id = fields.IntField(primary_key=True)
    rule: fields.ForeignKeyRelation[MagentoTargetrule] = fields.ForeignKeyField(
        "models.MagentoTargetrule", related_name="segments", on_delete=fields.CASCADE
    )
    segment: fields.ForeignKeyRelation[MagentoCustomersegmentSegment] = fields.ForeignKeyField(
        "models.MagentoCustomersegmentSegment",
        related_name="target_rules",
        on_delete=fields.CASCADE,
    )

    class Meta:
        table = "magento_targetrule_customersegment"
        unique_together = (("rule", "segment"),)
        indexes = (("segment_id",),)


class MagentoTargetruleProduct(Model):
    """`magento_targetrule_product`: the "products to match" index, which products a rule
    applies to (kept by rule and product saves and the CLI reindex)."""

    id = fields.IntField(primary_key=True)
    rule: fields.ForeignKeyRelation[MagentoTargetrule] = fields.ForeignKeyField(
        "models.MagentoTargetrule", related_name="matched_products", on_delete=fields.CASCADE
    )
    product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="target_rules", on_delete=fields.CASCADE
    )

    class Meta:
        table = "magento_targetrule_product"
        unique_together = (("rule", "product"),)
        indexes = (("product_id",),)
