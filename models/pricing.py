"""Prices by group and by rule: Magento's `catalog_product_entity_tier_price`, the catalog price
rules (`catalogrule*`) and their per-day price index."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.catalog import CatalogProductEntity
    from models.groups import CustomerGroup
    from models.stores import StoreWebsite


class CatalogRuleAction(StrEnum):
    """`catalogrule.simple_action` (`SimpleActionOptionsProvider`)."""

    BY_PERCENT = "by_percent"
    BY_FIXED = "by_fixed"
    TO_PERCENT = "to_percent"
    TO_FIXED = "to_fixed"


class CatalogProductEntityTierPrice(Model):
    """`catalog_product_entity_tier_price`: a tier or group price. `all_groups` = 1 is ALL GROUPS
    (customer_group_id is then 0 and ignored), website 0 is every website, and
    `percentage_value` (instead of `value`) is a discount in percent off the regular price."""

    value_id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="tier_prices", on_delete=fields.CASCADE
    )
    all_groups = fields.BooleanField(db_default=True)
    customer_group_id = fields.IntField(db_default=0)
    qty = fields.DecimalField(max_digits=12, decimal_places=4, db_default=1)
    value = fields.DecimalField(max_digits=20, decimal_places=6, db_default=0)
    website_id = fields.SmallIntField(db_default=0)
    percentage_value = fields.DecimalField(max_digits=5, decimal_places=2, null=True)

    class Meta:
        table = "catalog_product_entity_tier_price"
        unique_together = (("entity", "all_groups", "customer_group_id", "qty", "website_id"),)


class Catalogrule(Model):
    """`catalogrule`: a catalog price rule. `conditions_serialized` is Magento's JSON product
    condition tree, `to_date` is inclusive (23:59:59 in the website's timezone)."""

    rule_id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255)
    description = fields.TextField(null=True)
    from_date = fields.DateField(null=True)
    to_date = fields.DateField(null=True)
    is_active = fields.BooleanField(db_default=False)
    conditions_serialized = fields.TextField(null=True)
    actions_serialized = fields.TextField(null=True)
    stop_rules_processing = fields.BooleanField(db_default=True)
    sort_order = fields.IntField(db_default=0)
    simple_action = fields.CharEnumField(
        CatalogRuleAction, max_length=32, db_default=CatalogRuleAction.BY_PERCENT
    )
    discount_amount = fields.DecimalField(max_digits=20, decimal_places=6, db_default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "catalogrule"
        indexes = (("is_active", "sort_order"),)


class CatalogruleWebsite(Model):
    """`catalogrule_website`: the websites a catalog rule applies on."""

    id = fields.IntField(primary_key=True)
    rule: fields.ForeignKeyRelation[Catalogrule] = fields.ForeignKeyField(
        "models.Catalogrule", related_name="websites", on_delete=fields.CASCADE
    )
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="catalog_rules", on_delete=fields.CASCADE
    )

    class Meta:
        table = "catalogrule_website"
        unique_together = (("rule", "website"),)
        indexes = (("website_id",),)


class CatalogruleCustomerGroup(Model):
    """`catalogrule_customer_group`: the customer groups a catalog rule applies to."""

    id = fields.IntField(primary_key=True)
    rule: fields.ForeignKeyRelation[Catalogrule] = fields.ForeignKeyField(
        "models.Catalogrule", related_name="customer_groups", on_delete=fields.CASCADE
    )
    customer_group: fields.ForeignKeyRelation[CustomerGroup] = fields.ForeignKeyField(
        "models.CustomerGroup", related_name="catalog_rules", on_delete=fields.CASCADE
    )

    class Meta:
        table = "catalogrule_customer_group"
        unique_together = (("rule", "customer_group"),)
        indexes = (("customer_group_id",),)


class CatalogruleProduct(Model):
    """`catalogrule_product`: which active rule matches which product, per website and group, with
    the rule's dates and action copied so that prices are chained without reading the rules."""

    rule_product_id = fields.IntField(primary_key=True)
    rule: fields.ForeignKeyRelation[Catalogrule] = fields.ForeignKeyField(
        "models.Catalogrule", related_name="product_matches", on_delete=fields.CASCADE
    )
    from_date = fields.DateField(null=True)
    to_date = fields.DateField(null=True)
    customer_group_id = fields.IntField()
    product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="catalog_rule_matches", on_delete=fields.CASCADE
    )
    action_operator = fields.CharEnumField(CatalogRuleAction, max_length=32)
    action_amount = fields.DecimalField(max_digits=20, decimal_places=6)
    action_stop = fields.BooleanField(db_default=False)
    sort_order = fields.IntField(db_default=0)
    website_id = fields.SmallIntField()

    class Meta:
        table = "catalogrule_product"
        unique_together = (("rule", "product", "website_id", "customer_group_id"),)
        indexes = (("product_id", "website_id", "customer_group_id"),)


class CatalogruleProductPrice(Model):
    """`catalogrule_product_price`: the chained rule price of a product for one website, group
    and local day (yesterday, today and tomorrow in each website's timezone are kept), which
    listings join to filter and sort by the final price."""

    rule_product_price_id = fields.IntField(primary_key=True)
    rule_date = fields.DateField()
    customer_group_id = fields.IntField()
    product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="catalog_rule_prices", on_delete=fields.CASCADE
    )
    rule_price = fields.DecimalField(max_digits=20, decimal_places=6)
    website_id = fields.SmallIntField()
    latest_start_date = fields.DateField(null=True)
    earliest_end_date = fields.DateField(null=True)

    class Meta:
        table = "catalogrule_product_price"
        unique_together = (("rule_date", "website_id", "customer_group_id", "product"),)
        indexes = (("product_id", "website_id", "customer_group_id"),)


class CatalogruleIndexRun(Model):
    """`mageseg_catalogrule_index_run`: the last local date each website's rule prices were
    rebuilt for, so that one process per website and day moves the three-day window on."""

    id = fields.IntField(primary_key=True)
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.OneToOneField(
        "models.StoreWebsite", related_name="catalog_rule_index_run", on_delete=fields.CASCADE
    )
    last_local_date = fields.DateField()
    ran_at = fields.DatetimeField()

    class Meta:
        table = "mageseg_catalogrule_index_run"
