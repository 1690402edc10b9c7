"""Cart price rules: Magento's `salesrule` and its website, group, coupon, usage and label tables,
and the coupons applied to a cart."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.customers import CustomerEntity
    from models.groups import CustomerGroup
    from models.quotes import Quote
    from models.stores import Store, StoreWebsite


class CouponType(IntEnum):
    """`salesrule.coupon_type` (`Model/Rule::COUPON_TYPE_*`)."""

    NO_COUPON = 1
    SPECIFIC_COUPON = 2
    AUTO = 3


class CartRuleAction(StrEnum):
    """`salesrule.simple_action`."""

    BY_PERCENT = "by_percent"
    BY_FIXED = "by_fixed"
    CART_FIXED = "cart_fixed"
    BUY_X_GET_Y = "buy_x_get_y"


class FreeShipping(IntEnum):
    """`salesrule.simple_free_shipping` (`Magento_OfflineShipping`)."""

    NONE = 0
    MATCHING_ITEMS_ONLY = 1
    FREE_WITH_MATCHING_ITEMS = 2


class CouponCreationType(IntEnum):
    """`salesrule_coupon.type`: 0 entered by the merchant, 1 generated."""

    MANUAL = 0
    GENERATED = 1


class Salesrule(Model):
    """`salesrule`: a cart price rule. `conditions_serialized` and `actions_serialized` are
    Magento's JSON condition trees (the cart conditions and the item filter of the actions)."""

    rule_id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255)
    description = fields.TextField(null=True)
    from_date = fields.DateField(null=True)
    to_date = fields.DateField(null=True)
    uses_per_customer = fields.IntField(db_default=0)
    is_active = fields.BooleanField(db_default=False)
    conditions_serialized = fields.TextField(null=True)
    actions_serialized = fields.TextField(null=True)
    stop_rules_processing = fields.BooleanField(db_default=True)
    is_advanced = fields.BooleanField(db_default=True)
    product_ids = fields.TextField(null=True)
    sort_order = fields.IntField(db_default=0)
    simple_action = fields.CharEnumField(
        CartRuleAction, max_length=32, db_default=CartRuleAction.BY_PERCENT
    )
    discount_amount = fields.DecimalField(max_digits=20, decimal_places=6, db_default=0)
    discount_qty = fields.DecimalField(max_digits=12, decimal_places=4, null=True)
    discount_step = fields.IntField(db_default=0)
    apply_to_shipping = fields.BooleanField(db_default=False)
    times_used = fields.IntField(db_default=0)
    is_rss = fields.BooleanField(db_default=True)
    coupon_type = fields.IntEnumField(CouponType, db_default=CouponType.NO_COUPON)
    use_auto_generation = fields.BooleanField(db_default=False)
    uses_per_coupon = fields.IntField(db_default=0)
    simple_free_shipping = fields.IntEnumField(FreeShipping, db_default=FreeShipping.NONE)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "salesrule"
        indexes = (("is_active", "sort_order", "to_date", "from_date"),)


class SalesruleWebsite(Model):
    """`salesrule_website`: the websites a cart rule applies on."""

    id = fields.IntField(primary_key=True)
    rule: fields.ForeignKeyRelation[Salesrule] = fields.ForeignKeyField(
        "models.Salesrule", related_name="websites", on_delete=fields.CASCADE
    )
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="cart_rules", on_delete=fields.CASCADE
    )

    class Meta:
        table = "salesrule_website"
        unique_together = (("rule", "website"),)
        indexes = (("website_id",),)


class SalesruleCustomerGroup(Model):
    """`salesrule_customer_group`: the customer groups a cart rule applies to."""

    id = fields.IntField(primary_key=True)
    rule: fields.ForeignKeyRelation[Salesrule] = fields.ForeignKeyField(
        "models.Salesrule", related_name="customer_groups", on_delete=fields.CASCADE
    )
    customer_group: fields.ForeignKeyRelation[CustomerGroup] = fields.ForeignKeyField(
        "models.CustomerGroup", related_name="cart_rules", on_delete=fields.CASCADE
    )

    class Meta:
        table = "salesrule_customer_group"
        unique_together = (("rule", "customer_group"),)
        indexes = (("customer_group_id",),)


class SalesruleCoupon(Model):
    """`salesrule_coupon`: a code of a coupon rule. `usage_limit` and `usage_per_customer` of 0
    (or NULL) mean unlimited, `expiration_date` ends the code's use."""

    coupon_id = fields.IntField(primary_key=True)
    rule: fields.ForeignKeyRelation[Salesrule] = fields.ForeignKeyField(
        "models.Salesrule", related_name="coupons", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=255, unique=True)
    usage_limit = fields.IntField(null=True)
    usage_per_customer = fields.IntField(null=True)
    times_used = fields.IntField(db_default=0)
    expiration_date = fields.DatetimeField(null=True)
    is_primary = fields.BooleanField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    type = fields.IntEnumField(CouponCreationType, db_default=CouponCreationType.MANUAL)
    generated_by_dotdigital = fields.BooleanField(db_default=False)

    class Meta:
        table = "salesrule_coupon"
        indexes = (("rule_id", "is_primary"),)


class SalesruleCouponUsage(Model):
    """`salesrule_coupon_usage`: how many orders a customer placed with a coupon."""

    id = fields.IntField(primary_key=True)
    coupon: fields.ForeignKeyRelation[SalesruleCoupon] = fields.ForeignKeyField(
        "models.SalesruleCoupon", related_name="usages", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="coupon_usages", on_delete=fields.CASCADE
    )
    times_used = fields.IntField(db_default=0)

    class Meta:
        table = "salesrule_coupon_usage"
        unique_together = (("coupon", "customer"),)
        indexes = (("customer_id",),)


class SalesruleCustomer(Model):
    """`salesrule_customer`: how many orders a customer placed that a rule discounted."""

    rule_customer_id = fields.IntField(primary_key=True)
    rule: fields.ForeignKeyRelation[Salesrule] = fields.ForeignKeyField(
        "models.Salesrule", related_name="customer_usages", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="rule_usages", on_delete=fields.CASCADE
    )
    times_used = fields.IntField(db_default=0)

    class Meta:
        table = "salesrule_customer"
        unique_together = (("rule", "customer"),)
        indexes = (("customer_id",),)


class SalesruleLabel(Model):
    """`salesrule_label`: the label a rule's discount shows in one store view (store 0: all)."""

    label_id = fields.IntField(primary_key=True)
    rule: fields.ForeignKeyRelation[Salesrule] = fields.ForeignKeyField(
        "models.Salesrule", related_name="labels", on_delete=fields.CASCADE
    )
    store: fields.ForeignKeyRelation[Store] = fields.ForeignKeyField(
        "models.Store", related_name="cart_rule_labels", on_delete=fields.CASCADE
    )
    label = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "salesrule_label"
        unique_together = (("rule", "store"),)
        indexes = (("store_id",),)


class QuoteCoupon(Model):
    """`mageseg_quote_coupon`: the coupon codes applied to a cart, in the order they were applied
    (Magento 2.4.7+ keeps several, `quote.coupon_code` holds the first)."""

    id = fields.IntField(primary_key=True)
    quote: fields.ForeignKeyRelation[Quote] = fields.ForeignKeyField(
        "models.Quote", related_name="coupons", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=255)
    position = fields.IntField(db_default=0)

    class Meta:
        table = "mageseg_quote_coupon"
        unique_together = (("quote", "code"),)
