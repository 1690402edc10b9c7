"""Carts: Magento's `quote`, `quote_item`, `quote_address` and `quote_id_mask`.

Amounts are decimal(20,4) as in Magento; totals are stored on the quote so that segment conditions
on cart totals read columns, not recomputations."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.catalog import CatalogProductEntity
    from models.customers import CustomerEntity
    from models.stores import Store
    from models.visitors import CustomerVisitor


class AddressType(StrEnum):
    BILLING = "billing"
    SHIPPING = "shipping"


class Quote(Model):
    """`quote`: a guest or customer cart, active until it becomes an order."""

    entity_id = fields.IntField(primary_key=True)
    store: fields.ForeignKeyRelation[Store] = fields.ForeignKeyField(
        "models.Store", related_name="quotes", on_delete=fields.CASCADE
    )
    customer: fields.ForeignKeyNullableRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="quotes", null=True, on_delete=fields.CASCADE
    )
    visitor: fields.ForeignKeyNullableRelation[CustomerVisitor] = fields.ForeignKeyField(
        "models.CustomerVisitor", related_name="quotes", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    converted_at = fields.DatetimeField(null=True)
    is_active = fields.BooleanField(db_default=True)
    is_virtual = fields.BooleanField(db_default=False)
    items_count = fields.IntField(db_default=0)
    items_qty = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    customer_email = fields.CharField(max_length=255, null=True)
    customer_group_id = fields.IntField(db_default=0)
    customer_tax_class_id = fields.IntField(null=True)
    customer_is_guest = fields.BooleanField(db_default=True)
    base_currency_code = fields.CharField(max_length=3, null=True)
    quote_currency_code = fields.CharField(max_length=3, null=True)
    subtotal = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_subtotal = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    subtotal_with_discount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_subtotal_with_discount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    shipping_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    grand_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_grand_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    reserved_order_id = fields.CharField(max_length=64, null=True)
    payment_method = fields.CharField(max_length=255, null=True)
    coupon_code = fields.CharField(max_length=255, null=True)
    applied_rule_ids = fields.CharField(max_length=255, null=True)
    gift_message_id = fields.IntField(null=True)
    discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    # Reward points (Magento_Reward) and store credit (Magento_CustomerBalance) used by the cart:
    # the flags say the customer asked for them, the amounts are what the last totals took.
    use_reward_points = fields.BooleanField(db_default=False)
    reward_points_balance = fields.IntField(db_default=0)
    reward_currency_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_reward_currency_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    use_customer_balance = fields.BooleanField(db_default=False)
    customer_balance_amount_used = fields.DecimalField(
        max_digits=20, decimal_places=4, db_default=0
    )
    base_customer_bal_amount_used = fields.DecimalField(
        max_digits=20, decimal_places=4, db_default=0
    )

    class Meta:
        table = "quote"
        indexes = (("customer_id", "is_active"), ("visitor_id",), ("updated_at",))


class QuoteIdMask(Model):
    """`quote_id_mask`: the 32-character id a guest cart is known by."""

    entity_id = fields.IntField(primary_key=True)
    quote: fields.OneToOneRelation[Quote] = fields.OneToOneField(
        "models.Quote", related_name="mask", on_delete=fields.CASCADE
    )
    masked_id = fields.CharField(max_length=32, unique=True)

    class Meta:
        table = "quote_id_mask"


class QuoteItem(Model):
    """`quote_item`: one product line of a cart, with its prices at the cart's last totals. A
    configurable line is two rows as in Magento, the parent (product_type configurable, the
    child's sku, the prices) and the chosen variant with `parent_item_id`."""

    item_id = fields.IntField(primary_key=True)
    quote: fields.ForeignKeyRelation[Quote] = fields.ForeignKeyField(
        "models.Quote", related_name="items", on_delete=fields.CASCADE
    )
    product: fields.ForeignKeyNullableRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity",
        related_name="quote_items",
        null=True,
        on_delete=fields.SET_NULL,
    )
    parent_item: fields.ForeignKeyNullableRelation[QuoteItem] = fields.ForeignKeyField(
        "models.QuoteItem", related_name="children", null=True, on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    product_type = fields.CharField(max_length=32, null=True)
    sku = fields.CharField(max_length=64)
    name = fields.CharField(max_length=255, null=True)
    qty = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    weight = fields.DecimalField(max_digits=12, decimal_places=4, null=True)
    row_weight = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    price = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_price = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    original_price = fields.DecimalField(max_digits=20, decimal_places=4, null=True)
    price_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, null=True)
    row_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_row_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    row_total_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, null=True)
    tax_percent = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_percent = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    applied_rule_ids = fields.TextField(null=True)
    free_shipping = fields.BooleanField(db_default=False)

    class Meta:
        table = "quote_item"
        indexes = (("product_id",), ("quote_id",))


class QuoteAddress(Model):
    """`quote_address`: a cart's billing or shipping address, with its shipping method."""

    address_id = fields.IntField(primary_key=True)
    quote: fields.ForeignKeyRelation[Quote] = fields.ForeignKeyField(
        "models.Quote", related_name="addresses", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    customer_address_id = fields.IntField(null=True)
    address_type = fields.CharEnumField(AddressType, max_length=10)
    same_as_billing = fields.BooleanField(db_default=False)
    email = fields.CharField(max_length=255, null=True)
    prefix = fields.CharField(max_length=40, null=True)
    firstname = fields.CharField(max_length=255, null=True)
    middlename = fields.CharField(max_length=255, null=True)
    lastname = fields.CharField(max_length=255, null=True)
    suffix = fields.CharField(max_length=40, null=True)
    company = fields.CharField(max_length=255, null=True)
    street = fields.TextField(null=True)
    city = fields.CharField(max_length=255, null=True)
    region = fields.CharField(max_length=255, null=True)
    region_id = fields.IntField(null=True)
    postcode = fields.CharField(max_length=20, null=True)
    country_id = fields.CharField(max_length=2, null=True)
    telephone = fields.CharField(max_length=255, null=True)
    fax = fields.CharField(max_length=255, null=True)
    vat_id = fields.CharField(max_length=255, null=True)
    shipping_method = fields.CharField(max_length=120, null=True)
    shipping_description = fields.CharField(max_length=255, null=True)
    shipping_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    weight = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    shipping_discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_discount_amount = fields.DecimalField(
        max_digits=20, decimal_places=4, db_default=0
    )
    discount_description = fields.TextField(null=True)
    applied_rule_ids = fields.TextField(null=True)
    free_shipping = fields.BooleanField(db_default=False)

    class Meta:
        table = "quote_address"
        indexes = (("quote_id",),)
