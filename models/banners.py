"""Dynamic blocks: Adobe Commerce's `magento_banner` tables (the storefront's `dynamicBlocks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.pricing import Catalogrule
    from models.salesrules import Salesrule
    from models.segments import MagentoCustomersegmentSegment
    from models.stores import Store


class MagentoBanner(Model):
    """`magento_banner`: a dynamic block. `types` lists the locations it may show in, comma
    separated (content, header, footer, leftcolumn, rightcolumn), empty for any."""

    banner_id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255)
    is_enabled = fields.BooleanField(db_default=True)
    types = fields.CharField(max_length=255, null=True)
    sort_order = fields.IntField(db_default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "magento_banner"


class MagentoBannerContent(Model):
    """`magento_banner_content`: a block's HTML for one store view (store 0: the default)."""

    id = fields.IntField(primary_key=True)
    banner: fields.ForeignKeyRelation[MagentoBanner] = fields.ForeignKeyField(
        "models.MagentoBanner", related_name="contents", on_delete=fields.CASCADE
    )
    store: fields.ForeignKeyRelation[Store] = fields.ForeignKeyField(
        "models.Store", related_name="banner_contents", on_delete=fields.CASCADE
    )
    banner_content = fields.TextField(null=True)

    class Meta:
        table = "magento_banner_content"
        unique_together = (("banner", "store"),)


class MagentoBannerSalesrule(Model):
    """`magento_banner_salesrule`: a block shown while a cart rule applies to the cart."""

    id = fields.IntField(primary_key=True)
    banner: fields.ForeignKeyRelation[MagentoBanner] = fields.ForeignKeyField(
        "models.MagentoBanner", related_name="cart_rules", on_delete=fields.CASCADE
    )
    rule: fields.ForeignKeyRelation[Salesrule] = fields.ForeignKeyField(
        "models.Salesrule", related_name="banners", on_delete=fields.CASCADE
    )

    class Meta:
        table = "magento_banner_salesrule"
        unique_together = (("banner", "rule"),)
        indexes = (("rule_id",),)


class MagentoBannerCatalogrule(Model):
    """`magento_banner_catalogrule`: a block shown while a catalog rule applies for the shopper."""

    id = fields.IntField(primary_key=True)
    banner: fields.ForeignKeyRelation[MagentoBanner] = fields.ForeignKeyField(
        "models.MagentoBanner", related_name="catalog_rules", on_delete=fields.CASCADE
    )
    rule: fields.ForeignKeyRelation[Catalogrule] = fields.ForeignKeyField(
        "models.Catalogrule", related_name="banners", on_delete=fields.CASCADE
    )

    class Meta:
        table = "magento_banner_catalogrule"
        unique_together = (("banner", "rule"),)
        indexes = (("rule_id",),)


class MagentoBannerCustomersegment(Model):
    """`magento_banner_customersegment`: the segments a block is restricted to (none: everyone)."""

    id = fields.IntField(primary_key=True)
    banner: fields.ForeignKeyRelation[MagentoBanner] = fields.ForeignKeyField(
        "models.MagentoBanner", related_name="segments", on_delete=fields.CASCADE
    )
    segment: fields.ForeignKeyRelation[MagentoCustomersegmentSegment] = fields.ForeignKeyField(
        "models.MagentoCustomersegmentSegment", related_name="banners", on_delete=fields.CASCADE
    )

    class Meta:
        table = "magento_banner_customersegment"
        unique_together = (("banner", "segment"),)
        indexes = (("segment_id",),)
