"""Order document types: Magento's storefront `Invoice`, `CreditMemo` and `OrderShipment` with
their items, totals, comments and tracking numbers (`SalesGraphQl`'s resolvers), and the admin's
inputs and outputs for invoicing, shipping and refunding an order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import strawberry

from engine.order_documents.read import CreditmemoDoc, InvoiceDoc, OrderDocuments, ShipmentDoc
from engine.prices import round_price
from graph.carts import AppliedCoupon, CartDiscountType, Discount
from graph.common import Money
from graph.dates import magento_datetime
from graph.order_lines import (
    OrderItem,
    OrderItemInterface,
    SalesCommentItem,
    ShippingDiscount,
    ShippingHandling,
    TaxItem,
)
from graph.uids import encode_uid
from models import (
    SalesCreditmemoComment,
    SalesInvoiceComment,
    SalesOrder,
    SalesOrderItem,
    SalesShipmentComment,
)

ZERO = Decimal(0)


def _comments(
    rows: Sequence[SalesInvoiceComment | SalesCreditmemoComment | SalesShipmentComment],
) -> list[SalesCommentItem | None]:
    """The comments the customer may see (Magento's `SalesCommentItem` lists only those
    `is_visible_on_front`)."""
    return [
        SalesCommentItem(message=row.comment or "", timestamp=magento_datetime(row.created_at))
        for row in rows
        if row.is_visible_on_front and row.comment
    ]


def _discounts(amount: Decimal, order: SalesOrder, currency: str) -> list[Discount | None]:
    """A document's (or a document line's) discount: one entry labelled with the order's
    `discount_description` (the rules' labels) else "Discount", with the order's coupon."""
    if not amount:
        return []
    return [
        Discount(
            amount=Money.of(abs(amount), currency),
            applied_to=CartDiscountType.ITEM,
            coupon=AppliedCoupon(code=order.coupon_code) if order.coupon_code else None,
            label=order.discount_description or "Discount",
        )
    ]


def _shipping(
    shipping: Decimal, shipping_incl_tax: Decimal, order: SalesOrder, currency: str
) -> ShippingHandling:
    """`SalesGraphQl`'s document shipping: the order's shipping discount in the proportion of
    the document's shipping to the order's."""
    order_shipping = Decimal(order.shipping_amount)
    discount = (
        round_price(Decimal(order.shipping_discount_amount) * shipping / order_shipping)
        if shipping and order_shipping
        else ZERO
    )
    return ShippingHandling(
        amount_excluding_tax=Money.of(shipping, currency),
        amount_including_tax=Money.of(shipping_incl_tax, currency),
        discounts=[ShippingDiscount(amount=Money.of(discount, currency))] if discount else [],
        taxes=[],
        total_amount=Money.of(shipping, currency),
    )


def _order_item(
    items: Mapping[int, SalesOrderItem], item_id: int | None, order: SalesOrder, currency: str
) -> OrderItemInterface | None:
    item = items.get(item_id) if item_id is not None else None
    return None if item is None else OrderItem.of(item, currency, order)


# --- invoices ------------------------------------------------------------------------------------


@strawberry.interface(description="Contains detailes about invoiced items.")
class InvoiceItemInterface:
    discounts: list[Discount | None] | None = strawberry.field(
        description="Information about the final discount amount for the base product, including "
        "discounts on options."
    )
    id: strawberry.ID = strawberry.field(
        description="The unique ID for an `InvoiceItemInterface` object."
    )
    order_item: OrderItemInterface | None = strawberry.field(
        description="Details about an individual order item."
    )
    product_name: str | None = strawberry.field(description="The name of the base product.")
    product_sale_price: Money = strawberry.field(
        description="The sale price for the base product including selected options."
    )
    product_sku: str = strawberry.field(description="The SKU of the base product.")
    quantity_invoiced: float | None = strawberry.field(description="The number of invoiced items.")


@strawberry.type(description="Contains details about an invoiced simple or virtual product.")
class InvoiceItem(InvoiceItemInterface):
    pass


@strawberry.type(description="Contains price details from an invoice.")
class InvoiceTotal:
    base_grand_total: Money = strawberry.field(
        description="The final base grand total amount in the base currency."
    )
    discounts: list[Discount | None] | None = strawberry.field(
        description="The applied discounts to the invoice."
    )
    grand_total: Money = strawberry.field(
        description="The final total amount, including shipping, discounts, and taxes."
    )
    shipping_handling: ShippingHandling | None = strawberry.field(
        description="Details about the shipping and handling costs for the invoice."
    )
    subtotal: Money = strawberry.field(
        description="The subtotal of the invoice, excluding shipping, discounts, and taxes."
    )
    subtotal_excl_tax: Money = strawberry.field(
        description="The subtotal of the invoice, excluding taxes."
    )
    subtotal_incl_tax: Money = strawberry.field(
        description="The subtotal of the invoice, including taxes."
    )
    taxes: list[TaxItem | None] | None = strawberry.field(description="The invoice tax details.")
    total_shipping: Money = strawberry.field(description="The shipping amount for the invoice.")
    total_tax: Money = strawberry.field(description="The amount of tax applied to the invoice.")


@strawberry.type(description="Contains invoice details.")
class Invoice:
    comments: list[SalesCommentItem | None] | None = strawberry.field(
        description="Comments on the invoice."
    )
    id: strawberry.ID = strawberry.field(description="The unique ID for a `Invoice` object.")
    items: list[InvoiceItemInterface | None] | None = strawberry.field(
        description="Invoiced product details."
    )
    number: str = strawberry.field(description="Sequential invoice number.")
    total: InvoiceTotal | None = strawberry.field(description="Invoice total amount details.")

    @classmethod
    def of(cls, doc: InvoiceDoc, order: SalesOrder, items: Mapping[int, SalesOrderItem]) -> Invoice:
        row = doc.row
        currency = row.order_currency_code or order.order_currency_code or "USD"

        def money(amount: Decimal) -> Money:
            return Money.of(Decimal(amount), currency)

        return cls(
            comments=_comments(doc.comments),
            id=strawberry.ID(encode_uid(row.entity_id)),
            items=[
                InvoiceItem(
                    discounts=_discounts(Decimal(line.discount_amount), order, currency),
                    id=strawberry.ID(encode_uid(line.entity_id)),
                    order_item=_order_item(items, line.order_item_id, order, currency),  # type: ignore[attr-defined]
                    product_name=line.name,
                    product_sale_price=money(line.price),
                    product_sku=line.sku,
                    quantity_invoiced=float(line.qty),
                )
                for line in doc.items
            ],
            number=row.increment_id,
            total=InvoiceTotal(
                base_grand_total=Money.of(
                    Decimal(row.base_grand_total), row.base_currency_code or currency
                ),
                discounts=_discounts(Decimal(row.discount_amount), order, currency),
                grand_total=money(row.grand_total),
                shipping_handling=_shipping(
                    Decimal(row.shipping_amount), Decimal(row.shipping_incl_tax), order, currency
                ),
                subtotal=money(row.subtotal),
                subtotal_excl_tax=money(row.subtotal),
                subtotal_incl_tax=money(row.subtotal_incl_tax),
                taxes=_taxes(doc.items, items, currency),
                total_shipping=money(row.shipping_amount),
                total_tax=money(row.tax_amount),
            ),
        )


def _taxes(
    lines: Sequence[object], items: Mapping[int, SalesOrderItem], currency: str
) -> list[TaxItem | None]:
    """A document's taxes by rate, as the order's (`order_lines.taxes_of`): each line's tax
    under its order item's rate."""
    by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        amount = Decimal(line.tax_amount)  # type: ignore[attr-defined]
        item = items.get(line.order_item_id)  # type: ignore[attr-defined]
        if amount and item is not None:
            rate = Decimal(item.tax_percent).normalize()
            by_rate[rate] = by_rate.get(rate, ZERO) + amount
    return [
        TaxItem(amount=Money.of(amount, currency), rate=float(rate), title=f"Tax {rate:f}%")
        for rate, amount in sorted(by_rate.items())
    ]


# --- credit memos --------------------------------------------------------------------------------


@strawberry.interface(description="Credit memo item details.")
class CreditMemoItemInterface:
    discounts: list[Discount | None] | None = strawberry.field(
        description="Details about the final discount amount for the base product, including "
        "discounts on options."
    )
    id: strawberry.ID = strawberry.field(
        description="The unique ID for a `CreditMemoItemInterface` object."
    )
    order_item: OrderItemInterface | None = strawberry.field(
        description="The order item the credit memo is applied to."
    )
    product_name: str | None = strawberry.field(description="The name of the base product.")
    product_sale_price: Money = strawberry.field(
        description="The sale price for the base product, including selected options."
    )
    product_sku: str = strawberry.field(description="The SKU of the base product.")
    quantity_refunded: float | None = strawberry.field(description="The number of refunded items.")


@strawberry.type(description="Contains details about a refunded simple or virtual product.")
class CreditMemoItem(CreditMemoItemInterface):
    pass


@strawberry.type(description="Contains credit memo price details.")
class CreditMemoTotal:
    adjustment: Money = strawberry.field(
        description="An adjustment manually applied to the order: the adjustment refund less the "
        "adjustment fee."
    )
    base_grand_total: Money = strawberry.field(
        description="The final base grand total amount in the base currency."
    )
    discounts: list[Discount | None] | None = strawberry.field(
        description="The applied discounts to the credit memo."
    )
    grand_total: Money = strawberry.field(
        description="The final total amount, including shipping, discounts, and taxes."
    )
    shipping_handling: ShippingHandling | None = strawberry.field(
        description="Details about the shipping and handling costs for the credit memo."
    )
    subtotal: Money = strawberry.field(
        description="The subtotal of the invoice, excluding shipping, discounts, and taxes."
    )
    subtotal_excl_tax: Money = strawberry.field(
        description="The subtotal of the credit memo, excluding taxes."
    )
    subtotal_incl_tax: Money = strawberry.field(
        description="The subtotal of the credit memo, including taxes."
    )
    taxes: list[TaxItem | None] | None = strawberry.field(
        description="The credit memo tax details."
    )
    total_shipping: Money = strawberry.field(description="The shipping amount for the credit memo.")
    total_tax: Money = strawberry.field(description="The amount of tax applied to the credit memo.")


@strawberry.type(description="Contains credit memo details.")
class CreditMemo:
    comments: list[SalesCommentItem | None] | None = strawberry.field(
        description="Comments on the credit memo."
    )
    id: strawberry.ID = strawberry.field(description="The unique ID for a `CreditMemo` object.")
    items: list[CreditMemoItemInterface | None] | None = strawberry.field(
        description="An array containing details about refunded items."
    )
    number: str = strawberry.field(description="The sequential credit memo number.")
    total: CreditMemoTotal | None = strawberry.field(
        description="Details about the total refunded amount."
    )

    @classmethod
    def of(
        cls, doc: CreditmemoDoc, order: SalesOrder, items: Mapping[int, SalesOrderItem]
    ) -> CreditMemo:
        row = doc.row
        currency = row.order_currency_code or order.order_currency_code or "USD"

        def money(amount: Decimal) -> Money:
            return Money.of(Decimal(amount), currency)

        return cls(
            comments=_comments(doc.comments),
            id=strawberry.ID(encode_uid(row.entity_id)),
            items=[
                CreditMemoItem(
                    discounts=_discounts(Decimal(line.discount_amount), order, currency),
                    id=strawberry.ID(encode_uid(line.entity_id)),
                    order_item=_order_item(items, line.order_item_id, order, currency),  # type: ignore[attr-defined]
                    product_name=line.name,
                    product_sale_price=money(line.price),
                    product_sku=line.sku,
                    quantity_refunded=float(line.qty),
                )
                for line in doc.items
            ],
            number=row.increment_id,
            total=CreditMemoTotal(
                adjustment=money(row.adjustment),
                base_grand_total=Money.of(
                    Decimal(row.base_grand_total), row.base_currency_code or currency
                ),
                discounts=_discounts(Decimal(row.discount_amount), order, currency),
                grand_total=money(row.grand_total),
                shipping_handling=_shipping(
                    Decimal(row.shipping_amount), Decimal(row.shipping_incl_tax), order, currency
                ),
                subtotal=money(row.subtotal),
                subtotal_excl_tax=money(row.subtotal),
                subtotal_incl_tax=money(row.subtotal_incl_tax),
                taxes=_taxes(doc.items, items, currency),
                total_shipping=money(row.shipping_amount),
                total_tax=money(row.tax_amount),
            ),
        )


# --- shipments -----------------------------------------------------------------------------------


@strawberry.interface(description="Order shipment item details.")
class ShipmentItemInterface:
    id: strawberry.ID = strawberry.field(
        description="The unique ID for a `ShipmentItemInterface` object."
    )
    order_item: OrderItemInterface | None = strawberry.field(
        description="The order item associated with the shipment item."
    )
    product_name: str | None = strawberry.field(description="The name of the base product.")
    product_sale_price: Money = strawberry.field(description="The sale price for the base product.")
    product_sku: str = strawberry.field(description="The SKU of the base product.")
    quantity_shipped: float = strawberry.field(description="The number of shipped items.")


@strawberry.type(description="Contains details about a shipped simple or virtual product.")
class ShipmentItem(ShipmentItemInterface):
    pass


@strawberry.type(description="Contains order shipment tracking details.")
class ShipmentTracking:
    carrier: str = strawberry.field(description="The shipping carrier for the order delivery.")
    number: str | None = strawberry.field(description="The tracking number of the order shipment.")
    title: str = strawberry.field(description="The shipment tracking title.")


@strawberry.type(description="Contains order shipment details.")
class OrderShipment:
    comments: list[SalesCommentItem | None] | None = strawberry.field(
        description="Comments added to the shipment."
    )
    id: strawberry.ID = strawberry.field(description="The unique ID for a `OrderShipment` object.")
    items: list[ShipmentItemInterface | None] | None = strawberry.field(
        description="An array of items included in the shipment."
    )
    number: str = strawberry.field(description="The sequential credit shipment number.")
    tracking: list[ShipmentTracking | None] | None = strawberry.field(
        description="An array of shipment tracking details."
    )

    @classmethod
    def of(
        cls, doc: ShipmentDoc, order: SalesOrder, items: Mapping[int, SalesOrderItem]
    ) -> OrderShipment:
        currency = order.order_currency_code or "USD"
        return cls(
            comments=_comments(doc.comments),
            id=strawberry.ID(encode_uid(doc.row.entity_id)),
            items=[
                ShipmentItem(
                    id=strawberry.ID(encode_uid(line.entity_id)),
                    order_item=_order_item(items, line.order_item_id, order, currency),  # type: ignore[attr-defined]
                    product_name=line.name,
                    product_sale_price=Money.of(Decimal(line.price), currency),
                    product_sku=line.sku,
                    quantity_shipped=float(line.qty),
                )
                for line in doc.items
            ],
            number=doc.row.increment_id,
            tracking=[
                ShipmentTracking(
                    carrier=track.carrier_code or "",
                    number=track.track_number,
                    title=track.title or "",
                )
                for track in doc.tracks
            ],
        )


def documents_of(
    documents: OrderDocuments, order: SalesOrder, items: Sequence[SalesOrderItem]
) -> dict[str, object]:
    """The `CustomerOrder` fields an order's documents fill."""
    by_id = {item.item_id: item for item in items}
    return {
        "invoices": [Invoice.of(doc, order, by_id) for doc in documents.invoices],
        "credit_memos": [CreditMemo.of(doc, order, by_id) for doc in documents.creditmemos],
        "shipments": [OrderShipment.of(doc, order, by_id) for doc in documents.shipments],
    }


# Implementations reached only through an interface, for the schema's `types`.
DOCUMENT_TYPES = (InvoiceItem, CreditMemoItem, ShipmentItem)
