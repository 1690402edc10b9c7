"""The pieces an order shares with its documents (invoices, credit memos, shipments): Magento's
`OrderItemInterface` and `OrderItem`, item prices and discounts, tax and shipping-handling
details, comments and dates. Below both `graph/orders.py` and `graph/order_documents.py`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import strawberry

from engine import orders
from engine.prices import round_price
from graph.carts import AppliedCoupon, CartDiscountType, Discount
from graph.catalog import FixedProductTax, ProductInterface, product_of
from graph.common import Money
from graph.context import Info
from graph.uids import encode_uid
from models import SalesOrder, SalesOrderItem

ZERO = Decimal(0)


@strawberry.type(description="Contains tax item details.")
class TaxItem:
    amount: Money = strawberry.field(description="The amount of tax applied to the item.")
    rate: float = strawberry.field(description="The rate used to calculate the tax.")
    title: str = strawberry.field(description="A title that describes the tax.")


@strawberry.type(description="Contains a key-value pair.")
class KeyValue:
    name: str | None = strawberry.field(description="The name part of the key/value pair.")
    value: str | None = strawberry.field(description="The value part of the key/value pair.")


@strawberry.type(description="Defines an individual shipping discount.")
class ShippingDiscount:
    amount: Money = strawberry.field(description="The amount of the discount.")


@strawberry.type(description="Contains details about shipping and handling costs.")
class ShippingHandling:
    amount_excluding_tax: Money | None = strawberry.field(
        description="The shipping amount, excluding tax."
    )
    amount_including_tax: Money | None = strawberry.field(
        description="The shipping amount, including tax."
    )
    discounts: list[ShippingDiscount | None] | None = strawberry.field(
        description="The applied discounts to the shipping."
    )
    taxes: list[TaxItem | None] | None = strawberry.field(
        description="Details about taxes applied for shipping."
    )
    total_amount: Money = strawberry.field(description="The total amount for shipping.")


def taxes_of(items: Sequence[SalesOrderItem], currency: str) -> list[TaxItem | None]:
    """The order's taxes by rate: this service keeps no per-rate tax table, so each distinct
    item tax percent is one entry, titled with its rate."""
    by_rate: dict[Decimal, Decimal] = {}
    for item in items:
        amount = Decimal(item.tax_amount)
        if amount:
            rate = Decimal(item.tax_percent).normalize()
            by_rate[rate] = by_rate.get(rate, ZERO) + amount
    return [
        TaxItem(amount=Money.of(amount, currency), rate=float(rate), title=f"Tax {rate:f}%")
        for rate, amount in sorted(by_rate.items())
    ]


@strawberry.type(description="Represents order item options like selected or entered.")
class OrderItemOption:
    label: str = strawberry.field(description="The name of the option.")
    value: str = strawberry.field(description="The value of the option.")


@strawberry.type(description="Contains details about the price of an order item.")
class OrderItemPrices:
    discounts: list[Discount | None] | None = strawberry.field(
        description="An array of discounts to be applied to the cart item."
    )
    fixed_product_taxes: list[FixedProductTax | None] = strawberry.field(
        description="The fixed product taxes applied to the item."
    )
    original_price: Money | None = strawberry.field(description="The original price of the item.")
    original_price_including_tax: Money | None = strawberry.field(
        description="The original price of the item including tax."
    )
    original_row_total: Money = strawberry.field(
        description="The value of the original price multiplied by the quantity of the item."
    )
    original_row_total_including_tax: Money = strawberry.field(
        description="The value of the original price multiplied by the quantity of the item "
        "including tax."
    )
    price: Money = strawberry.field(
        description="The price of the item before any discounts were applied."
    )
    price_including_tax: Money = strawberry.field(
        description="The price of the item before any discounts were applied, including tax."
    )
    row_total: Money = strawberry.field(
        description="The value of the price multiplied by the quantity of the item."
    )
    row_total_including_tax: Money = strawberry.field(
        description="The value of `row_total` plus the tax applied to the item."
    )
    total_item_discount: Money = strawberry.field(
        description="The total of all discounts applied to the item."
    )

    @classmethod
    def of(cls, item: SalesOrderItem, currency: str, order: SalesOrder) -> OrderItemPrices:
        def money(amount: Decimal) -> Money:
            return Money.of(round_price(Decimal(amount)), currency)

        qty = Decimal(item.qty_ordered)
        price = Decimal(item.price)
        tax = Decimal(item.tax_amount)
        percent = Decimal(item.tax_percent)
        original = Decimal(item.original_price if item.original_price is not None else price)
        discount = Decimal(item.discount_amount)
        original_incl = original * (1 + percent / 100)
        return cls(
            discounts=[item_discount(discount, currency, order)] if discount else [],
            fixed_product_taxes=[],
            original_price=money(original),
            original_price_including_tax=money(original_incl),
            original_row_total=money(original * qty),
            original_row_total_including_tax=money(original_incl * qty),
            price=money(price),
            price_including_tax=money(price + (tax / qty if qty else ZERO)),
            row_total=money(item.row_total),
            row_total_including_tax=money(Decimal(item.row_total) + tax),
            total_item_discount=money(discount),
        )


def item_discount(amount: Decimal, currency: str, order: SalesOrder) -> Discount:
    """Magento's order-item discount: the order's `discount_description` (the applied rules'
    labels, or the coupon code) else "Discount", with the order's coupon."""
    return Discount(
        amount=Money.of(abs(amount), currency),
        applied_to=CartDiscountType.ITEM,
        coupon=AppliedCoupon(code=order.coupon_code) if order.coupon_code else None,
        label=order.discount_description or "Discount",
    )


async def _item_product(root: OrderItemInterface, info: Info) -> ProductInterface | None:
    if root.product_id is None:
        return None
    row = await info.context.loaders.product.load(root.product_id)
    return None if row is None else product_of(row)


async def _item_url_key(root: OrderItemInterface, info: Info) -> str | None:
    if root.product_id is None:
        return None
    row = await info.context.loaders.product.load(root.product_id)
    return None if row is None else row.url_key


@strawberry.interface(description="Order item details.")
class OrderItemInterface:
    product_id: strawberry.Private[int | None]

    discounts: list[Discount | None] | None = strawberry.field(
        description="The final discount information for the product."
    )
    entered_options: list[OrderItemOption | None] | None = strawberry.field(
        description="The entered option for the base product, such as a logo or image."
    )
    id: strawberry.ID = strawberry.field(
        description="The unique ID for an `OrderItemInterface` object."
    )
    prices: OrderItemPrices | None = strawberry.field(
        description="Contains details about the price of the item, including taxes and discounts."
    )
    product: ProductInterface | None = strawberry.field(
        resolver=_item_product,
        description="The ProductInterface object, which contains details about the base product",
    )
    product_name: str | None = strawberry.field(description="The name of the base product.")
    product_sale_price: Money = strawberry.field(
        description="The sale price of the base product, including selected options."
    )
    product_sku: str = strawberry.field(description="The SKU of the base product.")
    product_type: str | None = strawberry.field(
        description="The type of product, such as simple, configurable, etc."
    )
    product_url_key: str | None = strawberry.field(
        resolver=_item_url_key, description="URL key of the base product."
    )
    quantity_canceled: float | None = strawberry.field(description="The number of canceled items.")
    quantity_invoiced: float | None = strawberry.field(description="The number of invoiced items.")
    quantity_ordered: float | None = strawberry.field(
        description="The number of units ordered for this item."
    )
    quantity_refunded: float | None = strawberry.field(description="The number of refunded items.")
    quantity_shipped: float | None = strawberry.field(description="The number of shipped items.")
    selected_options: list[OrderItemOption | None] | None = strawberry.field(
        description="The selected options for the base product, such as color or size."
    )
    status: str | None = strawberry.field(description="The status of the order item.")


@strawberry.type(description="An ordered simple or virtual product.")
class OrderItem(OrderItemInterface):
    @classmethod
    def of(cls, item: SalesOrderItem, currency: str, order: SalesOrder) -> OrderItem:
        discount = Decimal(item.discount_amount)
        return cls(
            product_id=item.product_id,  # type: ignore[attr-defined]
            discounts=[item_discount(discount, currency, order)] if discount else [],
            entered_options=[],
            id=strawberry.ID(encode_uid(item.item_id)),
            prices=OrderItemPrices.of(item, currency, order),
            product_name=item.name,
            product_sale_price=Money.of(round_price(Decimal(item.price)), currency),
            product_sku=item.sku,
            product_type=item.product_type,
            quantity_canceled=float(item.qty_canceled),
            quantity_invoiced=float(item.qty_invoiced),
            quantity_ordered=float(item.qty_ordered),
            quantity_refunded=float(item.qty_refunded),
            quantity_shipped=float(item.qty_shipped),
            selected_options=[],
            status=orders.item_status(item).value,
        )


@strawberry.type(description="Contains details about a comment.")
class SalesCommentItem:
    message: str = strawberry.field(description="The text of the message.")
    timestamp: str = strawberry.field(description="The timestamp of the comment.")
