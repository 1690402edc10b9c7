"""The admin's inputs and outputs for invoicing, shipping and refunding an order. Above both
`graph/orders.py` (the order) and `graph/order_documents.py` (the document)."""

from __future__ import annotations

import strawberry

from graph.errors import UserError
from graph.limits import LONG_TEXT, QUANTITY, length
from graph.order_documents import CreditMemo, Invoice, OrderShipment
from graph.orders import AdminOrder


@strawberry.input(description="A quantity of one order item to invoice or ship.")
class AdminOrderDocumentItemInput:
    order_item_uid: strawberry.ID = strawberry.field(
        description="The order item: its `OrderItemInterface.id`."
    )
    quantity: float = strawberry.field(
        metadata=QUANTITY, description="Units, at most what the item has left."
    )


@strawberry.input(description="What to invoice of an order.")
class AdminInvoiceOrderInput:
    order_uid: strawberry.ID = strawberry.field(description="The order to invoice.")
    items: list[AdminOrderDocumentItemInput] | None = strawberry.field(
        default=None,
        description="The items and quantities to invoice; every quantity left to invoice when "
        "omitted.",
    )
    comment: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="A comment kept with the invoice."
    )
    comment_visible_on_front: bool = strawberry.field(
        default=False, description="Whether the customer sees the comment in the storefront."
    )


@strawberry.input(description="A tracking number of a shipment.")
class AdminShipmentTrackInput:
    carrier_code: str = strawberry.field(
        metadata=length(32),
        description="The carrier's code, such as `ups`, `usps`, `fedex`, `dhl` or `custom`.",
    )
    title: str = strawberry.field(
        metadata=length(255), description="The title the customer sees, such as `UPS Ground`."
    )
    number: str = strawberry.field(description="The tracking number.")


@strawberry.input(description="What to ship of an order.")
class AdminShipOrderInput:
    order_uid: strawberry.ID = strawberry.field(description="The order to ship.")
    items: list[AdminOrderDocumentItemInput] | None = strawberry.field(
        default=None,
        description="The items and quantities to ship; every quantity left to ship when omitted.",
    )
    tracks: list[AdminShipmentTrackInput] | None = strawberry.field(
        default=None, description="The shipment's tracking numbers."
    )
    comment: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="A comment kept with the shipment."
    )
    comment_visible_on_front: bool = strawberry.field(
        default=False, description="Whether the customer sees the comment in the storefront."
    )


@strawberry.input(description="A quantity of one order item to refund.")
class AdminRefundItemInput:
    order_item_uid: strawberry.ID = strawberry.field(
        description="The order item: its `OrderItemInterface.id`."
    )
    quantity: float = strawberry.field(
        metadata=QUANTITY, description="Units, at most the item's invoiced units not refunded."
    )
    back_to_stock: bool | None = strawberry.field(
        default=None,
        description="Whether the units return to stock; the input's `back_to_stock` when omitted.",
    )


@strawberry.input(
    description="What to refund of an invoiced order (an offline credit memo). The refund is "
    "the items' invoiced amounts less their discount, plus tax, plus shipping, plus the "
    "adjustment refund, less the adjustment fee."
)
class AdminRefundOrderInput:
    order_uid: strawberry.ID = strawberry.field(description="The order to refund.")
    items: list[AdminRefundItemInput] | None = strawberry.field(
        default=None,
        description="The items and quantities to refund; every invoiced unit not refunded yet "
        "when omitted. An empty list refunds no item (shipping or adjustments only).",
    )
    shipping_amount: float | None = strawberry.field(
        default=None,
        description="The shipping to refund; all the shipping not refunded yet when omitted.",
    )
    adjustment_positive: float | None = strawberry.field(
        default=None, description="Magento's Adjustment Refund: an extra amount given back."
    )
    adjustment_negative: float | None = strawberry.field(
        default=None, description="Magento's Adjustment Fee: an amount kept from the refund."
    )
    back_to_stock: bool = strawberry.field(
        default=False,
        description="Whether refunded units return to stock, for items that do not say.",
    )
    comment: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="A comment kept with the credit memo."
    )
    comment_visible_on_front: bool = strawberry.field(
        default=False, description="Whether the customer sees the comment in the storefront."
    )


@strawberry.type(description="The result of invoicing an order.")
class AdminInvoiceOrderOutput:
    invoice: Invoice | None = strawberry.field(
        description="The new invoice; null when the input was refused."
    )
    order: AdminOrder | None = strawberry.field(
        description="The order after invoicing; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of shipping an order.")
class AdminShipOrderOutput:
    shipment: OrderShipment | None = strawberry.field(
        description="The new shipment; null when the input was refused."
    )
    order: AdminOrder | None = strawberry.field(
        description="The order after shipping; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of refunding an order.")
class AdminRefundOrderOutput:
    credit_memo: CreditMemo | None = strawberry.field(
        description="The new credit memo; null when the input was refused."
    )
    order: AdminOrder | None = strawberry.field(
        description="The order after the refund; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )
