"""Orders: Magento's `sales_order`, `sales_order_item`, `sales_order_address`, payment, status
history, statuses with their states, and the increment-id sequence."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.quotes import AddressType

if TYPE_CHECKING:
    from models.catalog import CatalogProductEntity
    from models.customers import CustomerEntity
    from models.stores import Store


def _now() -> datetime:
    return datetime.now(UTC)


class OrderState(StrEnum):
    """Magento's `Sales\\Model\\Order::STATE_*`."""

    NEW = "new"
    PENDING_PAYMENT = "pending_payment"
    PROCESSING = "processing"
    COMPLETE = "complete"
    CLOSED = "closed"
    CANCELED = "canceled"
    HOLDED = "holded"
    PAYMENT_REVIEW = "payment_review"


class SalesOrderStatus(Model):
    """`sales_order_status`: a status code and its label."""

    status = fields.CharField(max_length=32, primary_key=True)
    label = fields.CharField(max_length=128)

    class Meta:
        table = "sales_order_status"


class SalesOrderStatusState(Model):
    """`sales_order_status_state`: which state a status belongs to."""

    id = fields.IntField(primary_key=True)
    status: fields.ForeignKeyRelation[SalesOrderStatus] = fields.ForeignKeyField(
        "models.SalesOrderStatus", related_name="states", on_delete=fields.CASCADE
    )
    state = fields.CharEnumField(OrderState, max_length=32)
    is_default = fields.BooleanField(db_default=False)
    visible_on_front = fields.BooleanField(db_default=True)

    class Meta:
        table = "sales_order_status_state"
        unique_together = (("status", "state"),)


class SequenceOrder(Model):
    """`sequence_order_1`-like: each row reserves the next order increment id."""

    sequence_value = fields.IntField(primary_key=True)

    class Meta:
        table = "sequence_order"


class SalesOrder(Model):
    """`sales_order`. `created_at` is settable so that imported history keeps its dates."""

    entity_id = fields.IntField(primary_key=True)
    increment_id = fields.CharField(max_length=50, unique=True)
    state = fields.CharEnumField(OrderState, max_length=32)
    status = fields.CharField(max_length=32)
    store: fields.ForeignKeyNullableRelation[Store] = fields.ForeignKeyField(
        "models.Store", related_name="orders", null=True, on_delete=fields.SET_NULL
    )
    customer: fields.ForeignKeyNullableRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="orders", null=True, on_delete=fields.SET_NULL
    )
    quote_id = fields.IntField(null=True)
    gift_message_id = fields.IntField(null=True)
    customer_email = fields.CharField(max_length=128, null=True)
    customer_firstname = fields.CharField(max_length=128, null=True)
    customer_lastname = fields.CharField(max_length=128, null=True)
    customer_group_id = fields.IntField(null=True)
    customer_is_guest = fields.BooleanField(db_default=False)
    base_currency_code = fields.CharField(max_length=3, null=True)
    order_currency_code = fields.CharField(max_length=3, null=True)
    base_subtotal = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    subtotal = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    shipping_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_grand_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    grand_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    total_qty_ordered = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    total_item_count = fields.IntField(db_default=0)
    shipping_method = fields.CharField(max_length=120, null=True)
    shipping_description = fields.CharField(max_length=255, null=True)
    coupon_code = fields.CharField(max_length=255, null=True)
    applied_rule_ids = fields.CharField(max_length=128, null=True)
    discount_description = fields.CharField(max_length=255, null=True)
    shipping_discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_discount_amount = fields.DecimalField(
        max_digits=20, decimal_places=4, db_default=0
    )
    # Reward points spent on the order and given back (Magento_Reward's columns).
    reward_points_balance = fields.IntField(db_default=0)
    reward_currency_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_reward_currency_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    reward_points_balance_refund = fields.IntField(db_default=0)
    rwrd_crrncy_amnt_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_rwrd_crrncy_amnt_refnded = fields.DecimalField(
        max_digits=20, decimal_places=4, db_default=0
    )
    # Store credit spent on the order and given back (Magento_CustomerBalance's columns).
    customer_balance_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_customer_balance_amount = fields.DecimalField(
        max_digits=20, decimal_places=4, db_default=0
    )
    customer_balance_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_customer_balance_refunded = fields.DecimalField(
        max_digits=20, decimal_places=4, db_default=0
    )
    # What the order's invoices and credit memos add up to (Magento's `*_invoiced`, `*_refunded`,
    # `total_paid`: offline payment methods are paid when invoiced).
    base_total_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    total_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_total_paid = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    total_paid = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_total_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    total_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_total_offline_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    total_offline_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_subtotal_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    subtotal_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_subtotal_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    subtotal_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    tax_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    tax_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    shipping_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    shipping_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_adjustment_positive = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    adjustment_positive = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_adjustment_negative = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    adjustment_negative = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    created_at = fields.DatetimeField(default=_now)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "sales_order"
        indexes = (("customer_id", "created_at"), ("created_at", "status"))


class SalesOrderItem(Model):
    """`sales_order_item`: a product line as ordered (sku and name copied at order time). A
    configurable line is a parent row (product_type configurable, prices, `product_options`
    JSON with the chosen attributes) and a child row with `parent_item_id`, as Magento."""

    item_id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[SalesOrder] = fields.ForeignKeyField(
        "models.SalesOrder", related_name="items", on_delete=fields.CASCADE
    )
    product: fields.ForeignKeyNullableRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity",
        related_name="order_items",
        null=True,
        on_delete=fields.SET_NULL,
    )
    parent_item: fields.ForeignKeyNullableRelation[SalesOrderItem] = fields.ForeignKeyField(
        "models.SalesOrderItem", related_name="children", null=True, on_delete=fields.CASCADE
    )
    store_id = fields.SmallIntField(null=True)
    created_at = fields.DatetimeField(default=_now)
    product_type = fields.CharField(max_length=32, null=True)
    product_options = fields.TextField(null=True)
    sku = fields.CharField(max_length=64)
    name = fields.CharField(max_length=255, null=True)
    qty_ordered = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    qty_invoiced = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    qty_shipped = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    qty_refunded = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    qty_canceled = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    price = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_price = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    original_price = fields.DecimalField(max_digits=20, decimal_places=4, null=True)
    row_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_row_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    tax_percent = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_percent = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    row_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_row_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    tax_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_invoiced = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    amount_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_amount_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    tax_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    applied_rule_ids = fields.TextField(null=True)

    class Meta:
        table = "sales_order_item"
        indexes = (("product_id",), ("order_id",))


class SalesOrderAddress(Model):
    """`sales_order_address`: an order's billing or shipping address, copied at order time."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[SalesOrder] = fields.ForeignKeyField(
        "models.SalesOrder", related_name="addresses", on_delete=fields.CASCADE
    )
    customer_address_id = fields.IntField(null=True)
    address_type = fields.CharEnumField(AddressType, max_length=10)
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
    postcode = fields.CharField(max_length=255, null=True)
    country_id = fields.CharField(max_length=2, null=True)
    telephone = fields.CharField(max_length=255, null=True)
    fax = fields.CharField(max_length=255, null=True)
    vat_id = fields.CharField(max_length=255, null=True)
    # The address's custom attribute values when the order was placed, as JSON (a list of
    # {code, value, options}), copied from the address book entry (Magento Commerce keeps them
    # as extra columns of this table).
    custom_attributes = fields.TextField(null=True)

    class Meta:
        table = "sales_order_address"
        indexes = (("parent_id",),)


class SalesOrderPayment(Model):
    """`sales_order_payment`: the payment method an order was placed with."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[SalesOrder] = fields.ForeignKeyField(
        "models.SalesOrder", related_name="payments", on_delete=fields.CASCADE
    )
    method = fields.CharField(max_length=128)
    amount_ordered = fields.DecimalField(max_digits=20, decimal_places=4, null=True)

    class Meta:
        table = "sales_order_payment"
        indexes = (("parent_id",),)


class SalesOrderStatusHistory(Model):
    """`sales_order_status_history`: comments and status changes of an order."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[SalesOrder] = fields.ForeignKeyField(
        "models.SalesOrder", related_name="status_history", on_delete=fields.CASCADE
    )
    comment = fields.TextField(null=True)
    status = fields.CharField(max_length=32, null=True)
    is_visible_on_front = fields.BooleanField(db_default=False)
    created_at = fields.DatetimeField(default=_now)
    entity_name = fields.CharField(max_length=32, db_default="order")

    class Meta:
        table = "sales_order_status_history"
        indexes = (("parent_id",),)
