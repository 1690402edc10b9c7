"""Order documents: Magento's invoices (`sales_invoice`, `sales_invoice_item`,
`sales_invoice_comment`), credit memos (`sales_creditmemo`, `sales_creditmemo_item`,
`sales_creditmemo_comment`), shipments (`sales_shipment`, `sales_shipment_item`,
`sales_shipment_track`, `sales_shipment_comment`) and the increment-id sequence of each kind.
Amounts are in the order's currency and repeated in the base columns (orders here are placed in
their website's base currency)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.orders import SalesOrder, SalesOrderItem


def _now() -> datetime:
    return datetime.now(UTC)


class InvoiceState(IntEnum):
    """Magento's `Order\\Invoice::STATE_*`."""

    OPEN = 1
    PAID = 2
    CANCELED = 3


class CreditmemoState(IntEnum):
    """Magento's `Order\\Creditmemo::STATE_*`."""

    OPEN = 1
    REFUNDED = 2
    CANCELED = 3


class SequenceInvoice(Model):
    """`sequence_invoice_1`-like: each row reserves the next invoice increment id."""

    sequence_value = fields.IntField(primary_key=True)

    class Meta:
        table = "sequence_invoice"


class SequenceCreditmemo(Model):
    """`sequence_creditmemo_1`-like: each row reserves the next credit memo increment id."""

    sequence_value = fields.IntField(primary_key=True)

    class Meta:
        table = "sequence_creditmemo"


class SequenceShipment(Model):
    """`sequence_shipment_1`-like: each row reserves the next shipment increment id."""

    sequence_value = fields.IntField(primary_key=True)

    class Meta:
        table = "sequence_shipment"


class DocumentLine(Model):
    """The columns `sales_invoice_item` and `sales_creditmemo_item` share: the order item's product
    and the amounts of the line's `qty` units, each with its `base_` twin."""

    product_id = fields.IntField(null=True)
    sku = fields.CharField(max_length=64)
    name = fields.CharField(max_length=255, null=True)
    qty = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    price = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_price = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    price_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_price_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    row_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_row_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    row_total_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_row_total_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)

    class Meta:
        abstract = True


class DocumentComment(Model):
    """The columns of Magento's document comment tables (invoice, credit memo, shipment)."""

    comment = fields.TextField(null=True)
    is_customer_notified = fields.BooleanField(null=True)
    is_visible_on_front = fields.BooleanField(db_default=False)
    created_at = fields.DatetimeField(default=_now)

    class Meta:
        abstract = True


class SalesInvoice(Model):
    """`sales_invoice`: what an order's customer was billed, once (an order may have several)."""

    entity_id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[SalesOrder] = fields.ForeignKeyField(
        "models.SalesOrder", related_name="invoices", on_delete=fields.CASCADE
    )
    store_id = fields.SmallIntField(null=True)
    increment_id = fields.CharField(max_length=50, unique=True)
    state = fields.IntEnumField(InvoiceState, db_default=InvoiceState.OPEN)
    total_qty = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    subtotal = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_subtotal = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    subtotal_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_subtotal_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    shipping_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    shipping_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    grand_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_grand_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_total_refunded = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_description = fields.CharField(max_length=255, null=True)
    order_currency_code = fields.CharField(max_length=3, null=True)
    base_currency_code = fields.CharField(max_length=3, null=True)
    billing_address_id = fields.IntField(null=True)
    shipping_address_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(default=_now)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "sales_invoice"
        indexes = (("order_id",),)


class SalesInvoiceItem(DocumentLine):
    """`sales_invoice_item`: an order item's share of an invoice."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[SalesInvoice] = fields.ForeignKeyField(
        "models.SalesInvoice", related_name="items", on_delete=fields.CASCADE
    )
    order_item: fields.ForeignKeyNullableRelation[SalesOrderItem] = fields.ForeignKeyField(
        "models.SalesOrderItem", related_name="invoice_items", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "sales_invoice_item"
        indexes = (("parent_id",), ("order_item_id",))


class SalesInvoiceComment(DocumentComment):
    """`sales_invoice_comment`."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[SalesInvoice] = fields.ForeignKeyField(
        "models.SalesInvoice", related_name="comments", on_delete=fields.CASCADE
    )

    class Meta:
        table = "sales_invoice_comment"
        indexes = (("parent_id",),)


class SalesCreditmemo(Model):
    """`sales_creditmemo`: money given back on an order (an order may have several). The
    adjustments are Magento's "Adjustment Refund" (positive) and "Adjustment Fee" (negative)."""

    entity_id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[SalesOrder] = fields.ForeignKeyField(
        "models.SalesOrder", related_name="creditmemos", on_delete=fields.CASCADE
    )
    invoice: fields.ForeignKeyNullableRelation[SalesInvoice] = fields.ForeignKeyField(
        "models.SalesInvoice", related_name="creditmemos", null=True, on_delete=fields.SET_NULL
    )
    store_id = fields.SmallIntField(null=True)
    increment_id = fields.CharField(max_length=50, unique=True)
    state = fields.IntEnumField(CreditmemoState, db_default=CreditmemoState.OPEN)
    subtotal = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_subtotal = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    subtotal_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_subtotal_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_tax_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    shipping_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    shipping_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_shipping_incl_tax = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_discount_amount = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    adjustment_positive = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_adjustment_positive = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    adjustment_negative = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_adjustment_negative = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    adjustment = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_adjustment = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    grand_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    base_grand_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    discount_description = fields.CharField(max_length=255, null=True)
    order_currency_code = fields.CharField(max_length=3, null=True)
    base_currency_code = fields.CharField(max_length=3, null=True)
    billing_address_id = fields.IntField(null=True)
    shipping_address_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(default=_now)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "sales_creditmemo"
        indexes = (("order_id",), ("invoice_id",))


class SalesCreditmemoItem(DocumentLine):
    """`sales_creditmemo_item`: an order item's share of a credit memo."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[SalesCreditmemo] = fields.ForeignKeyField(
        "models.SalesCreditmemo", related_name="items", on_delete=fields.CASCADE
    )
    order_item: fields.ForeignKeyNullableRelation[SalesOrderItem] = fields.ForeignKeyField(
        "models.SalesOrderItem",
        related_name="creditmemo_items",
        null=True,
        on_delete=fields.SET_NULL,
    )

    class Meta:
        table = "sales_creditmemo_item"
        indexes = (("parent_id",), ("order_item_id",))


class SalesCreditmemoComment(DocumentComment):
    """`sales_creditmemo_comment`."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[SalesCreditmemo] = fields.ForeignKeyField(
        "models.SalesCreditmemo", related_name="comments", on_delete=fields.CASCADE
    )

    class Meta:
        table = "sales_creditmemo_comment"
        indexes = (("parent_id",),)


class SalesShipment(Model):
    """`sales_shipment`: goods of an order that left the warehouse together."""

    entity_id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[SalesOrder] = fields.ForeignKeyField(
        "models.SalesOrder", related_name="shipments", on_delete=fields.CASCADE
    )
    store_id = fields.SmallIntField(null=True)
    increment_id = fields.CharField(max_length=50, unique=True)
    total_qty = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    total_weight = fields.DecimalField(max_digits=12, decimal_places=4, null=True)
    customer_id = fields.IntField(null=True)
    billing_address_id = fields.IntField(null=True)
    shipping_address_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(default=_now)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "sales_shipment"
        indexes = (("order_id",),)


class SalesShipmentItem(Model):
    """`sales_shipment_item`: units of an order item in a shipment."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[SalesShipment] = fields.ForeignKeyField(
        "models.SalesShipment", related_name="items", on_delete=fields.CASCADE
    )
    order_item: fields.ForeignKeyNullableRelation[SalesOrderItem] = fields.ForeignKeyField(
        "models.SalesOrderItem", related_name="shipment_items", null=True, on_delete=fields.SET_NULL
    )
    product_id = fields.IntField(null=True)
    sku = fields.CharField(max_length=64)
    name = fields.CharField(max_length=255, null=True)
    qty = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    price = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    row_total = fields.DecimalField(max_digits=20, decimal_places=4, db_default=0)
    weight = fields.DecimalField(max_digits=12, decimal_places=4, null=True)

    class Meta:
        table = "sales_shipment_item"
        indexes = (("parent_id",), ("order_item_id",))


class SalesShipmentTrack(Model):
    """`sales_shipment_track`: a tracking number of a shipment with its carrier and title."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[SalesShipment] = fields.ForeignKeyField(
        "models.SalesShipment", related_name="tracks", on_delete=fields.CASCADE
    )
    order_id = fields.IntField()
    track_number = fields.TextField(null=True)
    title = fields.CharField(max_length=255, null=True)
    carrier_code = fields.CharField(max_length=32, null=True)
    description = fields.TextField(null=True)
    created_at = fields.DatetimeField(default=_now)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "sales_shipment_track"
        indexes = (("parent_id",), ("order_id",))


class SalesShipmentComment(DocumentComment):
    """`sales_shipment_comment`."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[SalesShipment] = fields.ForeignKeyField(
        "models.SalesShipment", related_name="comments", on_delete=fields.CASCADE
    )

    class Meta:
        table = "sales_shipment_comment"
        indexes = (("parent_id",),)
